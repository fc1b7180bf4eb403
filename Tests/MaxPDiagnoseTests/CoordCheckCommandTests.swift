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
