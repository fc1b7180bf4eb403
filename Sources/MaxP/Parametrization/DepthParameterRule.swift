/// One row of CompleteP's Table 1 (Dey et al. 2025) as depth-µP (``DepthScaling``) applies it: which parameters, and
/// how their learning rate and Adam's ε scale with the depth ratio `m_L = L / L₀` and the width ratio `m_N = n / n₀`.
///
/// ``description`` spells the rule out, e.g. `hidden weights: lr η · m_N^-c · m_L^-0.5; Adam ε · m_N^-1 · m_L^-0.5`.
public struct DepthParameterRule: Codable, Hashable, Sendable, CustomStringConvertible {
    /// The parameter classes the rules distinguish.
    public enum Parameters: String, Codable, Hashable, Sendable, CaseIterable {
        /// The projections inside the residual blocks (role `hidden`), with their biases.
        case hiddenWeights = "hidden weights"
        /// Every other parameter inside a residual block (``ResidualBlock``): the blocks' norm gains and biases.
        case blockNorms = "block norm gains and biases"
        /// Embeddings, the readout and the parameters after the blocks (the final norm).
        case outsideBlocks = "embeddings, readout, final norm"
    }

    /// Which parameters the row is for.
    public var parameters: Parameters
    /// The learning rate's width factor as written (`m_N^-c`: the op's solved `c`), or `nil` for none (`η` itself).
    public var learningRateWidth: String?
    /// The learning rate's depth exponent `e`: lr × `m_L^e`.
    public var learningRateDepthExponent: Double
    /// Adam's ε depth exponent (ε × `m_L^-α`), or `nil` when ε is left alone (other parameters, other optimizers).
    public var epsilonDepthExponent: Double?
    /// Whether Adam's ε is also multiplied by `m_N^-1`.
    public var epsilonScalesWithWidth: Bool

    /// Creates a row.
    public init(parameters: Parameters, learningRateWidth: String?, learningRateDepthExponent: Double,
                epsilonDepthExponent: Double?, epsilonScalesWithWidth: Bool) {
        self.parameters = parameters
        self.learningRateWidth = learningRateWidth
        self.learningRateDepthExponent = learningRateDepthExponent
        self.epsilonDepthExponent = epsilonDepthExponent
        self.epsilonScalesWithWidth = epsilonScalesWithWidth
    }

    /// `hidden weights: lr η · m_N^-c · m_L^-0.5; Adam ε · m_N^-1 · m_L^-0.5` (`ε unchanged` when it is).
    public var description: String {
        let lr = (["η"] + [learningRateWidth].compactMap { $0 }
            + (learningRateDepthExponent == 0 ? [] : ["m_L^\(Self.exponentText(learningRateDepthExponent))"])).joined(separator: " · ")
        let epsilon = epsilonDepthExponent.map { depth in
            (["Adam ε"] + (epsilonScalesWithWidth ? ["m_N^-1"] : []) + (depth == 0 ? [] : ["m_L^\(Self.exponentText(depth))"]))
                .joined(separator: " · ")
        } ?? "ε unchanged"
        return "\(parameters.rawValue): lr \(lr); \(epsilon)"
    }

    /// An exponent as the rules write it: `-0.5`, `1`, `0` (three decimals at most).
    public static func exponentText(_ value: Double) -> String {
        let rounded = (value * 1000).rounded() / 1000
        if rounded == 0 { return "0" }
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
    }
}
