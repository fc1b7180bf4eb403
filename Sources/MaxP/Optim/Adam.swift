/// Adam with bias correction and *coupled* L2 weight decay (the gradient gets `weightDecay · p` added), as
/// `torch.optim.Adam`. For decoupled weight decay use ``AdamW``.
///
/// Per parameter with gradient `g` at update `t`: `m = β1·m + (1−β1)·g`, `v = β2·v + (1−β2)·g²`,
/// `p −= (η / (1 − β1^t)) · m / (√v / √(1 − β2^t) + ε)`, where a group's ε is ``epsilon`` times its
/// ``ParameterGroup/epsilonMultiplier``.
public class Adam<Scalar: TensorScalar>: Optimizer {
    /// The parameter groups; learning rates and weight decays may be changed between steps.
    public var groups: [ParameterGroup<Scalar>]
    /// Decay rate of the first-moment average.
    public var beta1: Double
    /// Decay rate of the second-moment average.
    public var beta2: Double
    /// Added to the root of the corrected second moment to avoid division by zero.
    public var epsilon: Double
    /// Whether weight decay shrinks the parameters directly (AdamW) instead of being added to the gradient.
    public let decouplesWeightDecay: Bool
    private var store = OptimizerStateStore<Scalar>()

    /// The name saved with the state, so that a state is only loaded into the same algorithm.
    private var algorithm: String { decouplesWeightDecay ? "adamw" : "adam" }

    /// Creates Adam over `groups` (no parameter may appear in two groups).
    public convenience init(groups: [ParameterGroup<Scalar>], beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Double = 1e-8) {
        self.init(groups: groups, beta1: beta1, beta2: beta2, epsilon: epsilon, decouplesWeightDecay: false)
    }

    /// Creates Adam over every parameter of `module` in one group.
    public convenience init(
        module: some Module<Scalar>, learningRate: Double, weightDecay: Double = 0,
        beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Double = 1e-8
    ) {
        self.init(
            groups: [ParameterGroup(module: module, learningRate: learningRate, weightDecay: weightDecay)],
            beta1: beta1, beta2: beta2, epsilon: epsilon)
    }

    /// The designated initializer shared with ``AdamW``.
    init(groups: [ParameterGroup<Scalar>], beta1: Double, beta2: Double, epsilon: Double, decouplesWeightDecay: Bool) {
        checkUniqueParameterNames(groups, optimizer: decouplesWeightDecay ? "AdamW" : "Adam")
        self.groups = groups
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.decouplesWeightDecay = decouplesWeightDecay
    }

    public func step() {
        adamUpdate(
            groups: groups, store: &store, beta1: beta1, beta2: beta2, epsilon: epsilon, decoupled: decouplesWeightDecay)
    }

    public func saveState() -> OptimizerState<Scalar> { store.save(algorithm: algorithm, groups: groups) }

    public func loadState(_ state: OptimizerState<Scalar>) throws(OptimizerError) {
        try store.load(state, algorithm: algorithm, bufferNames: adamBufferNames, groups: &groups)
    }

    public func resetState() { store.entries = [:] }
}

/// Adam with *decoupled* weight decay (Loshchilov & Hutter), as `torch.optim.AdamW`: before the Adam update every
/// parameter is shrunk, `p ← p − η·weightDecay·p`; the gradient itself is not modified.
public final class AdamW<Scalar: TensorScalar>: Adam<Scalar> {
    /// Creates AdamW over `groups` (no parameter may appear in two groups).
    public init(groups: [ParameterGroup<Scalar>], beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Double = 1e-8) {
        super.init(groups: groups, beta1: beta1, beta2: beta2, epsilon: epsilon, decouplesWeightDecay: true)
    }

    /// Creates AdamW over every parameter of `module` in one group (weight decay 0.01 by default, as PyTorch).
    public convenience init(
        module: some Module<Scalar>, learningRate: Double, weightDecay: Double = 0.01,
        beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Double = 1e-8
    ) {
        self.init(
            groups: [ParameterGroup(module: module, learningRate: learningRate, weightDecay: weightDecay)],
            beta1: beta1, beta2: beta2, epsilon: epsilon)
    }
}

private let adamBufferNames = ["firstMoment", "secondMoment"]

private func adamUpdate<Scalar>(
    groups: [ParameterGroup<Scalar>], store: inout OptimizerStateStore<Scalar>,
    beta1: Double, beta2: Double, epsilon: Double, decoupled: Bool
) {
    for group in groups {
        for (name, parameter) in group.parameters {
            guard parameter.hasGradient else { continue }
            var state = store.entries.removeValue(forKey: name) ?? ParameterState()
            // The first update writes the moments without reading them: fresh ones need no zero fill.
            let fresh = state.step == 0
            var m = state.buffers.removeValue(forKey: "firstMoment") ?? moments(like: parameter, fresh: fresh)
            var v = state.buffers.removeValue(forKey: "secondMoment") ?? moments(like: parameter, fresh: fresh)
            state.step += 1
            let hyperparameters = OptimizerKernels.AdamStep(
                learningRate: group.learningRate, beta1: beta1, beta2: beta2,
                epsilon: group.epsilonMultiplier == 1 ? epsilon : epsilon * group.epsilonMultiplier,
                weightDecay: group.weightDecay, decoupled: decoupled, step: state.step)
            if let deferred = parameter.deferredGradient {
                // A weight product's gradient nobody has read: each block of rows is updated while in cache.
                OptimizerKernels.adam(parameter: &parameter.value, rowBlocksOf: deferred, firstMoment: &m,
                                      secondMoment: &v, hyperparameters)
            } else {
                OptimizerKernels.adam(parameter: &parameter.value, gradient: parameter.gradient!, firstMoment: &m,
                                      secondMoment: &v, hyperparameters)
            }
            state.buffers["firstMoment"] = m
            state.buffers["secondMoment"] = v
            store.entries[name] = state
        }
    }
}

/// Storage for a moment of `parameter`: uninitialized before the first update (which writes every element without
/// reading it), zeros otherwise.
private func moments<Scalar>(like parameter: Parameter<Scalar>, fresh: Bool) -> Tensor<Scalar> {
    fresh ? Tensor(shape: parameter.shape, unsafeUninitialized: { _ in }) : Tensor(zeros: parameter.shape)
}
