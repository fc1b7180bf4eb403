import Foundation
import Testing
import _MaxPTestSupport

/// `train --config RUN.yaml` (the issue's example as written), options over the file, `--data`, `--resume`
/// (bit-identical continuation, refused with another configuration), the run folder's contract files, and one-line
/// errors for bad files.
@Suite("maxp-diagnose train --config / --resume / --data")
struct TrainConfigTests {
    static let issueYAML = RunConfigurationExamples.issueYAML

    static func write(_ text: String, _ name: String, in folder: URL) throws -> URL {
        let url = folder.appendingPathComponent(name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    static func text(_ folder: URL, _ file: String) throws -> String {
        try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
    }

    @Test func theIssueConfigRunsAsWrittenAndWritesTheRunFolder() throws {
        let folder = try CLI.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let config = try Self.write(Self.issueYAML + "\nlogging: {traces: false}\n", "run.yaml", in: folder)
        let out = folder.appendingPathComponent("run")
        let run = try CLI.run(["train", "--config", config.path, "--out", out.path])
        #expect(run.status == 0, "\(run.stderr)")
        let metrics = try Self.text(out, "metrics.csv").split(separator: "\n")
        #expect(metrics.first == "step,train_loss" && metrics.count == 13)
        #expect(metrics.dropFirst().enumerated().allSatisfy { index, line in
            let fields = line.split(separator: ",")
            return fields.count == 2 && Int(fields[0]) == index + 1 && Double(fields[1])!.isFinite
        })
        let config_ = try #require(try JSONSerialization.jsonObject(with: Data(Self.text(out, "config.json").utf8)) as? [String: Any])
        let model = config_["model"] as? [String: Any], maxp = config_["maxp"] as? [String: Any]
        #expect(model?["width"] as? Int == 64 && model?["depth"] as? Int == 2 && model?["batch"] as? Int == 32)
        #expect(maxp?["dynamic"] as? Bool == true && maxp?["sample_size"] as? Int == 32 && config_["steps"] as? Int == 12)
        #expect((config_["optimizer"] as? [String: Any])?["lr_prefactor"] as? Double == 0.05)
        for file in ["history.csv", "state.json", "checkpoint.json"] {
            #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent(file).path), "\(file)")
        }
        #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent("alignment.png").path))
        // The same run from options alone gives the same bytes.
        let flags = folder.appendingPathComponent("flags")
        let again = try CLI.run(["train", "--model", "mlp", "--width", "64", "--depth", "2", "--optimizer", "adam", "--lr", "0.05",
                                 "--parametrization", "mup", "--alignment", "full", "--dynamic", "--warmup-steps", "2",
                                 "--solve-interval", "2", "--steps", "12", "--no-traces", "--out", flags.path])
        #expect(again.status == 0, "\(again.stderr)")
        for file in ["config.json", "metrics.csv", "history.csv", "state.json"] {
            #expect(try Self.text(out, file) == Self.text(flags, file), "\(file)")
        }
    }

    @Test func optionsOverrideTheFile() throws {
        let folder = try CLI.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let json = #"{"model": {"name": "mlp", "width": 64, "depth": 2}, "maxp": {"dynamic": true, "warmup_steps": 2, "solve_interval": 2}, "steps": 12}"#
        let config = try Self.write(json, "run.json", in: folder)
        let out = folder.appendingPathComponent("run")
        let run = try CLI.run(["train", "--config", config.path, "--width", "16", "--steps", "3", "--no-dynamic", "--no-traces", "--out", out.path])
        #expect(run.status == 0, "\(run.stderr)")
        let written = try Self.text(out, "config.json")
        #expect(written.contains("\"width\": 16") && written.contains("\"steps\": 3") && written.contains("\"dynamic\": false"))
        #expect(written.contains("\"depth\": 2"), "the file's depth stays")
    }

