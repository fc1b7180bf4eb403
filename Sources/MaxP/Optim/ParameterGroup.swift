/// A set of parameters sharing one learning rate and one weight decay: the unit an ``Optimizer`` updates.
///
/// Per-layer learning rates (`η · width^-c` under an abc-parametrization) are expressed as one group per layer;
/// the rates can be changed between steps through ``Optimizer/groups``. The metadata fields (`width`, `c`,
/// `isManaged`) are not used by the update itself; they record why the group has its learning rate.
public struct ParameterGroup<Scalar: TensorScalar> {
    /// A name for the group, e.g. the layer path `blocks.0.attn.q`, or `_other` for unmanaged parameters.
    public var name: String
    /// The parameters of the group with their dotted model names (the names key the optimizer state).
    public var parameters: [(name: String, parameter: Parameter<Scalar>)]
    /// The step size `η` used for every parameter of the group.
    public var learningRate: Double
    /// The weight-decay coefficient (coupled L2 for ``SGD`` and ``Adam``, decoupled for ``AdamW``).
    public var weightDecay: Double
    /// The width `n` (fan-in) the learning rate was scaled with, if the group belongs to a parametrized layer.
    public var width: Int?
    /// The learning-rate exponent `c` of `η · width^-c`, if the group belongs to a parametrized layer.
    public var c: Double?
    /// Whether a parametrization manages (and may overwrite) this group's learning rate.
    public var isManaged: Bool
    /// Adam's ε for this group is the optimizer's ε times this factor (CompleteP's `ε · m_N^-1 · (L/L₀)^-α` inside
    /// residual blocks, ``DepthScaling/blockEpsilonFactor(widthRatio:optimizer:)``); 1 leaves it alone. Only
    /// ``Adam``/``AdamW`` read it: SGD has no ε, and Adafactor's ε₁ regularizes the squared gradient instead.
    public var epsilonMultiplier: Double = 1

    /// Creates a group.
    public init(
        name: String, parameters: [(name: String, parameter: Parameter<Scalar>)], learningRate: Double,
        weightDecay: Double = 0, width: Int? = nil, c: Double? = nil, isManaged: Bool = false
    ) {
        self.name = name
        self.parameters = parameters
        self.learningRate = learningRate
        self.weightDecay = weightDecay
        self.width = width
        self.c = c
        self.isManaged = isManaged
    }

    /// One group holding every parameter of `module` under its dotted names.
    public init(
        name: String = "all", module: some Module<Scalar>, learningRate: Double, weightDecay: Double = 0
    ) {
        self.init(
            name: name, parameters: module.namedParameters(), learningRate: learningRate, weightDecay: weightDecay)
    }
}
