import Foundation
import Testing

@Suite("maxp-diagnose report (subprocess)")
struct ReportCommandTests {
    @Test("re-renders report.md, PNG and SVG from a crafted run folder")
    func rerender() throws {
        let folder = try CLI.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try CLI.coordCSV(seeds: [0, 1]).write(to: folder.appendingPathComponent("coord_data.csv"), atomically: true, encoding: .utf8)
        let out = folder.appendingPathComponent("rendered")
        let outcome = try CLI.run(["report", "--from", folder.path, "--out", out.path])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        for name in ["report.md", "coord_check.png", "coord_check.svg", "coord_data.csv", "slopes.json"] {
            #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent(name).path), "\(name)")
        }
        let png = try Data(contentsOf: out.appendingPathComponent("coord_check.png"))
        #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]))
        let report = try String(contentsOf: out.appendingPathComponent("report.md"), encoding: .utf8)
        #expect(report.contains("![") && report.contains("(coord_check.png)"))
        #expect(report.contains("| op | kind | t | statistic |"))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: out.path).filter { $0.hasSuffix(".tmp") }
        #expect(leftovers.isEmpty)
    }

    @Test("LR-transfer data re-renders lr_transfer.png and report.md")
    func lrTransfer() throws {
        let folder = try CLI.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        var lines = ["parametrization,width,lr,seed,final_loss,diverged"]
        for width in [64, 128, 256] {
            for k in -3...3 {
                let lr = 1e-3 * pow(2, Double(k))
                lines.append("mup,\(width),\(lr),0,\(2 + 0.1 * Double(k * k)),false")
            }
        }
        try (lines.joined(separator: "\n") + "\n").write(to: folder.appendingPathComponent("lr_transfer.csv"), atomically: true, encoding: .utf8)
        let outcome = try CLI.run(["report", "--from", folder.path, "--format", "png"])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("lr_transfer.png").path))
        let report = try String(contentsOf: folder.appendingPathComponent("report.md"), encoding: .utf8)
        #expect(report.contains("drift exponent"))
    }

    @Test("a folder without data, or an unwritable output, exits 2 with one line")
    func errors() throws {
        let folder = try CLI.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let empty = try CLI.run(["report", "--from", folder.path])
        #expect(empty.status == 2)
        #expect(empty.stderr.split(separator: "\n").count == 1)
        try CLI.coordCSV(seeds: [0]).write(to: folder.appendingPathComponent("coord_data.csv"), atomically: true, encoding: .utf8)
        let blocker = folder.appendingPathComponent("file")
        try Data().write(to: blocker)
        let unwritable = try CLI.run(["report", "--from", folder.path, "--out", blocker.appendingPathComponent("x").path])
        #expect(unwritable.status == 2)
        #expect(unwritable.stderr.contains(blocker.path))
    }
}
