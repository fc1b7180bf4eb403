import Foundation
import _MaxPSupport

/// Number and field formatting shared by the CSV and JSON files of the diagnostics.
enum TextFormat {
    /// Shortest text that parses back to exactly `value` (Swift's round-trip `description`); `nan`, `inf`, `-inf`
    /// for non-finite values.
    static func number(_ value: Double) -> String { DataNumber.text(value) }

    /// Parses a number written by ``number(_:)`` (see ``DataNumber/parse(_:)``); `nil` if invalid.
    static func parseNumber(_ text: String) -> Double? { DataNumber.parse(text) }

    /// A CSV field, quoted (RFC 4180) when it holds a comma, quote or line break.
    static func csvField(_ text: String) -> String { TextLines.csvField(text) }

    /// Splits one CSV line into fields (RFC 4180 quotes); `nil` when a quote is not closed (see ``TextLines``).
    static func splitCSVLine(_ line: Substring) -> [String]? { TextLines.csvFields(line) }

    /// The lines of a text without terminators (`\n`, `\r\n` or `\r`) or byte-order mark (see ``TextLines``).
    static func lines(of text: String) -> [Substring] { TextLines.split(text) }

    /// A readable one-line reason from a decoding error (see ``DecodingErrorText``).
    static func describe(_ error: any Error) -> String { DecodingErrorText.describe(error) }
}
