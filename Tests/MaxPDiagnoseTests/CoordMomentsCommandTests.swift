import Foundation
import Testing

/// `coord_moments.csv` end to end: written beside the contract `coord_data.csv` by `coord-check` (mup's mean and
/// std, gradient sizes), united by `merge`, read by `report --from` (`--statistic mean|std`), carried by `analyze`
/// from mup's columns; a folder without it re-renders the judged statistics and refuses `--statistic mean`.
@Suite("coord_moments.csv (subprocess)")
struct CoordMomentsCommandTests {
    static func lines(_ url: URL) throws -> [Substring] {
        try String(contentsOf: url, encoding: .utf8).split(separator: "\n")
    }

    @Test("sharded coord-check → merge → report --statistic mean/std; without coord_moments.csv: l1 renders, mean exits 2")
    func shardsMergeAndReport() throws {
        let folder = try CLI.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        var parts: [URL] = []
        for part in 1...2 {
            let out = folder.appendingPathComponent("part\(part)")
            let run = try CLI.run(["coord-check"] + CoordCheckCommandTests.small + ["--format", "svg", "--shard", "\(part)/2", "--out", out.path])
            #expect(run.status == 0, "\(run.stderr)")
            parts.append(out)
        }
        let merged = folder.appendingPathComponent("merged")
        let merge = try CLI.run(["merge", parts[0].path, parts[1].path, "--out", merged.path, "--format", "svg"])
        #expect(merge.status == 0, "\(merge.stderr)")
        let data = try Self.lines(merged.appendingPathComponent("coord_data.csv"))
        let moments = try Self.lines(merged.appendingPathComponent("coord_moments.csv"))
        #expect(data[0] == "axis_value,seed,t,op,kind,l1,rms,delta_rms")
        #expect(moments[0] == "axis_value,seed,t,op,mean,std,grad_l1,grad_rms" && moments.count == data.count)
        let shardMoments = try parts.flatMap { try Self.lines($0.appendingPathComponent("coord_moments.csv")).dropFirst() }
        #expect(Set(moments.dropFirst()) == Set(shardMoments))  // the merge carries every shard's row, none invented
        // At t = 0 (trained) the gradient is recorded; at the last step (no backward pass) it is nan.
        let fields = moments.dropFirst().map { $0.split(separator: ",") }
        #expect(fields.contains { $0[2] == "0" && $0[6] != "nan" } && fields.allSatisfy { $0[2] != "1" || $0[6] == "nan" })
        #expect(try String(contentsOf: merged.appendingPathComponent("report.md"), encoding: .utf8).contains("coord_moments.csv"))

        let copy = folder.appendingPathComponent("copy")
        let mean = try CLI.run(["report", "--from", merged.path, "--out", copy.path, "--format", "svg", "--statistic", "mean", "--quiet"])
        #expect(mean.status == 0, "\(mean.stderr)")
        #expect(try String(contentsOf: copy.appendingPathComponent("coord_check.svg"), encoding: .utf8).contains("activation mean"))
        #expect(try Self.lines(copy.appendingPathComponent("coord_moments.csv")) == moments)
        let std = try CLI.run(["report", "--from", merged.path, "--out", copy.path, "--format", "svg", "--statistic", "std", "--quiet"])
        #expect(std.status == 0, "\(std.stderr)")

        // An older run: no coord_moments.csv.
        try FileManager.default.removeItem(at: merged.appendingPathComponent("coord_moments.csv"))
        let old = try CLI.run(["report", "--from", merged.path, "--out", copy.path, "--format", "svg", "--statistic", "rms", "--quiet"])
        #expect(old.status == 0, "\(old.stderr)")
        let refused = try CLI.run(["report", "--from", merged.path, "--out", copy.path, "--format", "svg", "--statistic", "mean"])
        #expect(refused.status == 2)
        #expect(refused.stderr.split(separator: "\n").count == 1)
        #expect(refused.stderr.contains("--statistic") && refused.stderr.contains("coord_moments.csv"), "\(refused.stderr)")
    }

    @Test("analyze carries mup's mean and std columns to coord_moments.csv (unjudged)")
    func analyzeCarriesMupMoments() throws {
        let folder = try CLI.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        var lines = [",width,module,t,l1,mean,std"]
        var index = 0
        for width in [64, 128, 256] {
            for t in 1...2 {
                for module in ["fc_1", "readout"] {
                    let l1 = module == "readout" ? 1 / Double(width).squareRoot() : 0.8
                    lines.append("\(index),\(width),\(module),\(t),\(l1),\(-0.125 * Double(t)),\(l1 * 1.25)")
                    index += 1
                }
            }
        }
        let input = folder.appendingPathComponent("mup.csv")
        try (lines.joined(separator: "\n") + "\n").write(to: input, atomically: true, encoding: .utf8)
        let out = folder.appendingPathComponent("analyzed")
        let analysis = try CLI.run(["analyze", input.path, "--out", out.path, "--quiet"])
        #expect(analysis.status == 0, "\(analysis.stderr)")
        let moments = try Self.lines(out.appendingPathComponent("coord_moments.csv"))
        #expect(moments.count == 1 + 12)
        #expect(moments.contains("64,0,0,fc_1,-0.125,1.0,nan,nan") && moments.contains("256,0,1,readout,-0.25,0.078125,nan,nan"))
        let slopes = try String(contentsOf: out.appendingPathComponent("slopes.json"), encoding: .utf8)
        #expect(!slopes.contains("\"mean\"") && !slopes.contains("\"std\""))
        let mean = try CLI.run(["report", "--from", out.path, "--format", "svg", "--statistic", "mean", "--quiet"])
        #expect(mean.status == 0, "\(mean.stderr)")
    }
}
