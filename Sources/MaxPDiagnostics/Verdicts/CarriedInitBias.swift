import Foundation

/// One init-time deviation an after-training deviation carries (see ``CarriedInitBias``).
public struct CarriedBiasSource: Codable, Sendable, Equatable {
    /// The op whose init deviation is carried.
    public var op: String
    /// The statistic of that init deviation.
    public var statistic: CoordStatistic
    /// Its init deviation δ₀.
    public var initDeviation: Double
    /// `forward`: the op itself or one it depends on (its inputs' drift); `backward`: an op depending on it (with
    /// SGD, the gradient's drift).
    public var direction: BlameGraph.Direction
}

/// The finite-width bias of initialization carried through training, told apart from a learning-rate error.
///
/// **Theory.** After `t` steps an op's output is `h_t = h_0 + Δh_t`. At finite width the init sizes of a deep
/// network are biased: the log-norm of a ReLU MLP's ℓ-th layer drifts by `−O(ℓ/width)` (Hanin & Nica, products of
/// random matrices), so the small widths of a sweep start with smaller deep activations, and the init slope reads
/// `+δ_f` (`+0.25` at the 7th hidden layer over widths 32…256). Training carries that bias. The size `h_t` holds
/// `h_0` and an update that reads the same biased inputs (`Δh_ℓ = ΔW_ℓ x_{ℓ−1} + W_ℓ Δx_{ℓ−1}`): its slope is
/// theory's plus up to `δ_f`, the largest init deviation among the op and the ops it depends on. With SGD the
/// change of a weight's output is `ΔW_ℓ x = −η (x_{ℓ−1}ᵀ x) g_ℓ`: the input's squared norm times the gradient,
/// which flows back from the output through the same random matrices, with the same drift law. Its log-size bias is
/// `2 δ_f + δ_b` (δ_b the backward drift from the output down to the op) — and the init deviation `δ_o` of an op
/// downstream is the forward drift up to it, `δ_f + δ_b`, so the change carries `δ_f + δ_o`.
///
/// **The test.** For a deviation after training at op X: the forward source is the op, among X and the ops it
/// depends on, whose init deviation of the same statistic (`rms` for the change `delta_rms`) is the largest with the
/// deviation's sign; with SGD, for the change, the backward source is the same among the ops depending on X. Only
/// init verdicts that are not deviations themselves count (those are parametrization errors, which blame handles),
/// and only init deviations of at least ``VerdictPolicy/minimumCarriedInitDeviation`` (half the init tolerance).
/// X's samples are divided, per (width, seed) — every width of a seed sees the same batch — by each source's init
/// samples times `width^e₀` (e₀ its expected init slope), which removes the sources' δ₀ from the slope, and the
/// paired fit of the ratio is judged again with the same rules. Agreement makes the verdict `ok` (reason
/// ``VerdictReason/finiteWidthCarried``) or `inconclusive` (``VerdictReason/finiteWidthUndecided``). What is left
/// is reviewed at the large-width end as at init (the smallest widths also *train* differently from the limit, and
/// that fades as width grows); a trend that persists there stands — an unscaled hidden learning rate (Δ slope +0.9) or an SP hidden layer deviates
/// by far more than an init bias of order `depth/width`.
enum CarriedInitBias {
    /// The init verdict, among `candidates` (op names), with the largest deviation of `verdict`'s sign — at least
    /// `minimum` (``VerdictPolicy/minimumCarriedInitDeviation``) — that is not a deviation itself; `nil` when none
    /// qualifies or `verdict` is not a deviation after training.
    static func source(for verdict: OpVerdict, candidates: [String], minimum: Double,
                       initVerdict: (String, CoordStatistic) -> OpVerdict?) -> OpVerdict? {
        guard verdict.t > 0, verdict.verdict.isDeviation, let deviation = verdict.deviation, deviation != 0 else { return nil }
        let statistic = initStatistic(for: verdict.statistic)
        var best: OpVerdict?
        for op in candidates {
            guard let initial = initVerdict(op, statistic), !initial.verdict.isDeviation,
                  initial.verdict != .zero, initial.verdict != .unjudged, initial.expected != nil,
                  let initDeviation = initial.deviation, initDeviation * deviation > 0,
                  abs(initDeviation) >= minimum else { continue }
            if abs(initDeviation) > abs(best?.deviation ?? 0) { best = initial }
        }
        return best
    }

    /// The init statistic whose bias a statistic after training carries (`rms` for the change `delta_rms`).
    static func initStatistic(for statistic: CoordStatistic) -> CoordStatistic {
        statistic.measuresChange ? .rms : statistic
    }

