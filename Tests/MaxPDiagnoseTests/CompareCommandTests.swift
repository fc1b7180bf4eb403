import Foundation
import Testing
import _MaxPTestSupport

/// Runs the built `maxp-diagnose compare` on run folders written by hand: the output folder's files, the pick
/// printed, and one line with exit 2 for every kind of bad input.
@Suite("maxp-diagnose compare")
struct CompareCommandTests {
    typealias Folders = ComparisonRunFolders

    /// Two grids at width 16 and 32: `fast` is best at lr 0.1 (its lr 1 diverged, marked in grid.csv), `slow` at lr
    /// 0.01 — two seeds each.
    static func grids(in root: URL) throws -> (fast: URL, slow: URL) {
        func losses(_ final: Double) -> [Double] { [1, (1 + final) / 2, final] }
        var fast: [(name: String, config: [String: Any], losses: [Double], status: String)] = []
        var slow = fast
        for width in [16, 32] {
            for seed in [0, 1] {
                let jitter = Double(seed) * 0.01
                fast.append(("w\(width)-lr0.1-s\(seed)", Folders.config(width: width, lr: 0.1, seed: seed, steps: 3), losses(0.3 + jitter), "done"))
                fast.append(("w\(width)-lr1-s\(seed)", Folders.config(width: width, lr: 1, seed: seed, steps: 3), [1, 0.2, .nan], "diverged"))
                slow.append(("w\(width)-lr0.01-s\(seed)", Folders.config(width: width, lr: 0.01, seed: seed, steps: 3), losses(0.5 + jitter), "done"))
                slow.append(("w\(width)-lr0.1-s\(seed)", Folders.config(width: width, lr: 0.1, seed: seed, steps: 3), losses(0.6 + jitter), "done"))
            }
        }
        let fastFolder = root.appendingPathComponent("fast"), slowFolder = root.appendingPathComponent("slow")
        try Folders.writeGrid(fastFolder, runs: fast, history: true)
        try Folders.writeGrid(slowFolder, runs: slow)
        return (fastFolder, slowFolder)
    }

    @Test("two grids: best run per width and experiment, figures, report.md and compare.csv")
    func comparesGrids() throws {
        let root = Folders.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        let (fast, slow) = try Self.grids(in: root)
        let out = root.appendingPathComponent("out")
        let run = try CLI.run(["compare", "--exp", "fast=\(fast.path)", "--exp", "slow=\(slow.path)", "--metric", "train_loss",
                               "--group-by", "model.width", "--select-by", "loss", "--smoothing", "0.5", "--out", out.path])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("compare model.width=16: fast ") && run.stdout.contains("at lr 0.1, slow "))
        #expect(run.stdout.contains("at lr 0.01 → fast"))
        let files = Set(try FileManager.default.contentsOfDirectory(atPath: out.path))
        for name in ["report.md", "compare.csv", "candidates.csv", "curves_16.png", "curves_16.svg", "lr_32.png", "lr_traces_32.svg"] {
            #expect(files.contains(name), "missing \(name)")
        }
        let csv = try String(contentsOf: out.appendingPathComponent("compare.csv"), encoding: .utf8).split(separator: "\n")
        #expect(csv[0] == "experiment,model.width,status,optimizer.lr_prefactor,seeds,final_train_loss,final_train_loss_min,final_train_loss_max,runs")
        #expect(csv.count == 5 && csv[1].hasPrefix("fast,16,ok,0.1,2,") && csv[2].hasPrefix("slow,16,ok,0.01,2,"))
        let report = try String(contentsOf: out.appendingPathComponent("report.md"), encoding: .utf8)
        #expect(report.contains("fast in 2 of 2 groups") && report.contains("fast is best in every group."))
        #expect(report.contains("weight 0.5 on the newest point") && report.contains(" | diverged |"))
    }

    @Test("one run folder, and a folder of run folders, are experiments too; the default groups are width and depth")
    func otherFolders() throws {
        let root = Folders.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        let single = root.appendingPathComponent("single")
        try Folders.writeRun(single, config: Folders.config(width: 8, lr: 0.1, seed: 0, steps: 2), losses: [1, 0.4])
        let many = root.appendingPathComponent("many")
        try Folders.writeRun(many.appendingPathComponent("x"), config: Folders.config(width: 8, lr: 0.1, seed: 0, steps: 2), losses: [1, 0.3])
        let out = root.appendingPathComponent("out")
        let run = try CLI.run(["compare", "--exp", "one=\(single.path)", "--exp", "many=\(many.path)", "--out", out.path])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("compare model.width=8, model.depth=2: one 0.4 at lr 0.1, many 0.3 at lr 0.1 → many"))
    }

    @Test("bad input: one line on stderr, exit 2, no output folder")
    func badInput() throws {
        let root = Folders.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        let (fast, _) = try Self.grids(in: root)
        let empty = root.appendingPathComponent("empty")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        let out = root.appendingPathComponent("out")
        let cases: [([String], String)] = [
            (["--exp", "a=\(root.appendingPathComponent("missing").path)"], "does not exist"),
            (["--exp", "a=\(empty.path)"], "holds no run"),
            (["--exp", "a=\(fast.path)", "--exp", "a=\(fast.path)"], "given twice"),
            (["--exp", fast.path], "is not NAME=DIR"),
            (["--exp", "a=\(fast.path)", "--group-by", "model.hidden_dim"], "known keys: maxp.alignment, maxp.dynamic"),
            (["--exp", "a=\(fast.path)", "--metric", "test_loss"], "available: train_loss"),
            (["--exp", "a=\(fast.path)", "--smoothing", "1.5"], "outside [0, 1]"),
            (["--exp", "a=\(fast.path)", "--select-by", "accuracy"], "select-by"),
        ]
        try FileManager.default.removeItem(at: fast.appendingPathComponent("runs/w16-lr0.1-s0/metrics.csv"))
        let broken = try CLI.run(["compare", "--exp", "a=\(fast.path)", "--out", out.path])
        #expect(broken.status == 2 && broken.stderr.contains("metrics.csv"))
        _ = try Self.grids(in: root)
        for (arguments, message) in cases {
            let run = try CLI.run(["compare"] + arguments + ["--out", out.path])
            #expect(run.status == 2, "\(arguments): \(run.stderr)")
            #expect(run.stderr.contains(message), "\(arguments): \(run.stderr)")
            #expect(run.stderr.split(separator: "\n").count == 1, "\(arguments): \(run.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: out.path))
    }
}
