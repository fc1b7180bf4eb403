/// The declared width exponents of a parametrized op `h = width^-a · W z` (W initialized with entries of size
/// `width^-b`), or of a parameter-free contraction such as `q·kᵀ` with multiplier `width^-a`.
public struct ParametrizedExponents: Codable, Sendable, Equatable, Hashable {
    /// Output multiplier exponent: the op multiplies its output by `width^-a`.
    public var a: Double
    /// Initialization exponent: weight entries have size `width^-b` (ignored when ``hasWeight`` is false).
    public var b: Double
    /// The LP's update exponent for this op: its change since init scales as `width^-r`.
    public var r: Double
    /// Whether the op sums over a width-scaled dimension (hidden, readout, `q·kᵀ` with d_head ∝ width: true;
    /// embedding lookup / input projection from a fixed fan-in: false).
    public var contractsOverWidth: Bool
    /// Whether the op has a trainable weight (false for parameter-free contractions such as `q·kᵀ`).
    public var hasWeight: Bool
    /// Whether the weight starts at exactly zero (the output is exactly 0 at t = 0: verdict `zero`, no fit).
    public var isZeroInitialized: Bool
    /// Whether the op multiplies by an input embedding's table (tied embeddings): its input then holds that table's
    /// row of each token, so at init the contraction is partly coherent — its size can scale up to `width^½` faster
    /// than the independent `½ − (a + b)` (mup#55's readout sees `Σ_i W_xi²`).
    public var sharesInputWeight: Bool

    /// Creates declared exponents.
    public init(a: Double, b: Double, r: Double, contractsOverWidth: Bool, hasWeight: Bool = true,
                isZeroInitialized: Bool = false, sharesInputWeight: Bool = false) {
        self.a = a
        self.b = b
        self.r = r
        self.contractsOverWidth = contractsOverWidth
        self.hasWeight = hasWeight
        self.isZeroInitialized = isZeroInitialized
        self.sharesInputWeight = sharesInputWeight
    }

    /// The init-time slope of the op's output when its data inputs have slope 0:
    /// `½ − (a + b)` (contracting), `−(a + b)` (source), `½ − a` / `−a` without a weight.
    public var baseInitSlope: Double {
        let scale = hasWeight ? a + b : a
        return (contractsOverWidth ? 0.5 : 0) - scale
    }

    enum CodingKeys: String, CodingKey {
        case a, b, r, contractsOverWidth = "contracts_over_width", hasWeight = "has_weight",
             isZeroInitialized = "is_zero_initialized", sharesInputWeight = "shares_input_weight"
    }

    /// Decodes; `has_weight` defaults to true, `is_zero_initialized` and `shares_input_weight` to false when absent.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        a = try c.decode(Double.self, forKey: .a)
        b = try c.decodeIfPresent(Double.self, forKey: .b) ?? 0
        r = try c.decode(Double.self, forKey: .r)
        contractsOverWidth = try c.decode(Bool.self, forKey: .contractsOverWidth)
        hasWeight = try c.decodeIfPresent(Bool.self, forKey: .hasWeight) ?? true
        isZeroInitialized = try c.decodeIfPresent(Bool.self, forKey: .isZeroInitialized) ?? false
        sharesInputWeight = try c.decodeIfPresent(Bool.self, forKey: .sharesInputWeight) ?? false
    }

    /// Encodes; `shares_input_weight` only when set (files of untied models stay as they were).
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(a, forKey: .a); try c.encode(b, forKey: .b); try c.encode(r, forKey: .r)
        try c.encode(contractsOverWidth, forKey: .contractsOverWidth); try c.encode(hasWeight, forKey: .hasWeight)
        try c.encode(isZeroInitialized, forKey: .isZeroInitialized)
        if sharesInputWeight { try c.encode(sharesInputWeight, forKey: .sharesInputWeight) }
    }
}

