import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing

@Suite("maxp-diagnose gate (subprocess)")
struct GateCommandTests {
    @Test("exit 0 when slopes match, 1 on a regression with a table on stdout, JUnit XML well-formed")
    func passAndFail() throws {
        let folder = try CLI.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let baseline = folder.appendingPathComponent("baseline.json")
        let same = folder.appendingPathComponent("same.json")
        let worse = folder.appendingPathComponent("worse.json")
        try CLI.slopesJSON([("fc_1", 0.01, "ok"), ("readout", -0.02, "ok")]).write(to: baseline, atomically: true, encoding: .utf8)
        try CLI.slopesJSON([("fc_1", 0.03, "ok"), ("readout", 0.0, "ok")]).write(to: same, atomically: true, encoding: .utf8)
        try CLI.slopesJSON([("fc_1", 0.03, "ok"), ("readout", 0.9, "grows")]).write(to: worse, atomically: true, encoding: .utf8)

        let pass = try CLI.run(["gate", "--baseline", baseline.path, "--current", same.path])
        #expect(pass.status == 0)
        #expect(pass.stdout.contains("gate passed"))

        let junit = folder.appendingPathComponent("reports/gate.xml")
        let markdown = folder.appendingPathComponent("gate.md")
        let fail = try CLI.run(["gate", "--baseline", baseline.path, "--current", worse.path, "--tolerance", "0.1",
                                "--junit", junit.path, "--markdown", markdown.path])
        #expect(fail.status == 1)
        #expect(fail.stdout.contains("gate FAILED"))
        #expect(fail.stdout.contains("readout\t1\tl1"))
        let xml = try Data(contentsOf: junit)
        let document = try XMLDocument(data: xml)
        // readout moved AND grows against theory: one testcase, ONE failure naming both reasons.
        let failures = try document.nodes(forXPath: "//testcase/failure")
        #expect(failures.count == 1)
        #expect(try document.nodes(forXPath: "//testcase/failure/@type").first?.stringValue == "slope_changed,theory")
        let cases = try document.nodes(forXPath: "//testcase")
        #expect(cases.count == 2)
        let summary = try String(contentsOf: markdown, encoding: .utf8)
        #expect(summary.hasPrefix("# Slope gate: FAILED"))
    }

    @Test("malformed baseline, missing file, bad tolerance: exit 2 with one line on stderr")
    func inputErrors() throws {
        let folder = try CLI.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let good = folder.appendingPathComponent("good.json")
        try CLI.slopesJSON([("fc_1", 0.0, "ok")]).write(to: good, atomically: true, encoding: .utf8)
        let bad = folder.appendingPathComponent("bad.json")
        try "{\"axis\": \"width\", \"values\": [64,".write(to: bad, atomically: true, encoding: .utf8)
        for arguments in [["gate", "--baseline", bad.path, "--current", good.path],
                          ["gate", "--baseline", folder.appendingPathComponent("none.json").path, "--current", good.path],
                          ["gate", "--baseline", good.path, "--current", good.path, "--tolerance", "-1"],
                          ["gate", "--baseline", good.path, "--current", good.path, "--model", "mlp"],
                          ["gate", "--baseline", good.path, "--widths", "64,32,128"],
                          ["gate", "--baseline", bad.path, "--model", "mlp", "--widths", "32,64,128"],
                          ["gate", "--baseline", good.path, "--current", good.path, "--no-such-option"]] {
            let outcome = try CLI.run(arguments)
            #expect(outcome.status == 2, "\(arguments)")
            let lines = outcome.stderr.split(separator: "\n")
            #expect(lines.count == 1, "\(arguments): \(outcome.stderr)")
            #expect(lines.first?.hasPrefix("error: ") == true)
        }
    }

