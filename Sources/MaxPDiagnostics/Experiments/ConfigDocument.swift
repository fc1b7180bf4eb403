import Foundation
import Yams

/// Reads an experiment configuration file — YAML (through Yams) or JSON (a YAML subset, read the same way) — into a
/// ``ConfigValue`` tree. Scalars are typed by YAML's core schema (`64` an integer, `0.05` and `1e-3` numbers, `true`
/// a boolean — but `yes`, `no`, `on`, `off` are text —, `null`/`~` null, anything else text); quoted scalars are
/// always text.
public enum ConfigDocument {
    /// Parses `text` (from `source`, for messages); the top level must be a mapping.
    public static func parse(_ text: String, source: String) throws(ConfigurationError) -> ConfigValue {
        let node: Node?
        do { node = try Yams.compose(yaml: text) } catch {
            throw .unreadable(path: source, reason: "not valid YAML or JSON: \(Self.firstLine(of: error))")
        }
        guard let node else { throw .unreadable(path: source, reason: "the file is empty") }
        let value = try convert(node, source: source)
        guard value.entries != nil else {
            throw .unreadable(path: source, reason: "the top level must be a mapping of keys to values, got \(value.kindDescription)")
        }
        return value
    }

    /// Reads and parses the file at `url`.
    public static func read(_ url: URL) throws(ConfigurationError) -> ConfigValue {
        let text: String
        do { text = try InputFile.readText(url) } catch {
            throw .unreadable(path: url.path, reason: "cannot read it: \(error.reason)")
        }
        return try parse(text, source: url.path)
    }

    private static func convert(_ node: Node, source: String) throws(ConfigurationError) -> ConfigValue {
        switch node {
        case let .scalar(scalar):
            switch Tag.Name(rawValue: node.tag.rawValue) {
            case .null: return .null
            // YAML 1.1 also reads yes/no/on/off as booleans; here they stay text (`alignment: no` is the preset).
            case .bool where ["true", "false"].contains(scalar.string.lowercased()):
                if let value = node.bool { return .bool(value) }
            case .int: if let value = node.int { return .integer(value) }
            case .float: if let value = node.float { return .number(value) }
            default: break
            }
            return .string(scalar.string)
        case let .sequence(sequence):
            var values: [ConfigValue] = []
            for element in sequence { values.append(try convert(element, source: source)) }
            return .list(values)
        case let .mapping(mapping):
            var entries: [(key: String, value: ConfigValue)] = []
            for (keyNode, valueNode) in mapping {
                guard case let .scalar(key) = keyNode else {
                    throw .unreadable(path: source, reason: "a key must be plain text, got a \(keyNode.tag.rawValue)")
                }
                guard !entries.contains(where: { $0.key == key.string }) else {
                    throw .unreadable(path: source, reason: "key `\(key.string)` appears twice")
                }
                entries.append((key.string, try convert(valueNode, source: source)))
            }
            return .map(entries)
        case .alias:
            throw .unreadable(path: source, reason: "YAML aliases are not supported")
        }
    }

    private static func firstLine(of error: any Error) -> String {
        "\(error)".split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.first { !$0.isEmpty } ?? "\(error)"
    }
}
