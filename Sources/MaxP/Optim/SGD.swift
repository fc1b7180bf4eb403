/// Stochastic gradient descent with optional momentum (dampening, Nesterov) and coupled weight decay, as
/// `torch.optim.SGD`: `g += weightDecay·p`; with momentum `μ` the buffer is `b = g` on the first update and
/// `b = μ·b + (1 − dampening)·g` afterwards; the step is `p −= η·(g + μ·b)` (Nesterov) or `p −= η·b`.
public final class SGD<Scalar: TensorScalar>: Optimizer {
    /// The parameter groups; learning rates and weight decays may be changed between steps.
    public var groups: [ParameterGroup<Scalar>]
    /// The momentum coefficient `μ` (0 for plain SGD).
    public var momentum: Double
    /// The dampening of the gradient entering the momentum buffer.
    public var dampening: Double
    /// Whether to use Nesterov momentum.
    public var nesterov: Bool
    private var store = OptimizerStateStore<Scalar>()

    /// Creates SGD over `groups` (no parameter may appear in two groups).
    public init(groups: [ParameterGroup<Scalar>], momentum: Double = 0, dampening: Double = 0, nesterov: Bool = false) {
        checkUniqueParameterNames(groups, optimizer: "SGD")
        precondition(!nesterov || (momentum > 0 && dampening == 0), "SGD: Nesterov needs momentum > 0 and dampening 0")
        self.groups = groups
        self.momentum = momentum
        self.dampening = dampening
        self.nesterov = nesterov
    }

    /// Creates SGD over every parameter of `module` in one group.
    public convenience init(
        module: some Module<Scalar>, learningRate: Double, weightDecay: Double = 0, momentum: Double = 0,
        dampening: Double = 0, nesterov: Bool = false
    ) {
        self.init(
            groups: [ParameterGroup(module: module, learningRate: learningRate, weightDecay: weightDecay)],
            momentum: momentum, dampening: dampening, nesterov: nesterov)
    }

    public func step() {
        for group in groups {
            for (name, parameter) in group.parameters {
                guard let gradient = parameter.gradient else { continue }
                var state = store.entries.removeValue(forKey: name) ?? ParameterState()
                var buffer: Tensor<Scalar>
                let fresh: Bool
                if momentum != 0 {
                    let saved = state.buffers.removeValue(forKey: "momentum")
                    fresh = saved == nil
                    buffer = saved ?? Tensor(zeros: parameter.shape)
                } else {
                    fresh = false
                    buffer = Tensor(zeros: [0])
                }
                state.step += 1
                OptimizerKernels.sgd(
                    parameter: &parameter.value, gradient: gradient, momentumBuffer: &buffer,
                    .init(
                        learningRate: group.learningRate, momentum: momentum, dampening: dampening,
                        weightDecay: group.weightDecay, nesterov: nesterov, initializeMomentum: fresh))
                if momentum != 0 { state.buffers["momentum"] = buffer }
                store.entries[name] = state
            }
        }
    }

    public func saveState() -> OptimizerState<Scalar> { store.save(algorithm: "sgd", groups: groups) }

    public func loadState(_ state: OptimizerState<Scalar>) throws(OptimizerError) {
        try store.load(state, algorithm: "sgd", bufferNames: momentum != 0 ? ["momentum"] : [], groups: &groups)
    }

    public func resetState() { store.entries = [:] }
}
