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
        headline = summaries.map(Self.verdict).joined(separator: "; ") + "."
        digest = ReportDigest.lrTransfer(report)
        self.run = Self.swept(ReportSections.Run(run), parametrizations: summaries.map(\.parametrization),
                              lrs: summaries.first?.lrs ?? [])
        self.figures = figures
        parametrizations = summaries.map(Self.section)
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

    /// `µP: lr* drifts as width^+0.03 (transfers)` / `SP: … (the optimum shifts with width)`.
    public static func verdict(_ summary: LRTransferSummary) -> String {
        let name = FigureText.parametrizationName(summary.parametrization)
        guard let drift = summary.driftExponent else { return "\(name): fewer than two widths have an optimum" }
        let transfers: Bool
        if let ci = summary.driftCI95 { transfers = ci.lower <= 0.25 && ci.upper >= -0.25 } else { transfers = abs(drift) <= 0.25 }
        return "\(name): lr* ∝ width^\(FigureText.signed(drift)) — "
            + (transfers ? "the optimal learning rate transfers across width" : "the optimal learning rate shifts with width")
    }

    static func section(_ summary: LRTransferSummary) -> Section {
        let optima = summary.widths.map { width -> Optimum in
            let key = String(width)
            let note: String
            if summary.optimum[key] == nil { note = "every learning rate diverged" }
            else if summary.optimumAtEdge[key] == true { note = "at the grid's edge or not refined: widen the grid" }
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
                       optima: optima, lrHeaders: summary.lrs.map { "lr \(FigureText.number($0))" }, lossRows: rows)
    }
}
