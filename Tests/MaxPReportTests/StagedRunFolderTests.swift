import Foundation
import MaxPDiagnostics
import Testing
@testable import MaxPReport

/// A run folder is one unit: staged beside the target, swapped in whole, locked while written.
@Suite("Run folders are written as one unit")
struct StagedRunFolderTests {
    func names(_ url: URL) throws -> [String] { try FileManager.default.contentsOfDirectory(atPath: url.path).sorted() }

    @Test("an SVG-only run replaces a PNG+SVG run completely: no stale PNG stays beside the new report")
    func noStaleFiles() throws {
        let parent = Fixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: parent) }
        let folder = parent.appendingPathComponent("run")
        let table = Fixtures.table()
        let renderer = try ReportRenderer(templates: .embedded)
        try RunArtifacts.writeCoordCheck(table: table, slopes: SlopeReport(table: table), run: Fixtures.run(table),
                                         to: folder, renderer: renderer)
        #expect(try names(folder).contains("coord_check.png"))
        try RunArtifacts.writeCoordCheck(table: table, slopes: SlopeReport(table: table), run: Fixtures.run(table),
                                         to: folder, options: ArtifactOptions(formats: [.svg]), renderer: renderer)
        let after = try names(folder)
        #expect(!after.contains { $0.hasSuffix(".png") }, "\(after)")
        #expect(after.contains("coord_check.svg") && after.contains("report.md"))
        #expect(try names(parent) == ["run"], "no staging folder, old folder or lock file left")
    }

    @Test("a second writer of the same folder fails at once with a clear message; the first one still commits")
    func lock() throws {
        let parent = Fixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: parent) }
        let target = parent.appendingPathComponent("out")
        let first = try StagedRunFolder(target: target)
        do {
            _ = try StagedRunFolder(target: target)
            Issue.record("a second writer got the folder")
        } catch {
            guard case .busy(let path, _) = error else { Issue.record("\(error)"); return }
            #expect(path == target.standardizedFileURL.path)
            #expect(error.description.contains("another maxp-diagnose process"))
        }
        try Data("a".utf8).write(to: first.staging.appendingPathComponent("report.md"))
        try first.commit()
        #expect(try names(target) == ["report.md"])
        let again = try StagedRunFolder(target: target)  // the lock is released with the commit
        again.discard()
        #expect(try names(target) == ["report.md"], "a discarded run leaves the earlier one intact")
        #expect(try names(parent) == ["out"])
    }

    @Test("a folder of other files is refused, never replaced")
    func foreign() throws {
        let parent = Fixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: parent) }
        let home = parent.appendingPathComponent("documents")
        try FileManager.default.createDirectory(at: home.appendingPathComponent("photos"), withIntermediateDirectories: true)
        try Data("x".utf8).write(to: home.appendingPathComponent("report.md"))
        do {
            _ = try StagedRunFolder(target: home)
            Issue.record("a folder of other files was accepted")
        } catch {
            guard case .notARunFolder(_, let entry) = error else { Issue.record("\(error)"); return }
            #expect(entry == "photos/")
        }
        #expect(try names(home) == ["photos", "report.md"])
        #expect(try names(parent) == ["documents"])
    }
}
