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
    /// Another process is writing the same output folder (it holds the lock file `lock`).
    case busy(path: String, lock: String)
    /// The output folder already holds `entry`, which no run writes: a run replaces its whole folder, so it refuses
    /// a folder that is not an earlier run's.
    case notARunFolder(path: String, entry: String)
    /// Shards of one sweep disagree on a recorded setting.
    case shardMismatch(setting: String, first: String, firstValue: String, other: String, otherValue: String)
    /// Parts of a sharded sweep are missing (`missing` lists them as `i/N`).
    case missingShards(missing: [String], count: Int)
    /// An op glob of the figure choices matches none of the run's ops (`ops` lists them in graph order).
    case noMatchingOp(pattern: String, ops: [String])
    /// The figures are asked to plot mup's `mean` or `std`, which the run's data does not hold (no
    /// `coord_moments.csv`: a run written before they were recorded, or imported data without those columns).
    case statisticNotRecorded(statistic: String)
    /// Coord-check figure choices were given for a folder without a coordinate check (they would be ignored).
    case figureOptionsWithoutCoordCheck

    /// One line a user can act on.
    public var description: String { message(outputOption: nil) }

    /// The line; an unwritable folder's advice names `outputOption` when given (the CLI passes `--out`).
    public func message(outputOption: String?) -> String {
        switch self {
        case let .unwritableFolder(path, reason):
            "output folder '\(path)' is not writable: \(reason) (choose another \(outputOption ?? "output folder") or fix its permissions)"
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
        case let .busy(path, lock):
            "output folder '\(path)' is being written by another maxp-diagnose process right now (it holds '\(lock)'): wait for it to finish or write elsewhere"
        case let .notARunFolder(path, entry):
            "output folder '\(path)' already holds '\(entry)', which is not part of a maxp run: a run replaces its whole folder, so give a new or empty folder (or an earlier run's)"
        case let .shardMismatch(setting, first, firstValue, other, otherValue):
            "cannot merge: shard '\(first)' has \(setting) = \(firstValue) but shard '\(other)' has \(setting) = \(otherValue) (shards of one sweep share every setting)"
        case let .missingShards(missing, count):
            "cannot merge: the sweep has \(count) shards but shard\(missing.count == 1 ? "" : "s") \(missing.joined(separator: ", ")) \(missing.count == 1 ? "is" : "are") missing"
        case let .noMatchingOp(pattern, ops):
            "`\(pattern)` matches no op (the ops are \(ops.prefix(12).joined(separator: ", "))\(ops.count > 12 ? ", …" : ""); `*` stands for any run of characters)"
        case let .statisticNotRecorded(statistic) where statistic == "mean" || statistic == "std":
            "`\(statistic)` was not recorded for this run (its folder has no coord_moments.csv: an older run, or imported data without a `\(statistic)` column); plot l1, rms or delta_rms"
        case let .statisticNotRecorded(statistic):
            "`\(statistic)` was not recorded for this run (the column is nan in every row, as in imported mup data); plot a statistic the data holds"
        case .figureOptionsWithoutCoordCheck:
            "the folder holds no coordinate check (coord_data.csv), only LR-transfer data: the coord-check figure options (--statistic, --ops, --max-colored-ops) do not apply"
        }
    }
}
