import Foundation
import Testing

/// Runs the built `maxp-diagnose train` and checks its contract: history.csv (`step,layer,alpha,omega,u,c,lr,loss`,
/// one row per layer per step) and state.json in --out; c constant without --dynamic; exit 2 on bad input; exit 1 with
/// partial results on a NaN loss.
@Suite("maxp-diagnose train")
struct TrainCommandTests {
    static func folder() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("maxp-train-\(UUID().uuidString)")
    }

    static func rows(_ folder: URL) throws -> [[String]] {
        let text = try String(contentsOf: folder.appendingPathComponent("history.csv"), encoding: .utf8)
        return text.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
    }

    @Test func dynamicMLPRunWritesHistoryAndState() throws {
        let out = Self.folder()
        defer { try? FileManager.default.removeItem(at: out) }
        let run = try SolveCommandTests.run([
            "train", "--model", "mlp", "--width", "64", "--parametrization", "mup", "--optimizer", "adam",
            "--alignment", "full", "--dynamic", "--steps", "5", "--lr", "0.5", "--warmup-steps", "1",
            "--solve-interval", "2", "--seed", "3", "--out", out.path,
        ])
        #expect(run.status == 0, "\(run.stderr)")
        let rows = try Self.rows(out)
        #expect(rows.first == ["step", "layer", "alpha", "omega", "u", "c", "lr", "loss"])
        #expect(rows.count == 1 + 4 * 5)  // fc_1, fc_2, fc_3, readout × 5 steps
        #expect(rows.dropFirst().allSatisfy { $0.count == 8 && Double($0[7])!.isFinite })
        let hiddenC = rows.dropFirst().filter { $0[1] == "fc_2" }.map { Double($0[5])! }
        #expect(hiddenC[0] == 1 && hiddenC[1] < 1)  // warmup step 1, first solve at step 2
        let state = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("state.json"))) as? [String: Any]
        #expect(state?["completedSteps"] as? Int == 5)
        #expect(state?["format"] as? String == "maxp-alignment-controller-1")
        // The per-layer traces are drawn next to the history: a PNG (signature) and an SVG.
        let png = try Data(contentsOf: out.appendingPathComponent("alignment.png"))
        #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]))
        let svg = try String(contentsOf: out.appendingPathComponent("alignment.svg"), encoding: .utf8)
        #expect(svg.contains("<svg"))
    }

    @Test func staticRunKeepsCConstantAndGPTRuns() throws {
        let out = Self.folder()
        defer { try? FileManager.default.removeItem(at: out) }
        let run = try SolveCommandTests.run([
            "train", "--model", "gpt", "--parametrization", "mup", "--optimizer", "adam", "--alignment", "full",
            "--steps", "3", "--lr", "0.01", "--out", out.path,
        ])
        #expect(run.status == 0, "\(run.stderr)")
        let rows = try Self.rows(out).dropFirst()
        let layers = Set(rows.map { $0[1] })
        #expect(layers.contains("blocks.0.attn.q") && layers.contains("readout") && !layers.contains("blocks.0.attn.qk"))
        #expect(rows.count == layers.count * 3)
        for layer in layers {
            #expect(Set(rows.filter { $0[1] == layer }.map { $0[5] }).count == 1, "c of \(layer) changed")
        }
        // Alignment is still measured (not the preset α = 1 everywhere).
        #expect(rows.contains { $0[1] == "blocks.0.attn.v" && Double($0[2])! != 1 })
    }

    @Test func badInputExitsWithTwo() throws {
        let out = Self.folder()
        defer { try? FileManager.default.removeItem(at: out) }
        let cases: [[String]] = [
            ["train", "--model", "resnet", "--steps", "2", "--out", out.path],
            ["train", "--model", "mlp", "--steps", "abc", "--out", out.path],
            ["train", "--model", "mlp", "--steps", "0", "--out", out.path],
            ["train", "--model", "mlp", "--lr=-1", "--out", out.path], ["train", "--model", "mlp", "--lr", "0", "--out", out.path],
            ["train", "--model", "mlp", "--steps", "2"],
            ["train", "--model", "mlp", "--parametrization", "xyz", "--out", out.path],
            ["train", "--model", "gpt", "--width", "30", "--heads", "4", "--out", out.path],
            ["train", "--model", "mlp", "--optimizer", "rmsprop", "--out", out.path],
        ]
        for arguments in cases {
            let run = try SolveCommandTests.run(arguments)
            #expect(run.status == 2, "\(arguments)")
            #expect(run.stderr.split(separator: "\n").count == 1, "\(arguments): \(run.stderr)")
        }
    }

    @Test func divergenceExitsWithOneAndKeepsResults() throws {
        let out = Self.folder()
        defer { try? FileManager.default.removeItem(at: out) }
        let run = try SolveCommandTests.run([
            "train", "--model", "mlp", "--dynamic", "--steps", "6", "--lr", "1e30", "--out", out.path,
        ])
        #expect(run.status == 1)
        #expect(run.stderr.contains("nan"))
        let rows = try Self.rows(out)
        #expect(rows.count > 1 && (rows.count - 1) % 4 == 0)
        #expect(rows.last?[7] == "nan")
        #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("state.json").path))
    }
}