    @Test("--write-baseline creates the baseline from the current slopes")
    func writeBaseline() throws {
        let folder = try CLI.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let current = folder.appendingPathComponent("current.json")
        try CLI.slopesJSON([("fc_1", 0.02, "ok")]).write(to: current, atomically: true, encoding: .utf8)
        let baseline = folder.appendingPathComponent("ci/baseline.json")
        let outcome = try CLI.run(["gate", "--baseline", baseline.path, "--current", current.path, "--write-baseline"])
        #expect(outcome.status == 0)
        let text = try String(contentsOf: baseline, encoding: .utf8)
        #expect(text.contains("\"fc_1\""))
        #expect(try CLI.run(["gate", "--baseline", baseline.path, "--current", current.path]).status == 0)
    }

    /// A small, fast sweep (well under a second): MLP 16→w→w→10, widths 32…128, 3 seeds, 1 Adam step. With 2 seeds
    /// or 4 outputs, the t = 0 readout slope of correct µP is noisy enough at these widths to be judged `shrinks`.
    static let sweep = ["--model", "mlp", "--widths", "32,64,128", "--depth", "2", "--input-dim", "16",
                        "--output-dim", "10", "--batch", "32", "--steps", "1", "--seeds", "3", "--quiet"]

    @Test("end to end: baseline from correct µP; µP passes; a missing readout multiplier fails naming readout")
    func endToEndSweeps() throws {
        let folder = try CLI.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let baseline = folder.appendingPathComponent("ci/slopes.json")

        let written = try CLI.run(["gate", "--baseline", baseline.path, "--write-baseline"] + Self.sweep)
        #expect(written.status == 0, "\(written.stderr)")
        #expect(written.stdout.hasPrefix("wrote baseline"))
        #expect(written.stderr.isEmpty, "correct µP should record no grows/shrinks: \(written.stderr)")
        let recorded = try JSONSerialization.jsonObject(with: Data(contentsOf: baseline)) as? [String: Any]
        #expect(recorded?["values"] as? [Int] == [32, 64, 128])

        // Correct µP, run again by the gate, with the run's files written to --out.
        let out = folder.appendingPathComponent("run")
        let pass = try CLI.run(["gate", "--baseline", baseline.path, "--out", out.path] + Self.sweep)
        #expect(pass.status == 0, "\(pass.stdout)\(pass.stderr)")
        #expect(pass.stdout.hasPrefix("gate passed"))
        for name in ["coord_check.png", "report.md", "slopes.json"] {
            #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent(name).path), "\(name)")
        }

        // The planted bug: exit 1, the table names readout, the JUnit XML has failures for readout.
        let junit = folder.appendingPathComponent("gate.xml")
        let fail = try CLI.run(["gate", "--baseline", baseline.path, "--junit", junit.path,
                                "--inject", "missing-readout-multiplier"] + Self.sweep)
        #expect(fail.status == 1, "\(fail.stdout)\(fail.stderr)")
        #expect(fail.stdout.hasPrefix("gate FAILED"))
        let rows = fail.stdout.split(separator: "\n").dropFirst(2).filter { !$0.hasPrefix("failing ops:") }
        #expect(rows.contains { $0.hasPrefix("readout\t0\tl1\t") }, "\(fail.stdout)")
        #expect(fail.stdout.contains("failing ops: readout"), "\(fail.stdout)")
        let document = try XMLDocument(data: Data(contentsOf: junit))
        let failing = try document.nodes(forXPath: "//testcase[failure]/@classname").compactMap(\.stringValue)
        #expect(failing.contains("readout"))

        // The same slopes recorded as the baseline: the theory check still fails, --baseline-only accepts them.
        let buggyBaseline = folder.appendingPathComponent("buggy.json")
        let buggyRun = folder.appendingPathComponent("buggy-run")
        #expect(try CLI.run(["gate", "--baseline", buggyBaseline.path, "--write-baseline", "--out", buggyRun.path,
                             "--inject", "missing-readout-multiplier"] + Self.sweep).status == 0)
        let current = buggyRun.appendingPathComponent("slopes.json").path
        let theory = try CLI.run(["gate", "--baseline", buggyBaseline.path, "--current", current])
        #expect(theory.status == 1)
        #expect(theory.stdout.contains("\tgrows\ttheory\n"))
        let accepted = try CLI.run(["gate", "--baseline", buggyBaseline.path, "--current", current, "--baseline-only"])
        #expect(accepted.status == 0, "\(accepted.stdout)")
    }

    @Test("help has examples; --help exits 0")
    func help() throws {
        for command in ["gate", "merge", "report"] {
            let outcome = try CLI.run([command, "--help"])
            #expect(outcome.status == 0)
            #expect(outcome.stdout.contains("Examples:"))
        }
    }
}


