import Foundation

/// Verdicts on a **depth** sweep: ops matched by relative position (``BlockPosition``: `blocks.0.*`,
/// `blocks.{L/2}.*`, `blocks.{L−1}.*` of every depth become the series `first.*`, `middle.*`, `last.*`), judged
/// against ``DepthTheory`` for the table's depth-µP branch exponent α (``CoordTableMetadata/depthAlpha``; a plain
/// model is α = 0), with depth units in every message and fixes as ``DepthFix`` values — never width advice.
///
/// The decision rules are the width verdicts' (tolerances, interval limit, seeds, loss jumps, unstable training at
/// the smallest depth from ``VerdictPolicy``); a residual stream or an op behind the blocks that deviates together
/// with an upstream residual branch output inherits that branch's deviation.
public enum DepthDiagnosis {
    /// Judges every (series, t, statistic) of a depth-axis `table` (`delta_rms` skipped at t = 0), in graph order.
    public static func judge(_ table: CoordTable, policy: VerdictPolicy = .standard,
                             statistics: [CoordStatistic] = CoordStatistic.allCases) -> [OpVerdict] {
        let metadata = table.metadata
        let theory = DepthTheory(ops: metadata.ops, alpha: metadata.depthAlpha, optimizer: metadata.optimizer)
        let axisValues = table.axisValues
        let (rowsBySeries, order, kinds) = series(of: table, theory: theory)
        let predictedStream = theory.predictedStreamSamples(in: table).compactMapValues { SlopeFit.fit($0).slope }
        let jumps = Diagnosis.lossJumps(metadata.lossSeries, ratio: policy.lossJumpRatio, axisValues: axisValues)
        let stability = TrainingStability(metadata.lossSeries, axisValues: axisValues, ratio: policy.lossJumpRatio,
                                          riseRatio: policy.unstableRiseRatio)
        var verdicts: [OpVerdict] = []
        for name in order {
            guard let byStep = rowsBySeries[name] else { continue }
            for t in byStep.keys.sorted() {
                let rows = byStep[t]!
                for statistic in statistics where !(t == 0 && statistic == .deltaRMS) {
                    let samples = rows.map { SlopeSample(axisValue: $0.axisValue, seed: $0.seed, value: $0.value(of: statistic)) }
                    let fit = SlopeFit.fit(samples)
                    let expectation = theory.expectedSlope(of: name, t: t, statistic: statistic,
                                                           streamSlope: streamPrediction(name, theory: theory, predicted: predictedStream))
                    var verdict = judgeOne(series: name, kind: kinds[name] ?? "", t: t, statistic: statistic, fit: fit,
                                           expectation: expectation, theory: theory, policy: policy,
                                           axisValues: axisValues, jump: jumps[t])
                    verdict = reviewedWithoutSmallestDepth(verdict, samples: samples, policy: policy)
                    if t > 0, verdict.verdict.isDeviation, let description = stability.unstableAtSmallest[t] {
                        verdict.verdict = .inconclusive
                        verdict.reason = .unstableTraining
                        verdict.depthFix = nil
                        verdict.message = "training is unstable at the smallest depth by step \(t) (\(description)): a depth "
                            + "trend says nothing about the parametrization; lower the learning rate (" + verdict.message + ")"
                    }
                    verdicts.append(verdict)
                }
            }
        }
        return inheritBranchDeviations(verdicts, theory: theory)
    }

    // MARK: - Series

    /// The table as the depth verdicts see it, for figures: on a depth axis of a residual network, rows renamed to
    /// their position-matched series (`blocks.{L−1}.add#1` at depth `L` → `last.add#1`; blocks at no position left
    /// out) and the graph reduced to the series in order (without inputs); any other table unchanged.
    public static func seriesTable(_ table: CoordTable) -> CoordTable {
        let theory = DepthTheory(ops: table.metadata.ops, alpha: table.metadata.depthAlpha, optimizer: table.metadata.optimizer)
        guard table.metadata.axis == .depth, theory.hasResidualBlocks else { return table }
        let (rows, order, kinds) = series(of: table, theory: theory)
        var metadata = table.metadata
        metadata.ops = order.map { OpDescriptor(op: $0, kind: kinds[$0] ?? "") }
        let flat = order.flatMap { name in (rows[name] ?? [:]).keys.sorted().flatMap { rows[name]![$0]! } }
        return CoordTable(metadata: metadata, rows: flat).sorted()
    }

