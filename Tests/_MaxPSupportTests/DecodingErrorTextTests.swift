import Foundation
import Testing
import _MaxPSupport

@Suite("Decoding errors in plain words")
struct DecodingErrorTextTests {
    struct Options: Decodable { var steps: Int?; var lr: Double?; var widths: [Int]?; var name: String? }

    func reason(_ json: String) -> String {
        do {
            _ = try JSONFormat.decode(Options.self, from: Data(json.utf8), decoder: JSONDecoder())
            return "decoded"
        } catch {
            return error.reason
        }
    }

    @Test("a fraction where a whole number is expected names the key and the value, not \"not valid JSON\"")
    func fractionForInteger() {
        #expect(reason(#"{"steps": 1.5}"#) == "`steps` must be a whole number in range, got 1.5")
        #expect(reason(#"{"lr": 0.1, "widths": [64, 2.5]}"#) == "`widths` must be a whole number in range, got 2.5 in the list")
    }

    @Test("a wrong type says what the key must hold and what it holds; broken JSON says so")
    func wrongType() {
        #expect(reason(#"{"steps": "3"}"#) == "`steps` must be a whole number, got the string \"3\"")
        #expect(reason(#"{"lr": "fast"}"#) == "`lr` must be a number, got the string \"fast\"")
        #expect(reason(#"{"name": 3}"#) == "`name` must be a string, got 3")
        #expect(reason(#"{"steps": 3,"#).hasPrefix("not valid JSON"))
        #expect(reason(#"{"steps": 3}"#) == "decoded")
    }
}
