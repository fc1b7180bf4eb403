/// Why a verdict is what it is, as a value (the prose lives in ``OpVerdict/message``): set whenever a rule other
/// than the plain comparison of slope and theory decided the verdict.
public enum VerdictReason: String, Codable, Sendable, CaseIterable {
    /// `ok` although the fit over every axis value deviates: without the smallest axis values the deviation falls
    /// within tolerance, so it is a finite-width bias that fades as width grows (mup's "curves converge to the
    /// right"), not a parametrization error.
    case finiteWidthBias = "finite_width_bias"
    /// `inconclusive`: the deviation fades without the smallest axis values, but what remains is too noisy to call
    /// `ok`; more axis values at the top would decide it.
    case finiteWidthUndecided = "finite_width_undecided"
    /// `ok` after training although the fit deviates: the deviation is the init-time finite-width bias of the op (or
    /// of an op it depends on) carried through training, and without it the slope agrees with theory.
    case finiteWidthCarried = "finite_width_carried"
    /// `inconclusive`: training is unstable at the smallest axis values (the loss rises or turns non-finite there
    /// too), so a width trend after training says nothing about the parametrization.
    case unstableTraining = "unstable_training"
    /// `inconclusive`: some run's loss jumps at this step.
    case lossJump = "loss_jump"
    /// `inconclusive`: the 95 % interval is too wide to decide.
    case wideInterval = "wide_interval"
    /// `inconclusive`: too few seeds to trust a small deviation.
    case fewSeeds = "few_seeds"
    /// A deviation after training at an op upstream of an op whose init slope is already off (its `a` is wrong),
    /// with SGD: the wrong multiplier scales every gradient flowing back, so this op's updates deviate too;
    /// `inherited_from` names the op to fix.
    case inheritedBackward = "inherited_backward"
    /// `inconclusive`: NaN/Inf appeared at axis values not tied to growing width.
    case divergenceNotTiedToWidth = "divergence_not_tied_to_width"
}
