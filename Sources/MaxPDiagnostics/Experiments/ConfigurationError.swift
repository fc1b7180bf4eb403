/// Why an experiment configuration (a run's or a grid's) cannot be used; each message is one line naming the key
/// (as written in the file, or the command-line option that gave it) and what to do.
public enum ConfigurationError: Error, Equatable, CustomStringConvertible {
    /// The file cannot be read or parsed.
    case unreadable(path: String, reason: String)
    /// A key that is not part of the schema, with the keys known at that place.
    case unknownKey(key: String, known: [String])
    /// A value of the wrong type (`expected a number, got "abc"`).
    case wrongType(key: String, expected: String, found: String)
    /// A value of the right type outside its range, or values that do not fit together.
    case invalid(key: String, reason: String)
    /// A required key is missing.
    case missing(key: String, reason: String)
    /// The grid has no run.
    case emptyGrid(reason: String)
    /// The grid has more runs than allowed.
    case tooManyRuns(count: Int, limit: Int)
    /// A resumed run's configuration differs from the saved one.
    case resumeMismatch(key: String, saved: String, given: String)

    /// A message a user can act on.
    public var description: String {
        switch self {
        case let .unreadable(path, reason): "'\(path)': \(reason)"
        case let .unknownKey(key, known): "unknown key `\(key)` (known: \(known.joined(separator: ", ")))"
        case let .wrongType(key, expected, found): "\(key): expected \(expected), got \(found)"
        case let .invalid(key, reason): "\(key): \(reason)"
        case let .missing(key, reason): "\(key): missing (\(reason))"
        case let .emptyGrid(reason): "empty grid: \(reason)"
        case let .tooManyRuns(count, limit): "the grid has \(count) runs, more than the limit of \(limit) (raise the run limit or shrink the sweep)"
        case let .resumeMismatch(key, saved, given):
            "cannot resume: `\(key)` was \(saved) in the saved run but is \(given) now (resume with the run's own configuration; only steps and logging may change)"
        }
    }
}
