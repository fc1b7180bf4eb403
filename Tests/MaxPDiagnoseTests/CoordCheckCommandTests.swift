import Foundation
import Testing

@Suite("maxp-diagnose coord-check")
struct CoordCheckCommandTests {
    static let small = ["--model", "mlp", "--input-dim", "16", "--depth", "2", "--output-dim", "4", "--batch", "16",
                        "--widths", "16,32,64", "--seeds", "2", "--steps", "1", "--quiet"]

    @Test func writesTheFileContract() throws {
        let folder = try CLI.folder()
        let outcome = try CLI.run(["coord-check"] + Self.small + ["--out", folder.path])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        for name in ["coord_check.png", "coord_check.svg", "report.md", "coord_data.csv", "slopes.json"] {
            #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent(name).path), "\(name)")
        }
        let csv = try String(contentsOf: folder.appendingPathComponent("coord_data.csv"), encoding: .utf8)
        #expect(csv.hasPrefix("axis_value,seed,t,op,kind,l1,rms,delta_rms\n"))
        let moments = try String(contentsOf: folder.appendingPathComponent("coord_moments.csv"), encoding: .utf8)
        #expect(moments.hasPrefix("axis_value,seed,t,op,mean,std,grad_l1,grad_rms\n"))
        #expect(moments.split(separator: "\n").count == csv.split(separator: "\n").count)
        #expect(csv.split(separator: "\n").count == 1 + 3 * 2 * 2 * 5)
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("slopes.json"))) as! [String: Any]
        #expect(json["axis"] as? String == "width")
        #expect(json["values"] as? [Int] == [16, 32, 64])
        let ops = try #require(json["ops"] as? [[String: Any]])
        #expect(!ops.isEmpty)
        for key in ["op", "kind", "t", "statistic", "slope", "ci95", "expected", "verdict", "suggested_delta_a"] {
            #expect(ops.allSatisfy { $0.keys.contains(key) }, "\(key)")
        }
    }

    @Test("--statistic, --ops and --max-colored-ops reach the figures and run.json; report --from reuses them; an unmatched glob exits 2")
    func figureOptions() throws {
        let folder = try CLI.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let out = folder.appendingPathComponent("run")
        let outcome = try CLI.run(["coord-check"] + Self.small + ["--format", "svg", "--statistic", "rms", "--ops", "fc_*",
                                                                  "--ops", "readout", "--max-colored-ops", "2", "--out", out.path])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let run = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("run.json"))) as! [String: Any]
        let figures = try #require(run["coordCheckFigures"] as? [String: Any])
        #expect(figures["statistic"] as? String == "rms" && figures["ops"] as? [String] == ["fc_*", "readout"])
        #expect(figures["maxColoredOps"] as? Int == 2)
        let settings = (run["settings"] as? [[String: String]] ?? []).map { "\($0["name"]!)=\($0["value"]!)" }
        #expect(settings.contains("statistic=rms") && settings.contains("ops=fc_*,readout") && settings.contains("max-colored-ops=2"))
        let svg = try String(contentsOf: out.appendingPathComponent("coord_check.svg"), encoding: .utf8)
        #expect(svg.contains("RMS") && svg.contains("fc_1") && svg.contains("readout"))
        let report = try String(contentsOf: out.appendingPathComponent("report.md"), encoding: .utf8)
        #expect(report.contains("activation size (RMS)"))

        let unmatched = try CLI.run(["coord-check"] + Self.small + ["--ops", "fc_*,blocks.*.attn.qk",
                                                                    "--out", folder.appendingPathComponent("bad").path])
        #expect(unmatched.status == 2)
        #expect(unmatched.stderr.contains("--ops") && unmatched.stderr.contains("`blocks.*.attn.qk` matches no op"), "\(unmatched.stderr)")
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("bad/report.md").path))
        #expect(try CLI.run(["coord-check"] + Self.small + ["--max-colored-ops", "0", "--out", out.path]).status == 2)

        let copy = folder.appendingPathComponent("copy")
        let rerendered = try CLI.run(["report", "--from", out.path, "--out", copy.path, "--format", "svg", "--quiet"])
        #expect(rerendered.status == 0, "\(rerendered.stderr)")
        #expect(try String(contentsOf: copy.appendingPathComponent("coord_check.svg"), encoding: .utf8) == svg)
        let l1 = try CLI.run(["report", "--from", out.path, "--out", copy.path, "--format", "svg", "--statistic", "l1", "--quiet"])
        #expect(l1.status == 0, "\(l1.stderr)")
        #expect(try String(contentsOf: copy.appendingPathComponent("coord_check.svg"), encoding: .utf8).contains("mean |x|"))
        let bad = try CLI.run(["report", "--from", out.path, "--out", copy.path, "--ops", "nope*"])
        #expect(bad.status == 2 && bad.stderr.contains("--ops: `nope*` matches no op"), "\(bad.stderr)")
    }

    @Test func sweepAliasAndAutofixWithAPlantedBug() throws {
        let folder = try CLI.folder()
        let outcome = try CLI.run(["sweep", "--model", "mlp", "--input-dim", "32", "--depth", "3", "--output-dim", "10",
                                   "--batch", "64", "--widths", "64,128,256,512,1024", "--seeds", "3", "--steps", "1",
                                   "--inject", "missing-readout-multiplier", "--autofix", "--lr", "0.01", "--quiet",
                                   "--out", folder.path])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(outcome.stdout.contains("autofix verified"), "\(outcome.stdout)")
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("autofix/slopes.json").path))
    }

    @Test func userDataSetsTheModelSizesAndBadDataExitsWithTwo() throws {
        let folder = try CLI.folder()
        var csv = "x1,x2,x3,label\n"
        for row in 0..<40 { csv += "\(Double(row % 7) / 7),\(Double(row % 5) / 5 - 0.5),\(Double(row % 3)),\(row % 3)\n" }
        let data = folder.appendingPathComponent("data.csv")
        try csv.write(to: data, atomically: true, encoding: .utf8)
        let out = folder.appendingPathComponent("run")
        let outcome = try CLI.run(["coord-check", "--model", "mlp", "--data", data.path, "--depth", "2", "--batch", "16",
                                   "--widths", "16,32,64", "--seeds", "2", "--steps", "1", "--quiet", "--out", out.path])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let table = try String(contentsOf: out.appendingPathComponent("coord_data.csv"), encoding: .utf8)
        #expect(table.contains(",fc_1,"))
        let report = try String(contentsOf: out.appendingPathComponent("report.md"), encoding: .utf8)
        #expect(report.contains("from the data file") && !report.contains("3072"))

        try "a,b,label\n1,2,x\n".write(to: data, atomically: true, encoding: .utf8)
        let bad = try CLI.run(["coord-check", "--model", "mlp", "--data", data.path, "--widths", "16,32,64", "--quiet",
                               "--out", folder.appendingPathComponent("bad").path])
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("line 2"), "\(bad.stderr)")
        let gpt = try CLI.run(["coord-check", "--model", "gpt", "--data", data.path, "--widths", "16,32,64", "--quiet",
                               "--out", folder.appendingPathComponent("gpt").path])
        #expect(gpt.status == 2)
    }

    @Test(arguments: [
        ["--widths", "64,32,128"], ["--widths", "32,64"], ["--model", "transformer"], ["--inject", "bogus"],
        ["--out", "/proc/forbidden/out"],
    ])
    func badInputExitsWithTwo(_ extra: [String]) throws {
        let folder = try CLI.folder()
        let outcome = try CLI.run(["coord-check"] + Self.small + ["--out", folder.path] + extra)
        #expect(outcome.status == 2)
        #expect(outcome.stderr.split(separator: "\n").count == 1, "\(outcome.stderr)")
    }
}
