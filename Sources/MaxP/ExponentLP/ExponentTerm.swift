/// One argument of a node's `r = min(…)` (spec §3.3–§3.5): a constant plus optional unit contributions of the node's
/// own learning-rate exponent `c`, its input exponent `r_in` and the SGD gradient scale `g_base`.
///
/// Every term is non-decreasing in `r_in` and `g_base`, which is what makes the LP relaxation of spec §3.11 exact.
struct ExponentTerm: Equatable, Sendable {
    /// The part that does not depend on any variable (a fixed c is folded in here).
    var constant: Double
    /// Whether the node's own free c enters with coefficient 1.
    var usesC: Bool = false
    /// Whether the node's input exponent `r_in` enters with coefficient 1.
    var usesInput: Bool = false
    /// Whether the SGD gradient scale `g_base` enters with coefficient 1.
    var usesGradientScale: Bool = false

    /// The term's value for given `c`, `r_in` and `g_base`.
    @inline(__always)
    func value(c: Double, input: Double, gradientScale: Double) -> Double {
        var total = constant
        if usesC { total += c }
        if usesInput { total += input }
        if usesGradientScale { total += gradientScale }
        return total
    }

    /// A readable form such as `0.5 + c + r_in`, for error messages.
    var formula: String {
        var parts = ["\(constant)"]
        if usesC { parts.append("c") }
        if usesInput { parts.append("r_in") }
        if usesGradientScale { parts.append("g_base") }
        return parts.joined(separator: " + ")
    }
}
