/// An elementwise nonlinearity a layer can be configured with.
public enum Activation: String, Codable, Sendable, CaseIterable {
    /// `max(x, 0)`.
    case relu
    /// The Gaussian error linear unit `x · Φ(x)` (exact, with `erf`).
    case gelu
    /// `x · sigmoid(x)` (swish).
    case silu
    /// The hyperbolic tangent.
    case tanh

    /// Applies the nonlinearity to `x`.
    public func callAsFunction<Scalar>(_ x: Variable<Scalar>) -> Variable<Scalar> {
        switch self {
        case .relu: return x.relu()
        case .gelu: return x.gelu()
        case .silu: return x.silu()
        case .tanh: return x.tanh()
        }
    }
}
