import MaxPDiagnostics

/// Everything `gate.md.mustache` shows (e.g. for a CI job summary): pass/fail, the inputs, the regressions.
public struct GateReportModel: Sendable, Equatable {
    /// One regression row.
    public struct Regression: Sendable, Equatable {
        public var op, t, statistic, baseline, current, delta, reason: String
    }
    /// `passed` or `FAILED`.
    public var status: String
    /// One sentence.
    public var headline: String
    /// Baseline path.
    public var baseline: String
    /// Current slopes path (or what was run).
    public var current: String
    /// Tolerance text.
    public var tolerance: String
    /// Number of slopes checked.
    public var checked: String
    /// Number of slopes only in the current run.
    public var added: String
    /// The command to reproduce, or nil.
    public var command: String?
    /// Whether there are regressions.
    public var hasRegressions: Bool
    /// The regressions.
    public var regressions: [Regression]

    /// Builds the model from a gate result.
    public init(result: GateResult, baseline: String, current: String, command: String? = nil) {
        status = result.passed ? "passed" : "FAILED"
        headline = result.passed
            ? "All \(result.checks.count) baseline slopes are within ±\(FigureText.number(result.tolerance)) and no verdict worsened."
            : "\(result.regressions.count) regression\(result.regressions.count == 1 ? "" : "s") in \(result.checks.filter { !$0.regressions.isEmpty }.count) of \(result.checks.count) slopes."
        self.baseline = baseline
        self.current = current
        tolerance = FigureText.number(result.tolerance)
        checked = String(result.checks.count)
        added = String(result.added.count)
        self.command = command
        regressions = result.regressions.map { regression in
            Regression(op: MarkdownText.cell(regression.op), t: String(regression.t),
                       statistic: regression.statistic.rawValue,
                       baseline: regression.baseline.map(FigureText.signed) ?? "–",
                       current: regression.current.map(FigureText.signed) ?? "–",
                       delta: regression.delta.map(FigureText.signed) ?? "–",
                       reason: MarkdownText.cell(regression.summary))
        }
        hasRegressions = !regressions.isEmpty
    }
}
