import MaxPDiagnostics

/// Everything `lr_transfer.md.mustache` shows: the three-line digest, the drift verdict, the run configuration, the figures, per
/// parametrization the optimum per width and the mean-loss grid with the best point per width in bold.
public struct LRTransferReportModel: Sendable, Equatable {
    /// One width's optimum.
    public struct Optimum: Sendable, Equatable {
        public var width, optimum, interval, note: String
    }
    /// One width's row of the loss grid.
    public struct LossRow: Sendable, Equatable {
        public var width: String
        public var cells: [String]
    }
    /// One parametrization's section.
    public struct Section: Sendable, Equatable {
        public var name, drift, driftInterval: String
        public var optima: [Optimum]
        public var lrHeaders: [String]
        public var lossRows: [LossRow]
        /// "Wider is always better" breaches, one sentence each.
        public var widerIsBetterViolations: [String]
        /// Whether every wider model did at least as well near the optimum.
        public var widerIsBetterHolds: Bool
    }

    /// Title.
    public var title: String
    /// The three opening lines: checked, wrong, next.
    public var digest: ReportDigest
    /// One-line verdict on the drift.
    public var headline: String
    /// Run configuration.
    public var run: ReportSections.Run
    /// Figures.
    public var figures: [ReportSections.FigureLink]
    /// One section per parametrization.
    public var parametrizations: [Section]
    /// The half-width of the drift's equivalence band (``LRTransferPolicy/equivalenceMargin``), as printed.
    public var equivalenceMargin: String
    /// Data files.
    public var dataFiles: [ReportSections.DataFile]
    /// Whether there are data files.
    public var hasDataFiles: Bool

    /// Builds the model.
    public init(report: LRTransferReport, run: RunDescription, figures: [ReportSections.FigureLink],
                dataFiles: [ReportSections.DataFile]) {
        var description = run
        description.learningRate = nil
        // A sweep over several parametrizations is titled `SP vs µP …`, not with the raw option value `sp,mup`.
        let swept = report.parametrizations.map(FigureText.parametrizationName)
        if swept.count > 1 { description.parametrization = swept.joined(separator: " vs ") }
        let head = description.headline
        title = head.isEmpty ? "Learning-rate transfer" : "Learning-rate transfer: \(head)"
        let labels = report.parametrizations.isEmpty ? [report.primary.parametrization] : report.parametrizations
        let summaries = labels.map { report.byParametrization[$0] ?? report.primary }
        headline = summaries.map { Self.verdict($0) }.joined(separator: "; ") + "."
        digest = ReportDigest.lrTransfer(report)
        self.run = Self.swept(ReportSections.Run(run), parametrizations: summaries.map(\.parametrization),
                              lrs: summaries.first?.lrs ?? [])
        self.figures = figures
        parametrizations = summaries.map(Self.section)
        equivalenceMargin = FigureText.number(LRTransferPolicy.standard.equivalenceMargin)
        self.dataFiles = dataFiles
        hasDataFiles = !dataFiles.isEmpty
    }

    /// The run configuration as swept: the parametrizations and learning rates of the sweep replace the single
    /// `parametrization` / `lr` values a command records as defaults (they were not used).
    static func swept(_ run: ReportSections.Run, parametrizations: [String], lrs: [Double]) -> ReportSections.Run {
        var run = run
        let names = parametrizations.map(FigureText.parametrizationName)
        let lrText = lrs.map { FigureText.number($0) }.joined(separator: ",")
        if !names.isEmpty {
            run.parametrization = names.joined(separator: ", ")
            run.parametrizationWord = names.count == 1 ? "parametrization" : "parametrizations"
        }
        if !lrs.isEmpty {
            run.learningRate = "\(lrs.count) values from \(FigureText.number(lrs.min())) to \(FigureText.number(lrs.max())) (swept)"
            run.learningRateWord = lrs.count == 1 ? "learning rate" : "learning rates"
        }
        var settings: [ReportSections.Run.Setting] = []
        var placed = Set<String>()
        for setting in run.settings {
            switch setting.name {
            case "parametrization", "parametrizations":
                guard !parametrizations.isEmpty else { settings.append(setting); continue }
                if placed.insert("parametrizations").inserted {
                    settings.append(.init(name: "parametrizations", value: parametrizations.joined(separator: ",")))
                }
            case "lr", "lrs":
                guard !lrs.isEmpty else { settings.append(setting); continue }
                if placed.insert("lrs").inserted { settings.append(.init(name: "lrs", value: lrText)) }
            default:
                settings.append(setting)
            }
        }
        run.settings = settings
        run.hasSettings = !settings.isEmpty
        return run
    }

