import Foundation

/// A weight shared by two parametrized ops — tied input/output embeddings (mup#55): the readout multiplies by the
/// token embedding's table. The two roles want different things of the one weight (the embedding its own
/// init `σ · width^-b` and learning rate `η · width^-c`, the readout others, and a different output multiplier
/// `width^-a`); this value records what each wanted and how the conflict was resolved.
///
/// Resolution (mup's `MuSharedReadout`): the weight is drawn and trained as the `owner`'s (the embedding-role op,
/// else the one registered first); the `sharer` keeps its update scaling by taking the output multiplier `width^-a'` with
/// `a' = a + c − c_owner`, so `a' + c_owner = a + c`. Under µP that is `width^-1` relative to the embedding's
/// multiplier (``relativeMultiplierExponent``), mup's `output_mult / width_mult`. The sharer's init then scales
/// like `width^-(a' + b_owner)` instead of `width^-(a + b)` (``initExponentChange``).
public struct TiedWeight: Codable, Equatable, Sendable, CustomStringConvertible {
    /// The width exponents one op has or wants: multiplier `width^-a`, init `σ · width^-b`, learning rate
    /// `η · width^-c`, and the standard-parametrization init exponent it has at the base width (`n₀^-bStandard`).
    public struct Exponents: Codable, Equatable, Sendable {
        /// Output multiplier exponent.
        public var a: Double
        /// Initialization exponent.
        public var b: Double
        /// Learning-rate exponent.
        public var c: Double
        /// Init exponent at the base width (SP's `b`).
        public var bStandard: Double

        /// Creates exponents.
        public init(a: Double, b: Double, c: Double, bStandard: Double) {
            self.a = a; self.b = b; self.c = c; self.bStandard = bStandard
        }
    }

    /// One exponent the two roles disagree on (`b`, `c` or `b at the base width`).
    public struct Conflict: Codable, Equatable, Sendable {
        /// The exponent: `b`, `c` or `b_standard`.
        public var exponent: String
        /// The owner's value (which the weight keeps).
        public var owner: Double
        /// The value the sharer wanted.
        public var sharer: Double
    }

    /// The op whose init and learning rate the weight keeps (the token embedding).
    public var owner: String
    /// The owner's role.
    public var ownerRole: String
    /// The op that multiplies by the owner's weight (the readout).
    public var sharer: String
    /// The sharer's role.
    public var sharerRole: String
    /// The owner's exponents.
    public var ownerExponents: Exponents
    /// What the sharer would have had untied (its declared `a`, `b` and solved `c`).
    public var wanted: Exponents
    /// What the sharer got: `a' = a + c − c_owner`, the owner's `b`, `c`.
    public var applied: Exponents

    /// Creates the record of a tie from the two ops' exponents (the resolution is computed).
    public init(owner: String, ownerRole: String, sharer: String, sharerRole: String, ownerExponents: Exponents,
                wanted: Exponents) {
        self.owner = owner; self.ownerRole = ownerRole; self.sharer = sharer; self.sharerRole = sharerRole
        self.ownerExponents = ownerExponents
        self.wanted = wanted
        self.applied = Exponents(a: wanted.a + wanted.c - ownerExponents.c, b: ownerExponents.b, c: ownerExponents.c,
                                 bStandard: ownerExponents.bStandard)
    }

    /// The weight exponents the roles disagree on (empty: the tie costs nothing but a constant).
    public var conflicts: [Conflict] {
        [("b", ownerExponents.b, wanted.b), ("c", ownerExponents.c, wanted.c),
         ("b_standard", ownerExponents.bStandard, wanted.bStandard)]
            .filter { abs($0.1 - $0.2) > 1e-12 }.map { Conflict(exponent: $0.0, owner: $0.1, sharer: $0.2) }
    }

    /// `a' − a_owner`: the sharer's multiplier relative to the owner's (`1` under µP: `width^-1`, as mup's
    /// `MuSharedReadout`).
    public var relativeMultiplierExponent: Double { applied.a - ownerExponents.a }

    /// How much the sharer's init exponent moved: `(a' + b_owner) − (a + b)` (0: its output at init scales as untied).
    public var initExponentChange: Double { (applied.a + applied.b) - (wanted.a + wanted.b) }

    /// One paragraph naming both ops, the conflicting exponents and the resolution.
    public var description: String {
        func n(_ x: Double) -> String { ExponentText.format(x) }
        let wants = "`\(owner)` (\(ownerRole)) wants a = \(n(ownerExponents.a)), b = \(n(ownerExponents.b)), c = \(n(ownerExponents.c)); "
            + "`\(sharer)` (\(sharerRole)) wants a = \(n(wanted.a)), b = \(n(wanted.b)), c = \(n(wanted.c))"
        let conflictText = conflicts.isEmpty
            ? "the weight exponents agree"
            : "they conflict on " + conflicts.map { "\($0.exponent) (\(n($0.owner)) vs \(n($0.sharer)))" }.joined(separator: ", ")
        var text = "`\(sharer)` shares its weight with `\(owner)` (tied embeddings): \(wants); \(conflictText). "
            + "Resolved as mup's MuSharedReadout: the weight keeps `\(owner)`'s init and learning rate, and `\(sharer)` "
            + "gets the output multiplier width^-\(n(applied.a)) (width^-\(n(relativeMultiplierExponent)) relative to `\(owner)`'s)"
        if abs(initExponentChange) > 1e-12 {
            text += "; its output at init now scales like width^-\(n(applied.a + applied.b)) instead of width^-\(n(wanted.a + wanted.b))"
        }
        return text + "."
    }
}

/// Exponents as short text: `0.5`, `-0.5`, `1`, `0.3333`.
enum ExponentText {
    static func format(_ value: Double) -> String {
        let rounded = (value * 10_000).rounded() / 10_000
        if rounded == rounded.rounded() { return String(Int(rounded)) }
        var text = String(format: "%.4f", rounded)
        while text.hasSuffix("0") { text.removeLast() }
        return text
    }
}
