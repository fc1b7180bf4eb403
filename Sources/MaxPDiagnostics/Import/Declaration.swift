import Foundation

/// What a user declares about the ops of imported data (the `--declare` JSON): the parametrization and, per op or
/// glob, its role, exponents and data inputs.
///
/// ```json
/// {"parametrization": "mup",
///  "ops": [{"match": "readout", "role": "readout", "a": 1, "b": 0, "inputs": ["fc_3"]},
///          {"match": "fc_*", "role": "hidden"}]}
/// ```
/// `match` is an exact op name or a glob where `*` stands for any run of characters; the first matching entry wins.
/// `a` and `b` override the role's exponents under the parametrization (on any role `a` is an output multiplier
/// `width^-a`; `b`, the init size `width^-b` of a weight, only on `input`, `hidden`, `readout`). `inputs` name the ops
/// whose outputs feed this one (for blame). Unknown keys are errors, so that a typo is not silently ignored.
public struct Declaration: Sendable, Equatable {
    /// The parametrizations a declaration may name; `sp` is judged against the µP target.
    public enum Parametrization: String, Sendable, Equatable, CaseIterable {
        /// µP (maximal update).
        case mup
        /// Standard parametrization (judged against the µP target).
        case sp
        /// Neural-tangent parametrization.
        case ntk
        /// Mean-field parametrization.
        case mfp
    }

    /// One `ops` entry.
    public struct Entry: Sendable, Equatable {
        /// An exact op name or a glob with `*`.
        public var match: String
        /// The op's role.
        public var role: OpRole
        /// Output multiplier exponent override (`width^-a`).
        public var a: Double?
        /// Init exponent override (weights of size `width^-b`).
        public var b: Double?
        /// The ops feeding this one (`nil`: not declared).
        public var inputs: [String]?

        /// Creates an entry.
        public init(match: String, role: OpRole, a: Double? = nil, b: Double? = nil, inputs: [String]? = nil) {
            self.match = match; self.role = role; self.a = a; self.b = b; self.inputs = inputs
        }

        /// Whether `op` matches ``match`` (exact name or glob).
        public func matches(_ op: String) -> Bool { Declaration.glob(match, matches: op) }
    }

    /// The declared parametrization (default `mup`).
    public var parametrization: Parametrization
    /// The entries, first match wins.
    public var ops: [Entry]

    /// Creates a declaration.
    public init(parametrization: Parametrization = .mup, ops: [Entry] = []) {
        self.parametrization = parametrization
        self.ops = ops
    }

    /// The first entry matching `op`, with its position.
    public func entry(for op: String) -> (index: Int, entry: Entry)? {
        ops.enumerated().first { $0.element.matches(op) }.map { ($0.offset, $0.element) }
    }

