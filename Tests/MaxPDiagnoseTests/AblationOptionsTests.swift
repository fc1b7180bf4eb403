import Foundation
import Testing

@Suite("maxp-diagnose ablation options (--override, --plant, --inject ×2, --head-size, --sigma, decay, clip, adafactor)")
struct AblationOptionsTests {
    static let mlp = ["--model", "mlp", "--input-dim", "16", "--depth", "2", "--output-dim", "4", "--batch", "16",
                      "--widths", "32,64,128", "--seeds", "2", "--steps", "1", "--quiet", "--format", "svg"]
    static let gpt = ["--model", "gpt", "--depth", "1", "--seq-len", "8", "--vocab", "32", "--batch", "4",
                      "--widths", "16,32,64", "--seeds", "1", "--steps", "1", "--quiet", "--format", "svg"]

    func settings(_ folder: URL) throws -> [String: String] {
        let run = try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("run.json"))) as! [String: Any]
        let list = try #require(run["settings"] as? [[String: String]])
        return Dictionary(list.map { ($0["name"]!, $0["value"]!) }, uniquingKeysWith: { $1 })
    }

    @Test func everyOptionIsRecordedInRunJSONAndTheReport() throws {
        let folder = try CLI.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let outcome = try CLI.run(["coord-check"] + Self.mlp + [
            "--override", "readout.a=1", "--override", "fc_*.sigma=0.5", "--plant", "fc_2.a=-0.5",
            "--inject", "missing-readout-multiplier", "--inject", "hidden-lr-unscaled", "--sigma", "0.02",
            "--weight-decay", "0.1", "--grad-clip", "1", "--out", folder.path])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let recorded = try settings(folder)
        #expect(recorded["override"] == "readout.a=1.0 fc_*.sigma=0.5")
        #expect(recorded["plant"] == "fc_2.a=-0.5")
        #expect(recorded["inject"] == "missing-readout-multiplier,hidden-lr-unscaled")
        #expect(recorded["sigma"] == "0.02" && recorded["weight-decay"] == "0.1" && recorded["grad-clip"] == "1.0")
        let report = try String(contentsOf: folder.appendingPathComponent("report.md"), encoding: .utf8)
        for text in ["readout.a=1.0", "fc_2.a=-0.5", "weight-decay", "grad-clip", "hidden-lr-unscaled"] {
            #expect(report.contains(text), "\(text)")
        }
        let slopes = try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("slopes.json"))) as! [String: Any]
        let model = try #require(slopes["model"] as? String)
        #expect(model.contains("declared readout.a=1.0") && model.contains("[planted: fc_2.a=-0.5]"), "\(model)")
    }

    @Test func mergeRefusesShardsThatDifferInAnAblationOption() throws {
        let folder = try CLI.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let a = folder.appendingPathComponent("a"), b = folder.appendingPathComponent("b")
        #expect(try CLI.run(["coord-check"] + Self.mlp + ["--weight-decay", "0.1", "--shard", "1/2", "--out", a.path]).status == 0)
        #expect(try CLI.run(["coord-check"] + Self.mlp + ["--weight-decay", "0.2", "--shard", "2/2", "--out", b.path]).status == 0)
        let merged = try CLI.run(["merge", a.path, b.path, "--out", folder.appendingPathComponent("m").path])
        #expect(merged.status == 2)
        #expect(merged.stderr.contains("weight") && merged.stderr.contains("0.2"), "\(merged.stderr)")
    }

    @Test(arguments: [
        (["--override", "fc_9.a=1"], "`fc_9`"),
        (["--override", "readout.c=-2"], "--override"),
        (["--override", "readout.q=1"], "unknown field"),
        (["--plant", "nope.b=1"], "fc_1, fc_2, readout"),
        (["--sigma", "0"], "--sigma"),
        (["--weight-decay", "-1"], "--weight-decay"),
        (["--grad-clip", "0"], "--grad-clip"),
        (["--head-size", "8"], "gpt"),
    ])
    func badAblationValuesExitWithTwoAndOneLine(_ extra: [String], _ needle: String) throws {
        let folder = try CLI.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let out = folder.appendingPathComponent("run")
        let outcome = try CLI.run(["coord-check"] + Self.mlp + extra + ["--out", out.path])
        #expect(outcome.status == 2, "\(extra)")
        #expect(outcome.stderr.split(separator: "\n").count == 1 && outcome.stderr.contains(needle), "\(outcome.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent("report.md").path))
    }

    @Test func headSizeExcludesHeadsAndNeedsDivisibleWidths() throws {
        let folder = try CLI.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let both = try CLI.run(["coord-check"] + Self.gpt + ["--heads", "2", "--head-size", "8", "--out", folder.path])
        #expect(both.status == 2 && both.stderr.contains("--heads"), "\(both.stderr)")
        let odd = try CLI.run(["coord-check"] + Self.gpt + ["--head-size", "12", "--out", folder.path])
        #expect(odd.status == 2 && odd.stderr.contains("head size 12"), "\(odd.stderr)")
        let out = folder.appendingPathComponent("ok")
        let ok = try CLI.run(["coord-check"] + Self.gpt + ["--head-size", "8", "--optimizer", "adafactor", "--out", out.path])
        #expect(ok.status == 0, "\(ok.stderr)")
        #expect(try settings(out)["head-size"] == "8")
        let report = try String(contentsOf: out.appendingPathComponent("report.md"), encoding: .utf8)
        #expect(report.contains("head size 8"))
    }

    @Test func lrTransferTakesTheDeclaredOptionsAndRefusesPlants() throws {
        let folder = try CLI.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let grid = ["lr-transfer", "--model", "mlp", "--input-dim", "8", "--depth", "2", "--output-dim", "2", "--batch", "8",
                    "--widths", "16,32,64", "--seeds", "1", "--steps", "2", "--lrs", "1e-3,1e-2,1e-1", "--quiet", "--format", "svg"]
        let planted = try CLI.run(grid + ["--plant", "readout.a=-0.5", "--out", folder.appendingPathComponent("p").path])
        #expect(planted.status == 2 && planted.stderr.contains("--plant"), "\(planted.stderr)")
        let out = folder.appendingPathComponent("ok")
        let ok = try CLI.run(grid + ["--override", "readout.a=1", "--weight-decay", "0.01", "--grad-clip", "5",
                                     "--optimizer", "adafactor", "--out", out.path])
        #expect(ok.status == 0, "\(ok.stderr)")
        #expect(try settings(out)["override"] == "readout.a=1.0")
    }
}

