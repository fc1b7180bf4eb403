/// What ``FiniteWidthCorrection`` found for one deviating (op, t = 0, statistic).
public struct FiniteWidthReview: Codable, Sendable, Equatable {
    /// What the large-width end says about the deviation.
    public enum Outcome: String, Codable, Sendable {
        /// Without the smallest axis values the slope agrees with theory, tightly enough to say so.
        case explained
        /// Without the smallest axis values the slope agrees with theory, but the interval is too wide to call it.
        case undecided
        /// The deviation does not fade toward large widths: it is real.
        case persists
    }

    /// The verdict on the deviation.
    public var outcome: Outcome
    /// The smallest axis values left out of the last fit tried (ascending).
    public var droppedAxisValues: [Int]
    /// The fit on the remaining (largest) axis values.
    public var largeEndFit: SlopeFit
    /// δ of that fit (its slope minus the nearest slope theory allows).
    public var largeEndDeviation: Double
}

/// Finite-width bias at initialization, told apart from a parametrization error.
///
/// Theory's init slopes are exact only as width → ∞. At finite width every op's size carries a relative bias of
/// about `k/width` (for a ReLU MLP `k` grows with the number of width-to-width layers before the op: the typical
/// squared norm of a deep layer falls below its mean by a factor `1 − O(depth/width)`), so a fit over small widths
/// tilts the slope towards the side the bias falls on (`+0.13` at the fourth hidden ReLU of a µP MLP over widths
/// 32…512). Such a bias fades as width grows — mup's "the curves converge to the right" — while a wrong exponent
/// tilts the slope by the same amount at every width.
///
/// The test: refit without the smallest axis value, then the next smallest, as long as at least
/// ``minimumAxisValues`` remain and the deviation keeps shrinking. If the slope of the large-width end lies within
/// tolerance of theory, the deviation was finite-width bias (``FiniteWidthReview/Outcome/explained`` when the
/// interval is tight enough for an `ok`, else ``FiniteWidthReview/Outcome/undecided``); otherwise it
/// ``FiniteWidthReview/Outcome/persists``. Only the verdict changes: the reported slope, interval and δ stay those
/// of the fit over every axis value (and so does the blame's Δa, whose own deviation is conditional on the inputs'
/// equally biased slopes and so already free of the accumulated bias).
public enum FiniteWidthCorrection {
    /// The fewest axis values a large-width-end fit may keep.
    public static let minimumAxisValues = 3

    /// Reviews a deviating verdict from the fit over all of `samples`; `nil` when there are too few axis values to
    /// leave any out.
    public static func review(samples: [SlopeSample], deviation: Double, expectation: ExpectedSlope,
                              tolerance: Double, maxHalfWidth: Double) -> FiniteWidthReview? {
        let axisValues = Array(Set(samples.filter { $0.value.isFinite && $0.value > 0 }.map(\.axisValue))).sorted()
        guard axisValues.count > minimumAxisValues else { return nil }
        var previous = abs(deviation)
        var last: FiniteWidthReview?
        for dropped in 1...(axisValues.count - minimumAxisValues) {
            let cut = axisValues[dropped]
            let fit = SlopeFit.fit(samples.filter { $0.axisValue >= cut })
            guard let slope = fit.slope else { break }
            let largeEndDeviation = slope - expectation.nearest(to: slope)
            let within = slope <= expectation.upper + tolerance
                && (expectation.isUpperBoundOnly || slope >= expectation.lower - tolerance)
            let halfWidth = fit.interval95?.halfWidth ?? .infinity
            var review = FiniteWidthReview(outcome: .persists, droppedAxisValues: Array(axisValues.prefix(dropped)),
                                           largeEndFit: fit, largeEndDeviation: largeEndDeviation)
            if within {
                review.outcome = halfWidth <= maxHalfWidth ? .explained : .undecided
                return review
            }
            last = review
            // The curves must converge to the right: a deviation that does not shrink is not a finite-width bias.
            guard abs(largeEndDeviation) < previous else { break }
            previous = abs(largeEndDeviation)
        }
        return last
    }

    /// `verdict` with its decision revised by ``review(samples:deviation:expectation:tolerance:maxHalfWidth:)``:
    /// a t = 0 `grows`/`shrinks` of a size statistic whose deviation fades toward large widths becomes `ok` (or
    /// `inconclusive`), with the large-end fit in its explanation. Other verdicts are returned unchanged.
    public static func revised(_ verdict: OpVerdict, samples: [SlopeSample], policy: VerdictPolicy) -> OpVerdict {
        guard verdict.t == 0, !verdict.statistic.measuresChange, verdict.verdict.isDeviation,
              let expectation = verdict.expectation, !expectation.isExactZero, let deviation = verdict.deviation,
              let review = review(samples: samples, deviation: deviation, expectation: expectation,
                                  tolerance: policy.tolerance(at: 0), maxHalfWidth: policy.maxIntervalHalfWidth(at: 0))
        else { return verdict }
        var revised = verdict
        revised.finiteWidth = review
        guard review.outcome != .persists else { return revised }
        revised.verdict = review.outcome == .explained ? .ok : .inconclusive
        revised.explanation = .finiteWidth(deviation: deviation, review: review)
        return revised
    }
}

extension FiniteWidthCorrection {
    /// `verdict` (a deviation at any step) taken over from `source`, an input whose deviation at that step is
    /// finite-width bias, when its own deviation given its inputs' measured slopes (`own`) is within tolerance: the
    /// bias accumulated upstream, nothing went wrong here — after training, only when `verdict`'s deviation less the
    /// bias the source's review removed (``VerdictExplanation/removedFiniteWidthBias``) is within tolerance too.
    /// Otherwise `verdict` unchanged (its own deviation is real).
    public static func inherited(_ verdict: OpVerdict, own: Double, from source: OpVerdict,
                                 policy: VerdictPolicy) -> OpVerdict {
        let tolerance = policy.tolerance(at: verdict.t)
        guard verdict.verdict.isDeviation, let reason = source.reason, reason.isFiniteWidth, abs(own) <= tolerance
        else { return verdict }
        // After training an op may claim only the bias its input's review removed, not the input's whole deviation:
        // otherwise deviations within tolerance would add up along a chain of ops.
        if verdict.t > 0 {
            guard let removed = source.explanation.removedFiniteWidthBias,
                  abs((verdict.deviation ?? 0) - removed) <= tolerance else { return verdict }
        }
        var revised = verdict
        revised.verdict = source.verdict
        revised.ownDeviation = own
        revised.explanation = .finiteWidthInherited(deviation: verdict.deviation ?? 0, own: own, source: source)
        return revised
    }
}

extension VerdictReason {
    /// Whether the reason is finite-width bias (explained, carried from init, or undecided).
    public var isFiniteWidth: Bool {
        self == .finiteWidthBias || self == .finiteWidthUndecided || self == .finiteWidthCarried
    }
}

extension VerdictExplanation {
    /// The part of a verdict's deviation its finite-width review attributed to finite width (the deviation minus
    /// the corrected one; for an inherited bias, minus its own part); `nil` for other explanations.
    public var removedFiniteWidthBias: Double? {
        switch self {
        case let .finiteWidth(deviation, review): deviation - review.largeEndDeviation
        case let .softmaxConcentration(deviation, _, review): deviation - review.deviation
        case let .initBiasCarried(deviation, _, review, _): deviation - review.deviation
        case let .finiteWidthInherited(deviation, own, _): deviation - own
        default: nil
        }
    }
}
