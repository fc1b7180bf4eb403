import Foundation
import MaxPDiagnostics
import MaxPPlot
import Testing
@testable import MaxPReport

@Suite("Report writer and run artifacts")
struct ReportWriterTests {
    @Test("staged files are invisible until commit, then all appear; no temporary files remain")
    func atomicity() throws {
        let folder = Fixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let writer = try ReportWriter(directory: folder.appendingPathComponent("nested/out"))
        try writer.stage("a", as: "a.md")
        try writer.stage("b", as: "b.csv")
        #expect(!writer.exists("a.md") && !writer.exists("b.csv"))
        let written = try writer.commit()
        #expect(written.map(\.lastPathComponent) == ["a.md", "b.csv"])
        let names = try FileManager.default.contentsOfDirectory(atPath: writer.directory.path).sorted()
        #expect(names == ["a.md", "b.csv"])
    }

    @Test("discarding (or dropping the writer) removes staged files")
    func discard() throws {
        let folder = Fixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        do {
            let writer = try ReportWriter(directory: folder)
            try writer.stage("x", as: "x.md")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
    }

    @Test("an unwritable output folder is a typed error naming the path")
    func unwritable() throws {
        let folder = Fixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let file = folder.appendingPathComponent("plain-file")
        try Data("x".utf8).write(to: file)
        for target in [file, file.appendingPathComponent("sub")] {
            do {
                _ = try ReportWriter(directory: target)
                Issue.record("expected an error for \(target.path)")
            } catch {
                guard case let .unwritableFolder(path, _) = error else { Issue.record("wrong error \(error)"); continue }
                #expect(path == target.standardizedFileURL.path)
                #expect(error.description.contains(target.path))
            }
        }
    }

    @Test("a coord check writes the contract files; re-rendering from them reproduces the report")
    func coordCheckRoundTrip() throws {
        let folder = Fixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let table = Fixtures.table()
        let slopes = SlopeReport(table: table)
        try RunArtifacts.writeCoordCheck(table: table, slopes: slopes, run: Fixtures.run(table), to: folder,
                                         renderer: ReportRenderer(templates: .embedded))
        for name in ["coord_check.png", "coord_check.svg", "report.md", "coord_data.csv", "slopes.json", "run.json",
                     "coord_metadata.json", "slope_heatmap.png", "coord_check_by_op.svg"] {
            #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent(name).path), "\(name) missing")
        }
        let original = try String(contentsOf: folder.appendingPathComponent("report.md"), encoding: .utf8)
        // The caption describes the figure's layout as drawn: 3 steps in one row, shared y scale, legend on the right.
        #expect(original.contains("One panel per step t in one row, all on the same y scale"))
        #expect(original.contains("the legend on the right names each op"))
        let again = folder.appendingPathComponent("again")
        try RunArtifacts.rerender(from: folder, to: again, formats: [.svg], renderer: ReportRenderer(templates: .embedded))
        let rerendered = try String(contentsOf: again.appendingPathComponent("report.md"), encoding: .utf8)
        #expect(rerendered.contains("| layer | role | width | a | b | c | lr | r |"))
        #expect(rerendered.contains("coord_check.svg"))
        #expect(!FileManager.default.fileExists(atPath: again.appendingPathComponent("coord_check.png").path))
        #expect(original.components(separatedBy: "| **grows** |").count == rerendered.components(separatedBy: "| **grows** |").count)
        let folderContent = try RunFolder.read(again)
        #expect(folderContent.table?.rows.count == table.rows.count)
        #expect(folderContent.slopes == slopes)
    }

    @Test("merging shards unites rows and rejects duplicates")
    func merge() throws {
        let folder = Fixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let table = Fixtures.table()
        var first = table, second = table
        first.rows = table.rows.filter { $0.seed == 0 }
        second.rows = table.rows.filter { $0.seed != 0 }
        let a = folder.appendingPathComponent("a"), b = folder.appendingPathComponent("b")
        for (shard, url) in [(first, a), (second, b)] {
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
            try shard.writeCSV(to: url.appendingPathComponent("coord_data.csv"))
        }
        let merged = try RunMerge.merge([a, b])
        #expect(merged.table.rows.count == table.rows.count)
        #expect(merged.slopes.ops.count == SlopeReport(table: table).ops.count)
        #expect(throws: ReportError.self) { try RunMerge.merge([a, a]) }
    }

    @Test("alignment history CSV round-trips")
    func historyCSV() throws {
        let rows = [AlignmentHistoryRow(step: 1, layer: "fc", alpha: 1, omega: 0.5, u: 0.75, c: 1, lr: 0.001, loss: 2.5)]
        #expect(try AlignmentHistoryRow.parseCSV(RunArtifacts.historyCSV(rows)) == rows)
        #expect(throws: ReportError.self) { try AlignmentHistoryRow.parseCSV("step,layer\n1,fc\n") }
    }
}
