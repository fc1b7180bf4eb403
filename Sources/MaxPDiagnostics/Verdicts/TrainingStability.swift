/// Whether training was stable at the smallest axis value, step by step: a width trend after training means
/// something only when the small widths trained sensibly.
///
/// A run is unstable from the first step `s ≥ 1` at which its loss turns non-finite, jumps (`loss[s] >
/// ratio · loss[s−1]`), has risen above its initial loss (`loss[s] > ratio · loss[0]`) or climbs back above the
/// best loss seen so far (`loss[s] > riseRatio · min(loss[0…s−1])`). A coord check trains every step on the same
/// batch, so a loss that climbs back by 20 % is overshooting: erratic training that never jumps by 50 % in one step
/// (µP GPT at η = 2.56: 4.23 → 3.24 → 4.29) or climbs slowly to 10³⁵ counts. It stays unstable afterwards: coordinates after a blow-up describe the blow-up. Instability only
/// at the largest axis values is the width instability a coord check diagnoses (SP at a large learning rate) and
/// does not count; instability at the **smallest** axis value means the learning rate is too large for every width,
/// so after-training deviations are ``Verdict/inconclusive`` with reason ``VerdictReason/unstableTraining``.
public struct TrainingStability: Sendable, Equatable {
    /// Per step, a description of the first unstable run at the smallest axis value (absent: stable there).
    public var unstableAtSmallest: [Int: String]

    /// Assesses the loss series of a sweep over `axisValues` (`ratio`: the policy's loss-jump ratio, `riseRatio`:
    /// its ``VerdictPolicy/unstableRiseRatio``).
    public init(_ series: [LossSeries], axisValues: [Int], ratio: Double, riseRatio: Double) {
        unstableAtSmallest = [:]
        guard let smallest = (axisValues.isEmpty ? series.map(\.axisValue) : axisValues).min() else { return }
        for run in series.sorted(by: { $0.seed < $1.seed }) where run.axisValue == smallest && run.losses.count > 1 {
            guard let first = Self.firstUnstableStep(run.losses, ratio: ratio, riseRatio: riseRatio) else { continue }
            let description = "axis value \(run.axisValue), seed \(run.seed): loss \(Diagnosis.format(run.losses[0])) "
                + "at init, \(Diagnosis.format(run.losses[first])) at step \(first)"
            for t in first..<run.losses.count where unstableAtSmallest[t] == nil { unstableAtSmallest[t] = description }
        }
    }

    /// The first step at which `losses` is unstable (see the type), or `nil`.
    public static func firstUnstableStep(_ losses: [Double], ratio: Double, riseRatio: Double) -> Int? {
        guard let initial = losses.first, initial.isFinite, losses.count > 1 else { return nil }
        var best = initial
        for t in 1..<losses.count {
            let previous = losses[t - 1], current = losses[t]
            if !current.isFinite || current > ratio * previous || current > ratio * initial || current > riseRatio * best {
                return t
            }
            best = min(best, current)
        }
        return nil
    }

    /// `verdict` made ``Verdict/inconclusive`` (reason ``VerdictReason/unstableTraining``) when it flags a
    /// deviation after training at a step where the smallest axis value trained unstably; otherwise unchanged.
    public func revised(_ verdict: OpVerdict) -> OpVerdict {
        guard verdict.t > 0, verdict.verdict.isDeviation, let description = unstableAtSmallest[verdict.t] else {
            return verdict
        }
        var revised = verdict
        revised.verdict = .inconclusive
        revised.explanation = .unstableTraining(step: verdict.t, run: description, then: verdict.explanation)
        return revised
    }
}
