import MaxPDiagnostics

/// Everything `coord_check.md.mustache` shows: the three-line digest, the verdict summary, the run configuration with the per-layer table,
/// the figures, the slope table and the data files.
public struct CoordCheckReportModel: Sendable, Equatable {
    /// One op flagged in the summary.
    public struct Attention: Sendable, Equatable {
        public var op, statistic, t, verdict, message: String
    }
    /// The verdict summary at the top.
    public struct Summary: Sendable, Equatable {
        /// `2 ops need attention: fc_2, readout` or `all 36 slopes agree with theory`.
        public var headline: String
        /// The first flagged (op, t, statistic) of each op, earliest step first.
        public var attention: [Attention]
    }
    /// One row of the slope table.
    public struct SlopeRow: Sendable, Equatable {
        public var op, kind, t, statistic, expected, measured, interval, verdict, verdictText, fix: String
    }

    /// Report title.
    public var title: String
    /// The three opening lines: checked, wrong, next.
    public var digest: ReportDigest
    /// The verdict summary.
    public var summary: Summary
    /// The run configuration.
    public var run: ReportSections.Run
    /// Embedded figures.
    public var figures: [ReportSections.FigureLink]
    /// Swept axis name.
    public var axis: String
    /// Where the expected slopes come from: `the declared exponents`, or on a depth axis depth-µP's theory.
    public var theoryBasis: String
    /// Tolerance at init, as text.
    public var toleranceInit: String
    /// Tolerance after training, as text.
    public var toleranceTrained: String
    /// The slope table.
    public var slopes: [SlopeRow]
    /// Data files.
    public var dataFiles: [ReportSections.DataFile]
    /// Whether there are data files.
    public var hasDataFiles: Bool

    /// Builds the model from a slopes report and the run.
    public init(slopes report: SlopeReport, run: RunDescription, figures: [ReportSections.FigureLink],
                dataFiles: [ReportSections.DataFile]) {
        let head = run.headline
        title = head.isEmpty ? "Coordinate check" : "Coordinate check: \(head)"
        digest = ReportDigest.coordCheck(report, run: run)
        summary = Self.summarize(report)
        self.run = ReportSections.Run(run)
        self.figures = figures
        axis = report.axis.rawValue
        theoryBasis = report.axis == .depth ? "depth-µP's theory of the residual stream for the branch exponent α" : "the declared exponents"
        toleranceInit = FigureText.number(report.toleranceInit)
        toleranceTrained = FigureText.number(report.toleranceTrained)
        slopes = report.ops.map(Self.row)
        self.dataFiles = dataFiles
        hasDataFiles = !dataFiles.isEmpty
    }

    /// At most this many ops are listed under "needs attention" (the first flagged slope of each).
    static let attentionLimit = 12

    /// The summary: which ops need attention (verdict `grows`/`shrinks`), counted once per op, and the
    /// inconclusive count.
    public static func summarize(_ report: SlopeReport) -> Summary {
        let deviating = report.ops.filter { $0.verdict.isDeviation }.sorted { ($0.t, $0.op) < ($1.t, $1.op) }
        // Root causes first; ops that only inherit a deviation from upstream are named separately.
        let flagged = deviating.filter { $0.inheritedFrom == nil }
        var ops: [String] = []
        for entry in flagged where !ops.contains(entry.op) { ops.append(entry.op) }
        var inheriting: [String] = []
        for entry in deviating where entry.inheritedFrom != nil && !ops.contains(entry.op) && !inheriting.contains(entry.op) {
            inheriting.append(entry.op)
        }
        let inconclusive = report.ops.filter { $0.verdict == .inconclusive }.count
        var headline: String
        if ops.isEmpty {
            let judged = report.ops.filter { $0.verdict != .inconclusive && $0.verdict != .unjudged }.count
            headline = "all \(judged) judged slopes agree with theory"
        } else {
            let names = ops.prefix(6).map { "`\($0)`" }.joined(separator: ", ") + (ops.count > 6 ? ", …" : "")
            headline = "\(ops.count) op\(ops.count == 1 ? "" : "s") need\(ops.count == 1 ? "s" : "") attention: \(names)"
            if !inheriting.isEmpty {
                let downstream = inheriting.prefix(6).map { "`\($0)`" }.joined(separator: ", ") + (inheriting.count > 6 ? ", …" : "")
                headline += " (\(inheriting.count) more only inherit their deviation: \(downstream))"
            }
        }
        if inconclusive > 0 {
            headline += "; \(inconclusive) slope\(inconclusive == 1 ? " is" : "s are") inconclusive (see the table)"
        }
        let unjudged = report.ops.filter { $0.verdict == .unjudged }.count
        if unjudged > 0 {
            headline += "; \(unjudged) slope\(unjudged == 1 ? " is" : "s are") unjudged (no rule applies)"
        }
        var firstPerOp: [SlopeReport.Entry] = []
        for entry in flagged where !firstPerOp.contains(where: { $0.op == entry.op }) { firstPerOp.append(entry) }
        let attention = firstPerOp.prefix(attentionLimit).map { entry in
            Attention(op: MarkdownText.inline(entry.op), statistic: entry.statistic.rawValue, t: String(entry.t),
                      verdict: entry.verdict.rawValue, message: MarkdownText.inline(entry.message))
        }
        return Summary(headline: headline + ".", attention: Array(attention))
    }

    static func row(_ entry: SlopeReport.Entry) -> SlopeRow {
        let verdict = entry.verdict.rawValue
        let fix: String
        if let delta = entry.suggestedDeltaA {
            fix = "Δa = \(FigureText.signed(delta)): " + entry.message
        } else if entry.verdict.isDeviation || entry.verdict == .inconclusive {
            fix = entry.message
        } else {
            fix = ""
        }
        return SlopeRow(op: MarkdownText.cell(entry.op), kind: MarkdownText.cell(entry.kind), t: String(entry.t),
                        statistic: entry.statistic.rawValue, expected: entry.expected.map(FigureText.signed) ?? "–",
                        measured: entry.slope.map(FigureText.signed) ?? "–",
                        interval: entry.ci95.map { "[\(FigureText.signed($0.lower)), \(FigureText.signed($0.upper))]" } ?? "–",
                        verdict: verdict, verdictText: entry.verdict == .ok || entry.verdict == .zero ? verdict : "**\(verdict)**",
                        fix: MarkdownText.cell(fix))
    }
}
