import Foundation

/// `--autofix`: turns the suggested corrections of a sweep's verdicts into exponent changes, re-runs the sweep
/// with them and reports before/after.
///
/// - Δa first: every op blamed at t = 0 (`suggested_delta_a` on `l1`, not inherited) gets its output multiplied by
///   `width^-Δa` (for an injected fault this corrects the model; for plain SP it moves the op to the µP target).
///   A wrong `a` distorts what happens after training (downstream, and with SGD upstream through the gradients),
///   so the sweep is re-run with the Δa applied before any learning rate is judged.
/// - Δc then, on that re-run: every weighted op whose change since init grows after training (not inherited) while
///   its init slope is `ok` gets its learning rate multiplied by `width^-Δc`, Δc = the measured excess (the "c too
///   small" diagnosis).
/// - The verification re-run (with every correction) uses as many seeds as the corrected ops' measured intervals
///   need (``VerdictPolicy/verificationSeeds(now:halfWidth:at:)``), so a correct fix is not left `inconclusive`.
/// Values within 0.12 of a multiple of ¼ are snapped to it (exponents come in quarters), others rounded to 0.01.
public enum AutoFix {
    /// The Δa corrections of `report`: every op blamed at t = 0 on `l1` (not inherited).
    public static func initCorrections(from report: SlopeReport) -> ExponentCorrections {
        var result = ExponentCorrections()
        for entry in report.ops where entry.t == 0 && entry.statistic == .l1 && entry.inheritedFrom == nil {
            if let delta = entry.suggestedDeltaA, entry.verdict.isDeviation { result.deltaA[entry.op] = snap(delta) }
        }
        return result
    }

    /// The Δc corrections of `report` for the weighted ops `exponents` (ops in `excluding` are left out): an op whose
    /// change grows at the first trained step, not inherited, with an `ok` init slope.
    public static func learningRateCorrections(from report: SlopeReport, exponents: Set<String>,
                                               excluding: Set<String> = []) -> [String: Double] {
        var result: [String: Double] = [:]
        guard let first = Set(report.ops.map(\.t)).filter({ $0 > 0 }).min() else { return result }
        for entry in report.ops where entry.t == first && entry.statistic == .deltaRMS && entry.verdict == .grows
            && entry.inheritedFrom == nil && exponents.contains(entry.op) && !excluding.contains(entry.op) {
            guard report.entry(op: entry.op, t: 0, statistic: .l1)?.verdict == .ok,
                  let deviation = entry.deviation, deviation > 0 else { continue }
            result[entry.op] = snap(deviation)
        }
        return result
    }

    /// Runs the plan, derives corrections, re-runs with them (added to the plan's own corrections).
    public static func run(_ plan: SweepPlan, policy: VerdictPolicy = .standard, parallel: Bool = true,
                           progress: (@Sendable (SweepProgress) -> Void)? = nil) throws(ModelBuildError) -> AutoFixOutcome {
        let before = try SweepRunner.run(plan, parallel: parallel, progress: progress)
        return try fix(before, policy: policy, parallel: parallel, progress: progress)
    }

    /// Derives corrections from an existing sweep and re-runs it with them: Δa first, Δc judged on the re-run with
    /// the Δa, then a verification re-run with the seeds the corrected ops' intervals need.
    public static func fix(_ before: SweepResult, policy: VerdictPolicy = .standard, parallel: Bool = true,
                           progress: (@Sendable (SweepProgress) -> Void)? = nil) throws(ModelBuildError) -> AutoFixOutcome {
        let beforeReport = before.slopeReport(policy: policy)
        let weighted = Set(before.parametrizationTable.filter { $0.c != nil }.map(\.name))
        var corrections = initCorrections(from: beforeReport)
        var outcome = AutoFixOutcome(before: before, beforeReport: beforeReport, corrections: corrections, after: nil,
                                     afterReport: nil)
        var judged = (result: before, report: beforeReport)
        if !corrections.isEmpty {
            let initFixed = try SweepRunner.run(corrected(before.plan, by: corrections), parallel: parallel,
                                                progress: progress)
            outcome.initFixed = initFixed
            judged = (initFixed, initFixed.slopeReport(policy: policy))
        }
        corrections.deltaC = learningRateCorrections(from: judged.report, exponents: weighted,
                                                     excluding: Set(corrections.deltaA.keys))
        outcome.corrections = corrections
        guard !corrections.isEmpty else { return outcome }

        outcome.after = judged.result  // replaced below unless the Δa re-run already verifies
        outcome.afterReport = judged.report
        let seeds = verificationSeeds(outcome, measuredIn: judged.report, policy: policy)
        if !corrections.deltaC.isEmpty || seeds.count > before.plan.seeds.count || outcome.initFixed == nil {
            var plan = corrected(before.plan, by: corrections)
            plan.seeds = seeds
            let after = try SweepRunner.run(plan, parallel: parallel, progress: progress)
            outcome.after = after
            outcome.afterReport = after.slopeReport(policy: policy)
        }
        return outcome
    }

    /// `plan` with `corrections` added to its own.
    static func corrected(_ plan: SweepPlan, by corrections: ExponentCorrections) -> SweepPlan {
        var plan = plan
        for (op, delta) in corrections.deltaA { plan.corrections.deltaA[op, default: 0] += delta }
        for (op, delta) in corrections.deltaC { plan.corrections.deltaC[op, default: 0] += delta }
        return plan
    }

    /// The seeds of the verification re-run: the plan's own, extended by fresh ones until the widest interval of
    /// a corrected op as measured in `report` would be narrow enough for an `ok`.
    static func verificationSeeds(_ outcome: AutoFixOutcome, measuredIn report: SlopeReport,
                                  policy: VerdictPolicy) -> [Int] {
        let seeds = outcome.before.plan.seeds
        let trained = outcome.before.plan.steps >= 1 ? 1 : 0
        var halfWidths: [(t: Int, halfWidth: Double)] = []
        for op in outcome.corrections.deltaA.keys {
            if let interval = report.entry(op: op, t: 0, statistic: .l1)?.ci95 { halfWidths.append((0, interval.halfWidth)) }
        }
        for op in outcome.corrections.deltaC.keys {
            if let interval = report.entry(op: op, t: trained, statistic: .deltaRMS)?.ci95 {
                halfWidths.append((trained, interval.halfWidth))
            }
        }
        let needed = halfWidths.map { policy.verificationSeeds(now: seeds.count, halfWidth: $0.halfWidth, at: $0.t) }
            .max() ?? seeds.count
        guard needed > seeds.count else { return seeds }
        let next = (seeds.max() ?? -1) + 1
        return seeds + (next..<(next + needed - seeds.count))
    }

    /// Snaps to the nearest quarter when within 0.12, else rounds to 0.01.
    static func snap(_ value: Double) -> Double {
        let quarter = (value * 4).rounded() / 4
        return abs(quarter - value) <= 0.12 ? quarter : (value * 100).rounded() / 100
    }
}
