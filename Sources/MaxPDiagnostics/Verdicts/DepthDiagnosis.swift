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
                        verdict.depthFix = nil
                        verdict.explanation = .unstableAtSmallestDepth(step: t, run: description, then: verdict.explanation)
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
                                inheritedFrom: nil, explanation: .tooFewDepths, seedsNeeded: nil,
                                widthDoublingsNeeded: nil, lossJumped: jump != nil)
        if fit.status == .allZero {
            verdict.verdict = .zero
            verdict.explanation = .zeroNotFittedOnDepth
            return verdict
        }
        guard let slope = fit.slope else {
            verdict.verdict = fit.status == .diverged && Diagnosis.divergesWithWidth(fit, axisValues: axisValues) ? .grows : .inconclusive
            verdict.explanation = fit.status == .diverged ? .divergedUnfittableOnDepth(depths: fit.divergentAxisValues)
                                                          : .tooFewDepths
            return verdict
        }
        guard let expectation else {
            verdict.verdict = .unjudged
            verdict.explanation = .noDepthRule(slope: slope, residualBlocks: theory.hasResidualBlocks)
            return verdict
        }
        let tolerance = policy.tolerance(at: t)
        let expected = expectation.nearest(to: slope)
        let deviation = slope - expected
        verdict.expected = expected
        verdict.deviation = deviation
        verdict.deviationInterval = fit.interval95?.shifted(by: -expected)
        let halfWidth = fit.interval95?.halfWidth ?? .infinity
        var decision: Verdict
        var explanation: VerdictExplanation
        if slope > expectation.upper + tolerance, let interval = fit.interval95, interval.lower > expectation.upper {
            decision = .grows
        } else if !expectation.isUpperBoundOnly, slope < expectation.lower - tolerance, let interval = fit.interval95,
                  interval.upper < expectation.lower {
            decision = .shrinks
        } else if abs(deviation) <= tolerance, halfWidth <= policy.maxIntervalHalfWidth(at: t) {
            decision = .ok
        } else {
            decision = .inconclusive
        }
        switch decision {
        case .grows, .shrinks:
            explanation = .depthDeviates(direction: decision, slope: slope, deviation: deviation, fix: nil,
                                         alpha: theory.alpha)
        case .ok:
            explanation = .depthAgrees(slope: slope, halfWidth: halfWidth)
        default:
            let target = abs(deviation) > tolerance ? abs(deviation) : policy.maxIntervalHalfWidth(at: t)
            let seeds = max(fit.seedCount, 1)
            let factor = halfWidth.isFinite ? halfWidth / target : .infinity
            if factor.isFinite {
                verdict.seedsNeeded = max(seeds + 1, Int((Double(seeds) * factor * factor).rounded(.up)))
            }
            explanation = .depthIntervalTooWide(slope: slope, halfWidth: halfWidth, seeds: fit.seedCount,
                                                seedsNeeded: verdict.seedsNeeded)
        }
        if decision.isDeviation, fit.seedCount < policy.minimumSeedsForDeviation,
           abs(deviation) <= policy.fewSeedsToleranceFactor * tolerance {
            decision = .inconclusive
            verdict.seedsNeeded = policy.minimumSeedsForDeviation
            explanation = .fewSeeds(seeds: fit.seedCount, deviation: deviation, minimum: policy.minimumSeedsForDeviation,
                                    threshold: policy.fewSeedsToleranceFactor * tolerance, then: explanation)
        }
        if let jump, decision.isDeviation {
            decision = .inconclusive
            explanation = .lossJump(step: t, jump: jump, then: explanation)
        }
        // A deviation that stands gets its depth-unit fix (the first rules above leave a deviation untrusted).
        if decision.isDeviation, let fix = fix(for: name, t: t, statistic: statistic, deviation: deviation, theory: theory) {
            verdict.depthFix = fix
            explanation = .depthDeviates(direction: decision, slope: slope, deviation: deviation, fix: fix,
                                         alpha: theory.alpha)
        }
        verdict.verdict = decision
        verdict.explanation = explanation
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
        revised.depthFix = nil
        revised.explanation = .finiteDepthBias(smallestDepth: smallest, slope: slope, halfWidth: halfWidth, tight: tight,
                                               then: verdict.explanation)
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
            result[index].explanation = .inheritedFromBranch(branch: culprit.op, deviation: verdict.deviation ?? 0,
                                                             then: verdict.explanation)
        }
        return result
    }
}