/// Runs the built `maxp-diagnose` binary as a subprocess (found next to the test bundle, debug or release).
enum CLI {
    struct Outcome {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// The binary: next to this test process's executable, else in `.build/<configuration>` above this file.
    static let binary: URL = {
        var candidates: [URL] = []
        if let first = CommandLine.arguments.first {
            var folder = URL(fileURLWithPath: first).deletingLastPathComponent()
            for _ in 0..<4 {
                candidates.append(folder.appendingPathComponent("maxp-diagnose"))
                folder = folder.deletingLastPathComponent()
            }
        }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        #if DEBUG
        let configurations = ["debug", "release"]
        #else
        let configurations = ["release", "debug"]
        #endif
        for configuration in configurations {
            candidates.append(root.appendingPathComponent(".build/\(configuration)/maxp-diagnose"))
        }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? candidates.last!
    }()

    /// Runs the binary with `arguments` and waits.
    static func run(_ arguments: [String], environment: [String: String]? = nil) throws -> Outcome {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        if let environment { process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 } }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Outcome(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                       stderr: String(decoding: errData, as: UTF8.self))
    }

    /// A fresh temporary folder.
    static func folder(_ name: String = #function) throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("maxp-cli-\(name.filter(\.isLetter))-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// A slopes.json with one entry per (op, slope, verdict) at t = 1, statistic l1.
    static func slopesJSON(_ entries: [(String, Double, String)]) -> String {
        let ops = entries.map { op, slope, verdict in
            #"{"op": "\#(op)", "kind": "hidden", "t": 1, "statistic": "l1", "slope": \#(slope), "ci95": [\#(slope - 0.05), \#(slope + 0.05)], "expected": 0.0, "verdict": "\#(verdict)", "suggested_delta_a": null}"#
        }
        return #"{"axis": "width", "values": [64, 128, 256], "ops": [\#(ops.joined(separator: ", "))]}"#
    }

    /// A coord_data.csv with flat ops `fc` and `out` (out grows as width^+1 after training) for the given seeds.
    /// Two shard folders `part1` (seed 0) and `part2` (seeds 1, 2) under `folder`, each holding a `coord_data.csv`.
    static func twoShardFolders(in folder: URL) throws -> (URL, URL) {
        let a = folder.appendingPathComponent("part1"), b = folder.appendingPathComponent("part2")
        for (url, seeds) in [(a, [0]), (b, [1, 2])] {
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
            try coordCSV(seeds: seeds).write(to: url.appendingPathComponent("coord_data.csv"), atomically: true, encoding: .utf8)
        }
        return (a, b)
    }

    static func coordCSV(seeds: [Int], widths: [Int] = [64, 128, 256, 512]) -> String {
        var lines = ["axis_value,seed,t,op,kind,l1,rms,delta_rms"]
        for width in widths {
            for seed in seeds {
                for t in 0...1 {
                    for (op, slope) in [("fc", 0.0), ("out", t == 0 ? -0.5 : 1.0)] {
                        let value = pow(Double(width), slope) * (1 + 0.01 * Double(seed))
                        lines.append("\(width),\(seed),\(t),\(op),hidden,\(value),\(value),\(t == 0 ? 0 : value / 10)")
                    }
                }
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
