import Foundation

extension Diagnosis {
    /// The judge pass for one (op, t, statistic): the fit against what theory allows, then the rules that make a
    /// deviation untrustworthy (divergence not tied to width, few seeds, a loss jump). Decides only: the words come
    /// from ``VerdictProse``.
    static func judgeOne(op: String, kind: String, t: Int, statistic: CoordStatistic, fit: SlopeFit,
                         expectation: ExpectedSlope?, policy: VerdictPolicy, axisValues: [Int],
                         jump: String?) -> OpVerdict {
        var verdict = OpVerdict(op: op, kind: kind, t: t, statistic: statistic, fit: fit, expectation: expectation,
                                expected: expectation.map { $0.isExactZero ? 0 : $0.representative },
                                deviation: nil, deviationInterval: nil, ownDeviation: nil, verdict: .inconclusive,
                                suggestedDeltaA: nil, inheritedFrom: nil, explanation: .tooFewAxisValues,
                                seedsNeeded: nil, widthDoublingsNeeded: nil, lossJumped: jump != nil)
        let tolerance = policy.tolerance(at: t)

        if fit.status == .allZero {
            verdict.verdict = .zero
            verdict.deviation = expectation?.isExactZero == true ? 0 : nil
            verdict.explanation = expectation?.isExactZero == true ? .zeroAsExpected : .zeroNotFitted
            return verdict
        }
        guard let slope = fit.slope else {
            verdict.verdict = fit.status == .diverged && divergesWithWidth(fit, axisValues: axisValues) ? .grows : .inconclusive
            verdict.explanation = fit.status == .diverged ? .divergedUnfittable(axisValues: fit.divergentAxisValues)
                                                          : .tooFewAxisValues
            return verdict
        }
        if let expectation, expectation.isExactZero {
            verdict.expected = 0
            verdict.verdict = .grows
            verdict.explanation = .shouldBeZero
            return verdict
        }

        let interval = fit.interval95
        let halfWidth = interval?.halfWidth ?? .infinity
        let maxHalfWidth = policy.maxIntervalHalfWidth(at: t)
        var explanation: VerdictExplanation
        var decision: Verdict

        if let expectation {
            let expected = expectation.nearest(to: slope)
            let deviation = slope - expected
            verdict.expected = expected
            verdict.deviation = deviation
            verdict.deviationInterval = interval?.shifted(by: -expected)
            if slope > expectation.upper + tolerance, let interval, interval.lower > expectation.upper {
                decision = .grows
                explanation = .deviates(direction: .grows, slope: slope, deviation: deviation)
            } else if !expectation.isUpperBoundOnly, slope < expectation.lower - tolerance, let interval,
                      interval.upper < expectation.lower {
                decision = .shrinks
                explanation = .deviates(direction: .shrinks, slope: slope, deviation: deviation)
            } else if slope <= expectation.upper + tolerance
                        && (expectation.isUpperBoundOnly || slope >= expectation.lower - tolerance)
                        && halfWidth <= maxHalfWidth {
                decision = .ok
                explanation = .agrees(slope: slope, halfWidth: halfWidth,
                                      learnsLessThanMaximally: expectation.isUpperBoundOnly
                                          && slope < expectation.upper - tolerance)
            } else {
                decision = .inconclusive
                let boundary = slope > expectation.upper ? expectation.upper : expectation.lower
                let target = abs(slope - boundary) > tolerance ? abs(slope - boundary) : maxHalfWidth
                let needed = power(fit: fit, halfWidth: halfWidth, target: target)
                verdict.seedsNeeded = needed?.seeds
                verdict.widthDoublingsNeeded = needed?.doublings
                explanation = .intervalTooWide(slope: slope, halfWidth: halfWidth, target: target, seeds: fit.seedCount,
                                               seedsNeeded: needed?.seeds, widthDoublingsNeeded: needed?.doublings)
            }
        } else {
            decision = .unjudged
            explanation = .noRule(slope: slope)
        }

        // Absolute stability of the change since init.
        if t > 0, statistic.measuresChange, decision != .grows, slope > tolerance, let interval, interval.lower > 0 {
            decision = .grows
            explanation = .updatesBlowUp(slope: slope)
            if verdict.deviation == nil { verdict.deviation = slope }
        }
        // Divergence tied to width.
        if fit.status == .diverged {
            if divergesWithWidth(fit, axisValues: axisValues) {
                decision = .grows
                explanation = .divergesWithWidth(axisValues: fit.divergentAxisValues, slope: slope)
            } else {
                decision = .inconclusive
                explanation = .divergenceNotTiedToWidth(axisValues: fit.divergentAxisValues, then: explanation)
            }
        }
        // Too few seeds: the interval across seeds is not trusted for small deviations.
        if decision.isDeviation, fit.seedCount < policy.minimumSeedsForDeviation, let deviation = verdict.deviation,
           abs(deviation) <= policy.fewSeedsToleranceFactor * tolerance {
            decision = .inconclusive
            explanation = .fewSeeds(seeds: fit.seedCount, deviation: deviation, minimum: policy.minimumSeedsForDeviation,
                                    threshold: policy.fewSeedsToleranceFactor * tolerance, then: explanation)
            verdict.seedsNeeded = policy.minimumSeedsForDeviation
        }
        // Loss jumps make deviations untrustworthy.
        if let jump, decision.isDeviation {
            decision = .inconclusive
            explanation = .lossJump(step: t, jump: jump, then: explanation)
        }
        verdict.verdict = decision
        verdict.explanation = explanation
        return verdict
    }

    /// How many seeds in total / more width doublings (at the top) would shrink the interval from `halfWidth` to
    /// `target`; `nil` without a finite interval.
    private static func power(fit: SlopeFit, halfWidth: Double, target: Double) -> (seeds: Int, doublings: Int?)? {
        guard halfWidth.isFinite, target > 0 else { return nil }
        let factor = halfWidth / target
        let seeds = max(fit.seedCount, 1)
        let seedsNeeded = max(seeds + 1, Int((Double(seeds) * factor * factor).rounded(.up)))
        let x = fit.fittedAxisValues.map { log2(Double($0)) }
        var doublings: Int?
        if let top = x.max(), fit.sumOfSquaredDeviationsOfLog2Axis > 0 {
            var values = x
            for extra in 1...VerdictPolicy.maxWidthDoublingsAdvised {
                values.append(top + Double(extra))
                let mean = values.reduce(0, +) / Double(values.count)
                let sxx = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
                if sxx >= factor * factor * fit.sumOfSquaredDeviationsOfLog2Axis { doublings = extra; break }
            }
        }
        return (seedsNeeded, doublings)
    }
}
