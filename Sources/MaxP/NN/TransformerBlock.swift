/// A pre-norm transformer block: `x + attn(norm1(x))`, then `x + mlp(norm2(x))`, with a GELU feed-forward part
/// (`mlp.fc_in`, `mlp.fc_out`).
public final class TransformerBlock<Scalar: TensorScalar>: Module {
    /// The block's dotted path (e.g. `blocks.0`).
    public var path = ""
    /// The norm before attention.
    public let norm1: LayerNorm<Scalar>
    /// The causal self-attention.
    public let attn: CausalSelfAttention<Scalar>
    /// The norm before the feed-forward part.
    public let norm2: LayerNorm<Scalar>
    /// The feed-forward part.
    public let mlp: FeedForward<Scalar>

    /// Creates a block of the given width with `heads` heads and a feed-forward hidden width of
    /// `mlpRatio · width` (`initialization: .deferred`: zero projection weights, nothing drawn).
    public init(
        width: Int, heads: Int, mlpRatio: Int = 4, bias: Bool = true,
        logitScale: AttentionLogitScale = .inverseHeadDimension, using generator: inout SeededGenerator,
        initialization: WeightInitialization = .drawn
    ) {
        norm1 = LayerNorm(width: width, bias: bias)
        attn = CausalSelfAttention(width: width, heads: heads, bias: bias, logitScale: logitScale, using: &generator,
                                   initialization: initialization)
        norm2 = LayerNorm(width: width, bias: bias)
        mlp = FeedForward(width: width, hiddenWidth: mlpRatio * width, activation: .gelu, bias: bias, using: &generator,
                          initialization: initialization)
    }

    public var submodules: [(name: String, module: any Module<Scalar>)] {
        [("norm1", norm1), ("attn", attn), ("norm2", norm2), ("mlp", mlp)]
    }

    /// Applies the block to `x` of shape `[B, T, width]`.
    public func callAsFunction(_ x: Variable<Scalar>) -> Variable<Scalar> {
        x.tape.withScope(path) {
            let h = x + attn(norm1(x))
            return h + mlp(norm2(h))
        }
    }
}
