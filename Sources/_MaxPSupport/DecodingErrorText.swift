import Foundation

/// The one describer of JSON decoding errors: which key, what it should hold, what it holds — in plain words.
public enum DecodingErrorText {
    /// A one-line reason for `error`. With the parsed `document` the value found is quoted; with `type` and a
    /// `decoder`, a top-level "not valid JSON" error on a document that IS valid JSON (what Foundation reports for a
    /// fraction or an out-of-range number where an integer is expected) is traced to its key.
    public static func describe(_ error: any Error, type: (any Decodable.Type)? = nil, document: Any? = nil,
                                decoder: JSONDecoder? = nil) -> String {
        guard let error = error as? DecodingError else { return String(describing: error) }
        switch error {
        case let .keyNotFound(key, context):
            let place = context.codingPath.isEmpty ? "" : " in \(path(context.codingPath))"
            return "missing key `\(key.stringValue)`\(place)"
        case let .typeMismatch(expected, context):
            return "\(subject(context.codingPath)) must be \(kind(of: expected))\(found(at: context.codingPath, in: document))"
        case let .valueNotFound(expected, context):
            return "\(subject(context.codingPath)) must be \(kind(of: expected)), got null"
        case let .dataCorrupted(context):
            if context.codingPath.isEmpty, let type, let document, let decoder,
               let culprit = numberCulprit(type: type, document: document, decoder: decoder) {
                return culprit
            }
            let detail = context.debugDescription.trimmingCharacters(in: CharacterSet(charactersIn: ". "))
            return context.codingPath.isEmpty ? detail : "\(subject(context.codingPath)): \(detail)"
        @unknown default:
            return String(describing: error)
        }
    }

    /// The reason a text is not JSON at all.
    static func syntaxReason(_ error: any Error) -> String {
        let nsError = error as NSError
        if let detail = nsError.userInfo[NSDebugDescriptionErrorKey] as? String { return detail }
        return "syntax error"
    }

    /// `` `ops[0].slope` `` (or `the top level`).
    static func path(_ keys: [any CodingKey]) -> String {
        var text = ""
        for key in keys {
            if let index = key.intValue, key.stringValue.hasPrefix("Index") || key.stringValue == "\(index)" {
                text += "[\(index)]"
            } else {
                text += (text.isEmpty ? "" : ".") + key.stringValue
            }
        }
        return text
    }

    static func subject(_ keys: [any CodingKey]) -> String {
        keys.isEmpty ? "the top level" : "`\(path(keys))`"
    }

    /// `an integer`, `a number`, `a string`, …
    static func kind(of type: Any.Type) -> String {
        let name = String(describing: type)
        switch name {
        case "Int", "Int32", "Int64", "UInt", "UInt64": return "a whole number"
        case "Double", "Float": return "a number"
        case "String": return "a string"
        case "Bool": return "true or false"
        default:
            if name.hasPrefix("Array") || name.hasPrefix("[") { return "a list" }
            if name.hasPrefix("Dictionary") { return "an object" }
            return "a valid \(name)"
        }
    }

    /// `, got "3"` — the value at `keys` in the parsed document, if known.
    static func found(at keys: [any CodingKey], in document: Any?) -> String {
        guard var value = document else { return "" }
        for key in keys {
            if let object = value as? [String: Any], let next = object[key.stringValue] {
                value = next
            } else if let array = value as? [Any], let index = key.intValue, array.indices.contains(index) {
                value = array[index]
            } else {
                return ""
            }
        }
        return ", got \(literal(value))"
    }

    static func literal(_ value: Any) -> String {
        switch value {
        case let text as String: return "the string \"\(text)\""
        case is NSNull: return "null"
        case let number as NSNumber: return number.stringValue
        case is [Any]: return "a list"
        case is [String: Any]: return "an object"
        default: return "\(value)"
        }
    }

    /// Foundation reports a fraction (or an out-of-range number) where an integer is expected as "the given data was
    /// not valid JSON" with no key. Find the key: decode the document one top-level key at a time.
    static func numberCulprit(type: any Decodable.Type, document: Any, decoder: JSONDecoder) -> String? {
        guard let object = document as? [String: Any] else { return nil }
        for key in object.keys.sorted() {
            guard let value = object[key],
                  let single = try? JSONSerialization.data(withJSONObject: [key: value], options: [.fragmentsAllowed]) else { continue }
            do { _ = try decoder.decode(type, from: single) } catch let error as DecodingError {
                guard case let .dataCorrupted(context) = error, context.codingPath.isEmpty else { continue }
                return "`\(key)` must be a whole number in range, got \(numbers(in: value))"
            } catch { continue }
        }
        return nil
    }

    /// The offending value: the number itself, or the non-whole numbers of a list.
    static func numbers(in value: Any) -> String {
        if let list = value as? [Any] {
            let bad = list.compactMap { $0 as? NSNumber }.filter { $0.doubleValue != $0.doubleValue.rounded() || abs($0.doubleValue) > 9e15 }
            if !bad.isEmpty { return bad.map(\.stringValue).joined(separator: ", ") + " in the list" }
            return literal(value)
        }
        return literal(value)
    }
}
