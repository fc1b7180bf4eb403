import Foundation
import Testing

/// `--depth-alpha` / `--base-depth` on `coord-check`, `lr-transfer` and `train`.
@Suite("maxp-diagnose depth-µP options")
struct DepthOptionsTests {
    static let gpt = ["--model", "gpt", "--heads", "2", "--seq-len", "8", "--vocab", "32", "--batch", "2", "--quiet"]

    @Test func depthCoordCheckSpeaksInDepthUnits() throws {
        let folder = try CLI.folder()
        let outcome = try CLI.run(["coord-check"] + Self.gpt + ["--axis", "depth", "--widths", "2,4,8", "--seeds", "2",
                                   "--steps", "1", "--depth-alpha", "1", "--format", "svg", "--out", folder.path])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("slopes.json"))) as! [String: Any]
        #expect(json["axis"] as? String == "depth")
        let ops = try #require(json["ops"] as? [[String: Any]])
        let names = Set(ops.compactMap { $0["op"] as? String })
        #expect(names.isSuperset(of: ["first.add#1", "middle.attn.o", "last.add#1", "readout"]), "\(names.sorted())")
        #expect(!names.contains { $0.hasPrefix("blocks.") })
        let messages = ops.compactMap { $0["message"] as? String }
        #expect(!messages.contains { $0.contains("width^") })
        #expect(ops.allSatisfy { $0["suggested_delta_a"] is NSNull })
        let report = try String(contentsOf: folder.appendingPathComponent("report.md"), encoding: .utf8)
        #expect(report.contains("depth-alpha"), "the setting is reported")
    }

    @Test func refusedValuesExitWithTwo() throws {
        let folder = try CLI.folder()
        let mlp = try CLI.run(["coord-check", "--model", "mlp", "--axis", "depth", "--widths", "2,3,4", "--depth-alpha", "1",
                               "--quiet", "--out", folder.appendingPathComponent("mlp").path])
        #expect(mlp.status == 2)
        #expect(mlp.stderr.contains("--depth-alpha") && mlp.stderr.contains("no residual stream"), "\(mlp.stderr)")
        let odd = try CLI.run(["coord-check"] + Self.gpt + ["--depth-alpha", "0.7", "--out", folder.appendingPathComponent("odd").path])
        #expect(odd.status == 2 && odd.stderr.contains("0, 0.5 or 1"), "\(odd.stderr)")
        let base = try CLI.run(["train", "--model", "gpt", "--steps", "1", "--base-depth", "2",
                                "--out", folder.appendingPathComponent("base").path])
        #expect(base.status == 2 && base.stderr.contains("--base-depth"), "\(base.stderr)")
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("mlp").path))
    }

    @Test func trainAndLRTransferTakeDepthMuP() throws {
        let folder = try CLI.folder()
        let train = try CLI.run(["train", "--model", "gpt", "--depth", "4", "--steps", "2", "--depth-alpha", "0.5",
                                 "--base-depth", "2", "--out", folder.appendingPathComponent("train").path])
        #expect(train.status == 0, "\(train.stderr)")
        #expect(train.stdout.contains("depth-µP α 0.5, base depth 2"), "\(train.stdout)")
        let transfer = try CLI.run(["lr-transfer"] + Self.gpt + ["--depth", "2", "--widths", "16,32,64", "--lrs", "1e-3,1e-2,1e-1",
                                    "--steps", "2", "--seeds", "1", "--depth-alpha", "1", "--format", "svg",
                                    "--out", folder.appendingPathComponent("lr").path])
        #expect(transfer.status == 0, "\(transfer.stderr)")
    }
}
