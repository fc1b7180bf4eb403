/// What a user declares when marking an op as parametrized: its role, the width that scales, and optional
/// per-op overrides of the exponents.
///
/// `width` is the single integer `n` used in all three exponents (multiplier `n^-a`, init `n^-b`, learning rate
/// `n^-c`) and as the log base when measuring alignment: the contracted fan-in that scales with model width for
/// hidden and readout ops (`d_head` for attention logits), and the fan-out `d` for an embedding.
public struct OpMarking: Hashable, Codable, Sendable {
    /// Which `(a, b)` row of the parametrization table applies.
    public var role: LayerRole
    /// The width `n` of this op.
    public var width: Int
    /// Overrides the table's `a` for this op.
    public var a: Double?
    /// Overrides the table's `b` for this op.
    public var b: Double?
    /// Fixes this op's learning-rate exponent `c` instead of solving for it.
    public var c: Double?
    /// The op's `(a, b)` under the standard parametrization, which it has at the base width (``BaseWidth``);
    /// `nil` takes the `sp` table's row for the role (an op whose role is not in it: its own exponents, so a base
    /// changes nothing). Attention logits set `a = ½` (SP's `1/√d_head`).
    public var standard: ABExponents?
    /// This op's σ in `std = σ · width^-b`, instead of the configuration's (`0`: the weight starts at zero, as
    /// mup's readout / query zero-init).
    public var initScale: Double?
    /// A constant multiplying the op's output besides `width^-a` (mup's `α_output`, `8` for `8/d` attention).
    public var outputScale: Double?
    /// Whether the op's output is a residual branch's output (added to the residual stream): depth-µP
    /// (``DepthScaling``) multiplies it by `(L/L₀)^-α`. `nil` means no.
    public var isResidualBranchOutput: Bool?

    /// Marks an op with a role and width, and optional exponent overrides and constants.
    public init(role: LayerRole, width: Int, a: Double? = nil, b: Double? = nil, c: Double? = nil,
                standard: ABExponents? = nil, initScale: Double? = nil, outputScale: Double? = nil) {
        self.role = role
        self.width = width
        self.a = a
        self.b = b
        self.c = c
        self.standard = standard
        self.initScale = initScale
        self.outputScale = outputScale
    }
}

/// An op that can be parametrized: a weighted layer (`Linear`, `Embedding`) or a parameter-free contraction such as
/// attention's `q·kᵀ`. The ``Parametrization`` finds these in a model, sets their ``multiplier`` to `width^-a`,
/// re-initializes their ``scaledWeight`` and puts their parameters into learning-rate groups.
public protocol ParametrizableOp<Scalar>: AnyObject {
    /// The scalar type.
    associatedtype Scalar: TensorScalar
    /// The op's name (its call site): the module path, or `<attention path>.qk` for attention logits.
    var opName: String { get }
    /// The marking; `nil` means the op is not parametrized (its parameters go to the `_other` group).
    var marking: OpMarking? { get set }
    /// The output multiplier `width^-a` applied in the forward pass (1 when unparametrized).
    var multiplier: Scalar { get set }
    /// The weight whose initialization scale and learning rate the exponents set; `nil` for parameter-free ops.
    var scaledWeight: Parameter<Scalar>? { get }
    /// Every parameter that belongs to this op's learning-rate group (weight and bias), with local names.
    var groupParameters: [(name: String, parameter: Parameter<Scalar>)] { get }
}
