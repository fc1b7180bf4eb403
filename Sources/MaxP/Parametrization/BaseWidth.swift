/// mup's *base shapes* for one model: the width of this model and the base width at which its parametrization equals
/// the standard parametrization (SP) exactly.
///
/// With a base, an op of width `n` in a model `ratio = width / base` times wider than the base has the base width
/// `n₀ = n / ratio` and gets
///
/// - output multiplier `n₀^-a_SP · ratio^-a`,
/// - initial standard deviation `σ · n₀^-b_SP · ratio^-b`,
/// - learning rate `η · ratio^-c` (SP's `c` is 0),
///
/// where `(a_SP, b_SP)` are the op's exponents under SP (``OpMarking/standard``, by default the `sp` table's row for
/// its role). The width slopes (`a`, `b`, `c`) are unchanged; only the constants move, so that at `width == base`
/// every op has SP's multiplier, SP's `σ · n^-b_SP` initialization and the global learning rate `η` — a learning
/// rate tuned on the base model carries over. Without a base, `n₀ = 1` and the formulas are the plain
/// `width^-a`, `σ · width^-b`, `η · width^-c`.
public struct BaseWidth: Codable, Hashable, Sendable, CustomStringConvertible {
    /// The width of the base model (where the parametrization equals SP).
    public var base: Int
    /// The width of this model.
    public var width: Int

    /// Creates base shapes; both widths must be positive (checked by ``Parametrization``).
    public init(base: Int, width: Int) {
        self.base = base
        self.width = width
    }

    /// `width / base`, mup's width multiplier.
    public var ratio: Double { Double(width) / Double(base) }

    /// `width w, base b`.
    public var description: String { "width \(width), base \(base)" }
}
