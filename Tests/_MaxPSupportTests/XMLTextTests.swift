import Testing
import _MaxPSupport

@Suite("One XML escaper")
struct XMLTextTests {
    @Test("markup and quotes are escaped; forbidden characters dropped; line breaks and apostrophes as asked")
    func escaping() {
        let text = "a<b>&\"c\"'d'\u{1}\u{FFFE}\te\nf\r"
        #expect(XMLText.escaped(text) == "a&lt;b&gt;&amp;&quot;c&quot;&apos;d&apos;\te\nf\r")
        #expect(XMLText.escaped(text, apostrophes: false, lineBreaks: false) == "a&lt;b&gt;&amp;&quot;c&quot;'d'\tef")
        #expect(XMLText.escaped("µP width^-½") == "µP width^-½")
    }
}