    /// `samples` (after training) divided per (axis value, seed) by `initSamples` times `axis value^expectedInit`;
    /// samples without a positive finite match are left out.
    static func corrected(_ samples: [SlopeSample], by initSamples: [SlopeSample], expectedInit: Double) -> [SlopeSample] {
        struct Site: Hashable { var axisValue: Int; var seed: Int }
        var initial: [Site: Double] = [:]
        for sample in initSamples where sample.value.isFinite && sample.value > 0 {
            initial[Site(axisValue: sample.axisValue, seed: sample.seed)] = sample.value
        }
        return samples.compactMap { sample in
            guard sample.axisValue > 0, let base = initial[Site(axisValue: sample.axisValue, seed: sample.seed)] else {
                return nil
            }
            let value = sample.value / base * pow(Double(sample.axisValue), expectedInit)
            return SlopeSample(axisValue: sample.axisValue, seed: sample.seed, value: value)
        }
    }

    /// `verdict` revised as described on the type, with its `sources` (init verdicts, each with its direction and
    /// init samples; possibly none). When the corrected slope still deviates, the large-width end decides
    /// (``largeEndReview(_:of:policy:axisValues:)``); unchanged when the deviation persists there.
    static func revised(_ verdict: OpVerdict, samples: [SlopeSample],
                        sources: [(verdict: OpVerdict, direction: BlameGraph.Direction, samples: [SlopeSample])],
                        policy: VerdictPolicy, axisValues: [Int], regimeFloor: Int = 0) -> OpVerdict {
        guard verdict.t > 0, verdict.verdict.isDeviation, verdict.fit.status == .fitted,
              let deviation = verdict.deviation, verdict.expectation != nil else { return verdict }
        var corrected = samples
        var carried: [CarriedBiasSource] = []
        for source in sources {
            guard let initDeviation = source.verdict.deviation, let expectedInit = source.verdict.expected else {
                return verdict
            }
            corrected = Self.corrected(corrected, by: source.samples, expectedInit: expectedInit)
            carried.append(CarriedBiasSource(op: source.verdict.op, statistic: source.verdict.statistic,
                                             initDeviation: initDeviation, direction: source.direction))
        }
        let fit = SlopeFit.fit(corrected)
        let review = (carried.isEmpty ? nil : CorrectedFitReview.judge(fit, for: verdict, policy: policy, axisValues: axisValues))
            ?? largeEndReview(corrected, of: verdict, policy: policy, axisValues: axisValues, regimeFloor: regimeFloor)
        guard let review else { return verdict }
        return review.applied(to: verdict, explanation: .initBiasCarried(deviation: deviation, sources: carried,
                                                                         review: review, then: verdict.explanation))
    }

    /// After training, a deviation counts only if the large-width end shows it too (mup's "the curves converge to
    /// the right", as a test): the smallest axis values are left out one at a time while at least
    /// ``FiniteWidthCorrection/minimumAxisValues`` remain, and the first large-end fit the usual rules do not judge a
    /// deviation makes the verdict `inconclusive` — never `ok`: a fit over the few largest widths is too short a
    /// lever to vouch for theory, it only fails to confirm the deviation. `nil` when every large-end fit still
    /// deviates. A finite-width effect of training (the smallest widths learn differently from the limit) fades as
    /// width grows; a wrong learning-rate exponent tilts the slope by the same amount at every width and stays
    /// confirmed at the large end. Axis values below `regimeFloor` (``regimeFloor(depth:policy:)``: too small for
    /// the op's depth) are always left out; when fewer than ``FiniteWidthCorrection/minimumAxisValues`` remain, the
    /// sweep cannot confirm the deviation and the verdict is `inconclusive` (fit over the rest, possibly too short).
    static func largeEndReview(_ samples: [SlopeSample], of verdict: OpVerdict, policy: VerdictPolicy,
                               axisValues: [Int], regimeFloor: Int = 0) -> CorrectedFitReview? {
        let values = Array(Set(samples.filter { $0.value.isFinite && $0.value > 0 }.map(\.axisValue))).sorted()
        let outside = values.filter { $0 < regimeFloor }
        if !outside.isEmpty, values.count - outside.count < FiniteWidthCorrection.minimumAxisValues {
            let rest = SlopeFit.fit(samples.filter { $0.axisValue >= regimeFloor })
            let fit = rest.slope == nil ? verdict.fit : rest
            guard let slope = fit.slope, let expectation = verdict.expectation else { return nil }
            return CorrectedFitReview(fit: fit, deviation: slope - expectation.nearest(to: slope), tight: false,
                                      droppedAxisValues: fit == rest ? outside : [], regimeFloor: regimeFloor)
        }
        guard values.count > FiniteWidthCorrection.minimumAxisValues else { return nil }
        for dropped in max(1, outside.count)...(values.count - FiniteWidthCorrection.minimumAxisValues) {
            let fit = SlopeFit.fit(samples.filter { $0.axisValue >= values[dropped] })
            guard var review = CorrectedFitReview.judge(fit, for: verdict, policy: policy, axisValues: axisValues) else {
                continue
            }
            review.droppedAxisValues = Array(values.prefix(dropped))
            review.tight = false
            return review
        }
        return nil
    }

    /// The smallest width inside the regime the large-width review extrapolates from, for an op `depth` weight
    /// layers deep: ``VerdictPolicy/minimumWidthPerLayer`` × depth.
    static func regimeFloor(depth: Int, policy: VerdictPolicy) -> Int { policy.minimumWidthPerLayer * depth }
}
