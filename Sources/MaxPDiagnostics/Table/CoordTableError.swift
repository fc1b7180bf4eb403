/// Why a coordinate table could not be read, written or merged.
public enum CoordTableError: Error, Equatable, CustomStringConvertible {
    /// The CSV's first line is not the contract header.
    case csvHeaderMismatch(found: String, expected: String)
    /// A CSV line has the wrong number of fields.
    case csvFieldCount(line: Int, expected: Int, found: Int)
    /// A numeric CSV field could not be parsed.
    case csvInvalidNumber(line: Int, column: String, text: String)
    /// A quoted CSV field is not closed before the end of the line.
    case csvUnterminatedQuote(line: Int)
    /// Two rows share (axis value, seed, t, op).
    case duplicateRow(key: CoordRowKey, firstShard: Int, secondShard: Int)
    /// Shards to merge sweep different axes.
    case axisMismatch(first: String, other: String, shard: Int)
    /// The JSON is malformed or does not match the table schema.
    case jsonDecoding(String)
    /// Encoding failed (should not happen for finite or nan/inf values).
    case encoding(String)
    /// Reading or writing a file failed.
    case io(path: String, reason: String)
    /// A CSV field holds a value no sweep can have (a width below 1, a negative seed or step).
    case csvImpossibleValue(line: Int, column: String, text: String, requirement: String)
    /// A row records a negative coordinate size (sizes are 0 or more; NaN/+∞ mark a divergence).
    case negativeSize(key: CoordRowKey, statistic: String, value: Double)
    /// The table holds no rows at all.
    case noRows
    /// Rows of the sweep are missing: `missing` of `expected` (job, t, op) rows, the first of them `first`.
    case incomplete(missing: Int, expected: Int, first: CoordRowKey)
    /// A line of `coord_moments.csv` (1-based) is malformed or names a row the table does not hold.
    case momentsCSV(line: Int, problem: String)

    /// A message a user can act on.
    public var description: String {
        switch self {
        case let .csvHeaderMismatch(found, expected):
            "coord table CSV, line 1: header is `\(found)`, expected exactly `\(expected)`"
        case let .csvFieldCount(line, expected, found):
            "coord table CSV, line \(line): \(found) fields, expected \(expected) (axis_value,seed,t,op,kind,l1,rms,delta_rms)"
        case let .csvInvalidNumber(line, column, text):
            "coord table CSV, line \(line): column `\(column)` holds `\(text)`, which is not a number (use nan/inf/-inf for non-finite values)"
        case let .csvUnterminatedQuote(line):
            "coord table CSV, line \(line): a quoted field is not closed"
        case let .duplicateRow(key, first, second):
            first == second
                ? "coord table shard \(first) holds \(key) twice"
                : "coord table shards \(first) and \(second) both hold \(key): shards must be disjoint (check the shard numbers i/N)"
        case let .axisMismatch(first, other, shard):
            "cannot merge coord tables: shard 0 sweeps `\(first)` but shard \(shard) sweeps `\(other)`"
        case let .jsonDecoding(reason):
            "coord table JSON does not match the schema: \(reason)"
        case let .encoding(reason):
            "coord table could not be encoded: \(reason)"
        case let .io(path, reason):
            "coord table file `\(path)`: \(reason)"
        case let .csvImpossibleValue(line, column, text, requirement):
            "coord table CSV, line \(line): column `\(column)` holds `\(text)`, but it must be \(requirement)"
        case let .negativeSize(key, statistic, value):
            "coord table gives \(key) the \(statistic) \(value), but a coordinate size is 0 or more (nan/inf for a divergence)"
        case .noRows:
            "coord table holds no data rows (only a header?): nothing to fit"
        case let .incomplete(missing, expected, first):
            "coord table is incomplete: \(missing) of \(expected) rows of the sweep are missing, e.g. \(first) (a cut or partial file?)"
        case let .momentsCSV(line, problem):
            "coord moments CSV, line \(line): \(problem)"
        }
    }
}
