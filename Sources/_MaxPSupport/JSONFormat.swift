import Foundation

/// The one JSON setup of every file the package writes and reads: sorted keys and pretty printing (the same value
/// gives the same bytes), non-finite numbers as the strings `"nan"`, `"inf"`, `"-inf"`.
public enum JSONFormat {
    /// How a file lays its JSON out; both sort their keys, so the same value gives the same bytes.
    public enum Layout: Sendable {
        /// Indented, slashes unescaped: the files people read (`slopes.json`, `run.json`, `solve --json`).
        case pretty
        /// One line, slashes escaped: machine state (`state.json`, checkpoints, the alignment history records).
        case compact
    }

    /// `text` as a JSON string literal, quotes included: `"`, `\`, newline, carriage return and tab escaped by
    /// name, the other control characters as `\u00XX`, everything else (`/` too) as is — for JSON written by hand
    /// in a fixed key order.
    public static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    /// The encoder of `layout` (sorted keys, non-finite numbers as strings; ``Layout/pretty`` by default).
    public static func encoder(_ layout: Layout = .pretty) -> JSONEncoder {
        let encoder = JSONEncoder()
        switch layout {
        case .pretty: encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        case .compact: encoder.outputFormatting = [.sortedKeys]
        }
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return encoder
    }

    /// The decoder matching ``encoder()``.
    public static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return decoder
    }

    /// `value` encoded with ``encoder()``, followed by a newline.
    public static func encode<T: Encodable>(_ value: T) throws -> Data {
        var data = try encoder().encode(value)
        data.append(0x0A)
        return data
    }

    /// Decodes `T` from `data`; the error is one plain-words line naming the key and what it should hold
    /// (see ``DecodingErrorText``).
    public static func decode<T: Decodable>(_ type: T.Type, from data: Data,
                                            decoder: JSONDecoder = decoder()) throws(JSONInputError) -> T {
        let document: Any
        do { document = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) } catch {
            throw JSONInputError(reason: "not valid JSON (\(DecodingErrorText.syntaxReason(error)))")
        }
        do { return try decoder.decode(T.self, from: data) } catch {
            throw JSONInputError(reason: DecodingErrorText.describe(error, type: T.self, document: document, decoder: decoder))
        }
    }
}

/// Why a JSON input could not be decoded, in plain words (`` `steps` must be a whole number, got 1.5 ``).
public struct JSONInputError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The reason.
    public var reason: String
    /// Creates an error.
    public init(reason: String) { self.reason = reason }
    /// The reason.
    public var description: String { reason }
}