    @Test func twelveStepsEqualSixPlusResumedSix() throws {
        let folder = try CLI.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let yaml = Self.issueYAML.replacingOccurrences(of: "width: 64", with: "width: 16")
            + "\nschedule: {type: wsd, warmup: 2, stable: 4, decay: 6}\nlogging: {traces: false}\n"
        let config = try Self.write(yaml, "run.yaml", in: folder)
        let whole = folder.appendingPathComponent("whole"), part = folder.appendingPathComponent("part")
        #expect(try CLI.run(["train", "--config", config.path, "--out", whole.path]).status == 0)
        let first = try CLI.run(["train", "--config", config.path, "--steps", "6", "--out", part.path])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(try Self.text(part, "metrics.csv").split(separator: "\n").count == 7)
        let resumed = try CLI.run(["train", "--resume", part.path, "--steps", "12"])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(resumed.stdout.contains("resumed at step 6"))
        for file in ["metrics.csv", "history.csv", "state.json", "checkpoint.json", "config.json"] {
            #expect(try Self.text(part, file) == Self.text(whole, file), "\(file) differs after resuming")
        }
        // A different configuration is refused, naming the key; so is a run that has all its steps.
        let other = try CLI.run(["train", "--resume", part.path, "--steps", "14", "--lr", "0.1"])
        #expect(other.status == 2 && other.stderr.contains("optimizer.lr_prefactor") && other.stderr.split(separator: "\n").count == 1, "\(other.stderr)")
        let done = try CLI.run(["train", "--resume", part.path, "--steps", "12"])
        #expect(done.status == 2 && done.stderr.contains("already has 12 steps"), "\(done.stderr)")
        let missing = try CLI.run(["train", "--resume", folder.appendingPathComponent("nothing").path, "--steps", "12"])
        #expect(missing.status == 2 && missing.stderr.split(separator: "\n").count == 1, "\(missing.stderr)")
    }

    @Test func dataFileTrainsTheMLP() throws {
        let folder = try CLI.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        var lines = ["a,b,c,label"]
        for i in 0..<40 {
            let x = Double(i % 7) / 7, y = Double(i % 5) / 5
            lines.append("\(x),\(y),\(x - y),\(x > y ? 1 : 0)")
        }
        let data = try Self.write(lines.joined(separator: "\n") + "\n", "data.csv", in: folder)
        let out = folder.appendingPathComponent("run")
        let run = try CLI.run(["train", "--data", data.path, "--width", "16", "--steps", "4", "--batch", "8", "--no-traces", "--out", out.path])
        #expect(run.status == 0, "\(run.stderr)")
        let json = try Self.text(out, "config.json")
        #expect(json.contains("\"input_dim\": 3") && json.contains("\"output_dim\": 2") && json.contains(data.path))
        let bad = try Self.write("1,2,x\n", "bad.csv", in: folder)
        let refused = try CLI.run(["train", "--data", bad.path, "--out", folder.appendingPathComponent("bad").path])
        #expect(refused.status == 2 && refused.stderr.contains("--data") && refused.stderr.split(separator: "\n").count == 1, "\(refused.stderr)")
    }

    @Test func badFilesAreOneLineAndWriteNothing() throws {
        let folder = try CLI.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let cases: [(String, String)] = [
            ("optimizer: {type: adam, lr_prefactor: abc}", #"optimizer.lr_prefactor: expected a number, got "abc""#),
            ("model: {name: mlp, widht: 3}", "unknown key `model.widht` (known: model.name, model.width"),
            ("steps: [1, 2]", "steps: expected a whole number, got a list"),
            ("model: {width: [1, 2}", "not valid YAML"),
        ]
        for (index, (yaml, message)) in cases.enumerated() {
            let config = try Self.write(yaml, "bad\(index).yaml", in: folder)
            let out = folder.appendingPathComponent("out\(index)")
            let run = try CLI.run(["train", "--config", config.path, "--out", out.path])
            #expect(run.status == 2, "\(yaml)")
            #expect(run.stderr.split(separator: "\n").count == 1 && run.stderr.contains(message), "\(yaml): \(run.stderr)")
            #expect(!FileManager.default.fileExists(atPath: out.path), "\(yaml) wrote \(out.path)")
        }
    }
}
