import Foundation
import MaxP
import MaxPDiagnostics
import Testing
@testable import MaxPReport

/// `report --from` and `merge` use only data that is complete and belongs together.
@Suite("Saved runs must be complete and consistent")
struct RunFolderConsistencyTests {
    func savedRun(_ parent: URL, name: String = "run", table: CoordTable = Fixtures.table(),
                  run: RunDescription? = nil) throws -> URL {
        let folder = parent.appendingPathComponent(name)
        try RunArtifacts.writeCoordCheck(table: table, slopes: SlopeReport(table: table), run: run ?? Fixtures.run(table),
                                         to: folder, options: ArtifactOptions(formats: [.svg], writesExtraFigures: false),
                                         renderer: ReportRenderer(templates: .embedded))
        return folder
    }

    func replaceLines(of url: URL, keep: Int) throws {
        let lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n")
        try (lines.prefix(keep).joined(separator: "\n") + "\n").write(to: url, atomically: true, encoding: .utf8)
    }

    @Test("coord_data.csv cut to 30 lines, or to its header, is refused; so are slopes from other widths")
    func cutOrMismatched() throws {
        let parent = Fixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: parent) }
        let folder = try savedRun(parent)
        _ = try RunFolder.read(folder)
        let csv = folder.appendingPathComponent(RunFolder.FileName.coordData)
        let original = try Data(contentsOf: csv)
        for keep in [30, 1] {
            try original.write(to: csv)
            try replaceLines(of: csv, keep: keep)
            #expect(throws: ReportError.self, "\(keep) lines") { try RunFolder.read(folder) }
            #expect(throws: ReportError.self) { try RunArtifacts.rerender(from: folder, renderer: ReportRenderer(templates: .embedded)) }
        }
        try original.write(to: csv)
        var slopes = try SlopeReport.read(from: folder.appendingPathComponent(RunFolder.FileName.slopes))
        slopes.values = [64, 128, 256]
        try slopes.write(to: folder.appendingPathComponent(RunFolder.FileName.slopes))
        do {
            _ = try RunFolder.read(folder)
            Issue.record("slopes of other widths accepted")
        } catch {
            #expect(error.description.contains("different runs"))
        }
    }

    @Test("merge refuses shards of different configurations and an incomplete shard set, naming the missing shard")
    func mergeChecks() throws {
        let parent = Fixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: parent) }
        let full = Fixtures.table()
        func shard(_ index: Int, of count: Int, lr: String = "0.001", model: String? = nil) throws -> URL {
            var table = full
            let runs = full.expectedRuns(shard: (index: index - 1, count: count))
            table.rows = full.rows.filter { row in runs.contains { $0 == (row.axisValue, row.seed) } }
            if let model { table.metadata.modelDescription = model }
            var run = Fixtures.run(table)
            run.settings += [.init(name: "lr", value: lr), .init(name: "shard", value: "\(index)/\(count)")]
            return try savedRun(parent, name: "part\(index)-\(lr)-\(model ?? "")", table: table, run: run)
        }
        let one = try shard(1, of: 2), two = try shard(2, of: 2)
        let merged = try RunMerge.merge([one, two])
        #expect(merged.table.rows.count == full.rows.count)
        #expect(!merged.run.settings.contains { $0.name == "shard" })
        #expect(throws: ReportError.missingShards(missing: ["2/2"], count: 2)) { try RunMerge.merge([one]) }
        let otherLR = try shard(2, of: 2, lr: "0.01")
        do {
            _ = try RunMerge.merge([one, otherLR])
            Issue.record("shards with different lr merged")
        } catch {
            guard case .shardMismatch(let setting, _, "0.001", _, "0.01") = error else { Issue.record("\(error)"); return }
            #expect(setting == "lr")
        }
        #expect(throws: ReportError.self) { try RunMerge.merge([one, try shard(2, of: 2, model: "GPT d=w")]) }
    }

    @Test("LR-transfer shards merge into one LR-transfer run; a missing grid point is refused")
    func mergeLRTransfer() throws {
        let parent = Fixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: parent) }
        let trials = Fixtures.trials()
        var folders: [URL] = []
        for part in 0..<2 {
            let mine = trials.enumerated().filter { ($0.offset / 2) % 2 == part }.map(\.element)  // seeds together
            let folder = parent.appendingPathComponent("lr\(part)")
            try RunArtifacts.writeLRTransfer(trials: mine, report: LRTransferAnalysis.analyze(mine),
                                             run: RunDescription(model: "MLP", parametrization: "sp,mup"), to: folder,
                                             options: ArtifactOptions(formats: [.svg]), renderer: ReportRenderer(templates: .embedded))
            folders.append(folder)
        }
        guard case .lrTransfer(let merged) = try RunMerge.mergeRuns(folders) else { Issue.record("not LR-transfer"); return }
        #expect(merged.trials.count == trials.count)
        #expect(merged.report == LRTransferAnalysis.analyze(merged.trials, primary: "sp"))
        #expect(throws: ReportError.self) { try RunMerge.mergeRuns([folders[0]]) }
    }
}

@Suite("history.csv as the core writes it")
struct AlignmentHistoryReadTests {
    @Test("quoted layer names (the core quotes a comma) and CRLF or CR line endings read back")
    func quotedAndLineEndings() throws {
        var history = AlignmentHistory()
        history.records = [AlignmentHistoryRow(step: 1, layer: "blocks.0,attn", alpha: 1, omega: 0.5, u: 0.75, c: 1, lr: 0.001, loss: 2.5)]
        let text = history.csv
        #expect(text.contains("\"blocks.0,attn\""))
        for variant in [text, text.replacingOccurrences(of: "\n", with: "\r\n"), text.replacingOccurrences(of: "\n", with: "\r")] {
            #expect(try AlignmentHistoryRow.parseCSV(variant) == history.records)
        }
    }
}
