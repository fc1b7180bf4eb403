import Foundation
import Testing

/// With `--axis depth` the report, its notes, captions and `slopes.json` speak of depth (issue 12): no width prose
/// where the sweep varies the number of blocks, and the depth-µP rules listed with their factors.
@Suite("maxp-diagnose depth-axis prose")
struct DepthProseTests {
    @Test func aDepthReportSaysDepthWhereItMeansDepth() throws {
        let folder = try CLI.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let out = folder.appendingPathComponent("depth")
        let outcome = try CLI.run(["coord-check"] + DepthOptionsTests.gpt + ["--axis", "depth", "--widths", "2,4,8", "--seeds", "2",
                                   "--steps", "1", "--depth-alpha", "0.5", "--format", "svg", "--out", out.path])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let report = try String(contentsOf: out.appendingPathComponent("report.md"), encoding: .utf8)
        for phrase in ["grows with width", "sweeps width", "at width 8", "exponents predict", "from the declared exponents"] {
            #expect(!report.contains(phrase), "the depth report says `\(phrase)`")
        }
        for phrase in ["red grows with depth faster than it should", "Movement by t = 1 at depth 8",
                       "The GPT model keeps its width (128) and heads (2, d_head = 64) at every depth",
                       "GPT width 128, L blocks, 2 heads (d_head = 64)",
                       "against what depth-µP's theory predicts for α = 0.5",
                       "from depth-µP's theory of the residual stream for the branch exponent α",
                       "Depth-µP at depth 8 (α = 0.5, base depth 1, m_L = 8",
                       "block norm gains and biases: lr η · m_L^-0.5; Adam ε · m_N^-1 · m_L^-0.5 (group `_blocks`, 16 parameters"] {
            #expect(report.contains(phrase), "the depth report lacks `\(phrase)`")
        }
        // Each hidden layer's ε factor: (128/64)^-1 · 8^-½ (the sweeps' base width is 64); 1 outside the blocks.
        let run = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("run.json"))) as! [String: Any]
        let layers = try #require(run["layers"] as? [[String: Any]])
        let factors = Dictionary(uniqueKeysWithValues: layers.compactMap { layer in
            (layer["epsilonFactor"] as? Double).map { (layer["name"] as! String, $0) }
        })
        #expect(factors.count == layers.filter { $0["lr"] is Double }.count, "every weighted layer carries its factor")
        #expect(abs((factors["blocks.7.mlp.fc_out"] ?? 0) - 0.5 * pow(8, -0.5)) < 1e-12, "\(factors)")
        #expect(factors["readout"] == 1 && factors["tok_emb"] == 1, "\(factors)")
        let slopes = try String(contentsOf: out.appendingPathComponent("slopes.json"), encoding: .utf8)
        #expect(!slopes.contains("grows with width") && !slopes.contains("width doubling"))
    }

    @Test func aWidthReportKeepsItsWords() throws {
        let folder = try CLI.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let out = folder.appendingPathComponent("width")
        let outcome = try CLI.run(["coord-check"] + DepthOptionsTests.gpt + ["--depth", "1", "--widths", "32,64,128", "--seeds", "1",
                                   "--steps", "1", "--format", "svg", "--out", out.path])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let report = try String(contentsOf: out.appendingPathComponent("report.md"), encoding: .utf8)
        for phrase in ["red grows with width faster than it should", "Movement by t = 1 at width 128",
                       "The GPT model sweeps width at a fixed head count (2)", "from the declared exponents",
                       "2 heads (fixed: d_head = w/2 grows with width)"] {
            #expect(report.contains(phrase), "the width report lacks `\(phrase)`")
        }
        #expect(!report.contains("Depth-µP at depth"))
        let run = try String(contentsOf: out.appendingPathComponent("run.json"), encoding: .utf8)
        #expect(!run.contains("epsilonFactor"))
    }
}
