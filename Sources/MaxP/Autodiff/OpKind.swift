/// What an op on the tape computes. Diagnostics group call sites by kind; tracing turns `add` into MIN merges and
/// `mul` into SUM merges.
public enum OpKind: String, Sendable, Codable, CaseIterable {
    /// A value fed from outside (data). Never differentiated into anything.
    case input
    /// A constant tensor created inside a computation (e.g. a mask).
    case constant
    /// A leaf standing for a trainable ``Parameter``.
    case parameter
    /// The output of a parametrized op: `width^-a · inner(x)` (see ``Tape/parametrized(site:role:inputs:multiplier:body:)``).
    case parametrized
    case matmul, add, sub, mul, div, scale, sum, mean, reshape, transpose
    case relu, gelu, silu, tanh, softmax, logSoftmax, layerNorm, rmsNorm
    case embedding, causalMask, crossEntropy, meanSquaredError
    case concat, neg, square, sqrt

    /// Whether this kind combines several tensors elementwise in a way tracing treats as a sum (MIN merge).
    public var isAdditive: Bool { self == .add || self == .sub }
    /// Whether this kind is an elementwise product (SUM merge in tracing).
    public var isMultiplicative: Bool { self == .mul || self == .div }
}
