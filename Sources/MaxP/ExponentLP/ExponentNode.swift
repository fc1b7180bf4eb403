/// One node of the exponent graph: a parametrized op `h = width^-a · W z` (weighted) or an activation-only op such as
/// a parameter-free product or a synthetic merge node (spec §3.2).
///
/// The op's multiplier is `width^-a`, its initial weights have scale `width^-b`, and (if weighted) its learning rate is
/// `η · width^-c`, where `c` is what the LP chooses.
public struct ExponentNode: Codable, Equatable, Hashable, Sendable {
    /// Unique name (module path, e.g. `blocks.0.attn.q`, or a synthetic merge name such as `_add_0`).
    public var name: String
    /// Informational layer type (`embedding`, `hidden`, `readout`, `merge`, …); roles come from graph position.
    public var layerType: String
    /// Output-multiplier exponent: the op's output is scaled by `width^-a`.
    public var a: Double
    /// Initialisation exponent: initial weights have standard deviation `σ · width^-b`.
    public var b: Double
    /// Whether the op has a trainable weight, and so a learning-rate exponent `c`.
    public var hasWeight: Bool
    /// The width `n` that all exponents refer to (the scaling fan-in; 0 for synthetic merge nodes).
    public var width: Int
    /// Names of the nodes feeding this one, in data-flow order.
    public var predecessors: [String]
    /// How several predecessors' output changes combine (ignored with fewer than two predecessors).
    public var mergeType: MergeType
    /// The alignment exponents `(α, ω, u)` used in this node's constraints.
    public var alignment: Alignment

    /// Creates a node; by default a weighted node with no predecessors, MIN merge and the `"full"` alignment.
    public init(
        name: String, layerType: String = "hidden", a: Double, b: Double, hasWeight: Bool = true, width: Int = 0,
        predecessors: [String] = [], mergeType: MergeType = .min, alignment: Alignment = .full
    ) {
        self.name = name
        self.layerType = layerType
        self.a = a
        self.b = b
        self.hasWeight = hasWeight
        self.width = width
        self.predecessors = predecessors
        self.mergeType = mergeType
        self.alignment = alignment
    }
}
