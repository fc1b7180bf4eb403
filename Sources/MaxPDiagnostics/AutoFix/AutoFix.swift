import Foundation

/// The outcome of `--autofix`: the sweep before, the corrections derived from its verdicts, the sweep after, and
/// the before/after verdict of every corrected op — the fix is verified by re-running, not guessed.
public struct AutoFixOutcome: Sendable {
    /// The original sweep.
    public var before: SweepResult
    /// Its report.
    public var beforeReport: SlopeReport
    /// The corrections applied (Δa per op from t = 0, Δc per op from the change after training).
    public var corrections: ExponentCorrections
    /// The re-run with the corrections, `nil` when nothing needed fixing.
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

    /// Whether every corrected op is `ok` after the fix.
    public var isVerified: Bool {
        guard after != nil else { return true }
        return comparisons.allSatisfy { $0.after?.verdict == .ok }
    }
}

/// `--autofix`: turns the suggested corrections of a sweep's verdicts into exponent changes, re-runs the sweep
/// with them and reports before/after.
///
/// - Δa: every op blamed at t = 0 (`suggested_delta_a` on `l1`, not inherited) gets its output multiplied by
///   `width^-Δa` (for an injected fault this corrects the model; for plain SP it moves the op to the µP target).
/// - Δc: every weighted op whose change since init grows after training (not inherited) while its init slope is
///   `ok` gets its learning rate multiplied by `width^-Δc`, Δc = the measured excess (the "c too small" diagnosis).
/// Values within 0.12 of a multiple of ¼ are snapped to it (exponents come in quarters), others rounded to 0.01.
public enum AutoFix {
    /// Derives corrections from `report` (see the type's documentation).
    public static func corrections(from report: SlopeReport, exponents: Set<String>) -> ExponentCorrections {
        var result = ExponentCorrections()
        for entry in report.ops where entry.t == 0 && entry.statistic == .l1 && entry.inheritedFrom == nil {
            if let delta = entry.suggestedDeltaA, entry.verdict.isDeviation { result.deltaA[entry.op] = snap(delta) }
        }
        let trainedSteps = Set(report.ops.map(\.t)).filter { $0 > 0 }.sorted()
        if let first = trainedSteps.first {
            for entry in report.ops where entry.t == first && entry.statistic == .deltaRMS && entry.verdict == .grows
                && entry.inheritedFrom == nil && exponents.contains(entry.op) && result.deltaA[entry.op] == nil {
                guard report.entry(op: entry.op, t: 0, statistic: .l1)?.verdict == .ok,
                      let deviation = entry.deviation, deviation > 0 else { continue }
                result.deltaC[entry.op] = snap(deviation)
            }
        }
        return result
    }

    /// Runs the plan, derives corrections, re-runs with them (added to the plan's own corrections).
    public static func run(_ plan: SweepPlan, policy: VerdictPolicy = .standard, parallel: Bool = true,
                           progress: (@Sendable (SweepProgress) -> Void)? = nil) throws(ModelBuildError) -> AutoFixOutcome {
        let before = try SweepRunner.run(plan, parallel: parallel, progress: progress)
        return try fix(before, policy: policy, parallel: parallel, progress: progress)
    }

    /// Derives corrections from an existing sweep and re-runs it with them.
    public static func fix(_ before: SweepResult, policy: VerdictPolicy = .standard, parallel: Bool = true,
                           progress: (@Sendable (SweepProgress) -> Void)? = nil) throws(ModelBuildError) -> AutoFixOutcome {
        let beforeReport = before.slopeReport(policy: policy)
        let weighted = Set(before.parametrizationTable.filter { $0.c != nil }.map(\.name))
        let corrections = corrections(from: beforeReport, exponents: weighted)
        guard !corrections.isEmpty else {
            return AutoFixOutcome(before: before, beforeReport: beforeReport, corrections: corrections, after: nil,
                                  afterReport: nil)
        }
        var plan = before.plan
        for (op, delta) in corrections.deltaA { plan.corrections.deltaA[op, default: 0] += delta }
        for (op, delta) in corrections.deltaC { plan.corrections.deltaC[op, default: 0] += delta }
        let after = try SweepRunner.run(plan, parallel: parallel, progress: progress)
        return AutoFixOutcome(before: before, beforeReport: beforeReport, corrections: corrections, after: after,
                              afterReport: after.slopeReport(policy: policy))
    }

    /// Snaps to the nearest quarter when within 0.12, else rounds to 0.01.
    static func snap(_ value: Double) -> Double {
        let quarter = (value * 4).rounded() / 4
        return abs(quarter - value) <= 0.12 ? quarter : (value * 100).rounded() / 100
    }
}