@Suite("maxp-diagnose train with ablation options")
struct TrainAblationOptionsTests {
    @Test func trainAppliesTheDeclaredOptionsAndRefusesTheSweepOnes() throws {
        let folder = try CLI.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let base = ["train", "--model", "mlp", "--width", "32", "--steps", "3", "--lr", "0.01"]
        let ok = try CLI.run(base + ["--optimizer", "adafactor", "--override", "readout.c=0.5", "--weight-decay", "0.1",
                                     "--grad-clip", "1", "--sigma", "0.5", "--out", folder.appendingPathComponent("ok").path])
        #expect(ok.status == 0, "\(ok.stderr)")
        #expect(ok.stdout.contains("declared readout.c=0.5") && ok.stdout.contains("readout c=0.5000"), "\(ok.stdout)")
        for extra in [["--plant", "readout.a=1"], ["--head-size", "8"]] {
            let refused = try CLI.run(base + extra + ["--out", folder.appendingPathComponent("no").path])
            #expect(refused.status == 2 && refused.stderr.contains(extra[0]), "\(refused.stderr)")
        }
    }
}

extension TrainAblationOptionsTests {
    /// The ablation keys of a run configuration (`optimizer.type: adafactor`, `optimizer.weight_decay`,
    /// `optimizer.grad_clip`, `maxp.sigma`, `maxp.overrides`) give the same run, byte for byte, as the options; a
    /// resumed run refuses a changed one naming its key, and a bad override in the file names `maxp.overrides`.
    @Test func aConfigFileWithTheAblationKeysGivesTheSameRunAsTheOptions() throws {
        let folder = try CLI.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let flags = folder.appendingPathComponent("flags"), file = folder.appendingPathComponent("file")
        let byFlags = try CLI.run(["train", "--model", "mlp", "--width", "16", "--depth", "2", "--steps", "3", "--lr", "0.01",
                                   "--optimizer", "adafactor", "--override", "readout.a=1", "--override", "fc_*.c=1",
                                   "--weight-decay", "0.1", "--grad-clip", "1", "--sigma", "0.5", "--no-traces", "--out", flags.path])
        #expect(byFlags.status == 0, "\(byFlags.stderr)")
        let yaml = """
            model: {name: mlp, width: 16, depth: 2}
            optimizer: {type: adafactor, lr_prefactor: 0.01, weight_decay: 0.1, grad_clip: 1}
            maxp: {sigma: 0.5, overrides: ["readout.a=1", "fc_*.c=1"]}
            steps: 3
            logging: {traces: false}
            """
        let config = folder.appendingPathComponent("run.yaml")
        try yaml.write(to: config, atomically: true, encoding: .utf8)
        let byFile = try CLI.run(["train", "--config", config.path, "--out", file.path])
        #expect(byFile.status == 0, "\(byFile.stderr)")
        #expect(byFile.stdout.contains("declared readout.a=1.0, fc_*.c=1.0") && byFile.stdout.contains("weight decay 0.1"), "\(byFile.stdout)")
        for name in ["config.json", "metrics.csv", "history.csv", "state.json", "checkpoint.json"] {
            let a = try Data(contentsOf: flags.appendingPathComponent(name)), b = try Data(contentsOf: file.appendingPathComponent(name))
            #expect(a == b, "\(name) differs")
        }
        let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: file.appendingPathComponent("config.json"))) as? [String: Any])
        let optimizer = json["optimizer"] as? [String: Any], maxp = json["maxp"] as? [String: Any]
        #expect(optimizer?["type"] as? String == "adafactor" && optimizer?["weight_decay"] as? Double == 0.1)
        #expect(optimizer?["grad_clip"] as? Double == 1 && maxp?["sigma"] as? Double == 0.5)
        #expect(maxp?["overrides"] as? [String] == ["readout.a=1.0", "fc_*.c=1.0"])

        let changed = try CLI.run(["train", "--resume", file.path, "--steps", "4", "--weight-decay", "0.2"])
        #expect(changed.status == 2 && changed.stderr.contains("optimizer.weight_decay"), "\(changed.stderr)")
        let resumed = try CLI.run(["train", "--resume", file.path, "--steps", "4"])
        #expect(resumed.status == 0 && resumed.stdout.contains("resumed at step 3"), "\(resumed.stderr)")

        for (overrides, needle) in [(#"["fc_9.a=1"]"#, "`fc_9`"), (#"["readout.q=1"]"#, "unknown field"), ("3", "a list")] {
            let bad = folder.appendingPathComponent("bad.yaml"), out = folder.appendingPathComponent("bad")
            try "maxp: {overrides: \(overrides)}\nsteps: 2\n".write(to: bad, atomically: true, encoding: .utf8)
            let refused = try CLI.run(["train", "--config", bad.path, "--out", out.path])
            #expect(refused.status == 2 && refused.stderr.split(separator: "\n").count == 1, "\(refused.stderr)")
            #expect(refused.stderr.contains("maxp.overrides") && refused.stderr.contains(needle), "\(refused.stderr)")
            #expect(!FileManager.default.fileExists(atPath: out.path))
        }
    }
}

