/// The finite-width concentration of attention at initialization, and the correction it implies for the
/// softmax-weighted average of the values (`softmax(logits) · v`, the op after an attention's softmax).
///
/// **Derivation.** Row i of the attention output is `r_i = Σ_j p_ij v_j`, with `p_i` the softmax of the logits
/// `s_ij` over the keys row i sees. At init the value vectors of different positions are uncorrelated with each other
/// and with the logits (`W_v` is zero-mean and independent of `W_q`, `W_k`), so per coordinate
/// `E[r_i²] = ν² · E[Σ_j p_ij²]` (ν² the values' second moment): the output's size is the values' size times the row's
/// concentration `sqrt(Σ_j p_ij²)`. Under µP's `1/d_head` logit scaling the logits have variance
/// `σ² = κ / d_head` (q·k is a sum of `d_head` products of order-one coordinates, divided by `d_head`), and for
/// small σ, `Σ_j p_ij² = (1/n_i) · (1 + σ² (1 − 1/n_i) + O(σ⁴))` with `n_i` keys: the attention flattens as the head
/// dimension grows, and the output shrinks with width by a factor `1 + O(1/width)` that tends to 1. Theory's slope
/// (that of uniform attention) holds only in the limit; at small widths and few tokens the fit tilts below it (a
/// µP GPT with 2 heads and 8 tokens has `σ² ≈ 63/width`: from width 32 to 256 the concentration falls by 14 % and
/// the output's slope reads −0.10 where theory says 0).
///
/// **Measured, not modelled.** The softmax op's own statistics give the concentration exactly, whatever the mask:
/// every row of `p` sums to 1, so over its `T × T` entries (masked ones 0) `l1 = mean p = 1/T` and
/// `rms² = mean p² = (1/T²) Σ_i Σ_j p_ij²`, hence the mean row concentration `mean_i Σ_j p_ij² = rms² / l1`.
/// Dividing the output's size at each (width, seed) by `sqrt(rms² / l1)` of the softmax at the same (width, seed)
/// removes the finite-width factor, paired (the same batch and weights); what is left has theory's slope.
public enum SoftmaxConcentration {
    /// The mean row concentration `sqrt(rms² / l1)` of attention probabilities with the given l1 (mean |p|) and rms;
    /// `nil` unless both are finite and positive.
    public static func factor(l1: Double, rms: Double) -> Double? {
        guard l1.isFinite, rms.isFinite, l1 > 0, rms > 0 else { return nil }
        return rms / l1.squareRoot()
    }

    /// `samples` of a softmax-weighted average divided by the concentration of the matching softmax samples (same
    /// axis value and seed, from `softmaxL1` and `softmaxRMS`); samples without a usable match are left out.
    public static func corrected(_ samples: [SlopeSample], softmaxL1: [SlopeSample],
                                 softmaxRMS: [SlopeSample]) -> [SlopeSample] {
        struct Site: Hashable { var axisValue: Int; var seed: Int }
        var l1: [Site: Double] = [:], rms: [Site: Double] = [:]
        for sample in softmaxL1 { l1[Site(axisValue: sample.axisValue, seed: sample.seed)] = sample.value }
        for sample in softmaxRMS { rms[Site(axisValue: sample.axisValue, seed: sample.seed)] = sample.value }
        return samples.compactMap { sample in
            let site = Site(axisValue: sample.axisValue, seed: sample.seed)
            guard let l1 = l1[site], let rms = rms[site], let factor = factor(l1: l1, rms: rms) else { return nil }
            return SlopeSample(axisValue: sample.axisValue, seed: sample.seed, value: sample.value / factor)
        }
    }
}
