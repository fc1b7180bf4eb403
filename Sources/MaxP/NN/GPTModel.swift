/// The shape of a ``GPTModel``.
public struct GPTConfiguration: Codable, Equatable, Sendable {
    /// Number of token ids.
    public var vocabulary: Int
    /// Model width `D` (embedding size).
    public var width: Int
    /// Number of transformer blocks.
    public var depth: Int
    /// Number of attention heads per block (must divide `width`).
    public var heads: Int
    /// Longest sequence the position embedding covers.
    public var sequenceLength: Int
    /// Feed-forward hidden width as a multiple of `width`.
    public var mlpRatio: Int
    /// Whether linear layers and layer norms have biases.
    public var bias: Bool
    /// Whether attention logits are scaled by `1/d_head` (µP, default) instead of `1/√d_head`.
    public var inverseHeadDimensionLogits: Bool

    /// Creates a configuration.
    public init(
        vocabulary: Int, width: Int, depth: Int, heads: Int, sequenceLength: Int, mlpRatio: Int = 4,
        bias: Bool = true, inverseHeadDimensionLogits: Bool = true
    ) {
        self.vocabulary = vocabulary
        self.width = width
        self.depth = depth
        self.heads = heads
        self.sequenceLength = sequenceLength
        self.mlpRatio = mlpRatio
        self.bias = bias
        self.inverseHeadDimensionLogits = inverseHeadDimensionLogits
    }
}

/// A small GPT-style language model: token embedding `tok_emb` plus position embedding `pos_emb`, `depth`
/// pre-norm ``TransformerBlock``s `blocks.0 …`, a final ``LayerNorm`` `norm_f` and a bias-free readout `readout`
/// to vocabulary logits.
public final class GPTModel<Scalar: TensorScalar>: Module {
    /// The model's dotted path (`""` as a root).
    public var path = ""
    /// The configuration it was built from.
    public let configuration: GPTConfiguration
    /// Token embedding `[vocabulary, width]`.
    public let tokenEmbedding: Embedding<Scalar>
    /// Position embedding `[sequenceLength, width]`.
    public let positionEmbedding: Embedding<Scalar>
    /// The transformer blocks.
    public let blocks: ModuleList<TransformerBlock<Scalar>>
    /// The final norm.
    public let finalNorm: LayerNorm<Scalar>
    /// The readout to logits (no bias).
    public let readout: Linear<Scalar>

    /// Creates the model (embeddings `N(0, 1)`, linear layers `N(0, 1/fan_in)`) and assigns paths.
    ///
    /// With `initialization: .deferred` every embedding and linear weight is left at zero and nothing is drawn (norm
    /// gains are 1 as usual): use it when a ``Parametrization`` will re-initialize the model (after
    /// `markStandardRoles()` it re-draws every one of those weights), which must happen before use.
    public init(_ configuration: GPTConfiguration, using generator: inout SeededGenerator,
                initialization: WeightInitialization = .drawn) {
        let c = configuration
        self.configuration = c
        tokenEmbedding = Embedding(vocabulary: c.vocabulary, width: c.width, using: &generator,
                                   initialization: initialization)
        positionEmbedding = Embedding(vocabulary: c.sequenceLength, width: c.width, using: &generator,
                                      initialization: initialization)
        var blockList: [TransformerBlock<Scalar>] = []
        for _ in 0..<c.depth {
            blockList.append(
                TransformerBlock(
                    width: c.width, heads: c.heads, mlpRatio: c.mlpRatio, bias: c.bias,
                    logitScale: c.inverseHeadDimensionLogits ? .inverseHeadDimension : .inverseSquareRootHeadDimension,
                    using: &generator, initialization: initialization))
        }
        blocks = ModuleList(blockList)
        finalNorm = LayerNorm(width: c.width, bias: c.bias)
        readout = Linear(inputFeatures: c.width, outputFeatures: c.vocabulary, bias: false, using: &generator,
                         initialization: initialization)
        assignPaths()
    }

    /// Ties the input and output embeddings (mup#55): `readout` multiplies by `tok_emb`'s table from now on. Call
    /// it before parametrizing: the ``Parametrization`` draws and trains the shared table as the embedding's and
    /// gives the readout mup's `width^-1` relative multiplier (see ``TiedWeight``).
    public func tieEmbeddings() { readout.tie(to: tokenEmbedding) }

    /// Whether `readout` multiplies by `tok_emb`'s table (``tieEmbeddings()``).
    public var tiesEmbeddings: Bool { readout.weight === tokenEmbedding.weight }

    public var submodules: [(name: String, module: any Module<Scalar>)] {
        [("tok_emb", tokenEmbedding), ("pos_emb", positionEmbedding), ("blocks", blocks), ("norm_f", finalNorm),
         ("readout", readout)]
    }

    /// Logits `[batch, seqLen, vocabulary]` for `tokens` laid out row-major as `[batch, seqLen]`, recorded on `tape`.
    public func callAsFunction(
        tokens: [Int], batch: Int, seqLen: Int, on tape: Tape<Scalar>
    ) -> Variable<Scalar> {
        precondition(
            tokens.count == batch * seqLen,
            "GPTModel: \(tokens.count) tokens cannot be laid out as [batch \(batch), seqLen \(seqLen)]")
        precondition(
            seqLen <= configuration.sequenceLength,
            "GPTModel: sequence length \(seqLen) exceeds the position embedding's \(configuration.sequenceLength)")
        return tape.withScope(path) {
            var positions = [Int]()
            positions.reserveCapacity(tokens.count)
            for _ in 0..<batch { positions.append(contentsOf: 0..<seqLen) }
            var h = tokenEmbedding(tokens, shape: [batch, seqLen], on: tape)
                + positionEmbedding(positions, shape: [batch, seqLen], on: tape)
            for block in blocks { h = block(h) }
            return readout(finalNorm(h))
        }
    }
}
