import Foundation
import _MaxPSupport

/// One value of an experiment configuration document (`RUN.yaml`, `SWEEP.yaml`, a `config.json`), before it is
/// typed: what YAML and JSON can hold. Mappings keep the order of the file, so messages and expansions follow it.
///
/// Command-line options, a grid's `sweep` and `overrides` and the file itself all become values of this tree at a
/// dotted key (``setting(_:at:)``), and ``RunConfiguration/init(document:labels:)`` types the whole tree in one place.
public indirect enum ConfigValue: Sendable, Equatable, CustomStringConvertible {
    /// `null` / `~` / an empty value.
    case null
    /// `true` / `false`.
    case bool(Bool)
    /// A whole number.
    case integer(Int)
    /// A number with a fraction or an exponent.
    case number(Double)
    /// Text.
    case string(String)
    /// A list.
    case list([ConfigValue])
    /// A mapping, in the file's order.
    case map([(key: String, value: ConfigValue)])

    /// Structural equality; numbers compare by their bits, mappings by their entries in order.
    public static func == (lhs: ConfigValue, rhs: ConfigValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): true
        case let (.bool(a), .bool(b)): a == b
        case let (.integer(a), .integer(b)): a == b
        case let (.number(a), .number(b)): a.bitPattern == b.bitPattern
        case let (.string(a), .string(b)): a == b
        case let (.list(a), .list(b)): a == b
        case let (.map(a), .map(b)): a.count == b.count && zip(a, b).allSatisfy { $0.key == $1.key && $0.value == $1.value }
        default: false
        }
    }

    /// The value as written in a dry-run line, a run name and `grid.csv`: `32`, `0.01`, `adam`, `true`, `null`;
    /// lists and mappings in JSON-like brackets.
    public var description: String {
        switch self {
        case .null: "null"
        case let .bool(value): value ? "true" : "false"
        case let .integer(value): "\(value)"
        case let .number(value): value.isNaN ? "nan" : value.isInfinite ? (value > 0 ? "inf" : "-inf") : "\(value)"
        case let .string(value): value
        case let .list(values): "[" + values.map(\.description).joined(separator: ", ") + "]"
        case let .map(entries): "{" + entries.map { "\($0.key): \($0.value)" }.joined(separator: ", ") + "}"
        }
    }

    /// What kind of value this is, in plain words for messages (`a number`, `text "abc"`).
    public var kindDescription: String {
        switch self {
        case .null: "null"
        case let .bool(value): "\(value)"
        case let .integer(value): "\(value)"
        case let .number(value): "\(value)"
        case let .string(value): "\"\(value)\""
        case .list: "a list"
        case .map: "a mapping"
        }
    }

    /// The entries of a mapping (`nil` for any other value).
    public var entries: [(key: String, value: ConfigValue)]? {
        if case let .map(entries) = self { return entries }
        return nil
    }

    /// The value at `key` of a mapping.
    public subscript(key: String) -> ConfigValue? {
        entries?.first { $0.key == key }?.value
    }

    /// The value at a dotted key (`model.width`), `nil` when a part is missing.
    public func value(at dottedKey: String) -> ConfigValue? {
        var current: ConfigValue? = self
        for part in dottedKey.split(separator: ".", omittingEmptySubsequences: false) {
            current = current?[String(part)]
        }
        return current
    }

    /// This mapping with `value` set at a dotted key: missing mappings on the way are created, an existing entry is
    /// replaced in place (the order is kept), a new one appended.
    public func setting(_ value: ConfigValue, at dottedKey: String) -> ConfigValue {
        let parts = dottedKey.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        return setting(value, path: parts[...])
    }

    private func setting(_ value: ConfigValue, path: ArraySlice<String>) -> ConfigValue {
        guard let key = path.first else { return value }
        var entries = self.entries ?? []
        if let index = entries.firstIndex(where: { $0.key == key }) {
            entries[index].value = entries[index].value.setting(value, path: path.dropFirst())
        } else {
            entries.append((key, ConfigValue.map([]).setting(value, path: path.dropFirst())))
        }
        return .map(entries)
    }

    /// Every leaf (a value that is not a non-empty mapping) by dotted key, in document order.
    public var leaves: [(key: String, value: ConfigValue)] {
        guard let entries, !entries.isEmpty else { return [] }
        var result: [(key: String, value: ConfigValue)] = []
        for (key, value) in entries {
            if let inner = value.entries, !inner.isEmpty {
                result += value.leaves.map { (key: key + "." + $0.key, value: $0.value) }
            } else {
                result.append((key: key, value: value))
            }
        }
        return result
    }

    // MARK: JSON

    /// The value as a JSON object for `JSONSerialization` (`NSNull` for null).
    public var jsonObject: Any {
        switch self {
        case .null: NSNull()
        case let .bool(value): value
        case let .integer(value): value
        case let .number(value): value
        case let .string(value): value
        case let .list(values): values.map(\.jsonObject)
        case let .map(entries): Dictionary(entries.map { ($0.key, $0.value.jsonObject) }, uniquingKeysWith: { $1 })
        }
    }

    /// Pretty-printed JSON with sorted keys and a final newline (numbers in shortest round-trip form): the bytes of
    /// a `config.json`.
    public func jsonText() -> String {
        var text = ""
        write(into: &text, indent: "")
        return text + "\n"
    }

    private func write(into text: inout String, indent: String) {
        switch self {
        case .null: text += "null"
        case let .bool(value): text += value ? "true" : "false"
        case let .integer(value): text += "\(value)"
        case let .number(value):
            // JSON has no NaN or infinity; the configuration never holds them (they are refused when typed).
            text += value.isFinite ? "\(value)" : "null"
        case let .string(value): text += JSONFormat.quoted(value)
        case let .list(values):
            guard !values.isEmpty else { text += "[]"; return }
            text += "[\n"
            for (index, value) in values.enumerated() {
                text += indent + "  "
                value.write(into: &text, indent: indent + "  ")
                text += index == values.count - 1 ? "\n" : ",\n"
            }
            text += indent + "]"
        case let .map(entries):
            guard !entries.isEmpty else { text += "{}"; return }
            let sorted = entries.sorted { $0.key < $1.key }
            text += "{\n"
            for (index, entry) in sorted.enumerated() {
                text += indent + "  " + JSONFormat.quoted(entry.key) + ": "
                entry.value.write(into: &text, indent: indent + "  ")
                text += index == sorted.count - 1 ? "\n" : ",\n"
            }
            text += indent + "}"
        }
    }

}
