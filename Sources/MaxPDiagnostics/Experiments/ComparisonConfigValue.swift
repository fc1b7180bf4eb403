import Foundation

/// One value of a run's `config.json` under a dotted key (`model.width`, `optimizer.lr_prefactor`): a number, a
/// string, a Boolean or null. Values compare and group by their ``text``; numbers sort numerically.
public enum ComparisonConfigValue: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// A JSON number.
    case number(Double)
    /// A JSON string.
    case text(String)
    /// A JSON Boolean.
    case bool(Bool)
    /// JSON null.
    case null

    /// The value as written in tables and file names: integral numbers without a decimal point (`64`), other
    /// numbers in Swift's shortest round-trip form (`0.05`), strings as they are.
    public var description: String {
        switch self {
        case .number(let value):
            if value.isFinite, value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
            return "\(value)"
        case .text(let text): return text
        case .bool(let flag): return flag ? "true" : "false"
        case .null: return "null"
        }
    }

    /// The number, when the value is one.
    public var number: Double? {
        if case .number(let value) = self { return value }
        return nil
    }

    /// Numbers first (numerically), then every other value by its text.
    public static func < (lhs: ComparisonConfigValue, rhs: ComparisonConfigValue) -> Bool {
        switch (lhs.number, rhs.number) {
        case let (l?, r?): return l < r
        case (.some, nil): return true
        case (nil, .some): return false
        case (nil, nil): return lhs.description < rhs.description
        }
    }

    /// The leaves of a JSON object under dotted keys (`{"model": {"width": 64}}` → `model.width = 64`); arrays
    /// become one text value (`[1,2]`). Throws when `data` is not a JSON object.
    public static func flatten(json data: Data) throws -> [String: ComparisonConfigValue] {
        guard case .object(let members) = try JSONDecoder().decode(JSONTree.self, from: data) else {
            throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "the top level is not a JSON object"))
        }
        var values: [String: ComparisonConfigValue] = [:]
        collect(members, prefix: "", into: &values)
        return values
    }

    private static func collect(_ members: [String: JSONTree], prefix: String, into values: inout [String: ComparisonConfigValue]) {
        for (key, tree) in members {
            let name = prefix.isEmpty ? key : "\(prefix).\(key)"
            switch tree {
            case .object(let nested): collect(nested, prefix: name, into: &values)
            case .leaf(let value): values[name] = value
            case .array(let items): values[name] = .text("[" + items.map(\.text).joined(separator: ",") + "]")
            }
        }
    }
}

/// A parsed JSON document, for flattening a config into dotted keys.
private indirect enum JSONTree: Decodable {
    case object([String: JSONTree])
    case array([JSONTree])
    case leaf(ComparisonConfigValue)

    init(from decoder: any Decoder) throws {
        if let keyed = try? decoder.container(keyedBy: AnyKey.self) {
            var members: [String: JSONTree] = [:]
            for key in keyed.allKeys { members[key.stringValue] = try keyed.decode(JSONTree.self, forKey: key) }
            self = .object(members)
            return
        }
        if var list = try? decoder.unkeyedContainer() {
            var items: [JSONTree] = []
            while !list.isAtEnd { items.append(try list.decode(JSONTree.self)) }
            self = .array(items)
            return
        }
        let single = try decoder.singleValueContainer()
        if single.decodeNil() { self = .leaf(.null) }
        else if let flag = try? single.decode(Bool.self) { self = .leaf(.bool(flag)) }
        else if let number = try? single.decode(Double.self) { self = .leaf(.number(number)) }
        else { self = .leaf(.text(try single.decode(String.self))) }
    }

    /// Compact text of an array item.
    var text: String {
        switch self {
        case .leaf(.text(let text)): "\"\(text)\""
        case .leaf(let value): value.description
        case .array(let items): "[" + items.map(\.text).joined(separator: ",") + "]"
        case .object(let members): "{" + members.keys.sorted().map { "\($0):\(members[$0]!.text)" }.joined(separator: ",") + "}"
        }
    }
}

private struct AnyKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}
