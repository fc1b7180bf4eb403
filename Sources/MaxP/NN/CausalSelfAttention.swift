/// How attention logits `q·kᵀ` are scaled.
public enum AttentionLogitScale: Sendable, Equatable {
    /// `1 / d_head` (µP: keeps logits of order 1 as the head dimension grows with aligned `q`, `k`).
    case inverseHeadDimension
    /// `1 / √d_head` (the standard transformer scaling).
    case inverseSquareRootHeadDimension
    /// A given factor.
    case custom(Double)

    func factor(headDimension: Int) -> Double {
        switch self {
        case .inverseHeadDimension: return 1 / Double(headDimension)
        case .inverseSquareRootHeadDimension: return 1 / Double(headDimension).squareRoot()
        case .custom(let value): return value
        }
    }
}

/// Multi-head causal self-attention: `o(softmax(mask(q·kᵀ · logitsMultiplier)) · v)` with the heads split from the
/// last axis.
///
/// Submodules `q`, `k`, `v`, `o` are width → width ``Linear`` layers. For input `[B, T, D]` with `H` heads of size
/// `d_head = D / H`, head `h` of the queries, keys and values is columns `h·d_head ..< (h+1)·d_head` of their last
/// axis; the logits `[B, H, T, T]` are masked causally (a position sees itself and earlier ones).
///
/// Parametrization hook (issue 3): the parameter-free product `q·kᵀ` is a readout-like op of width ``logitsWidth``
/// (`d_head`). Setting ``logitsRole`` (e.g. `readout`) records it as a parametrized op named `<path>.qk` with
/// multiplier ``logitsMultiplier`` and data inputs `q`, `k`; a parametrization then sets ``logitsMultiplier`` to
/// `d_head^-a`. Without a role the multiplier is applied as a plain scale (default `1/d_head`).
public final class CausalSelfAttention<Scalar: TensorScalar>: Module {
    /// The module's dotted path (e.g. `blocks.0.attn`).
    public var path = ""
    /// The model width `D`.
    public let width: Int
    /// The number of heads `H`.
    public let heads: Int
    /// The size of each head, `D / H`; also the width of the `q·kᵀ` op (``logitsWidth``).
    public let headDimension: Int
    /// The query projection.
    public let q: Linear<Scalar>
    /// The key projection.
    public let k: Linear<Scalar>
    /// The value projection.
    public let v: Linear<Scalar>
    /// The output projection.
    public let o: Linear<Scalar>
    /// The logits op `q·kᵀ` (submodule `qk`), which a parametrization can mark.
    public let logits: AttentionLogits<Scalar>
    /// The factor multiplying the logits `q·kᵀ` (`1/d_head` by default).
    public var logitsMultiplier: Scalar {
        get { logits.multiplier }
        set { logits.multiplier = newValue }
    }
    /// The parametrization role of `q·kᵀ`; `nil` (default) records no parametrized op.
    public var logitsRole: String? {
        get { logits.role }
        set { logits.role = newValue }
    }
    /// The width a parametrization uses for the `q·kᵀ` op: the contracted head dimension `d_head`.
    public var logitsWidth: Int { headDimension }
    /// The site name of the parametrized `q·kᵀ` op: `<path>.qk`.
    public var logitsSite: String { path.isEmpty ? "qk" : "\(path).qk" }

    /// Creates the four projections with default ``Linear`` initialization (`.deferred`: zero weights, nothing
    /// drawn).
    public init(
        width: Int, heads: Int, bias: Bool = true, logitScale: AttentionLogitScale = .inverseHeadDimension,
        using generator: inout SeededGenerator, initialization: WeightInitialization = .drawn
    ) {
        precondition(heads > 0 && width % heads == 0, "CausalSelfAttention: width \(width) is not divisible by \(heads) heads")
        self.width = width
        self.heads = heads
        headDimension = width / heads
        q = Linear(inputFeatures: width, outputFeatures: width, bias: bias, using: &generator,
                   initialization: initialization)
        k = Linear(inputFeatures: width, outputFeatures: width, bias: bias, using: &generator,
                   initialization: initialization)
        v = Linear(inputFeatures: width, outputFeatures: width, bias: bias, using: &generator,
                   initialization: initialization)
        o = Linear(inputFeatures: width, outputFeatures: width, bias: bias, using: &generator,
                   initialization: initialization)
        logits = AttentionLogits(
            headDimension: width / heads, multiplier: Scalar(logitScale.factor(headDimension: width / heads)))
    }

    public var submodules: [(name: String, module: any Module<Scalar>)] { [("q", q), ("k", k), ("qk", logits), ("v", v), ("o", o)] }

    /// Attends over `x` of shape `[B, T, width]`, giving `[B, T, width]`.
    ///
    /// The heads stay side by side in the last axis throughout: the per-head products read and write each head's
    /// columns in place (one GEMM per batch element and head, no transposes), the mask is fused into the softmax,
    /// and the products with the causal weights and score gradients skip their zero upper halves.
    public func callAsFunction(_ x: Variable<Scalar>) -> Variable<Scalar> {
        precondition(
            x.shape.count == 3 && x.shape[2] == width,
            "CausalSelfAttention '\(path)': input must be [batch, time, \(width)], got \(x.shape)")
        return x.tape.withScope(path) {
            let queries = q(x), keys = k(x), values = v(x)  // [B, T, H·d]
            let scores = logits(queries: queries, keys: keys, heads: heads, causal: true)  // [B, H, T, T]
            let weights = scores.causalSoftmax()
            return o(weights.mixingHeads(of: values, heads: heads, causal: true))  // [B, T, H·d]
        }
    }
}
