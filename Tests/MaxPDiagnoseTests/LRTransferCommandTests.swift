import Foundation
import Testing

@Suite("maxp-diagnose lr-transfer")
struct LRTransferCommandTests {
    @Test func writesTheFileContract() throws {
        let folder = try CLI.folder()
        let outcome = try CLI.run(["lr-transfer", "--model", "mlp", "--input-dim", "16", "--depth", "2", "--output-dim", "4",
                                   "--batch", "16", "--widths", "16,32,64", "--seeds", "1", "--steps", "3",
                                   "--lrs", "1e-3,1e-2,1e-1", "--parametrizations", "sp,mup", "--quiet", "--out", folder.path])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        for name in ["lr_transfer.png", "lr_transfer.svg", "report.md", "lr_transfer.csv", "lr_transfer.json"] {
            #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent(name).path), "\(name)")
        }
        let csv = try String(contentsOf: folder.appendingPathComponent("lr_transfer.csv"), encoding: .utf8)
        #expect(csv.split(separator: "\n").count == 1 + 2 * 3 * 3)
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("lr_transfer.json"))) as! [String: Any]
        for key in ["widths", "lrs", "optimum", "drift_exponent", "drift_ci95"] { #expect(json.keys.contains(key), "\(key)") }
    }

    /// `--shard i/N` splits the grid; `merge` of the parts gives exactly the unsharded run's trials.
    @Test func shardsMergeIntoTheWholeGrid() throws {
        let grid = ["lr-transfer", "--model", "mlp", "--input-dim", "8", "--depth", "2", "--output-dim", "2", "--batch", "8",
                    "--widths", "16,32,64", "--seeds", "1", "--steps", "2", "--lrs", "1e-3,1e-2,1e-1", "--quiet"]
        let root = try CLI.folder()
        let whole = root.appendingPathComponent("whole"), merged = root.appendingPathComponent("merged")
        #expect(try CLI.run(grid + ["--out", whole.path]).status == 0)
        var parts: [String] = []
        for index in 1...2 {
            let part = root.appendingPathComponent("part\(index)")
            let outcome = try CLI.run(grid + ["--shard", "\(index)/2", "--out", part.path])
            #expect(outcome.status == 0, "\(outcome.stderr)")
            let rows = try String(contentsOf: part.appendingPathComponent("lr_transfer.csv"), encoding: .utf8).split(separator: "\n")
            #expect(rows.count == 1 + (index == 1 ? 5 : 4), "shard \(index)/2 of 9 runs")
            parts.append(part.path)
        }
        let outcome = try CLI.run(["merge"] + parts + ["--out", merged.path])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        func rows(_ folder: URL) throws -> [Substring] {
            try String(contentsOf: folder.appendingPathComponent("lr_transfer.csv"), encoding: .utf8).split(separator: "\n").sorted()
        }
        #expect(try rows(merged) == rows(whole))
        let incomplete = try CLI.run(["merge", parts[0], "--out", root.appendingPathComponent("one").path])
        #expect(incomplete.status == 2, "\(incomplete.stderr)")
    }

    @Test func tooFewLearningRatesExitsWithTwo() throws {
        let outcome = try CLI.run(["lr-transfer", "--widths", "16,32,64", "--lrs", "1e-3,1e-2", "--quiet",
                                   "--out", try CLI.folder().path])
        #expect(outcome.status == 2)
    }
}
