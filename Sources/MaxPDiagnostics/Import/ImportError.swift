/// A reading option of the importer that an error can be about; a front end names it in its own terms (the CLI maps
/// it to a flag).
public enum ImportSetting: String, CaseIterable, Sendable {
    /// Which statistic column to judge.
    case statistic
    /// The step that counts as initialization (`t = origin`).
    case tOrigin = "t_origin"
}

/// Why a coord-check CSV from outside (or the options to read it) cannot be judged. Every message names the file, and
/// where it can the 1-based line and the column.
public enum ImportError: Error, Equatable, CustomStringConvertible {
    /// The file could not be read.
    case unreadable(path: String, reason: String)
    /// The file has no header line.
    case empty(path: String)
    /// The header lacks a required column.
    case missingColumn(path: String, column: String, found: [String])
    /// The header has no statistic column we can judge.
    case noStatistic(path: String, found: [String])
    /// The statistic option names a statistic that is unknown or that the file does not hold.
    case unknownStatistic(path: String, requested: String, available: [String])
    /// A line has a different number of fields than the header.
    case raggedRow(path: String, line: Int, expected: Int, found: Int)
    /// A quoted field is not closed before the end of its line.
    case unterminatedQuote(path: String, line: Int)
    /// A field that must be a number (or an integer) is not.
    case invalidNumber(path: String, line: Int, column: String, text: String)
    /// A size is NaN or ±∞.
    case nonFinite(path: String, line: Int, column: String, text: String)
    /// A size (or width) is zero or negative.
    case nonPositive(path: String, line: Int, column: String, text: String)
    /// A step lies before the time origin.
    case stepBeforeOrigin(path: String, line: Int, t: Int, origin: Int)
    /// The time-origin option is neither 0 nor 1.
    case invalidTOrigin(Int)
    /// A tidy file holds the same (width, seed, t, op) twice.
    case duplicateRow(path: String, line: Int, firstLine: Int)
    /// Fewer than three widths: no slope can be judged.
    case tooFewWidths(path: String, column: String, widths: [Int])
    /// The file holds no rows (after dropping the root module and ignored ops).
    case noRows(path: String)

    /// A message a user can act on, naming the reading options by their library names (`statistic`, `t origin`).
    public var description: String { message { $0.rawValue.replacingOccurrences(of: "_", with: " ") } }

    /// The message with the reading options spelled by `name` (the CLI passes its flag names).
    public func message(naming name: (ImportSetting) -> String) -> String {
        switch self {
        case let .unreadable(path, reason): "cannot read `\(path)`: \(reason)"
        case let .empty(path): "`\(path)`, line 1: the file is empty (expected a CSV header)"
        case let .missingColumn(path, column, found):
            "`\(path)`, line 1: no column `\(column)` (header: \(found.joined(separator: ","))); a mup file needs "
                + "width,module,t and a statistic, a tidy file width (or axis_value),seed,t,module (or op) and a statistic"
        case let .noStatistic(path, found):
            "`\(path)`, line 1: no statistic column (header: \(found.joined(separator: ","))); expected l1, l2 (or rms) or delta_rms"
        case let .unknownStatistic(path, requested, available):
            "`\(path)`, line 1: `\(name(.statistic)) \(requested)` is not a column of this file; use one of "
                + (available.isEmpty ? "l1, rms" : available.joined(separator: ", "))
        case let .raggedRow(path, line, expected, found):
            "`\(path)`, line \(line): \(found) fields, expected \(expected) like the header"
        case let .unterminatedQuote(path, line): "`\(path)`, line \(line): a quoted field is not closed"
        case let .invalidNumber(path, line, column, text):
            "`\(path)`, line \(line), column `\(column)`: `\(text)` is not a number"
        case let .nonFinite(path, line, column, text):
            "`\(path)`, line \(line), column `\(column)`: `\(text)` is not finite (a diverged run cannot be judged; drop it or lower the learning rate)"
        case let .nonPositive(path, line, column, text):
            "`\(path)`, line \(line), column `\(column)`: `\(text)` is not positive (sizes and widths must be > 0)"
        case let .stepBeforeOrigin(path, line, t, origin):
            "`\(path)`, line \(line), column `t`: t = \(t) lies before the time origin \(origin) (set \(name(.tOrigin)) 0 if t = 0 is initialization)"
        case let .invalidTOrigin(value): "\(name(.tOrigin)) \(value): expected 0 (t = 0 is initialization) or 1 (mup's count)"
        case let .duplicateRow(path, line, firstLine):
            "`\(path)`, line \(line): the same width, seed, t and op as line \(firstLine)"
        case let .tooFewWidths(path, column, widths):
            "`\(path)`, column `\(column)`: only \(widths.count) width\(widths.count == 1 ? "" : "s") (\(widths.map(String.init).joined(separator: ", "))); a slope needs at least 3"
        case let .noRows(path): "`\(path)`: no data rows to judge"
        }
    }
}
