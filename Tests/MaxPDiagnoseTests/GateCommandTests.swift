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
        let failures = try document.nodes(forXPath: "//testcase/failure")
        #expect(failures.count == 2)
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
                          ["gate", "--baseline", good.path],
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

    @Test("help has examples; --help exits 0")
    func help() throws {
        for command in ["gate", "merge", "report"] {
            let outcome = try CLI.run([command, "--help"])
            #expect(outcome.status == 0)
            #expect(outcome.stdout.contains("Examples:"))
        }
    }
}
