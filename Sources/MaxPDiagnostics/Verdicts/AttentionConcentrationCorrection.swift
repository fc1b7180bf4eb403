/// The t = 0 finite-width correction of a softmax-weighted average (`probs · v`): its size carries the attention's
/// concentration, which fades as the head dimension grows (derivation and measurement: ``SoftmaxConcentration``).
///
/// A t = 0 `grows`/`shrinks` of such an op is judged again on its samples divided, per (width, seed), by the
/// softmax's measured concentration `sqrt(rms² / l1)`. If the corrected slope agrees with theory, the deviation was
/// the finite-width concentration (`ok` when tight, else `inconclusive`; reason ``VerdictReason/finiteWidthBias`` /
/// ``VerdictReason/finiteWidthUndecided``); otherwise the verdict stands. A wrong logit scaling (`1/√d` where µP
/// wants `1/d`) keeps the logits' variance fixed as width grows, so it leaves the concentration flat and this
/// correction neutral: the fault is still caught at the logits.
enum AttentionConcentrationCorrection {
    /// `verdict` revised as described on the type; `samples` are its own, `softmax` the op's softmax input and
    /// `softmaxL1`/`softmaxRMS` that op's samples at the same step.
    static func revised(_ verdict: OpVerdict, samples: [SlopeSample], softmax: String, softmaxL1: [SlopeSample],
                        softmaxRMS: [SlopeSample], policy: VerdictPolicy, axisValues: [Int]) -> OpVerdict {
        guard verdict.t == 0, !verdict.statistic.measuresChange, verdict.verdict.isDeviation,
              let deviation = verdict.deviation else { return verdict }
        let corrected = SoftmaxConcentration.corrected(samples, softmaxL1: softmaxL1, softmaxRMS: softmaxRMS)
        guard let review = CorrectedFitReview.judge(SlopeFit.fit(corrected), for: verdict, policy: policy,
                                                    axisValues: axisValues) else { return verdict }
        return review.applied(to: verdict, explanation: .softmaxConcentration(deviation: deviation, softmax: softmax,
                                                                              review: review))
    }
}
