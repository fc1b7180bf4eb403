/// What decided one verdict, as a value: the rule that fired and the numbers it used. Deciding code builds these;
/// ``VerdictProse`` alone turns them into words, and ``reason`` into the `slopes.json` contract's `reason`.
///
/// Cases that take `then` qualify an earlier explanation of the same verdict (a loss jump making a `grows`
/// untrustworthy, a blame naming the op to fix first): the earlier one stays inside, so nothing is lost.
public indirect enum VerdictExplanation: Codable, Sendable, Equatable {
    // MARK: Comparison with theory (the judge pass)

    /// `zero`: exact zeros at every axis value, where theory expects exact zeros.
    case zeroAsExpected
    /// `zero`: exact zeros at every axis value where theory expects a slope: nothing to fit.
    case zeroNotFitted
    /// No slope: NaN/Inf at `axisValues` left too few finite points to fit.
    case divergedUnfittable(axisValues: [Int])
    /// No slope: fewer than two usable axis values (zeros or missing rows).
    case tooFewAxisValues
    /// `grows`: theory expects exact zeros, the op is not zero.
    case shouldBeZero
    /// `grows` or `shrinks` (`direction`): the slope lies beyond tolerance outside what theory allows.
    case deviates(direction: Verdict, slope: Double, deviation: Double)
    /// `ok`: the slope agrees with theory within tolerance and its interval (half-width `halfWidth`) is tight; with
    /// `learnsLessThanMaximally` it lies well below an upper bound (information, not a bug).
    case agrees(slope: Double, halfWidth: Double, learnsLessThanMaximally: Bool)
    /// `inconclusive`: the interval (half-width `halfWidth`, `seeds` seeds) is too wide to decide; it would need
    /// ±`target`, which about `seedsNeeded` seeds or `widthDoublingsNeeded` more width doublings would give
    /// (`seedsNeeded` is `nil` when there is no interval at all).
    case intervalTooWide(slope: Double, halfWidth: Double, target: Double, seeds: Int, seedsNeeded: Int?,
                         widthDoublingsNeeded: Int?)
    /// `unjudged`: no rule judges the op's kind.
    case noRule(slope: Double)
    /// `grows`: the change since init blows up with width (slope > 0), whatever theory allowed.
    case updatesBlowUp(slope: Double)
    /// `grows`: NaN/Inf at exactly the largest axis values; `slope` fitted on the finite ones.
    case divergesWithWidth(axisValues: [Int], slope: Double)
    /// `inconclusive`: NaN/Inf at `axisValues`, not tied to growing width.
    case divergenceNotTiedToWidth(axisValues: [Int], then: VerdictExplanation)
    /// `inconclusive`: a deviation of `deviation` with only `seeds` seeds (fewer than `minimum`) that does not exceed
    /// `threshold`.
    case fewSeeds(seeds: Int, deviation: Double, minimum: Int, threshold: Double, then: VerdictExplanation)
    /// `inconclusive`: some run's loss jumps at `step` (`jump` describes the first jump).
    case lossJump(step: Int, jump: String, then: VerdictExplanation)
    /// `inconclusive`: training is unstable at the smallest axis value by `step` (`run` describes the first such run).
    case unstableTraining(step: Int, run: String, then: VerdictExplanation)
    /// `ok` or `inconclusive` at t = 0: a deviation of `deviation` that fades toward large widths (see `review`).
    case finiteWidth(deviation: Double, review: FiniteWidthReview)
    /// The finite-width bias of an input (`source`, at the same step) carried downstream: own deviation `own` given
    /// the inputs' measured slopes, total `deviation`.
    case finiteWidthInherited(deviation: Double, own: Double, source: OpVerdict)
    /// `ok` or `inconclusive` at t = 0: a softmax-weighted average deviating by `deviation` whose slope agrees with
    /// theory once divided by the measured concentration of its softmax input `softmax` (``SoftmaxConcentration``).
    case softmaxConcentration(deviation: Double, softmax: String, review: CorrectedFitReview)
    /// `ok` or `inconclusive` after training: a deviation of `deviation` that is the init deviations of `sources`
    /// (not errors themselves) carried through training, and (with `review.droppedAxisValues`) a remainder that
    /// fades toward large widths (``CarriedInitBias``); `then` is the uncorrected explanation.
    case initBiasCarried(deviation: Double, sources: [CarriedBiasSource], review: CorrectedFitReview,
                         then: VerdictExplanation)

    // MARK: Blame (the blame pass)

    /// A deviation explained by the deviating input `culprit` at the same step: own deviation `own`.
    case inherited(from: String, deviation: Double, own: Double)
    /// The op to fix at t = 0: its effective `a` is off by `own` from `declaredA` (the declared value, or µP's when
    /// `againstMuPTarget`); `hint` names the usual code-level cause.
    case blamed(own: Double, declaredA: Double, againstMuPTarget: Bool, hint: FixHint?)
    /// After training, downstream (forward graph) of `culprit`, whose init slope is off by `deltaA`.
    case downstreamOfInitCulprit(culprit: String, deltaA: Double, then: VerdictExplanation)
    /// After training with SGD, upstream (backward graph) of `culprit`, whose init slope is off by `deltaA`: its
    /// wrong multiplier scales every gradient flowing back.
    case upstreamOfInitCulprit(culprit: String, deltaA: Double, then: VerdictExplanation)
    /// After training, downstream (forward graph) of `culprit`, whose change already grows with a correct init slope.
    case downstreamOfLearningRateCulprit(culprit: String, then: VerdictExplanation)

    // MARK: Learning-rate advice (the last pass)

    /// The declared parametrization itself is unstable at the op: r < 0; `slope` is the measured Δ slope.
    case unstableDeclared(r: Double, slope: Double)
    /// The change grows as `width^slope` against −r with a correct init slope: c looks `excess` too small.
    case learningRateTooLarge(slope: Double, r: Double, excess: Double)
    /// A change that grows while the init slope is already off: fix `a` first.
    case initAlreadyOff(then: VerdictExplanation)

    // MARK: Depth axis (``DepthDiagnosis``: depth units, never width advice)

    /// `zero` on a depth axis: exact zeros at every depth: nothing to fit.
    case zeroNotFittedOnDepth
    /// No slope on a depth axis: NaN/Inf at `depths` left too few finite points to fit.
    case divergedUnfittableOnDepth(depths: [Int])
    /// No slope on a depth axis: fewer than two usable depths (zeros or missing rows).
    case tooFewDepths
    /// `unjudged` on a depth axis: no depth rule for the op (`residualBlocks`), or none for the model at all (no
    /// residual blocks: depth-µP's theory covers residual networks only).
    case noDepthRule(slope: Double, residualBlocks: Bool)
    /// `grows` or `shrinks` (`direction`) on a depth axis: the op scales as `depth^slope`, beyond tolerance outside
    /// what depth theory allows; `fix` (for the declared branch exponent `alpha`) is the suggested depth-unit fix.
    case depthDeviates(direction: Verdict, slope: Double, deviation: Double, fix: DepthFix?, alpha: Double)
    /// `ok` on a depth axis: the slope `depth^slope` agrees with theory within tolerance, interval half-width
    /// `halfWidth`.
    case depthAgrees(slope: Double, halfWidth: Double)
    /// `inconclusive` on a depth axis: the interval (half-width `halfWidth`, `seeds` seeds) is too wide to decide;
    /// about `seedsNeeded` seeds (or more depths) would (`nil`: no interval at all).
    case depthIntervalTooWide(slope: Double, halfWidth: Double, seeds: Int, seedsNeeded: Int?)
    /// `ok` (`tight`) or `inconclusive` on a depth axis: without the smallest depth `smallestDepth` the slope is
    /// `depth^slope` ± `halfWidth`, within tolerance of theory: a finite-depth bias.
    case finiteDepthBias(smallestDepth: Int, slope: Double, halfWidth: Double, tight: Bool, then: VerdictExplanation)
    /// `inconclusive` on a depth axis: training is unstable at the smallest depth by `step` (`run` describes the
    /// first such run).
    case unstableAtSmallestDepth(step: Int, run: String, then: VerdictExplanation)
    /// On a depth axis: a stream (or an op behind the blocks) deviating together with the residual branch output
    /// `branch` inherits its deviation (own deviation `deviation`).
    case inheritedFromBranch(branch: String, deviation: Double, then: VerdictExplanation)

    /// The usual code-level cause of a wrong `a`, named in the fix.
    public enum FixHint: String, Codable, Sendable {
        /// A parameter-free contraction (`q·kᵀ`): the 1/√d versus 1/d scaling.
        case attentionScaling
        /// The readout: its output multiplier.
        case readoutMultiplier
    }

    /// The `slopes.json` `reason` of a verdict explained by this (`nil` for the plain slope-versus-theory outcomes
    /// and the blame of the op to fix).
    public var reason: VerdictReason? {
        switch self {
        case .intervalTooWide: .wideInterval
        case .divergenceNotTiedToWidth: .divergenceNotTiedToWidth
        case .fewSeeds: .fewSeeds
        case .lossJump: .lossJump
        case .unstableTraining: .unstableTraining
        case let .finiteWidth(_, review):
            review.outcome == .explained ? .finiteWidthBias : review.outcome == .undecided ? .finiteWidthUndecided : nil
        case let .finiteWidthInherited(_, _, source): source.reason
        case let .softmaxConcentration(_, _, review): review.tight ? .finiteWidthBias : .finiteWidthUndecided
        case let .initBiasCarried(_, sources, review, _):
            review.tight ? (sources.isEmpty ? .finiteWidthBias : .finiteWidthCarried) : .finiteWidthUndecided
        case .upstreamOfInitCulprit: .inheritedBackward
        case .depthIntervalTooWide: .wideInterval
        case let .finiteDepthBias(_, _, _, tight, _): tight ? .finiteWidthBias : .finiteWidthUndecided
        case .unstableAtSmallestDepth: .unstableTraining
        case let .inheritedFromBranch(_, _, then): then.reason
        default: nil
        }
    }
}
