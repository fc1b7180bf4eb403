/// The parameter-free contraction `q·kᵀ` of attention, scaled by ``multiplier``: a module of its own so that it
/// has a path (`blocks.0.attn.qk`) and can be marked as a parametrized op like a weighted layer.
///
/// Under µP it is a readout-like op of width `d_head` with `a = 1` (multiplier `d_head^-1`); the common
/// `1/√d_head` scaling is `a = ½`, which leaves the logits growing like `width^½` once `q` and `k` align.
public final class AttentionLogits<Scalar: TensorScalar>: Module {
    /// The module's dotted path (`<attention path>.qk`).
    public var path = ""
    /// The contracted head dimension `d_head`: this op's width.
    public let headDimension: Int
    /// The factor multiplying `q·kᵀ` (`1/d_head` by default).
    public var multiplier: Scalar
    /// The parametrization marking; `nil` records no parametrized op.
    public var marking: OpMarking?

    /// Creates the op for heads of size `headDimension` with the given multiplier.
    public init(headDimension: Int, multiplier: Scalar) {
        self.headDimension = headDimension
        self.multiplier = multiplier
    }

    /// The parametrization role; setting one marks the op with width `d_head`.
    public var role: String? {
        get { marking?.role.rawValue }
        set { marking = newValue.map { OpMarking(role: LayerRole(rawValue: $0), width: headDimension) } }
    }

    /// `multiplier · q·kᵀ` for `q`, `k` of shape `[…, T, d_head]`, giving `[…, T, T]`.
    public func callAsFunction(queries: Variable<Scalar>, keys: Variable<Scalar>) -> Variable<Scalar> {
        applyMultiplier(
            tape: queries.tape, site: path, role: role, inputs: [queries, keys], multiplier: multiplier
        ) {
            queries.matmul(keys, transposeOther: true)
        }
    }

    /// `multiplier · q_h·k_hᵀ` per head for `q`, `k` of shape `[B, T, heads·d_head]` holding the heads side by side
    /// (as the projections produce them), giving `[B, heads, T, T]`: the same values as splitting the heads first,
    /// with no copies (``Variable/headScores(keys:heads:causal:)``; `causal`: only the scores at or below the
    /// diagonal reach the output, a causal softmax follows).
    public func callAsFunction(
        queries: Variable<Scalar>, keys: Variable<Scalar>, heads: Int, causal: Bool = false
    ) -> Variable<Scalar> {
        precondition(
            queries.shape.last == heads * headDimension,
            "AttentionLogits '\(path)': queries \(queries.shape) do not hold \(heads) heads of size \(headDimension)")
        return applyMultiplier(
            tape: queries.tape, site: path, role: role, inputs: [queries, keys], multiplier: multiplier
        ) {
            queries.headScores(keys: keys, heads: heads, causal: causal)
        }
    }
}
