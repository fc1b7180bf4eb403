/// The role of a parametrized op in the width-scaling rules: which `(a, b)` pair it takes from the table.
///
/// Roles are open: besides ``embedding``, ``hidden`` and ``readout``, a parametrization may define its own keys
/// through `(a, b)` overrides. The LP itself decides source / interior / sink from graph position, not from roles.
public struct LayerRole: RawRepresentable, Hashable, Codable, Sendable, ExpressibleByStringLiteral,
    CustomStringConvertible
{
    /// The role's name as it appears in tables and reports.
    public let rawValue: String
    /// Creates a role from its name.
    public init(rawValue: String) { self.rawValue = rawValue }
    /// Creates a role from a string literal.
    public init(stringLiteral value: String) { self.rawValue = value }

    /// Fixed fan-in, width fan-out (input projection, token embedding); `width` is its fan-out.
    public static let embedding: LayerRole = "embedding"
    /// Width fan-in and fan-out.
    public static let hidden: LayerRole = "hidden"
    /// Width fan-in, fixed fan-out (output head; also attention logits `q·kᵀ`).
    public static let readout: LayerRole = "readout"

    public var description: String { rawValue }
}

/// The exponents of one parametrized op: multiplier `width^-a`, initial standard deviation
/// `stdPrefactor · width^-b`, learning rate `lrPrefactor · width^-c`.
public struct ABExponents: Hashable, Codable, Sendable {
    /// Output-multiplier exponent: the op's output is multiplied by `width^-a`.
    public var a: Double
    /// Initialization exponent: weights start with standard deviation `stdPrefactor · width^-b`.
    public var b: Double
    /// Creates an `(a, b)` pair.
    public init(a: Double, b: Double) {
        self.a = a
        self.b = b
    }
}