    /// Rows regrouped by series and step, the series in graph order, and each series' kind. Without residual
    /// blocks the ops keep their names.
    static func series(of table: CoordTable, theory: DepthTheory)
        -> (rows: [String: [Int: [CoordRow]]], order: [String], kinds: [String: String]) {
        var rows: [String: [Int: [CoordRow]]] = [:]
        var order: [String] = []
        var seen = Set<String>()
        var kinds: [String: String] = [:]
        func add(_ name: String, _ row: CoordRow) {
            var renamed = row
            renamed.op = name
            rows[name, default: [:]][row.t, default: []].append(renamed)
            if kinds[name] == nil { kinds[name] = row.kind }
        }
        let blocks = theory.hasResidualBlocks
        for row in table.rows {
            guard blocks, let site = BlockSite(op: row.op) else {
                add(row.op, row)
                continue
            }
            for position in BlockPosition.allCases where position.index(depth: row.axisValue) == site.index {
                add(site.seriesName(at: position), row)
            }
        }
        // Graph order of the deepest network: its blocks 0, L/2 and L − 1 are the first, middle and last series.
        let deepest = table.axisValues.last ?? 0
        for descriptor in table.metadata.ops {
            if blocks, let site = BlockSite(op: descriptor.op) {
                for position in BlockPosition.allCases where position.index(depth: deepest) == site.index {
                    let name = site.seriesName(at: position)
                    if seen.insert(name).inserted { order.append(name) }
                }
            } else if seen.insert(descriptor.op).inserted {
                order.append(descriptor.op)
            }
        }
        for name in rows.keys.sorted() where seen.insert(name).inserted { order.append(name) }
        return (rows, order, kinds)
    }

    /// The finite-depth stream slope for a stream series (or, behind the blocks without a norm, the last stream's).
    private static func streamPrediction(_ name: String, theory: DepthTheory, predicted: [String: Double]) -> Double? {
        switch theory.place(of: name) {
        case .stream: return predicted[name]
        case .afterStream:
            let last = predicted.keys.filter { $0.hasPrefix("last.") }.sorted().last
            return last.flatMap { predicted[$0] }
        default: return nil
        }
    }

    // MARK: - One verdict

