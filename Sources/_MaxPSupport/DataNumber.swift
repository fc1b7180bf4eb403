import Foundation

/// The one spelling of numbers in the package's data files (CSV tables, LR-transfer trials, alignment history):
/// shortest round-trip decimals, and `nan`, `inf`, `-inf` for the non-finite values.
public enum DataNumber {
    /// `value` as a data file writes it.
    public static func text(_ value: Double) -> String {
        if value.isNaN { return "nan" }
        if value == .infinity { return "inf" }
        if value == -.infinity { return "-inf" }
        return value.description
    }

    /// Parses a number written by ``text(_:)`` (also `NaN`, `+inf`, `Infinity`, any case, surrounding blanks);
    /// `nil` if invalid.
    public static func parse(_ text: String) -> Double? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        switch trimmed.lowercased() {
        case "nan", "-nan", "+nan": return .nan
        case "inf", "+inf", "infinity", "+infinity": return .infinity
        case "-inf", "-infinity": return -.infinity
        default: return Double(trimmed)
        }
    }
}
