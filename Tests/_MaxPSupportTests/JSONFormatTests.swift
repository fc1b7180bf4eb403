import Foundation
import Testing
import _MaxPSupport

@Suite("JSON string literals written by hand")
struct JSONFormatQuotedTests {
    @Test func quotedTextDecodesBackToItself() throws {
        let texts = ["plain", "a \"quoted\" word", "back\\slash", "line\nbreak\r\ttab", "bell\u{07}", "path/with/slashes", "µP ∝ width^-½"]
        for text in texts {
            let literal = JSONFormat.quoted(text)
            let decoded = try JSONDecoder().decode(String.self, from: Data(literal.utf8))
            #expect(decoded == text, "\(literal)")
        }
    }

    @Test func controlCharactersAreEscapedAndSlashesKept() {
        #expect(JSONFormat.quoted("a\u{01}/b\n") == #""a\u0001/b\n""#)
    }
}
