/// A deviating verdict judged again on samples from which a known finite-width factor was divided out (see
/// ``SoftmaxConcentration`` and ``CarriedInitBias``): the corrected fit and what it says.
public struct CorrectedFitReview: Codable, Sendable, Equatable {
    /// The slope fit of the corrected samples (paired over seeds like every fit).
    public var fit: SlopeFit
    /// δ of the corrected slope (its slope minus the nearest slope theory allows).
    public var deviation: Double
    /// Whether the corrected slope agrees with theory tightly enough for an `ok` (else the verdict is `inconclusive`).
    public var tight: Bool
    /// The smallest axis values left out of ``fit`` (ascending; empty when every axis value was kept).
    public var droppedAxisValues: [Int] = []
    /// When set, the smallest axis value the op's depth admits (``VerdictPolicy/minimumWidthPerLayer`` × its depth
    /// in weight layers): the ones below were left out as outside the regime, too few remained to confirm the
    /// deviation, and the verdict is `inconclusive`.
    public var regimeFloor: Int?

    /// Judges `fit` of corrected samples of `verdict`'s (op, t, statistic) with the same rules and theory as the
    /// original; `nil` when the corrected slope still deviates (the deviation is real) or cannot be fitted.
    static func judge(_ fit: SlopeFit, for verdict: OpVerdict, policy: VerdictPolicy,
                      axisValues: [Int]) -> CorrectedFitReview? {
        guard let slope = fit.slope, let expectation = verdict.expectation else { return nil }
        let judged = Diagnosis.judgeOne(op: verdict.op, kind: verdict.kind, t: verdict.t, statistic: verdict.statistic,
                                        fit: fit, expectation: expectation, policy: policy, axisValues: axisValues,
                                        jump: nil)
        guard !judged.verdict.isDeviation, judged.verdict != .unjudged else { return nil }
        return CorrectedFitReview(fit: fit, deviation: slope - expectation.nearest(to: slope), tight: judged.verdict == .ok)
    }

    /// `verdict` with the decision this review allows (`ok` when tight, else `inconclusive`) and `explanation`;
    /// slope, interval and δ stay those of the uncorrected fit.
    func applied(to verdict: OpVerdict, explanation: VerdictExplanation) -> OpVerdict {
        var revised = verdict
        revised.verdict = tight ? .ok : .inconclusive
        revised.explanation = explanation
        return revised
    }
}
