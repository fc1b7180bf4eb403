/// The one line splitter of every text-file reader (CSV data, coordinate tables, LR-transfer trials, alignment
/// history): real files end lines with `\n` (Unix), `\r\n` (Windows) or a lone `\r` (classic Mac), and may start with
/// a UTF-8 byte-order mark.
public enum TextLines {
    /// The lines of `text` without their terminators (`\n`, `\r\n` or `\r`) and without a leading byte-order mark;
    /// one trailing empty line (after a final terminator) is dropped, inner empty lines are kept so that line numbers
    /// in error messages match the file.
    public static func split(_ text: String) -> [Substring] {
        var body = Substring(text)
        if body.first == "\u{FEFF}" { body = body.dropFirst() }
        var lines = body.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" })
        if lines.last?.isEmpty == true { lines.removeLast() }
        return lines
    }
}
