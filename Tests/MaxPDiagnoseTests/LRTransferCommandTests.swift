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

    @Test func tooFewLearningRatesExitsWithTwo() throws {
        let outcome = try CLI.run(["lr-transfer", "--widths", "16,32,64", "--lrs", "1e-3,1e-2", "--quiet",
                                   "--out", try CLI.folder().path])
        #expect(outcome.status == 2)
    }
}
