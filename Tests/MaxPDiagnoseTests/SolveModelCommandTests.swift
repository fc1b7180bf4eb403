import Foundation
import Testing

/// `maxp-diagnose solve --model`: the layer table of a built-in model under a named parametrization.
@Suite("maxp-diagnose solve --model")
struct SolveModelCommandTests {
    @Test func mlpTablePrintsMuPLearningRateExponents() throws {
        let run = try SolveCommandTests.run([
            "solve", "--model", "mlp", "--parametrization", "mup", "--optimizer", "adam", "--alignment", "full", "--width", "128",
        ])
        #expect(run.status == 0, "\(run.stderr)")
        let lines = run.stdout.split(separator: "\n").map(String.init)
        let header = try #require(lines.first { $0.hasPrefix("name") })
        for column in ["role", "width", "a", "b", "c", "lr", "r", "alignment"] {
            #expect(header.split(separator: " ").contains(Substring(column)))
        }
        let hidden = try #require(lines.first { $0.hasPrefix("fc_2 ") }).split(separator: " ")
        #expect(hidden[1] == "hidden" && hidden[2] == "128" && hidden[5] == "1.0000")
        let readout = try #require(lines.first { $0.hasPrefix("readout ") }).split(separator: " ")
        #expect(readout[5] == "0.5000")
    }

    @Test func gptTableAsJSON() throws {
        let run = try SolveCommandTests.run([
            "solve", "--model", "gpt", "--parametrization", "mup", "--optimizer", "adam", "--alignment", "full", "--json",
        ])
        #expect(run.status == 0, "\(run.stderr)")
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [[String: Any]])
        let qk = try #require(rows.first { $0["name"] as? String == "blocks.0.attn.qk" })
        #expect(qk["role"] as? String == "readout" && qk["c"] == nil)
        #expect(rows.first { $0["name"] as? String == "readout" }?["c"] as? Double == 0.5)
    }

    @Test func badModelExitsWithTwo() throws {
        let run = try SolveCommandTests.run(["solve", "--model", "cnn"])
        #expect(run.status == 2)
        #expect(run.stderr.split(separator: "\n").count == 1)
    }
}