    static func judgeOne(series name: String, kind: String, t: Int, statistic: CoordStatistic, fit: SlopeFit,
                         expectation: ExpectedSlope?, theory: DepthTheory, policy: VerdictPolicy, axisValues: [Int],
                         jump: String?) -> OpVerdict {
        var verdict = OpVerdict(op: name, kind: kind, t: t, statistic: statistic, fit: fit, expectation: expectation,
                                expected: expectation.map { $0.isExactZero ? 0 : $0.representative }, deviation: nil,
                                deviationInterval: nil, ownDeviation: nil, verdict: .inconclusive, suggestedDeltaA: nil,
                                inheritedFrom: nil, message: "", seedsNeeded: nil, widthDoublingsNeeded: nil,
                                lossJumped: jump != nil)
        let label = "`\(name)` (\(statistic.rawValue), t = \(t))"
        if fit.status == .allZero {
            verdict.verdict = .zero
            verdict.message = "\(label) is exactly zero at every depth: not fitted"
            return verdict
        }
        guard let slope = fit.slope else {
            verdict.verdict = fit.status == .diverged && Diagnosis.divergesWithWidth(fit, axisValues: axisValues) ? .grows : .inconclusive
            verdict.message = fit.status == .diverged
                ? "\(label) diverged (NaN/Inf) at depths \(fit.divergentAxisValues.map(String.init).joined(separator: ", ")); too few finite points to fit"
                : "\(label): fewer than two usable depths (zeros or missing rows), no slope"
            return verdict
        }
        guard let expectation else {
            verdict.verdict = .unjudged
            verdict.message = "\(label) slope depth^\(Diagnosis.signed(slope)): " + (theory.hasResidualBlocks
                ? "no depth rule for this op (unjudged)"
                : "no depth theory for this model: it has no residual blocks (block-level sums `<name>.<i>.add` of a "
                    + "residual stream), and depth-µP's theory covers residual networks only (unjudged)")
            return verdict
        }
        let tolerance = policy.tolerance(at: t)
        let expected = expectation.nearest(to: slope)
        let deviation = slope - expected
        verdict.expected = expected
        verdict.deviation = deviation
        verdict.deviationInterval = fit.interval95?.shifted(by: -expected)
        let halfWidth = fit.interval95?.halfWidth ?? .infinity
        let ruleText = "expected \(describe(expectation)) (\(expectation.rule))"
        var decision: Verdict
        var message: String
        if slope > expectation.upper + tolerance, let interval = fit.interval95, interval.lower > expectation.upper {
            decision = .grows
            message = "\(label) grows as depth^\(Diagnosis.signed(slope)), \(ruleText): δ = \(Diagnosis.signed(deviation))"
        } else if !expectation.isUpperBoundOnly, slope < expectation.lower - tolerance, let interval = fit.interval95,
                  interval.upper < expectation.lower {
            decision = .shrinks
            message = "\(label) shrinks as depth^\(Diagnosis.signed(slope)), \(ruleText): δ = \(Diagnosis.signed(deviation))"
        } else if abs(deviation) <= tolerance, halfWidth <= policy.maxIntervalHalfWidth(at: t) {
            decision = .ok
            message = "\(label) slope depth^\(Diagnosis.signed(slope)) ± \(Diagnosis.format(halfWidth)), \(ruleText)"
        } else {
            decision = .inconclusive
            verdict.reason = .wideInterval
            let target = abs(deviation) > tolerance ? abs(deviation) : policy.maxIntervalHalfWidth(at: t)
            let seeds = max(fit.seedCount, 1)
            let factor = halfWidth.isFinite ? halfWidth / target : .infinity
            message = "\(label) slope depth^\(Diagnosis.signed(slope)) ± \(halfWidth.isFinite ? Diagnosis.format(halfWidth) : "∞"), "
                + "\(ruleText): the interval is too wide to decide"
            if factor.isFinite {
                let needed = max(seeds + 1, Int((Double(seeds) * factor * factor).rounded(.up)))
                verdict.seedsNeeded = needed
                message += "; about \(needed) seeds (now \(fit.seedCount)) or more depths would decide it"
            } else {
                message += " (no interval: add seeds or depths)"
            }
        }
        if decision.isDeviation, fit.seedCount < policy.minimumSeedsForDeviation,
           abs(deviation) <= policy.fewSeedsToleranceFactor * tolerance {
            decision = .inconclusive
            verdict.reason = .fewSeeds
            verdict.seedsNeeded = policy.minimumSeedsForDeviation
            message = "only \(fit.seedCount) seed\(fit.seedCount == 1 ? "" : "s"): a deviation of \(Diagnosis.signed(deviation)) "
                + "is not trusted below \(policy.minimumSeedsForDeviation) seeds; add seeds (" + message + ")"
        }
        if let jump, decision.isDeviation {
            decision = .inconclusive
            verdict.reason = .lossJump
            message = "the loss jumps at step \(t) (\(jump)): the \(label) deviation is not trusted; lower the learning "
                + "rate or judge an earlier step (" + message + ")"
        }
        if decision.isDeviation, let fix = fix(for: name, t: t, statistic: statistic, deviation: deviation, theory: theory) {
            verdict.depthFix = fix
            message += ": " + describe(fix, theory: theory)
        }
        if decision != .inconclusive { verdict.reason = nil }
        verdict.verdict = decision
        verdict.message = message
        return verdict
    }

