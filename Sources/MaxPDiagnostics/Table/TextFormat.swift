import Foundation
import _MaxPSupport

/// Number and field formatting shared by the CSV and JSON files of the diagnostics.
enum TextFormat {
    /// Shortest text that parses back to exactly `value` (Swift's round-trip `description`); `nan`, `inf`, `-inf`
    /// for non-finite values.
    static func number(_ value: Double) -> String {
        if value.isNaN { return "nan" }
        if value == .infinity { return "inf" }
        if value == -.infinity { return "-inf" }
        return value.description
    }

    /// Parses a number written by ``number(_:)`` (also `NaN`, `+inf`, `Infinity`, any case); `nil` if invalid.
    static func parseNumber(_ text: String) -> Double? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        switch trimmed.lowercased() {
        case "nan", "-nan", "+nan": return .nan
        case "inf", "+inf", "infinity", "+infinity": return .infinity
        case "-inf", "-infinity": return -.infinity
        default: break
        }
        guard !trimmed.isEmpty, let value = Double(trimmed) else { return nil }
        return value
    }

    /// A CSV field, quoted (RFC 4180) when it holds a comma, quote or line break.
    static func csvField(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// Splits one CSV line into fields (RFC 4180 quotes); `nil` when a quote is not closed (see ``TextLines``).
    static func splitCSVLine(_ line: Substring) -> [String]? { TextLines.csvFields(line) }

    /// The lines of a text without terminators (`\n`, `\r\n` or `\r`) or byte-order mark (see ``TextLines``).
    static func lines(of text: String) -> [Substring] { TextLines.split(text) }

    /// A readable one-line reason from a decoding error (see ``DecodingErrorText``).
    static func describe(_ error: any Error) -> String { DecodingErrorText.describe(error) }
}
