import Foundation

/// How data values map onto an axis: linearly, or through a logarithm of base 2 or 10.
///
/// A scale works in "transformed space": `forward` maps a data value there (identity or `log_base(value)`) and
/// `inverse` maps back. Axes are laid out linearly in transformed space. On a log scale, values ≤ 0, NaN and ±∞
/// have no position: they are *unplottable* and are marked at the panel edge instead of drawn.
public enum Scale: Equatable, Hashable, Sendable, CustomStringConvertible {
    /// Identity mapping.
    case linear
    /// Logarithm base 2 (powers of two are evenly spaced).
    case log2
    /// Logarithm base 10 (decades are evenly spaced).
    case log10

    /// The logarithm base, or nil for `.linear`.
    public var base: Double? {
        switch self {
        case .linear: nil
        case .log2: 2
        case .log10: 10
        }
    }

    /// Whether this is a logarithmic scale.
    public var isLogarithmic: Bool { base != nil }

    /// Whether `value` has a position on this scale (finite, and positive on log scales).
    public func canPlot(_ value: Double) -> Bool {
        guard value.isFinite else { return false }
        return isLogarithmic ? value > 0 : true
    }

    /// The value in transformed space, or nil if it is unplottable.
    public func forward(_ value: Double) -> Double? {
        guard canPlot(value) else { return nil }
        switch self {
        case .linear: return value
        case .log2: return Foundation.log2(value)
        case .log10: return Foundation.log10(value)
        }
    }

    /// The data value for a position in transformed space.
    public func inverse(_ transformed: Double) -> Double {
        switch self {
        case .linear: transformed
        case .log2: pow(2, transformed)
        case .log10: pow(10, transformed)
        }
    }

    /// Clamps a data range to what the scale can show: on a log scale a non-positive lower bound is replaced
    /// by `upper / base^6` (or 1 if both bounds are non-positive). Linear ranges are returned unchanged.
    public func clip(_ range: ClosedRange<Double>) -> ClosedRange<Double> {
        guard let base else { return range }
        let upper = range.upperBound > 0 && range.upperBound.isFinite ? range.upperBound : 1
        let lower = range.lowerBound > 0 && range.lowerBound.isFinite ? range.lowerBound : upper / pow(base, 6)
        return min(lower, upper)...max(lower, upper)
    }

    /// The tick locator used when an axis does not choose one.
    public var defaultLocator: any TickLocator {
        switch self {
        case .linear: LinearTickLocator()
        case .log2: LogTickLocator(base: 2)
        case .log10: LogTickLocator(base: 10)
        }
    }

    /// The tick formatter used when an axis does not choose one (`2^k` on log2, `10^k` on log10).
    public var defaultFormatter: any TickFormatter {
        switch self {
        case .linear: PlainNumberFormatter()
        case .log2: PowerFormatter(base: 2)
        case .log10: PowerFormatter(base: 10)
        }
    }

    /// `linear`, `log2` or `log10`.
    public var description: String {
        switch self {
        case .linear: "linear"
        case .log2: "log2"
        case .log10: "log10"
        }
    }
}
