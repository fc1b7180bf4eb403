import Foundation

/// Turns tick values into label strings.
///
/// Labels may contain `^` for a superscript exponent (`2^6`, `10^-3`); the renderer draws the part after `^`
/// raised and smaller, and the layout report keeps the plain string so tests can compare it.
public protocol TickFormatter: Sendable {
    /// The label for one value.
    func label(for value: Double) -> String
    /// Labels for all ticks of an axis at once (lets formatters share a precision); defaults to `label(for:)`.
    func labels(for values: [Double]) -> [String]
}

extension TickFormatter {
    /// Formats each value on its own.
    public func labels(for values: [Double]) -> [String] { values.map(label(for:)) }
}

/// Shared number rendering used by the formatters.
enum NumberText {
    /// `value` with at most `significantDigits` significant digits, trailing zeros removed, `-0` shown as `0`.
    static func compact(_ value: Double, significantDigits: Int = 4) -> String {
        guard value.isFinite else { return value.isNaN ? "NaN" : (value > 0 ? "∞" : "-∞") }
        if value == 0 { return "0" }
        let magnitude = abs(value)
        if magnitude >= 1e5 || magnitude < 1e-3 {
            return scientific(value, significantDigits: significantDigits)
        }
        let digitsBeforePoint = Int(Foundation.log10(magnitude).rounded(.down)) + 1
        let decimals = max(0, significantDigits - digitsBeforePoint)
        return trimmed(String(format: "%.\(decimals)f", value))
    }

    /// `1e-3`, `2.5e6`: mantissa with trailing zeros removed, exponent without padding or plus sign.
    static func scientific(_ value: Double, significantDigits: Int = 3) -> String {
        let (mantissa, exponent) = split(value, significantDigits: significantDigits)
        return "\(mantissa)e\(exponent)"
    }

    /// Mantissa string and decimal exponent of `value`.
    static func split(_ value: Double, significantDigits: Int) -> (String, Int) {
        var exponent = Int(Foundation.log10(abs(value)).rounded(.down))
        var mantissa = value / pow(10, Double(exponent))
        let rounded = (mantissa * pow(10, Double(significantDigits - 1))).rounded() / pow(10, Double(significantDigits - 1))
        mantissa = rounded
        if abs(mantissa) >= 10 { mantissa /= 10; exponent += 1 }
        return (trimmed(String(format: "%.\(max(0, significantDigits - 1))f", mantissa)), exponent)
    }

    /// Removes trailing zeros after a decimal point, and the point itself if nothing follows.
    static func trimmed(_ text: String) -> String {
        guard text.contains(".") else { return text == "-0" ? "0" : text }
        var result = text
        while result.hasSuffix("0") { result.removeLast() }
        if result.hasSuffix(".") { result.removeLast() }
        return result == "-0" ? "0" : result
    }

    /// The integer k with base^k == value (within floating-point tolerance), or nil.
    static func exactExponent(of value: Double, base: Double) -> Int? {
        guard value > 0, value.isFinite else { return nil }
        let exponent = Foundation.log(value) / Foundation.log(base)
        let rounded = exponent.rounded()
        return abs(exponent - rounded) < 1e-9 * max(1, abs(exponent)) ? Int(rounded) : nil
    }
}

/// Plain decimal numbers (`0`, `0.25`, `64`, `1500`), with one precision shared by all ticks of an axis
/// (`0.0 0.5 1.0` reads as `0 0.5 1`), switching to compact scientific (`1e-5`) for very small or large values.
public struct PlainNumberFormatter: TickFormatter, Equatable {
    /// Most significant digits for a single label.
    public var significantDigits: Int
    /// Creates the formatter.
    public init(significantDigits: Int = 4) { self.significantDigits = significantDigits }

    /// One value, compactly.
    public func label(for value: Double) -> String { NumberText.compact(value, significantDigits: significantDigits) }

    /// Labels with as many decimals as the finest tick needs (at most 6).
    public func labels(for values: [Double]) -> [String] {
        let finite = values.filter { $0.isFinite && $0 != 0 }
        let largest = finite.map(abs).max() ?? 0
        let smallest = finite.map(abs).min() ?? 0
        if largest >= 1e5 || (smallest > 0 && smallest < 1e-3) { return values.map(label(for:)) }
        var decimals = 0
        while decimals < 6, !values.allSatisfy({ v in
            let scaled = v * pow(10, Double(decimals))
            return abs(scaled - scaled.rounded()) < 1e-6 * max(1, abs(scaled))
        }) { decimals += 1 }
        return values.map { value in
            let text = String(format: "%.\(decimals)f", value)
            return text.hasPrefix("-") && Double(text) == 0 ? String(text.dropFirst()) : text
        }
    }
}

/// Powers of a base written as `base^k` (`2^6`, `10^-3`); other values fall back to plain numbers.
/// With `showsExponent == false` it writes the value itself (`64`, `0.001`) for powers too.
public struct PowerFormatter: TickFormatter, Equatable {
    /// The base whose powers are written as `base^k`.
    public var base: Double
    /// Whether powers are written as `base^k` (true) or as plain numbers (false).
    public var showsExponent: Bool
    /// Creates the formatter.
    public init(base: Double, showsExponent: Bool = true) {
        self.base = base; self.showsExponent = showsExponent
    }

    /// `base^k` for exact powers, a compact plain number otherwise.
    public func label(for value: Double) -> String {
        if showsExponent, let k = NumberText.exactExponent(of: value, base: base) {
            return "\(NumberText.compact(base))^\(k)"
        }
        return NumberText.compact(value)
    }

    /// Per-value labels; if some ticks are not powers (a narrow log axis), all are written as plain numbers so
    /// that `0.05 0.1 0.2` does not mix with `10^-1`.
    public func labels(for values: [Double]) -> [String] {
        if values.contains(where: { NumberText.exactExponent(of: $0, base: base) == nil }) {
            return values.map { NumberText.compact($0) }
        }
        return values.map(label(for:))
    }
}

/// Compact scientific notation: `1e-3`, `2.5e4` (style `.eNotation`) or `10^-3`, `2.5×10^4` (style `.power`).
public struct ScientificFormatter: TickFormatter, Equatable {
    /// How the exponent is written.
    public enum Style: Equatable, Sendable {
        /// `1e-3`.
        case eNotation
        /// `10^-3`, with `mantissa×` in front when the mantissa is not 1.
        case power
    }
    /// How the exponent is written.
    public var style: Style
    /// Significant digits of the mantissa.
    public var significantDigits: Int
    /// Creates the formatter.
    public init(style: Style = .eNotation, significantDigits: Int = 3) {
        self.style = style; self.significantDigits = significantDigits
    }

    /// The value in scientific notation (`0` for zero).
    public func label(for value: Double) -> String {
        guard value.isFinite else { return NumberText.compact(value) }
        if value == 0 { return "0" }
        let (mantissa, exponent) = NumberText.split(value, significantDigits: significantDigits)
        switch style {
        case .eNotation: return "\(mantissa)e\(exponent)"
        case .power:
            if mantissa == "1" { return "10^\(exponent)" }
            if mantissa == "-1" { return "-10^\(exponent)" }
            return "\(mantissa)×10^\(exponent)"
        }
    }
}
