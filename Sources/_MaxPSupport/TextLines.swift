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

    /// `text` as one CSV field: quoted (RFC 4180, inner quotes doubled) when it holds a comma, a quote or a line break,
    /// so that ``csvFields(_:)`` reads it back.
    public static func csvField(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// The fields of one CSV line (RFC 4180: a field in double quotes may hold commas and doubled quotes `""`);
    /// `nil` when a quote is not closed.
    public static func csvFields(_ line: Substring) -> [String]? {
        var fields: [String] = []
        var current = ""
        var inQuotes = false
        var index = line.startIndex
        while index < line.endIndex {
            let character = line[index]
            if inQuotes {
                if character == "\"" {
                    let next = line.index(after: index)
                    if next < line.endIndex && line[next] == "\"" {
                        current.append("\""); index = next
                    } else {
                        inQuotes = false
                    }
                } else {
                    current.append(character)
                }
            } else if character == "\"" {
                inQuotes = true
            } else if character == "," {
                fields.append(current); current = ""
            } else {
                current.append(character)
            }
            index = line.index(after: index)
        }
        if inQuotes { return nil }
        fields.append(current)
        return fields
    }
}
