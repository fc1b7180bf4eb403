import Foundation
import Testing
import _MaxPTestSupport

/// Faults and hostile inputs around run folders: a kill, a full disk, two writers, empty or wrong paths, data that
/// does not belong together. Each case: one line on stderr, exit 2 (or the signal's code), nothing half-written.
@Suite("Run folders under faults (subprocess)")
struct RunFolderCommandTests {
    static let sweep = ["--model", "mlp", "--widths", "32,64,128", "--depth", "2", "--input-dim", "16", "--output-dim", "10",
                        "--batch", "32", "--seeds", "2", "--steps", "1", "-q"]

    /// Runs the binary under `/bin/sh` with a file-size limit of `blocks` × 512 bytes (what a full disk looks like to
    /// the writer: the write fails with an errno).
    static func runLimited(_ blocks: Int, _ arguments: [String]) throws -> CLI.Outcome {
        try Subprocess.run(URL(fileURLWithPath: "/bin/sh"),
                           ["-c", "ulimit -f \(blocks); exec \"$0\" \"$@\"", CLI.binary.path] + arguments)
    }

    static func listing(_ url: URL) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: url.path).sorted()
    }

    static func expectOneLine(_ outcome: CLI.Outcome, _ context: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(outcome.status == 2, "\(context): \(outcome.stderr)", sourceLocation: sourceLocation)
        #expect(outcome.stderr.split(separator: "\n").count == 1, "\(context): \(outcome.stderr)", sourceLocation: sourceLocation)
        #expect(!outcome.stderr.contains("NSCocoaErrorDomain"), "\(context)", sourceLocation: sourceLocation)
    }

    @Test("a full disk while the run is committed: exit 2, one line, the earlier run intact, no .tmp or staging left")
    func diskFull() throws {
        let parent = try CLI.folder()
        defer { try? FileManager.default.removeItem(at: parent) }
        let out = parent.appendingPathComponent("run")
        #expect(try CLI.run(["coord-check"] + Self.sweep + ["--out", out.path]).status == 0)
        let before = try Self.listing(out)
        let report = try Data(contentsOf: out.appendingPathComponent("report.md"))
        let failed = try Self.runLimited(16, ["coord-check"] + Self.sweep + ["--out", out.path, "--lr", "0.002"])
        Self.expectOneLine(failed, "disk full")
        #expect(failed.stderr.contains("File too large"), "\(failed.stderr)")
        #expect(try Self.listing(out) == before)
        #expect(try Data(contentsOf: out.appendingPathComponent("report.md")) == report)
        #expect(try Self.listing(parent) == ["run"], "no staging folder or lock left")
    }

    @Test("a full disk while one file is written (gate --write-baseline): exit 2, one line, no temporary file left")
    func singleFileDiskFull() throws {
        let folder = try CLI.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let current = folder.appendingPathComponent("current.json")
        try CLI.slopesJSON((0..<20).map { ("fc_\($0)", 0.01, "ok") }).write(to: current, atomically: true, encoding: .utf8)
        let baseline = folder.appendingPathComponent("baseline.json")
        // 1 KiB: the baseline (about 14 KB) cannot be written; the writer must remove its temporary file.
        let failed = try Self.runLimited(2, ["gate", "--baseline", baseline.path, "--current", current.path, "--write-baseline"])
        Self.expectOneLine(failed, "disk full")
        #expect(try Self.listing(folder) == ["current.json"], "a temporary or half-written baseline was left behind")
    }

    @Test("a full disk in train is an I/O error (exit 2, one line), not the divergence code 1")
    func trainDiskFull() throws {
        let parent = try CLI.folder()
        defer { try? FileManager.default.removeItem(at: parent) }
        let out = parent.appendingPathComponent("train")
        let failed = try Self.runLimited(4, ["train", "--model", "mlp", "--steps", "2", "--out", out.path])
        #expect(failed.status == 2, "\(failed.stderr)")
        #expect(failed.stderr.split(separator: "\n").count == 1, "\(failed.stderr)")
        #expect(!failed.stderr.contains("NSCocoaErrorDomain"))
        #expect(try Self.listing(parent).allSatisfy { !$0.hasPrefix(".") })
    }

    @Test("SIGTERM during a sweep removes the staging folder; the earlier run stays whole")
    func sigterm() throws {
        let parent = try CLI.folder()
        defer { try? FileManager.default.removeItem(at: parent) }
        let out = parent.appendingPathComponent("run")
        #expect(try CLI.run(["coord-check"] + Self.sweep + ["--out", out.path]).status == 0)
        let before = try Self.listing(out)
        let process = Process()
        process.executableURL = CLI.binary
        process.arguments = ["coord-check", "--model", "mlp", "--widths", "64,128,256,512", "--depth", "3",
                             "--input-dim", "512", "--batch", "64", "--seeds", "3", "--steps", "3", "-q", "--out", out.path]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        var sawStaging = false
        for _ in 0..<2000 where process.isRunning {
            if try Self.listing(parent).contains(where: { $0.hasPrefix(".run.staging-") }) { sawStaging = true; break }
            usleep(1000)
        }
        if process.isRunning { kill(process.processIdentifier, SIGTERM) }
        process.waitUntilExit()
        #expect(sawStaging, "the run finished before it could be stopped")
        if sawStaging { #expect(process.terminationStatus == 128 + SIGTERM) }
        let left = try Self.listing(parent)
        #expect(left == ["run"], "\(left)")
        #expect(try Self.listing(out) == before)
    }

    @Test("empty paths and folders given for files are refused by name")
    func paths() throws {
        let folder = try CLI.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        for arguments in [["coord-check"] + Self.sweep + ["--out", ""], ["report", "--from", folder.path, "--out", ""],
                          ["merge", folder.path, "--out", " "], ["gate", "--baseline", "", "--current", "x.json"]] {
            let outcome = try CLI.run(arguments)
            Self.expectOneLine(outcome, "\(arguments)")
            #expect(outcome.stderr.contains("empty"), "\(arguments): \(outcome.stderr)")
        }
        #expect(try Self.listing(folder).isEmpty)
        for arguments in [["coord-check"] + Self.sweep + ["--config", folder.path, "--out", folder.appendingPathComponent("a").path],
                          ["coord-check"] + Self.sweep + ["--data", folder.path, "--out", folder.appendingPathComponent("b").path],
                          ["gate", "--baseline", folder.path, "--current", folder.path]] {
            let outcome = try CLI.run(arguments)
            Self.expectOneLine(outcome, "\(arguments)")
            #expect(outcome.stderr.contains("is a folder, not a file"), "\(arguments): \(outcome.stderr)")
        }
        let config = folder.appendingPathComponent("config.json")
        try #"{"steps": 1.5}"#.write(to: config, atomically: true, encoding: .utf8)
        let typed = try CLI.run(["coord-check", "--config", config.path, "--out", folder.appendingPathComponent("c").path])
        Self.expectOneLine(typed, "steps 1.5")
        #expect(typed.stderr.contains("`steps` must be a whole number"), "\(typed.stderr)")
    }

    @Test("merge: 1 of 2 shards names the missing one; MLP with GPT shards is refused; 2 of 2 merge")
    func merge() throws {
        let folder = try CLI.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        func shard(_ index: Int, _ extra: [String] = []) throws -> String {
            let out = folder.appendingPathComponent("part\(index)\(extra.joined())").path
            var arguments = Self.sweep
            if extra.first == "--model" { arguments.removeFirst(2) }
            let outcome = try CLI.run(["coord-check"] + arguments + extra + ["--shard", "\(index)/2", "--format", "svg", "--out", out])
            #expect(outcome.status == 0, "\(outcome.stderr)")
            return out
        }
        let one = try shard(1), two = try shard(2)
        let merged = folder.appendingPathComponent("merged").path
        let missing = try CLI.run(["merge", one, "--out", merged])
        Self.expectOneLine(missing, "1 of 2")
        #expect(missing.stderr.contains("2/2"), "\(missing.stderr)")
        let gpt = try shard(2, ["--model", "gpt", "--heads", "2"])
        let mixed = try CLI.run(["merge", one, gpt, "--out", merged])
        Self.expectOneLine(mixed, "mlp + gpt")
        #expect(mixed.stderr.contains("model"), "\(mixed.stderr)")
        let otherLR = try shard(2, ["--lr", "0.01"])
        Self.expectOneLine(try CLI.run(["merge", one, otherLR, "--out", merged]), "other lr")
        #expect(!FileManager.default.fileExists(atPath: merged + "/report.md"))
        let good = try CLI.run(["merge", one, two, "--out", merged, "--format", "svg"])
        #expect(good.status == 0, "\(good.stderr)")
    }

    @Test("gate: a baseline from other widths, schema 99 or without slopes is an input error with the reason")
    func gate() throws {
        let folder = try CLI.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let current = folder.appendingPathComponent("current.json")
        try CLI.slopesJSON([("fc_1", 0.01, "ok"), ("readout", -0.02, "ok")]).write(to: current, atomically: true, encoding: .utf8)
        let cases: [(String, String)] = [
            (CLI.slopesJSON([("fc_1", 0.01, "ok")]).replacingOccurrences(of: "[64, 128, 256]", with: "[32, 64, 128]"), "32,64,128"),
            (CLI.slopesJSON([("fc_1", 0.01, "ok")]).replacingOccurrences(of: #""axis""#, with: #""schema_version": 99, "axis""#), "schema_version 99"),
            (#"{"axis": "width", "values": [64, 128, 256], "ops": []}"#, "compare nothing"),
            (CLI.slopesJSON([("fc_1", 0.01, "ok")]).replacingOccurrences(of: #""slope": 0.01"#, with: #""slope": "nan""#), "non-number"),
        ]
        for (index, (text, reason)) in cases.enumerated() {
            let baseline = folder.appendingPathComponent("baseline\(index).json")
            try text.write(to: baseline, atomically: true, encoding: .utf8)
            let outcome = try CLI.run(["gate", "--baseline", baseline.path, "--current", current.path])
            Self.expectOneLine(outcome, reason)
            #expect(outcome.stderr.contains(reason), "\(reason): \(outcome.stderr)")
        }
    }

    @Test("report --from refuses coord_data.csv cut to 30 lines or to its header")
    func reportCut() throws {
        let folder = try CLI.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let run = folder.appendingPathComponent("run")
        #expect(try CLI.run(["coord-check"] + Self.sweep + ["--format", "svg", "--out", run.path]).status == 0)
        let csv = run.appendingPathComponent("coord_data.csv")
        let lines = try String(contentsOf: csv, encoding: .utf8).split(separator: "\n")
        for keep in [30, 1] {
            try (lines.prefix(keep).joined(separator: "\n") + "\n").write(to: csv, atomically: true, encoding: .utf8)
            let outcome = try CLI.run(["report", "--from", run.path, "--out", folder.appendingPathComponent("again").path])
            Self.expectOneLine(outcome, "\(keep) lines")
        }
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("again/report.md").path))
    }
}
