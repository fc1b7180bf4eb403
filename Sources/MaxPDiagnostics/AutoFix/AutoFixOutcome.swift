/// The outcome of `--autofix`: the sweep before, the corrections derived from its verdicts (Δa first, Δc judged on a
/// re-run with the Δa applied), the verification sweep after, and the before/after verdict of every corrected op —
/// the fix is verified by re-running, not guessed.
public struct AutoFixOutcome: Sendable {
    /// The original sweep.
    public var before: SweepResult
    /// Its report.
    public var beforeReport: SlopeReport
    /// The corrections applied (Δa per op from t = 0, Δc per op from the change after training).
    public var corrections: ExponentCorrections
    /// The re-run with only the Δa corrections, on which the Δc corrections were judged (`nil` without Δa).
    public var initFixed: SweepResult? = nil
    /// The verification re-run with every correction, `nil` when nothing needed fixing (it is ``initFixed`` itself
    /// when no Δc was needed and that re-run had the seeds the verification needs).
    public var after: SweepResult?
    /// Its report.
    public var afterReport: SlopeReport?

    /// Per corrected op: the judged entry before and after (t = 0 `l1` for Δa, the first trained `delta_rms` for Δc).
    public var comparisons: [(op: String, before: SlopeReport.Entry?, after: SlopeReport.Entry?)] {
        var result: [(String, SlopeReport.Entry?, SlopeReport.Entry?)] = []
        for op in corrections.deltaA.keys.sorted() {
            result.append((op, beforeReport.entry(op: op, t: 0, statistic: .l1), afterReport?.entry(op: op, t: 0, statistic: .l1)))
        }
        let t = before.plan.steps >= 1 ? 1 : 0
        for op in corrections.deltaC.keys.sorted() {
            result.append((op, beforeReport.entry(op: op, t: t, statistic: .deltaRMS),
                           afterReport?.entry(op: op, t: t, statistic: .deltaRMS)))
        }
        return result
    }

    /// What the verification re-run says about the corrected ops.
    public var verification: AutoFixVerification {
        guard after != nil else { return .nothingToFix }
        return AutoFixVerification(comparisons.map { ($0.op, $0.after) })
    }

    /// Whether every corrected op is `ok` after the fix (also true when nothing needed fixing).
    public var isVerified: Bool { verification == .verified || verification == .nothingToFix }
}
