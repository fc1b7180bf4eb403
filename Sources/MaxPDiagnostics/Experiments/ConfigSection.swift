/// Reads the typed values of one mapping of a configuration tree: refuses keys outside `known`, and names every
/// value by its label (the dotted key, or the command-line option that set it) in messages.
struct ConfigSection {
    /// The dotted key of the mapping (`""` at the top level).
    let path: String
    /// Its entries (none when the section is absent).
    let entries: [(key: String, value: ConfigValue)]
    /// Label per dotted key (keys without one are named by themselves).
    let labels: [String: String]

    /// The section at `path` of `document`; a present value that is not a mapping is a type error.
    init(_ document: ConfigValue, path: String, known: [String], labels: [String: String]) throws(ConfigurationError) {
        try self.init(value: path.isEmpty ? document : document.value(at: path), path: path, known: known, labels: labels)
    }

    /// The mapping `value` (absent or null: empty), named `path` in messages.
    init(value: ConfigValue?, path: String, known: [String], labels: [String: String]) throws(ConfigurationError) {
        self.path = path
        self.labels = labels
        switch value {
        case nil, .null?: entries = []
        case let .map(entries)?: self.entries = entries
        case let other?: throw .wrongType(key: labels[path] ?? path, expected: "a mapping of keys to values", found: other.kindDescription)
        }
        if let unknown = entries.first(where: { !known.contains($0.key) }) {
            throw .unknownKey(key: dotted(unknown.key), known: known.map { path.isEmpty ? $0 : dotted($0) })
        }
    }

    /// `path.key`.
    func dotted(_ key: String) -> String { path.isEmpty ? key : path + "." + key }

    /// How `key` is named in messages.
    func label(_ key: String) -> String { labels[dotted(key)] ?? dotted(key) }

    /// The raw value of `key` (`nil` when absent or null).
    func raw(_ key: String) -> ConfigValue? {
        guard let value = entries.first(where: { $0.key == key })?.value, value != .null else { return nil }
        return value
    }

    /// A whole number at least `minimum` (`fallback` when absent).
    func integer(_ key: String, minimum: Int? = nil, _ fallback: Int) throws(ConfigurationError) -> Int {
        try optionalInteger(key, minimum: minimum) ?? fallback
    }

    /// A whole number at least `minimum`, or `nil` when absent.
    func optionalInteger(_ key: String, minimum: Int? = nil) throws(ConfigurationError) -> Int? {
        guard let value = raw(key) else { return nil }
        guard case let .integer(number) = value else {
            throw .wrongType(key: label(key), expected: "a whole number", found: value.kindDescription)
        }
        if let minimum, number < minimum { throw .invalid(key: label(key), reason: "must be at least \(minimum), got \(number)") }
        return number
    }

    /// A finite number (`fallback` when absent); whole numbers are numbers too.
    func number(_ key: String, _ fallback: Double) throws(ConfigurationError) -> Double {
        try optionalNumber(key) ?? fallback
    }

    /// A finite number, or `nil` when absent.
    func optionalNumber(_ key: String) throws(ConfigurationError) -> Double? {
        guard let value = raw(key) else { return nil }
        let number: Double
        switch value {
        case let .integer(whole): number = Double(whole)
        case let .number(fraction): number = fraction
        default: throw .wrongType(key: label(key), expected: "a number", found: value.kindDescription)
        }
        guard number.isFinite else { throw .invalid(key: label(key), reason: "must be a finite number, got \(number)") }
        return number
    }

    /// `true` or `false` (`fallback` when absent).
    func bool(_ key: String, _ fallback: Bool) throws(ConfigurationError) -> Bool {
        guard let value = raw(key) else { return fallback }
        guard case let .bool(flag) = value else { throw .wrongType(key: label(key), expected: "true or false", found: value.kindDescription) }
        return flag
    }

    /// Text, or `nil` when absent.
    func optionalString(_ key: String) throws(ConfigurationError) -> String? {
        guard let value = raw(key) else { return nil }
        guard case let .string(text) = value else { throw .wrongType(key: label(key), expected: "text", found: value.kindDescription) }
        return text
    }

    /// Per-op assignments `GLOB.FIELD=VALUE` (``OpAssignment``): a list of them, or one as text (a grid sweeping
    /// this key gives one per run); empty when absent. A malformed one names the key and the entry.
    func assignments(_ key: String) throws(ConfigurationError) -> [OpAssignment] {
        let texts: [ConfigValue]
        switch raw(key) {
        case nil: return []
        case let .list(values)?: texts = values
        case let .string(text)?: texts = [.string(text)]
        case let other?:
            throw .wrongType(key: label(key), expected: "a list of GLOB.FIELD=VALUE texts (e.g. [\"readout.a=1\"])",
                             found: other.kindDescription)
        }
        var result: [OpAssignment] = []
        for value in texts {
            guard case let .string(text) = value else {
                throw .wrongType(key: label(key), expected: "GLOB.FIELD=VALUE texts (e.g. \"readout.a=1\")", found: value.kindDescription)
            }
            do { result.append(try OpAssignment(parsing: text, setting: .override)) } catch {
                guard case let .invalid(_, reason) = error else { throw .invalid(key: label(key), reason: error.description) }
                throw .invalid(key: label(key), reason: reason)
            }
        }
        return result
    }

    /// One of `choices` by its raw value (`fallback` when absent).
    func choice<T: RawRepresentable>(_ key: String, _ choices: [T], _ fallback: T) throws(ConfigurationError) -> T where T.RawValue == String {
        guard let value = raw(key) else { return fallback }
        let names = choices.map(\.rawValue)
        guard case let .string(text) = value, let match = choices.first(where: { $0.rawValue == text }) else {
            throw .wrongType(key: label(key), expected: "one of \(names.joined(separator: ", "))", found: value.kindDescription)
        }
        return match
    }
}