    /// A deviation that fades without the smallest depth is finite-depth bias (mup's "curves converge to the
    /// right", along depth): e.g. the last block reads the stream after `L − 1` of `L` blocks, a share `(L−1)/L` that
    /// still grows from depth 2 to 4 but is flat asymptotically. With at least 3 depths left, a refit within
    /// tolerance of theory makes the verdict `ok` (tight interval) or `inconclusive` (reason
    /// ``VerdictReason/finiteWidthBias`` / ``VerdictReason/finiteWidthUndecided``: the smallest axis value's bias).
    static func reviewedWithoutSmallestDepth(_ verdict: OpVerdict, samples: [SlopeSample],
                                             policy: VerdictPolicy) -> OpVerdict {
        guard verdict.verdict.isDeviation, let expectation = verdict.expectation, !expectation.isExactZero,
              let smallest = samples.map(\.axisValue).min() else { return verdict }
        let rest = samples.filter { $0.axisValue != smallest }
        guard Set(rest.map(\.axisValue)).count >= 3, let slope = SlopeFit.fit(rest).slope else { return verdict }
        let refit = SlopeFit.fit(rest)
        let tolerance = policy.tolerance(at: verdict.t)
        let deviation = slope - expectation.nearest(to: slope)
        guard abs(deviation) <= tolerance else { return verdict }
        var revised = verdict
        let halfWidth = refit.interval95?.halfWidth ?? .infinity
        let tight = halfWidth <= policy.maxIntervalHalfWidth(at: verdict.t)
        revised.verdict = tight ? .ok : .inconclusive
        revised.reason = tight ? .finiteWidthBias : .finiteWidthUndecided
        revised.depthFix = nil
        revised.message = "finite-depth bias: without depth \(smallest) the slope is depth^\(Diagnosis.signed(slope)) "
            + "± \(halfWidth.isFinite ? Diagnosis.format(halfWidth) : "∞"), within tolerance of theory"
            + (tight ? "" : ", but too noisy to call ok (add depths at the top)") + " (" + verdict.message + ")"
        return revised
    }

    /// The depth-unit fix for a deviation δ of `name`: at init the branch multiplier (branch outputs and streams)
    /// or the op's own output; after training the hidden learning rates.
    static func fix(for name: String, t: Int, statistic: CoordStatistic, deviation: Double,
                    theory: DepthTheory) -> DepthFix? {
        guard let place = theory.place(of: name) else { return nil }
        if t > 0 {
            // After training a deviation is about how much the weights move: the hidden learning rates.
            return DepthFix(target: .hiddenLearningRate, exponent: -deviation)
        }
        switch place {
        case .branchOutput, .stream: return DepthFix(target: .branchMultiplier, exponent: -deviation)
        default: return DepthFix(target: .output, exponent: -deviation)
        }
    }

    /// The fix in words, with its depth exponent spelled out.
    static func describe(_ fix: DepthFix, theory: DepthTheory) -> String {
        let exponent = Theory.format(fix.exponent)
        switch fix.target {
        case .branchMultiplier:
            let effective = theory.alpha - (fix.deltaAlpha ?? 0)
            return "the residual branches behave as α = \(Theory.format(effective)) instead of the declared α = "
                + "\(Theory.format(theory.alpha)): multiply the branch output by depth^\(exponent) (branch multiplier "
                + "depth^\(Theory.format(-theory.alpha)))"
        case .hiddenLearningRate:
            return "the hidden weights move too \(fix.exponent < 0 ? "much" : "little") with depth: multiply the hidden "
                + "learning rates by depth^\(exponent) (depth-µP: hidden lr ∝ depth^\(Theory.format(theory.alpha - 1)) "
                + "with Adam for α = \(Theory.format(theory.alpha)))"
        case .output:
            return "multiply its output by depth^\(exponent)"
        }
    }

    /// A stream (or an op behind the blocks) deviating at the same (t, statistic) and in the same direction as a
    /// residual branch output inherits the earliest such branch's deviation: fix the branch first.
    static func inheritBranchDeviations(_ verdicts: [OpVerdict], theory: DepthTheory) -> [OpVerdict] {
        var result = verdicts
        for index in result.indices where result[index].verdict.isDeviation {
            let verdict = result[index]
            switch theory.place(of: verdict.op) {
            case .stream, .afterStream, .afterNormalization: break
            default: continue
            }
            guard let culprit = verdicts.first(where: { other in
                guard case .branchOutput = theory.place(of: other.op) else { return false }
                return other.t == verdict.t && other.statistic == verdict.statistic && other.verdict == verdict.verdict
            }) else { continue }
            result[index].inheritedFrom = culprit.op
            result[index].depthFix = nil
            result[index].message = "inherits the deviation of the residual branch `\(culprit.op)` "
                + "(δ = \(Diagnosis.signed(verdict.deviation ?? 0))): fix `\(culprit.op)` first (" + verdict.message + ")"
        }
        return result
    }

    private static func describe(_ expectation: ExpectedSlope) -> String {
        if expectation.isUpperBoundOnly { return "≤ depth^\(Theory.format(expectation.upper))" }
        if expectation.isPoint { return "depth^\(Theory.format(expectation.upper))" }
        return "depth^[\(Theory.format(expectation.lower)), \(Theory.format(expectation.upper))]"
    }
}
