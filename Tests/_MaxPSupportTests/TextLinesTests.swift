import Testing
import _MaxPSupport

@Suite("One line splitter for every text file")
struct TextLinesTests {
    @Test("LF, CRLF and CR-only files give the same lines; a byte-order mark and one final terminator are dropped")
    func lineEndings() {
        let expected: [Substring] = ["a,b", "1,2", "", "3,4"]
        for text in ["a,b\n1,2\n\n3,4\n", "a,b\r\n1,2\r\n\r\n3,4\r\n", "a,b\r1,2\r\r3,4\r", "\u{FEFF}a,b\r\n1,2\n\r3,4"] {
            #expect(TextLines.split(text) == expected, "\(text.debugDescription)")
        }
        #expect(TextLines.split("").isEmpty)
        #expect(TextLines.split("x") == ["x"])
    }

    @Test("a CSV field is quoted only when it must be, and reads back")
    func csvFieldRoundTrip() {
        for text in ["fc_1", "blocks.0,attn", "say \"hi\"", "a\nb", "a\r\nb", ""] {
            let field = TextLines.csvField(text)
            #expect(TextLines.csvFields(Substring(field + ",x")) == [text, "x"], "\(text.debugDescription)")
        }
        #expect(TextLines.csvField("fc_1") == "fc_1")
        #expect(TextLines.csvField("a,b") == "\"a,b\"")
    }

    @Test("data numbers: shortest round trip, nan/inf spelled out and read back in any case")
    func dataNumbers() {
        for value in [0.1, -2.5e-7, 1e300, 0, .infinity, -.infinity] {
            #expect(DataNumber.parse(DataNumber.text(value)) == value)
        }
        #expect(DataNumber.text(.nan) == "nan" && DataNumber.parse(" NaN ")!.isNaN)
        #expect(DataNumber.parse("+Infinity") == .infinity && DataNumber.parse("") == nil && DataNumber.parse("x") == nil)
    }
}
