import Foundation
import Testing

@Suite("maxp-diagnose merge (subprocess)")
struct MergeCommandTests {
    @Test("two shard folders merge into one table, slopes, figures and report; duplicates exit 2")
    func merge() throws {
        let folder = try CLI.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let (a, b) = try CLI.twoShardFolders(in: folder)
        let out = folder.appendingPathComponent("merged")
        let outcome = try CLI.run(["merge", a.path, b.path, "--out", out.path, "--format", "svg"])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let csv = try String(contentsOf: out.appendingPathComponent("coord_data.csv"), encoding: .utf8)
        #expect(csv.split(separator: "\n").count == 1 + 4 * 3 * 2 * 2)
        for name in ["slopes.json", "report.md", "coord_check.svg"] {
            #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent(name).path), "\(name)")
        }
        let report = try String(contentsOf: out.appendingPathComponent("report.md"), encoding: .utf8)
        #expect(report.contains("Merged from 2 shard folders"))

        let duplicate = try CLI.run(["merge", a.path, b.path, folder.appendingPathComponent("part1/").path + "/.",
                                     "--out", folder.appendingPathComponent("dup").path])
        #expect(duplicate.status == 2)
        let c = folder.appendingPathComponent("part3")
        try FileManager.default.createDirectory(at: c, withIntermediateDirectories: true)
        try CLI.coordCSV(seeds: [1]).write(to: c.appendingPathComponent("coord_data.csv"), atomically: true, encoding: .utf8)
        let overlapping = try CLI.run(["merge", a.path, b.path, c.path, "--out", folder.appendingPathComponent("dup").path])
        #expect(overlapping.status == 2)
        #expect(overlapping.stderr.split(separator: "\n").count == 1)
        #expect(overlapping.stderr.contains("both hold"))
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("dup/report.md").path))
    }
}
