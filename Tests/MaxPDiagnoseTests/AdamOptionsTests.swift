import Foundation
import Testing

/// `--beta1`, `--beta2` and `--adam-epsilon` on the sweep commands and `train`: checked (one line, exit 2), refused
/// with another optimizer, recorded in `run.json` / `config.json`, and shards that differ in them do not merge.
@Suite("maxp-diagnose Adam options")
struct AdamOptionsTests {
    static let mlp = ["--model", "mlp", "--input-dim", "8", "--depth", "2", "--batch", "8", "--widths", "16,32,64",
                      "--steps", "1", "--seeds", "1", "--format", "svg", "--quiet"]

    @Test func badValuesAndOtherOptimizersExitWithTwo() throws {
        let folder = try CLI.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let cases: [([String], String)] = [
            (["coord-check", "--beta2", "1"], "--beta2: β₂ must lie in [0, 1), got 1.0"),
            (["coord-check", "--beta1", "nan"], "--beta1"),
            (["coord-check", "--adam-epsilon", "0"], "--adam-epsilon: ε must be a positive finite number, got 0.0"),
            (["coord-check", "--optimizer", "sgd", "--beta1", "0.9"], "--beta1: Adam's β₁ means nothing to sgd"),
            (["lr-transfer", "--optimizer", "sgd", "--adam-epsilon", "1e-6", "--lrs", "1e-3,1e-2,1e-1"], "--adam-epsilon"),
            (["train", "--optimizer", "sgd", "--beta2", "0.99", "--steps", "1"], "--beta2: Adam's β₂ means nothing to sgd; give it with adam only"),
        ]
        for (index, (arguments, message)) in cases.enumerated() {
            let out = folder.appendingPathComponent("case\(index)")
            let outcome = try CLI.run(arguments + (arguments[0] == "train" ? [] : Self.mlp) + ["--out", out.path])
            #expect(outcome.status == 2, "\(arguments): \(outcome.stderr)")
            #expect(outcome.stderr.contains(message), "\(arguments): \(outcome.stderr)")
            #expect(outcome.stderr.split(separator: "\n").count == 1, "\(arguments): \(outcome.stderr)")
            #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent("report.md").path))
        }
    }

    @Test func theValuesAreRecordedAndShardsThatDifferDoNotMerge() throws {
        let folder = try CLI.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        func shard(_ index: Int, _ extra: [String]) throws -> URL {
            let out = folder.appendingPathComponent("part\(index)-\(extra.joined())")
            let outcome = try CLI.run(["coord-check"] + Self.mlp + ["--shard", "\(index)/2", "--out", out.path] + extra)
            #expect(outcome.status == 0, "\(outcome.stderr)")
            return out
        }
        let first = try shard(1, ["--beta2", "0.95", "--adam-epsilon", "1e-6"])
        let run = try JSONSerialization.jsonObject(with: Data(contentsOf: first.appendingPathComponent("run.json"))) as! [String: Any]
        let settings = (run["settings"] as? [[String: String]] ?? []).reduce(into: [String: String]()) { $0[$1["name"]!] = $1["value"] }
        #expect(settings["beta2"] == "0.95" && settings["adam-epsilon"] == "1e-06" && settings["beta1"] == nil, "\(settings)")
        let same = try shard(2, ["--beta2", "0.95", "--adam-epsilon", "1e-6"])
        let merged = try CLI.run(["merge", first.path, same.path, "--format", "svg", "--out", folder.appendingPathComponent("ok").path])
        #expect(merged.status == 0, "\(merged.stderr)")
        for other in [["--beta2", "0.99", "--adam-epsilon", "1e-6"], []] {
            let second = try shard(2, other)
            let refused = try CLI.run(["merge", first.path, second.path, "--out", folder.appendingPathComponent("bad").path])
            #expect(refused.status == 2 && refused.stderr.split(separator: "\n").count == 1, "\(refused.stderr)")
            #expect(refused.stderr.contains("0.95"), "\(refused.stderr)")
        }
    }

    @Test func trainWritesTheKeysToConfigJSON() throws {
        let folder = try CLI.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let out = folder.appendingPathComponent("train")
        let outcome = try CLI.run(["train", "--steps", "1", "--no-traces", "--beta1", "0.8", "--beta2", "0.95", "--adam-epsilon", "1e-6",
                                   "--out", out.path])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let config = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("config.json"))) as! [String: Any]
        let optimizer = try #require(config["optimizer"] as? [String: Any])
        #expect(optimizer["beta1"] as? Double == 0.8 && optimizer["beta2"] as? Double == 0.95 && optimizer["eps"] as? Double == 1e-6)
        // A resumed run refuses a changed β₂, naming the key.
        let resumed = try CLI.run(["train", "--resume", out.path, "--steps", "2", "--beta2", "0.9"])
        #expect(resumed.status == 2 && resumed.stderr.contains("optimizer.beta2"), "\(resumed.stderr)")
    }
}
