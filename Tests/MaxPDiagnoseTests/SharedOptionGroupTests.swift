import Foundation
import Testing

/// The option groups every command shares (issue 13): each command's help states its own default, `train` takes
/// `--tie-embeddings` end to end, the gate's sweep takes the ablation and depth-µP options, and a figure glob is
/// checked before the sweep.
@Suite("maxp-diagnose shared option groups (subprocess)")
struct SharedOptionGroupTests {
    @Test("help states each command's real default and its file key")
    func helpStatesEachCommandsDefault() throws {
        let coordCheck = try CLI.run(["coord-check", "--help"], environment: ["COLUMNS": "400"]).stdout
        #expect(coordCheck.contains("MLP input size (input_dim; default 3072, with --data the file's)."), "\(coordCheck)")
        #expect(coordCheck.contains("(lr; default 0.001)") && coordCheck.contains("(base_width; default 64)"), "\(coordCheck)")
        let train = try CLI.run(["train", "--help"], environment: ["COLUMNS": "400"]).stdout
        #expect(train.contains("MLP input size (model.input_dim; default 16, with --data the file's)."), "\(train)")
        #expect(train.contains("(optimizer.lr_prefactor; default 0.01)") && train.contains("(model.width; default 64 for mlp, 32 for gpt)"))
        #expect(train.contains("--tie-embeddings") && train.contains("model.tie_embeddings"))
        #expect(!train.contains("--plant") && !train.contains("--head-size"), "sweep-only options stay hidden in train")
        let solve = try CLI.run(["solve", "--help"], environment: ["COLUMNS": "400"]).stdout
        #expect(solve.contains("MLP input size (default 16).") && solve.contains("(default 0.01)"), "\(solve)")
    }

    static let gpt = ["--model", "gpt", "--depth", "1", "--heads", "2", "--seq-len", "4", "--vocab", "16", "--batch", "4",
                      "--width", "16", "--steps", "2", "--no-traces"]

    @Test("train --tie-embeddings: one shared table, config.json and YAML agree byte for byte, the MLP refuses it")
    func trainTiesEmbeddings() throws {
        let folder = try CLI.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let tied = folder.appendingPathComponent("tied"), untied = folder.appendingPathComponent("untied")
        let run = try CLI.run(["train"] + Self.gpt + ["--tie-embeddings", "--out", tied.path])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("batch 4, tied embeddings, mup/adam/full"), "\(run.stdout)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: tied.appendingPathComponent("config.json"))) as? [String: Any])
        #expect((json["model"] as? [String: Any])?["tie_embeddings"] as? Bool == true)
        #expect(try CLI.run(["train"] + Self.gpt + ["--out", untied.path]).status == 0)
        let untiedJSON = try JSONSerialization.jsonObject(with: Data(contentsOf: untied.appendingPathComponent("config.json"))) as? [String: Any]
        #expect((untiedJSON?["model"] as? [String: Any])?["tie_embeddings"] as? Bool == false)
        #expect(try Data(contentsOf: tied.appendingPathComponent("metrics.csv")) != Data(contentsOf: untied.appendingPathComponent("metrics.csv")))

        let config = folder.appendingPathComponent("run.yaml"), byFile = folder.appendingPathComponent("file")
        try """
            model: {name: gpt, depth: 1, heads: 2, seq_len: 4, vocab: 16, batch: 4, width: 16, tie_embeddings: true}
            steps: 2
            logging: {traces: false}
            """.write(to: config, atomically: true, encoding: .utf8)
        #expect(try CLI.run(["train", "--config", config.path, "--out", byFile.path]).status == 0)
        for name in ["config.json", "metrics.csv", "history.csv", "checkpoint.json"] {
            #expect(try Data(contentsOf: tied.appendingPathComponent(name)) == Data(contentsOf: byFile.appendingPathComponent(name)), "\(name)")
        }
        let resumed = try CLI.run(["train", "--resume", byFile.path, "--steps", "3", "--out", folder.appendingPathComponent("r").path])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        let changed = try CLI.run(["train", "--resume", untied.path, "--steps", "3", "--tie-embeddings"])
        #expect(changed.status == 2 && changed.stderr.contains("model.tie_embeddings"), "\(changed.stderr)")

        let mlp = try CLI.run(["train", "--model", "mlp", "--steps", "1", "--tie-embeddings", "--out", folder.appendingPathComponent("mlp").path])
        #expect(mlp.status == 2 && mlp.stderr.split(separator: "\n").count == 1 && mlp.stderr.contains("--tie-embeddings"), "\(mlp.stderr)")
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("mlp").path))
    }

    @Test("gate: a planted deviation fails on its op; with --current the ablation and depth options exit 2")
    func gateTakesTheAblationAndDepthOptions() throws {
        let folder = try CLI.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let baseline = folder.appendingPathComponent("slopes.json")
        #expect(try CLI.run(["gate", "--baseline", baseline.path, "--write-baseline"] + GateCommandTests.sweep).status == 0)
        let out = folder.appendingPathComponent("planted")
        let planted = try CLI.run(["gate", "--baseline", baseline.path, "--plant", "readout.a=-0.5", "--out", out.path] + GateCommandTests.sweep)
        #expect(planted.status == 1, "\(planted.stdout)\(planted.stderr)")
        #expect(planted.stdout.contains("failing ops: readout"), "\(planted.stdout)")
        let report = try String(contentsOf: out.appendingPathComponent("report.md"), encoding: .utf8)
        #expect(report.contains("readout.a=-0.5"), "the plant is a recorded setting")
        for extra in [["--plant", "readout.a=-0.5"], ["--depth-alpha", "1"], ["--weight-decay", "0.1"]] {
            let refused = try CLI.run(["gate", "--baseline", baseline.path, "--current", baseline.path] + extra)
            #expect(refused.status == 2 && refused.stderr.split(separator: "\n").count == 1, "\(extra): \(refused.stderr)")
            #expect(refused.stderr.contains("\(extra[0]) is a sweep option"), "\(refused.stderr)")
        }
        let mlpDepth = try CLI.run(["gate", "--baseline", baseline.path, "--depth-alpha", "1"] + GateCommandTests.sweep)
        #expect(mlpDepth.status == 2 && mlpDepth.stderr.contains("--depth-alpha") && mlpDepth.stderr.contains("no residual stream"), "\(mlpDepth.stderr)")
    }

    @Test("coord-check --ops: a glob that matches no op fails before the sweep trains")
    func opsGlobIsCheckedBeforeTheSweep() throws {
        let folder = try CLI.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let out = folder.appendingPathComponent("out")
        // Without --quiet: a sweep that ran would have written progress lines before the error.
        let run = try CLI.run(["coord-check", "--model", "mlp", "--widths", "16,32,64", "--input-dim", "8", "--seeds", "1",
                               "--steps", "1", "--ops", "fc_9*", "--format", "svg", "--out", out.path])
        #expect(run.status == 2, "\(run.stderr)")
        #expect(run.stderr.split(separator: "\n").count == 1 && run.stderr.contains("--ops") && run.stderr.contains("fc_9*"), "\(run.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out.path))
    }
}
