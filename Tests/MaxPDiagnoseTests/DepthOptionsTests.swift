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

extension DepthOptionsTests {
    /// `train`'s depth-µP keys: a config file's `maxp.depth_alpha` / `maxp.base_depth` give the options' run byte for
    /// byte, `config.json` holds them, a resumed run refuses a changed α naming the key, the MLP refuses them (one
    /// line, exit 2, nothing written) and a grid sweeps them.
    @Test func depthMuPIsARunConfigurationKey() throws {
        let folder = try CLI.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let flags = folder.appendingPathComponent("flags"), file = folder.appendingPathComponent("file")
        let byFlags = try CLI.run(["train", "--model", "gpt", "--depth", "4", "--steps", "2", "--depth-alpha", "1",
                                   "--base-depth", "2", "--no-traces", "--out", flags.path])
        #expect(byFlags.status == 0, "\(byFlags.stderr)")
        let config = folder.appendingPathComponent("run.yaml")
        try """
            model: {name: gpt, depth: 4}
            maxp: {depth_alpha: 1, base_depth: 2}
            steps: 2
            logging: {traces: false}
            """.write(to: config, atomically: true, encoding: .utf8)
        let byFile = try CLI.run(["train", "--config", config.path, "--out", file.path])
        #expect(byFile.status == 0 && byFile.stdout.contains("depth-µP α 1.0, base depth 2"), "\(byFile.stderr)\(byFile.stdout)")
        for name in ["config.json", "metrics.csv", "history.csv", "checkpoint.json"] {
            let a = try Data(contentsOf: flags.appendingPathComponent(name)), b = try Data(contentsOf: file.appendingPathComponent(name))
            #expect(a == b, "\(name) differs")
        }
        let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: file.appendingPathComponent("config.json"))) as? [String: Any])
        let maxp = try #require(json["maxp"] as? [String: Any])
        #expect(maxp["depth_alpha"] as? Double == 1 && maxp["base_depth"] as? Int == 2, "\(maxp)")
        // Depth-µP changes the run: the plain model's losses differ.
        let plain = folder.appendingPathComponent("plain")
        #expect(try CLI.run(["train", "--model", "gpt", "--depth", "4", "--steps", "2", "--no-traces", "--out", plain.path]).status == 0)
        #expect(try Data(contentsOf: plain.appendingPathComponent("metrics.csv")) != Data(contentsOf: file.appendingPathComponent("metrics.csv")))

        let changed = try CLI.run(["train", "--resume", file.path, "--steps", "3", "--depth-alpha", "0.5"])
        #expect(changed.status == 2 && changed.stderr.contains("maxp.depth_alpha"), "\(changed.stderr)")

        let mlp = try CLI.run(["train", "--model", "mlp", "--steps", "1", "--depth-alpha", "0.5",
                               "--out", folder.appendingPathComponent("mlp").path])
        #expect(mlp.status == 2 && mlp.stderr.split(separator: "\n").count == 1, "\(mlp.stderr)")
        #expect(mlp.stderr.contains("--depth-alpha") && mlp.stderr.contains("no residual stream"), "\(mlp.stderr)")
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("mlp").path))

        let sweep = folder.appendingPathComponent("sweep.yaml")
        try """
            base_config: {model: {name: gpt}, steps: 1}
            sweep:
              maxp.depth_alpha: [0.5, 1]
              model.depth: [2, 4]
            """.write(to: sweep, atomically: true, encoding: .utf8)
        let dry = try CLI.run(["grid", "--config", sweep.path, "--dry-run", "--out", folder.appendingPathComponent("g").path])
        #expect(dry.status == 0, "\(dry.stderr)")
        let lines = dry.stdout.split(separator: "\n").map { String($0.prefix { $0 != "→" }).trimmingCharacters(in: .whitespaces) }
        #expect(lines == ["maxp.depth_alpha=0.5 model.depth=2", "maxp.depth_alpha=0.5 model.depth=4",
                          "maxp.depth_alpha=1 model.depth=2", "maxp.depth_alpha=1 model.depth=4"], "\(dry.stdout)")
        try "base_config: {model: {name: mlp}, steps: 1}\nsweep:\n  maxp.depth_alpha: [0, 1]\n".write(to: sweep, atomically: true, encoding: .utf8)
        let refused = try CLI.run(["grid", "--config", sweep.path, "--out", folder.appendingPathComponent("bad").path])
        #expect(refused.status == 2 && refused.stderr.split(separator: "\n").count == 1, "\(refused.stderr)")
        #expect(refused.stderr.contains("maxp.depth_alpha") && refused.stderr.contains("no residual stream"), "\(refused.stderr)")
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("bad").path))
    }
}