extension TrainAblationOptionsTests {
    /// A grid sweeps the ablation keys like any other (a list per run for `maxp.overrides`, or one text); a pattern
    /// that matches no op is refused before any run, one line, nothing written.
    @Test func aGridSweepsTheAblationKeys() throws {
        let folder = try CLI.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let sweep = folder.appendingPathComponent("sweep.yaml")
        try """
            base_config: {model: {name: mlp, width: 16, depth: 2}, steps: 2, optimizer: {type: adafactor}}
            sweep:
              maxp.overrides: [[], "readout.a=1", ["readout.a=0.5", "fc_*.c=1"]]
              optimizer.weight_decay: [0, 0.1]
            overrides: {optimizer.grad_clip: 1, maxp.sigma: 0.5}
            """.write(to: sweep, atomically: true, encoding: .utf8)
        let dry = try CLI.run(["grid", "--config", sweep.path, "--dry-run", "--out", folder.appendingPathComponent("g").path])
        #expect(dry.status == 0, "\(dry.stderr)")
        let lines = dry.stdout.split(separator: "\n").map { String($0.prefix { $0 != "→" }).trimmingCharacters(in: .whitespaces) }
        #expect(lines == ["maxp.overrides=[] optimizer.weight_decay=0", "maxp.overrides=[] optimizer.weight_decay=0.1",
                          "maxp.overrides=readout.a=1 optimizer.weight_decay=0", "maxp.overrides=readout.a=1 optimizer.weight_decay=0.1",
                          "maxp.overrides=[readout.a=0.5, fc_*.c=1] optimizer.weight_decay=0",
                          "maxp.overrides=[readout.a=0.5, fc_*.c=1] optimizer.weight_decay=0.1"], "\(dry.stdout)")
        let bad = folder.appendingPathComponent("bad.yaml"), out = folder.appendingPathComponent("bad")
        try "sweep:\n  maxp.overrides: [\"readout.a=1\", \"nope.a=1\"]\n".write(to: bad, atomically: true, encoding: .utf8)
        let refused = try CLI.run(["grid", "--config", bad.path, "--out", out.path])
        #expect(refused.status == 2 && refused.stderr.split(separator: "\n").count == 1, "\(refused.stderr)")
        #expect(refused.stderr.contains("maxp.overrides=nope.a=1") && refused.stderr.contains("`nope`"), "\(refused.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out.path))
    }
}
