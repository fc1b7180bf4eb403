/// The three alignment exponents of one parametrized op (spec §3.1), each a base-`width` logarithm of how much larger
/// a matrix–vector product is than its factors' sizes suggest: `rms(A·x) = width^κ · rms(A) · rms(x)`.
///
/// `½` means independent factors (central-limit scaling), `1` means fully aligned factors.
public struct Alignment: Codable, Equatable, Hashable, Sendable {
    /// `α` (`align_z0_dW`): alignment of the weight update with the initial input, `κ(ΔW, z⁰)`.
    public var alpha: Double
    /// `ω` (`align_dZ_w0`): alignment of the input change with the initial weights, `κ(W⁰, Δz)`.
    public var omega: Double
    /// `u` (`align_dZ_dW`): alignment of the weight update with the input change, `κ(ΔW, Δz)`.
    public var u: Double

    /// Creates an alignment triple `(α, ω, u)`.
    public init(alpha: Double, omega: Double, u: Double) {
        self.alpha = alpha
        self.omega = omega
        self.u = u
    }

    /// The `"full"` preset `(α, ω, u) = (1, ½, 1)`: updates fully aligned with the data (the µP assumption).
    public static let full = Alignment(alpha: 1, omega: 0.5, u: 1)

    /// The `"no"` preset `(α, ω, u) = (½, ½, ½)`: every product behaves like independent random factors.
    public static let none = Alignment(alpha: 0.5, omega: 0.5, u: 0.5)

    /// The preset with the given name: `"full"` → ``full``, `"no"` (or `"none"`) → ``none``; `nil` otherwise.
    public init?(presetNamed name: String) {
        switch name.lowercased() {
        case "full": self = .full
        case "no", "none": self = .none
        default: return nil
        }
    }

    /// The three values in the order `(α, ω, u)`.
    public var values: [Double] { [alpha, omega, u] }
}
