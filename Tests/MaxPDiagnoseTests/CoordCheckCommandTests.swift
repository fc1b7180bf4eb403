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
