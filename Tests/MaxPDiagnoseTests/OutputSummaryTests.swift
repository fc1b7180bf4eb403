import Foundation
import Testing

@Suite("Command summaries (subprocess)")
struct OutputSummaryTests {
    @Test("report and merge end with one line naming the folder and every file in it, in one style")
    func oneStyle() throws {
        let folder = try CLI.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let (a, b) = try CLI.twoShardFolders(in: folder)
        let merged = folder.appendingPathComponent("merged").path
        let merge = try CLI.run(["merge", a.path, b.path, "--out", merged])
        #expect(merge.status == 0, "\(merge.stderr)")
        let rendered = folder.appendingPathComponent("rendered").path
        let report = try CLI.run(["report", "--from", merged, "--out", rendered, "--format", "svg"])
        #expect(report.status == 0, "\(report.stderr)")
        for (stdout, path) in [(merge.stdout, merged), (report.stdout, rendered)] {
            let last = try #require(stdout.split(separator: "\n").last.map(String.init))
            let files = try FileManager.default.contentsOfDirectory(atPath: path).filter { !$0.hasPrefix(".") }
            #expect(last.hasPrefix("wrote \(path)/ (\(files.count) files): report.md; figures coord_check, "), "\(last)")
            #expect(last.hasSuffix("; data coord_data.csv, coord_metadata.json, slopes.json, run.json")
                    || last.hasSuffix("; data coord_data.csv, slopes.json, coord_metadata.json, run.json"), "\(last)")
            // Every file is named (figures by base name), and no full path of a file is printed.
            for file in files {
                let base = URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent
                #expect(last.contains(file) || last.contains(base), "\(file) missing from: \(last)")
            }
            #expect(!last.contains("\(path)/report.md"))
        }
        #expect(merge.stdout.contains("(.png, .svg)"))
        #expect(report.stdout.contains("slope_heatmap (.svg)"))
    }
}
