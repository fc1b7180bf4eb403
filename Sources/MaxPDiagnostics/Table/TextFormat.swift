import Foundation

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

    /// Splits one CSV line into fields (RFC 4180 quotes); `nil` when a quote is not closed.
    static func splitCSVLine(_ line: Substring) -> [String]? {
        var fields: [String] = []
        var current = ""
        var inQuotes = false
        var index = line.startIndex
        while index < line.endIndex {
            let character = line[index]
            if inQuotes {
                if character == "\"" {
                    let next = line.index(after: index)
                    if next < line.endIndex && line[next] == "\"" {
                        current.append("\""); index = next
                    } else {
                        inQuotes = false
                    }
                } else {
                    current.append(character)
                }
            } else if character == "\"" {
                inQuotes = true
            } else if character == "," {
                fields.append(current); current = ""
            } else {
                current.append(character)
            }
            index = line.index(after: index)
        }
        if inQuotes { return nil }
        fields.append(current)
        return fields
    }

    /// The lines of a text, without line terminators (`\n` or `\r\n`), dropping one trailing empty line.
    static func lines(of text: String) -> [Substring] {
        var lines = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" })
        if lines.last?.isEmpty == true { lines.removeLast() }
        return lines
    }

    /// A JSON encoder with sorted keys and pretty printing (same data → same bytes); non-finite numbers as strings
    /// `"nan"`, `"inf"`, `"-inf"`.
    static func jsonEncoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return encoder
    }

    /// The decoder matching ``jsonEncoder()``.
    static func jsonDecoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return decoder
    }

    /// A readable one-line reason from a decoding error (with the coding path).
    static func describe(_ error: any Error) -> String {
        guard let decodingError = error as? DecodingError else { return String(describing: error) }
        func path(_ keys: [any CodingKey]) -> String {
            keys.isEmpty ? "top level" : keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
        }
        switch decodingError {
        case let .keyNotFound(key, context):
            return "missing key `\(key.stringValue)` at \(path(context.codingPath))"
        case let .typeMismatch(type, context):
            return "wrong type at \(path(context.codingPath)) (expected \(type)): \(context.debugDescription)"
        case let .valueNotFound(type, context):
            return "null or missing value at \(path(context.codingPath)) (expected \(type))"
        case let .dataCorrupted(context):
            return "invalid data at \(path(context.codingPath)): \(context.debugDescription)"
        @unknown default:
            return String(describing: decodingError)
        }
    }
}

/// Writes files atomically: to a temporary name in the same folder, then rename, so readers never see half a file.
public enum AtomicFile {
    /// Writes `data` to `url` atomically; throws the underlying I/O error.
    public static func write(_ data: Data, to url: URL) throws {
        let directory = url.deletingLastPathComponent()
        let temporary = directory.appendingPathComponent(".\(url.lastPathComponent).tmp-\(UUID().uuidString)")
        try data.write(to: temporary)
        // POSIX rename replaces the destination atomically.
        if rename(temporary.path, url.path) != 0 {
            let code = errno
            try? FileManager.default.removeItem(at: temporary)
            throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: String(cString: strerror(code))])
        }
    }
}
