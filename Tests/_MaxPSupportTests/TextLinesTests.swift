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
}
