import Foundation
import Testing
import _MaxPTestSupport

/// `maxp-diagnose grid`: the dry run lists every combination and writes nothing, runs land in `DIR/runs/<name>/`
/// with grid.csv indexing them, a re-run skips finished runs, shards fill the same folder, and bad grids are one line.
@Suite("maxp-diagnose grid")
struct GridCommandTests {
    static let sweep = """
        base_config:
          model: {name: mlp, depth: 2, input_dim: 8, output_dim: 3, batch: 8}
          maxp: {parametrization: mup, dynamic: true}
          logging: {traces: false}
        sweep:
          model.width: [16, 32]
          optimizer.lr_prefactor: [0.01, 1e30]
        overrides: {steps: 3}
        """

    static func write(_ text: String, in folder: URL, name: String = "sweep.yaml") throws -> URL {
        let url = folder.appendingPathComponent(name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    @Test func dryRunListsEveryCombinationAndWritesNothing() throws {
        let folder = try CLI.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let sweep = try Self.write(Self.sweep, in: folder)
        let out = folder.appendingPathComponent("grid")
        let run = try CLI.run(["grid", "--config", sweep.path, "--dry-run", "--out", out.path])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.split(separator: "\n") == [
            "model.width=16 optimizer.lr_prefactor=0.01 → \(out.path)/runs/model.width=16_optimizer.lr_prefactor=0.01",
            "model.width=16 optimizer.lr_prefactor=1e+30 → \(out.path)/runs/model.width=16_optimizer.lr_prefactor=1e+30",
            "model.width=32 optimizer.lr_prefactor=0.01 → \(out.path)/runs/model.width=32_optimizer.lr_prefactor=0.01",
            "model.width=32 optimizer.lr_prefactor=1e+30 → \(out.path)/runs/model.width=32_optimizer.lr_prefactor=1e+30",
        ])
        #expect(!FileManager.default.fileExists(atPath: out.path))
        let part = try CLI.run(["grid", "--config", sweep.path, "--dry-run", "--shard", "2/2", "--out", out.path])
        #expect(part.stdout.split(separator: "\n").count == 2 && part.stdout.hasPrefix("model.width=16 optimizer.lr_prefactor=1e+30"))
    }

    @Test func runsAreTrainedIndexedAndSkippedWhenDone() throws {
        let folder = try CLI.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let sweep = try Self.write(Self.sweep, in: folder)
        let out = folder.appendingPathComponent("grid")
        // Two shards into the same folder, then the whole grid again: nothing is trained twice.
        for shard in ["1/2", "2/2"] {
            let run = try CLI.run(["grid", "--config", sweep.path, "--shard", shard, "--jobs", "2", "--out", out.path])
            #expect(run.status == 0, "\(shard): \(run.stderr)")
        }
        let index = try String(contentsOf: out.appendingPathComponent("grid.csv"), encoding: .utf8).split(separator: "\n")
        #expect(index.first == "run,model.width,optimizer.lr_prefactor,status,steps,final_train_loss")
        #expect(index.count == 5)
        let rows = index.dropFirst().map { $0.split(separator: ",").map(String.init) }
        #expect(rows.map { $0[0] } == ["model.width=16_optimizer.lr_prefactor=0.01", "model.width=16_optimizer.lr_prefactor=1e+30",
                                       "model.width=32_optimizer.lr_prefactor=0.01", "model.width=32_optimizer.lr_prefactor=1e+30"])
        #expect(rows.map { $0[3] } == ["done", "diverged", "done", "diverged"])
        #expect(rows[0][4] == "3" && Double(rows[0][5])!.isFinite && rows[1][5] == "nan")
        let runFolder = out.appendingPathComponent("runs/model.width=32_optimizer.lr_prefactor=0.01")
        for file in ["config.json", "metrics.csv", "history.csv", "state.json", "checkpoint.json"] {
            #expect(FileManager.default.fileExists(atPath: runFolder.appendingPathComponent(file).path), "\(file)")
        }
        let metrics = try String(contentsOf: runFolder.appendingPathComponent("metrics.csv"), encoding: .utf8)
        #expect(metrics.hasPrefix("step,train_loss\n1,") && metrics.split(separator: "\n").last?.hasPrefix("3,") == true)
        #expect(metrics.split(separator: "\n").last!.split(separator: ",")[1] == Substring(rows[2][5]))
        let config = try String(contentsOf: runFolder.appendingPathComponent("config.json"), encoding: .utf8)
        #expect(config.contains("\"width\": 32") && config.contains("\"steps\": 3") && config.contains("\"lr_prefactor\": 0.01"))
        let before = try FileManager.default.attributesOfItem(atPath: runFolder.appendingPathComponent("metrics.csv").path)[.modificationDate] as? Date
        let again = try CLI.run(["grid", "--config", sweep.path, "--out", out.path])
        #expect(again.status == 0 && again.stderr.contains("4 already finished, 0 to train"), "\(again.stderr)")
        let after = try FileManager.default.attributesOfItem(atPath: runFolder.appendingPathComponent("metrics.csv").path)[.modificationDate] as? Date
        #expect(before == after)
        // A run folder removed (as if killed before its commit) is trained again, and only that one.
        try FileManager.default.removeItem(at: runFolder)
        let redo = try CLI.run(["grid", "--config", sweep.path, "--out", out.path])
        #expect(redo.status == 0 && redo.stderr.contains("3 already finished, 1 to train"), "\(redo.stderr)")
        #expect(try String(contentsOf: runFolder.appendingPathComponent("metrics.csv"), encoding: .utf8) == metrics)
    }

    @Test func writtenColumnsAndFieldsAreDocumented() throws {
        let folder = try CLI.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let sweep = try Self.write(Self.sweep.replacingOccurrences(of: "[0.01, 1e30]", with: "[0.01]")
            .replacingOccurrences(of: "[16, 32]", with: "[16]"), in: folder)
        let out = folder.appendingPathComponent("grid")
        #expect(try CLI.run(["grid", "--config", sweep.path, "--out", out.path, "--quiet"]).status == 0)
        let run = out.appendingPathComponent("runs/model.width=16_optimizer.lr_prefactor=0.01")
        let config = try JSONSerialization.jsonObject(with: Data(contentsOf: run.appendingPathComponent("config.json")))
        let configSection = try FormatsDocumentationTests.section("config.json")
        var checked = 0
        for path in FormatsDocumentationTests.paths(config) {
            #expect(configSection.contains("`\(path)`"), "config.json field `\(path)` is not documented in docs/formats.md")
            checked += 1
        }
        let metricsHeader = try String(contentsOf: run.appendingPathComponent("metrics.csv"), encoding: .utf8).split(separator: "\n")[0]
        #expect(try FormatsDocumentationTests.section("metrics.csv").contains("`\(metricsHeader)`"))
        let gridHeader = try String(contentsOf: out.appendingPathComponent("grid.csv"), encoding: .utf8).split(separator: "\n")[0]
        let gridSection = try FormatsDocumentationTests.section("grid.csv")
        for column in gridHeader.split(separator: ",") where !["model.width", "optimizer.lr_prefactor"].contains(column) {
            #expect(gridSection.contains("`\(column)`"), "grid.csv column `\(column)` is not documented")
            checked += 1
        }
        #expect(checked > 30)
    }

    @Test func badGridsAreOneLineAndWriteNothing() throws {
        let folder = try CLI.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let cases: [(String, [String], String)] = [
            ("sweep: {}", [], "empty grid"),
            ("sweep: {model.widht: [1, 2]}", [], "unknown key `sweep.model.widht` (known: model.name"),
            ("sweep: {model.width: [16, abc]}", [], #"sweep.model.width: expected a whole number, got "abc""#),
            (Self.sweep, ["--max-runs", "3"], "--max-runs: the grid"),
            ("sweep: {model.width: [30]}\nbase_config: {model: {name: gpt, heads: 4}}", [], "model.width: width 30 is not divisible by 4 heads"),
        ]
        for (index, (yaml, extra, message)) in cases.enumerated() {
            let sweep = try Self.write(yaml, in: folder, name: "bad\(index).yaml")
            let out = folder.appendingPathComponent("out\(index)")
            let run = try CLI.run(["grid", "--config", sweep.path, "--out", out.path] + extra)
            #expect(run.status == 2, "\(yaml)")
            #expect(run.stderr.split(separator: "\n").count == 1 && run.stderr.contains(message), "\(yaml): \(run.stderr)")
            #expect(!FileManager.default.fileExists(atPath: out.path), "\(yaml) wrote \(out.path)")
        }
    }
}
