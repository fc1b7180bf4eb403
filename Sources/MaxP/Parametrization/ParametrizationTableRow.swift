/// One row of the per-op table a parametrization reports: what every op got and why.
public struct ParametrizationTableRow: Codable, Equatable, Sendable {
    /// Op name (call site).
    public var name: String
    /// Role (`embedding`, `hidden`, `readout`, …).
    public var role: String
    /// Width `n`.
    public var width: Int
    /// Output multiplier exponent: the output is multiplied by `width^-a`.
    public var a: Double
    /// Initialization exponent: `std = σ · width^-b`.
    public var b: Double
    /// Learning-rate exponent (`nil` for a parameter-free op).
    public var c: Double?
    /// Learning rate `η · width^-c` (`nil` for a parameter-free op).
    public var learningRate: Double?
    /// The LP's update exponent: the op's output changes like `width^-r`.
    public var r: Double
    /// The alignment the LP used for this op.
    public var alignment: Alignment
    /// Whether the alignment was fixed by an override (not measured).
    public var isPinned: Bool
    /// Whether `c` was fixed rather than solved.
    public var isCFixed: Bool
    /// For an op that multiplies by another op's weight (tied embeddings): the conflict and its resolution.
    public var tiedWeight: TiedWeight? = nil
    /// With depth-µP (``DepthScaling``): the factor Adam's ε is multiplied by for this op (CompleteP's
    /// `m_N^-1 · (L/L₀)^-α` for a hidden op, 1 elsewhere or with another optimizer); `nil` without depth-µP.
    public var epsilonMultiplier: Double? = nil
}