    /// Reads a declaration file.
    public init(contentsOf url: URL) throws(DeclarationError) {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw .unreadable(path: url.path, reason: error.localizedDescription)
        }
        try self.init(json: data, path: url.path)
    }

    /// Parses declaration JSON (named `path` in messages).
    public init(json data: Data, path: String) throws(DeclarationError) {
        let object: Any
        do { object = try JSONSerialization.jsonObject(with: data) } catch {
            throw .malformed(path: path, at: "top level", reason: "not valid JSON (\(error.localizedDescription))")
        }
        guard let top = object as? [String: Any] else {
            throw .malformed(path: path, at: "top level", reason: "expected an object {\"parametrization\": …, \"ops\": […]}")
        }
        try Self.checkKeys(top, allowed: ["parametrization", "ops"], path: path, at: "top level")
        var parametrization = Parametrization.mup
        if let value = top["parametrization"] {
            guard let text = value as? String, let parsed = Parametrization(rawValue: text) else {
                throw .malformed(path: path, at: "parametrization",
                                 reason: "`\(value)` is not one of \(Parametrization.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            parametrization = parsed
        }
        var entries: [Entry] = []
        if let value = top["ops"] {
            guard let list = value as? [Any] else { throw .malformed(path: path, at: "ops", reason: "expected an array") }
            for (index, item) in list.enumerated() {
                let at = "ops[\(index)]"
                guard let fields = item as? [String: Any] else {
                    throw .malformed(path: path, at: at, reason: "expected an object with `match` and `role`")
                }
                try Self.checkKeys(fields, allowed: ["match", "role", "a", "b", "inputs"], path: path, at: at)
                guard let match = fields["match"] as? String, !match.isEmpty else {
                    throw .malformed(path: path, at: at + ".match", reason: "expected a non-empty op name or glob")
                }
                guard let roleText = fields["role"] as? String, let role = OpRole(rawValue: roleText) else {
                    throw .malformed(path: path, at: at + ".role", reason: "`\(fields["role"].map { "\($0)" } ?? "missing")` is not one of "
                                     + OpRole.allCases.map(\.rawValue).joined(separator: ", "))
                }
                func exponent(_ key: String) throws(DeclarationError) -> Double? {
                    guard let raw = fields[key] else { return nil }
                    // JSON `true` also bridges to NSNumber: tell it apart by its class.
                    guard let number = raw as? NSNumber, !String(describing: type(of: number)).contains("Boolean"),
                          number.doubleValue.isFinite else {
                        throw .malformed(path: path, at: "\(at).\(key)", reason: "expected a finite number")
                    }
                    return number.doubleValue
                }
                let a = try exponent("a"), b = try exponent("b")
                if b != nil, ![.input, .hidden, .readout].contains(role) {
                    throw .malformed(path: path, at: at + ".b", reason: "`b` (init size width^-b of a weight) applies to roles input, hidden and readout only")
                }
                var inputs: [String]?
                if let raw = fields["inputs"] {
                    guard let names = raw as? [String] else {
                        throw .malformed(path: path, at: at + ".inputs", reason: "expected an array of op names")
                    }
                    inputs = names
                }
                entries.append(Entry(match: match, role: role, a: a, b: b, inputs: inputs))
            }
        }
        self.init(parametrization: parametrization, ops: entries)
    }

    private static func checkKeys(_ object: [String: Any], allowed: Set<String>, path: String,
                                  at: String) throws(DeclarationError) {
        if let unknown = object.keys.sorted().first(where: { !allowed.contains($0) }) {
            throw .malformed(path: path, at: at, reason: "unknown key `\(unknown)` (allowed: \(allowed.sorted().joined(separator: ", ")))")
        }
    }

    /// Whether `text` matches `pattern`, where `*` stands for any run of characters (also none).
    public static func glob(_ pattern: String, matches text: String) -> Bool {
        let p = Array(pattern), s = Array(text)
        var i = 0, j = 0, star = -1, mark = 0
        while j < s.count {
            if i < p.count, p[i] != "*", p[i] == s[j] {
                i += 1; j += 1
            } else if i < p.count, p[i] == "*" {
                star = i; mark = j; i += 1
            } else if star >= 0 {
                i = star + 1; mark += 1; j = mark
            } else {
                return false
            }
        }
        while i < p.count, p[i] == "*" { i += 1 }
        return i == p.count
    }
}

/// Why a declaration cannot be used.
public enum DeclarationError: Error, Equatable, CustomStringConvertible {
    /// The file could not be read.
    case unreadable(path: String, reason: String)
    /// The JSON does not follow the declaration format.
    case malformed(path: String, at: String, reason: String)
    /// An entry's `inputs` names an op the data does not hold.
    case unknownInput(path: String, op: String, input: String)
    /// The declared inputs form a cycle.
    case cycle(path: String, op: String)

    /// A message a user can act on.
    public var description: String {
        switch self {
        case let .unreadable(path, reason): "cannot read declaration `\(path)`: \(reason)"
        case let .malformed(path, at, reason): "declaration `\(path)`, \(at): \(reason)"
        case let .unknownInput(path, op, input):
            "declaration `\(path)`: the inputs of `\(op)` name `\(input)`, which is not an op of the data"
        case let .cycle(path, op): "declaration `\(path)`: the inputs form a cycle through `\(op)`"
        }
    }
}
