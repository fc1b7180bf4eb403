/// Why a report, a figure or a run folder could not be written or read. Every case names the path involved.
public enum ReportError: Error, Equatable, CustomStringConvertible {
    /// The output folder cannot be created or written.
    case unwritableFolder(path: String, reason: String)
    /// A file could not be written or moved into place.
    case cannotWrite(path: String, reason: String)
    /// An input file is missing.
    case missingInput(path: String, hint: String)
    /// An input file could not be read or parsed.
    case malformedInput(path: String, reason: String)
    /// A template could not be found or parsed.
    case template(name: String, reason: String)
    /// A figure could not be rendered.
    case rendering(path: String, reason: String)

    /// One line a user can act on.
    public var description: String {
        switch self {
        case let .unwritableFolder(path, reason):
            "output folder '\(path)' is not writable: \(reason) (choose another --out or fix its permissions)"
        case let .cannotWrite(path, reason):
            "cannot write '\(path)': \(reason)"
        case let .missingInput(path, hint):
            "missing input '\(path)': \(hint)"
        case let .malformedInput(path, reason):
            "cannot read '\(path)': \(reason)"
        case let .template(name, reason):
            "report template '\(name)': \(reason) (set MAXP_TEMPLATES to a folder holding the Templates files)"
        case let .rendering(path, reason):
            "cannot render '\(path)': \(reason)"
        }
    }
}