    /// The verdict in words: `µP: lr* ∝ width^+0.03 [-0.05, +0.11] — the optimal learning rate transfers across
    /// width (the interval lies within ±0.25)`, `SP: … — the optimal learning rate shifts with width`, or an
    /// inconclusive verdict with what would decide it.
    public static func verdict(_ summary: LRTransferSummary, policy: LRTransferPolicy = .standard) -> String {
        let name = FigureText.parametrizationName(summary.parametrization)
        let margin = FigureText.number(policy.equivalenceMargin)
        var drift = ""
        if let exponent = summary.driftExponent {
            drift = "lr* ∝ width^\(FigureText.signed(exponent))"
            if let ci = summary.driftCI95 { drift += " [\(FigureText.signed(ci.lower)), \(FigureText.signed(ci.upper))]" }
            drift += " — "
        }
        switch summary.verdict {
        case .transfers:
            return "\(name): \(drift)the optimal learning rate transfers across width (the interval lies within ±\(margin))"
        case .shifts:
            return "\(name): \(drift)the optimal learning rate shifts with width (the interval excludes ±\(margin))"
        case let .inconclusive(.optimumAtGridEdge(below, above)):
            var parts: [String] = []
            if !below.isEmpty, let lowest = summary.lrs.first {
                parts.append("the optimum of width \(Self.list(below)) is the grid's smallest learning rate: extend the grid below \(FigureText.number(lowest))")
            }
            if !above.isEmpty, let highest = summary.lrs.last {
                parts.append("the optimum of width \(Self.list(above)) is the grid's largest learning rate: extend the grid above \(FigureText.number(highest))")
            }
            return "\(name): inconclusive — " + parts.joined(separator: "; ")
        case let .inconclusive(.tooFewOptima(found)):
            return "\(name): inconclusive — \(found == 0 ? "no width has" : "only one width has") an optimum inside the grid"
        case let .inconclusive(.intervalTooWide(seeds)):
            let advice = seeds.map { "about \($0) seeds would decide it" }
                ?? "the drift lies too close to ±\(margin) for more seeds to decide it: add widths"
            return "\(name): \(drift)inconclusive — the interval straddles ±\(margin); \(advice)"
        }
    }

    /// `64`, `64 and 128`, `64, 128 and 256`.
    static func list(_ widths: [Int]) -> String {
        let names = widths.map(String.init)
        guard names.count > 1 else { return names.first ?? "" }
        return names.dropLast().joined(separator: ", ") + " and " + names.last!
    }

    /// One line per breach of "wider is always better" (empty when there is none).
    static func widerIsBetterLines(_ summary: LRTransferSummary) -> [String] {
        summary.widerIsBetterViolations.map {
            "at lr \(FigureText.number($0.lr)), width \($0.widerWidth) ended at loss \(FigureText.number($0.widerLoss)), "
                + "worse than width \($0.width) (\(FigureText.number($0.loss)))"
        }
    }

    static func section(_ summary: LRTransferSummary) -> Section {
        let optima = summary.widths.map { width -> Optimum in
            let key = String(width)
            let note: String
            let edges: (below: [Int], above: [Int])
            if case let .inconclusive(.optimumAtGridEdge(below, above)) = summary.verdict { edges = (below, above) } else { edges = ([], []) }
            if summary.optimum[key] == nil { note = "every learning rate diverged" }
            else if edges.below.contains(width) { note = "the grid's smallest lr: the optimum lies below the grid (not used for the drift)" }
            else if edges.above.contains(width) { note = "the grid's largest lr: the optimum lies above the grid (not used for the drift)" }
            else if summary.optimumAtEdge[key] == true { note = "not refined (divergence or a non-convex fit nearby): the best grid point" }
            else { note = "" }
            return Optimum(width: key, optimum: FigureText.number(summary.optimum[key]),
                           interval: summary.optimumCI95[key].map { "[\(FigureText.number($0.lower)), \(FigureText.number($0.upper))]" } ?? "–",
                           note: note)
        }
        let rows = summary.widths.map { width -> LossRow in
            let losses = summary.meanLoss[String(width)] ?? []
            let best = losses.enumerated().compactMap { index, loss in loss.map { (index, $0) } }.min { $0.1 < $1.1 }?.0
            let cells = summary.lrs.indices.map { index -> String in
                guard index < losses.count, let loss = losses[index] else { return "diverged" }
                let text = FigureText.number(loss)
                return index == best ? "**\(text)**" : text
            }
            return LossRow(width: String(width), cells: cells)
        }
        return Section(name: FigureText.parametrizationName(summary.parametrization),
                       drift: summary.driftExponent.map(FigureText.signed) ?? "n/a",
                       driftInterval: summary.driftCI95.map { "[\(FigureText.signed($0.lower)), \(FigureText.signed($0.upper))]" } ?? "n/a",
                       optima: optima, lrHeaders: summary.lrs.map { "lr \(FigureText.number($0))" }, lossRows: rows,
                       widerIsBetterViolations: widerIsBetterLines(summary),
                       widerIsBetterHolds: summary.widerIsBetterViolations.isEmpty)
    }
}
