/// The one XML text escaper of the package (the JUnit report, the SVG text layer).
public enum XMLText {
    /// `text` safe inside XML content and double-quoted attributes: `& < > "` escaped (and `'` when `apostrophes`),
    /// characters XML 1.0 forbids dropped (control characters other than tab, U+FFFE, U+FFFF); line feeds and
    /// carriage returns are kept when `lineBreaks`, dropped otherwise.
    public static func escaped(_ text: String, apostrophes: Bool = true, lineBreaks: Bool = true) -> String {
        var result = ""
        result.reserveCapacity(text.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'" where apostrophes: result += "&apos;"
            case "\t": result.unicodeScalars.append(scalar)
            case "\n", "\r": if lineBreaks { result.unicodeScalars.append(scalar) }
            default:
                if scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF { continue }
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }
}
