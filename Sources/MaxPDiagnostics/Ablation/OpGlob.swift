/// A shell-style pattern over op names (`blocks.*.attn.qk`, `readout`, `*.fc_?`): `*` matches any run of characters
/// (dots included, so `blocks.*` reaches every op inside the blocks), `?` exactly one character, anything else
/// itself. The pattern must match the whole name.
public struct OpGlob: Codable, Sendable, Hashable, CustomStringConvertible {
    /// The pattern as written.
    public var pattern: String

    /// Creates a pattern.
    public init(_ pattern: String) { self.pattern = pattern }

    /// Whether the pattern matches all of `name`.
    public func matches(_ name: String) -> Bool { Self.match(Array(pattern), Array(name)) }

    /// The names of `names` the pattern matches, in the given order.
    public func matches(in names: [String]) -> [String] { names.filter(matches) }

    /// The pattern.
    public var description: String { pattern }

    /// Iterative wildcard matching with backtracking to the last `*` (linear in practice, no recursion).
    private static func match(_ p: [Character], _ s: [Character]) -> Bool {
        var i = 0, j = 0
        var star: Int?, resume = 0
        while j < s.count {
            if i < p.count, p[i] == "?" || p[i] == s[j] {
                i += 1; j += 1
            } else if i < p.count, p[i] == "*" {
                star = i; resume = j; i += 1
            } else if let star {
                i = star + 1; resume += 1; j = resume
            } else {
                return false
            }
        }
        while i < p.count, p[i] == "*" { i += 1 }
        return i == p.count
    }
}