/// One op call site of the model's graph, as ``Theory`` sees it.
///
/// The list of descriptors in ``CoordTableMetadata/ops`` is in topological order. `kind` is the parametrized role or
/// the op kind; the names ``Theory`` understands are listed on ``OpRule``. Inputs that are not call sites of the
/// graph (data, parameters) may be left out: a missing input counts as slope 0 (data does not scale with width).
public struct OpDescriptor: Codable, Sendable, Equatable, Hashable {
    /// The call site, e.g. `blocks.0.attn.qk`.
    public var op: String
    /// The role (`embedding`, `input`, `hidden`, `readout`, `attention_logits`/`qk`, see ``OpRole``) or kind (`relu`, `add`,
    /// `layerNorm`, `softmax`, `matmul`, …).
    public var kind: String
    /// The call sites whose outputs feed this op (data inputs only, not weights).
    public var inputs: [String]
    /// The declared exponents when the op is parametrized; `nil` for unparametrized ops.
    public var exponents: ParametrizedExponents?
    /// For an unparametrized op: an output multiplier `width^-a` on top of its rule (a declaration's `a` on a role
    /// such as `norm`); `nil` for none. Written as `multiplier_a` (absent when `nil`).
    public var multiplierA: Double?

    /// Creates a descriptor.
    public init(op: String, kind: String, inputs: [String] = [], exponents: ParametrizedExponents? = nil,
                multiplierA: Double? = nil) {
        self.op = op
        self.kind = kind
        self.inputs = inputs
        self.exponents = exponents
        self.multiplierA = multiplierA
    }

    enum CodingKeys: String, CodingKey { case op, kind, inputs, exponents, multiplierA = "multiplier_a" }

    /// How ``Theory`` treats this op.
    public var rule: OpRule { OpRule(kind: kind, isParametrized: exponents != nil) }

    /// Decodes; `inputs` defaults to empty.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        op = try c.decode(String.self, forKey: .op)
        kind = try c.decode(String.self, forKey: .kind)
        inputs = try c.decodeIfPresent([String].self, forKey: .inputs) ?? []
        exponents = try c.decodeIfPresent(ParametrizedExponents.self, forKey: .exponents)
        multiplierA = try c.decodeIfPresent(Double.self, forKey: .multiplierA)
    }
}

/// The propagation rule of an op, derived from its kind string (case-insensitive).
///
/// | rule | kinds |
/// |---|---|
/// | `parametrized` | any kind with declared exponents |
/// | `data` (slope 0, never changes) | `input`, `constant`, `data` |
/// | `elementwise` (follows its input) | `elementwise`, `relu`, `gelu`, `silu`, `tanh`, `sigmoid`, `scale`, `neg`, `reshape`, `transpose`, `causalMask`, `dropout`, `identity` |
/// | `residualSum` (max of inputs) | `add`, `sub`, `residual`, `concat` |
/// | `product` (sum of input slopes) | `mul`, `matmul` (a contraction over a fixed axis, e.g. probs·V), `attention_output` |
/// | `quotient` (first minus second) | `div` |
/// | `normalization` (0) | `layerNorm`, `rmsNorm`, `layer_norm`, `rms_norm`, `norm` |
/// | `softmax` (0) | `softmax` |
/// | `thetaOne` (mup's rule: slope 0 at init, at most 0 after training) | `theta_one` |
/// | `unknown` (no expectation) | anything else: losses, reductions, `logSoftmax`, `square`, `sqrt`, … |
public enum OpRule: String, Codable, Sendable {
    /// A parametrized op with declared exponents.
    case parametrized
    /// Data fed from outside: slope 0, no change.
    case data
    /// Elementwise map: same slope as its (first) input.
    case elementwise
    /// Residual sum / concatenation: the largest input slope.
    case residualSum
    /// Product or fixed-size contraction: the sum of the input slopes.
    case product
    /// Elementwise division: first input slope minus the second.
    case quotient
    /// LayerNorm / RMSNorm: 0 (the normalization hides the input's scale).
    case normalization
    /// Softmax over a fixed axis: 0.
    case softmax
    /// mup's own rule for an op of unknown role: Θ(1) at every width (slope 0 at init, no growth after training).
    case thetaOne = "theta_one"
    /// No theory for this kind.
    case unknown

    /// Classifies a kind string.
    public init(kind: String, isParametrized: Bool) {
        if isParametrized { self = .parametrized; return }
        switch kind.lowercased() {
        case "input", "constant", "data": self = .data
        case "elementwise", "relu", "gelu", "silu", "tanh", "sigmoid", "scale", "neg", "reshape", "transpose", "causalmask",
             "causal_mask", "dropout", "identity":
            self = .elementwise
        case "add", "sub", "residual", "concat": self = .residualSum
        case "mul", "matmul", "attention_output", "attentionoutput": self = .product
        case "div": self = .quotient
        case "layernorm", "rmsnorm", "layer_norm", "rms_norm", "norm": self = .normalization
        case "softmax": self = .softmax
        case "theta_one": self = .thetaOne
        default: self = .unknown
        }
    }
}
