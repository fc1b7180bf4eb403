import Foundation
import Testing
import MaxPDiagnostics
import _MaxPTestSupport

/// Reading run folders (grid, folder of runs, one run), grouping by config keys, averaging seeds, smoothing, and
/// choosing the best setting — on run folders written by hand.
@Suite("Comparison of experiments")
struct ComparisonTests {
    typealias Folders = ComparisonRunFolders

    /// Losses from 1 down to `final` over `steps` steps (linear).
    static func descent(to final: Double, steps: Int = 4) -> [Double] {
        (1...steps).map { 1 + (final - 1) * Double($0) / Double(steps) }
    }

    @Test("the debiased moving average matches its closed form; 0 and 1 leave the curve alone; NaN ends it")
    func smoothing() throws {
        let half = try ComparisonSmoothing(weight: 0.5)
        // s1 = 0.5·1 / 0.5 = 1; s2 = (0.25 + 1.5) / 0.75 = 7/3
        let smoothed = half.apply([1, 3])
        #expect(abs(smoothed[0] - 1) < 1e-12 && abs(smoothed[1] - 7.0 / 3) < 1e-12)
        // Debiasing keeps a constant curve constant (no pull toward the zero start).
        #expect(try ComparisonSmoothing(weight: 0.1).apply([2, 2, 2]).allSatisfy { abs($0 - 2) < 1e-12 })
        #expect(try ComparisonSmoothing(weight: 0).apply([3, 1, 2]) == [3, 1, 2])
        #expect(try ComparisonSmoothing(weight: 1).apply([3, 1, 2]) == [3, 1, 2])
        let broken = half.apply([1, .nan, 1])
        #expect(broken[0] == 1 && broken[1].isNaN && broken[2].isNaN)
        #expect(throws: ComparisonError.badSmoothing(1.5)) { try ComparisonSmoothing(weight: 1.5) }
        #expect(throws: ComparisonError.self) { try ComparisonSmoothing(weight: -0.1) }
    }

    @Test("config.json flattens to dotted keys; Booleans stay Booleans, integers print without a decimal point")
    func flatten() throws {
        let json = #"{"model": {"width": 64, "name": "gpt"}, "optimizer": {"lr_prefactor": 0.05}, "maxp": {"dynamic": true}, "seed": 0, "x": [1, 2], "n": null}"#
        let values = try ComparisonConfigValue.flatten(json: Data(json.utf8))
        #expect(values["model.width"] == .number(64) && values["model.width"]?.description == "64")
        #expect(values["model.name"] == .text("gpt"))
        #expect(values["optimizer.lr_prefactor"]?.description == "0.05")
        #expect(values["maxp.dynamic"] == .bool(true))
        #expect(values["x"] == .text("[1,2]") && values["n"] == .null)
        #expect(throws: (any Error).self) { try ComparisonConfigValue.flatten(json: Data("[1]".utf8)) }
        #expect(ComparisonConfigValue.number(2) < .number(10) && ComparisonConfigValue.number(10) < .text("a"))
    }

    @Test("an experiment folder is a grid (grid.csv → runs/), a folder of run folders, or one run folder")
    func folderKinds() throws {
        let root = Folders.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        let grid = root.appendingPathComponent("grid")
        try Folders.writeGrid(grid, runs: [
            ("r0", Folders.config(width: 32, lr: 0.1, seed: 0, steps: 4), Self.descent(to: 0.5), "done"),
            ("r1", Folders.config(width: 32, lr: 1, seed: 0, steps: 4), Self.descent(to: 0.2), "diverged"),
        ])
        let fromGrid = try ComparisonExperiment.read(name: "g", folder: grid)
        #expect(fromGrid.runs.map(\.name) == ["r0", "r1"])
        #expect(fromGrid.runs[1].markedDiverged && fromGrid.runs[1].diverged("train_loss"))  // grid status, finite losses
        #expect(!fromGrid.runs[0].diverged("train_loss"))

        let parent = root.appendingPathComponent("runs-here")
        try Folders.writeRun(parent.appendingPathComponent("b"), config: Folders.config(width: 32, lr: 0.1, seed: 1, steps: 4), losses: Self.descent(to: 0.4))
        try Folders.writeRun(parent.appendingPathComponent("a"), config: Folders.config(width: 32, lr: 0.1, seed: 0, steps: 4), losses: Self.descent(to: 0.6))
        try FileManager.default.createDirectory(at: parent.appendingPathComponent("not-a-run"), withIntermediateDirectories: true)
        #expect(try ComparisonExperiment.read(name: "p", folder: parent).runs.map(\.name) == ["a", "b"])

        // A folder of grids (one per model, say): every grid's runs, named <grid>/<run>.
        let grids = root.appendingPathComponent("grids")
        try FileManager.default.createDirectory(at: grids, withIntermediateDirectories: true)
        try FileManager.default.moveItem(at: grid, to: grids.appendingPathComponent("mlp"))
        #expect(try ComparisonExperiment.read(name: "gs", folder: grids).runs.map(\.name) == ["mlp/r0", "mlp/r1"])

        let single = try ComparisonExperiment.read(name: "s", folder: parent.appendingPathComponent("a"))
        #expect(single.runs.count == 1 && single.runs[0].metrics["train_loss"]?.last == 0.6)

        #expect(throws: ComparisonError.missingFolder(experiment: "m", path: root.appendingPathComponent("nope").path)) {
            try ComparisonExperiment.read(name: "m", folder: root.appendingPathComponent("nope"))
        }
        let empty = root.appendingPathComponent("empty")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        #expect(throws: ComparisonError.noRuns(experiment: "e", path: empty.path)) { try ComparisonExperiment.read(name: "e", folder: empty) }
    }

    @Test("NAME=DIR specs and malformed run files are refused with the file and line named")
    func badInput() throws {
        #expect(try ComparisonExperiment.parseSpec("maxp=out/a=b") == ("maxp", "out/a=b"))
        for bad in ["maxp", "=dir", "maxp="] {
            #expect(throws: ComparisonError.badExperimentSpec(bad)) { try ComparisonExperiment.parseSpec(bad) }
        }
        let root = Folders.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        try Folders.writeRun(root, config: Folders.config(width: 8, lr: 0.1, seed: 0, steps: 2), losses: [1, 0.5])
        try "step,train_loss\n1,0.5\n2,abc\n".write(to: root.appendingPathComponent("metrics.csv"), atomically: true, encoding: .utf8)
        do {
            _ = try ComparisonRun.read(folder: root, name: "x")
            Issue.record("a non-number was accepted")
        } catch {
            #expect(error.description.contains("metrics.csv") && error.description.contains("line 3"))
        }
        try FileManager.default.removeItem(at: root.appendingPathComponent("metrics.csv"))
        #expect(throws: ComparisonError.missingFile(path: root.appendingPathComponent("metrics.csv").path)) {
            try ComparisonRun.read(folder: root, name: "x")
        }
    }

    /// Experiment "a" at width 32: lr 0.01 (seeds end at 0.30 and 0.70: mean 0.50), lr 0.1 (0.40 and 0.45: mean
    /// 0.425), lr 1 (seed 0 reaches 0.05 and then NaN; seed 1 ends at 0.01). Width 64: lr 0.1 only (0.2).
    static func experimentA(root: URL) throws -> ComparisonExperiment {
        let folder = root.appendingPathComponent("a")
        let plan: [(Int, Double, Int, [Double])] = [
            (32, 0.01, 0, descent(to: 0.30)), (32, 0.01, 1, descent(to: 0.70)),
            (32, 0.1, 0, descent(to: 0.40)), (32, 0.1, 1, descent(to: 0.45)),
            (32, 1, 0, [1, 0.1, 0.05, .nan]), (32, 1, 1, descent(to: 0.01)),
            (64, 0.1, 0, descent(to: 0.2)), (64, 0.1, 1, descent(to: 0.2)),
        ]
        for (width, lr, seed, losses) in plan {
            try Folders.writeRun(folder.appendingPathComponent("w\(width)-lr\(lr)-s\(seed)"),
                                 config: Folders.config(width: width, lr: lr, seed: seed, steps: losses.count), losses: losses)
        }
        return try ComparisonExperiment.read(name: "a", folder: folder)
    }

    @Test("seeds are averaged before choosing; a setting with a diverged seed is never picked")
    func selection() throws {
        let root = Folders.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        let a = try Self.experimentA(root: root)
        let b = ComparisonExperiment(name: "b", folder: root, runs: [
            ComparisonRun(name: "b1", folder: root, config: ["model.width": .number(32), "model.depth": .number(2),
                                                              "optimizer.lr_prefactor": .number(0.1), "seed": .number(0)],
                          steps: [1, 2], metrics: ["train_loss": [1, 0.35]]),
        ])
        let comparison = try Comparison(experiments: [a, b], metric: "train_loss", groupBy: ["model.width"])
        #expect(comparison.groups.map(\.values) == [[.number(32)], [.number(64)]])
        #expect(comparison.settingKeys == ["optimizer.lr_prefactor"])
        let narrow = comparison.groups[0].entries[0]
        #expect(narrow.candidates.map { $0.settings["optimizer.lr_prefactor"] } == [.number(0.01), .number(0.1), .number(1)])
        #expect(narrow.candidates.allSatisfy { $0.runs.count == 2 })
        #expect(abs((narrow.candidates[0].meanFinal ?? 0) - 0.5) < 1e-12)
        #expect(narrow.candidates[2].isDiverged && abs((narrow.candidates[2].finals[1] ?? 0) - 0.01) < 1e-12 && narrow.candidates[2].finals[0] == nil)
        // Seed 0 alone would pick lr 0.01 (0.30); the mean over seeds picks lr 0.1 (0.425); lr 1 has a NaN seed.
        #expect(narrow.pick == .best(index: 1, eligible: 2, diverged: 1))
        #expect(comparison.groups[0].winner == 1)  // b: 0.35 < 0.425
        #expect(comparison.groups[1].entries[1].pick == .noRuns)
        #expect(comparison.label(of: comparison.groups[1]) == "model.width=64")

        let csv = comparison.bestCSV().split(separator: "\n")
        #expect(csv[0] == "experiment,model.width,status,optimizer.lr_prefactor,seeds,final_train_loss,final_train_loss_min,final_train_loss_max,runs")
        let first = csv[1].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        #expect(Array(first[0...4]) == ["a", "32", "ok", "0.1", "2"] && first[8] == "w32-lr0.1-s0;w32-lr0.1-s1")
        #expect(abs(Double(first[5])! - 0.425) < 1e-12 && abs(Double(first[6])! - 0.40) < 1e-12 && abs(Double(first[7])! - 0.45) < 1e-12)
        #expect(csv.contains("b,64,no_runs,,0,,,,"))
        let candidates = comparison.candidatesCSV().split(separator: "\n")
        #expect(candidates.contains { $0.hasPrefix("a,32,1,2,1,,false,") })
    }

    @Test("every setting diverged → no pick; smoothing can change the pick")
    func allDivergedAndSmoothing() throws {
        let root = URL(fileURLWithPath: "/nonexistent")
        func run(_ name: String, lr: Double, _ losses: [Double]) -> ComparisonRun {
            ComparisonRun(name: name, folder: root, config: ["optimizer.lr_prefactor": .number(lr), "seed": .number(0)],
                          steps: (1...losses.count).map(Double.init), metrics: ["train_loss": losses])
        }
        let lost = ComparisonExperiment(name: "lost", folder: root, runs: [run("x", lr: 1, [1, .nan]), run("y", lr: 2, [1, .infinity])])
        let comparison = try Comparison(experiments: [lost], metric: "train_loss", groupBy: [])
        #expect(comparison.groups.count == 1 && comparison.groups[0].entries[0].pick == .allDiverged(count: 2))
        #expect(comparison.groups[0].winner == nil && comparison.label(of: comparison.groups[0]) == "all runs")

        // A last-step dip wins unsmoothed; with weight 0.1 the steadier curve wins (0.448 vs 0.490).
        let noisy = ComparisonExperiment(name: "n", folder: root, runs: [run("dip", lr: 1, [1, 0.5, 0.5, 0.1]), run("flat", lr: 2, [1, 0.3, 0.3, 0.3])])
        let raw = try Comparison(experiments: [noisy], metric: "train_loss", groupBy: [])
        #expect(raw.groups[0].entries[0].best?.runNames == ["dip"])
        let smooth = try Comparison(experiments: [noisy], metric: "train_loss", groupBy: [], smoothing: ComparisonSmoothing(weight: 0.1))
        #expect(smooth.groups[0].entries[0].best?.runNames == ["flat"])
        #expect(abs((smooth.groups[0].entries[0].best?.meanFinal ?? 0) - 1.542 / 3.439) < 1e-9)
    }

    @Test("unknown metric, unknown key and duplicate names are refused with what is known")
    func refusals() throws {
        let root = URL(fileURLWithPath: "/nonexistent")
        let run = ComparisonRun(name: "r", folder: root, config: ["model.width": .number(8), "seed": .number(0)],
                                steps: [1], metrics: ["train_loss": [1]], metricNames: ["train_loss"])
        let one = ComparisonExperiment(name: "x", folder: root, runs: [run])
        #expect(throws: ComparisonError.unknownMetric("test_loss", available: ["train_loss"])) {
            try Comparison(experiments: [one], metric: "test_loss", groupBy: [])
        }
        #expect(throws: ComparisonError.unknownKey("model.hidden_dim", known: ["model.width", "seed"])) {
            try Comparison(experiments: [one], metric: "train_loss", groupBy: ["model.hidden_dim"])
        }
        #expect(throws: ComparisonError.duplicateName("x")) { try Comparison(experiments: [one, one], metric: "train_loss", groupBy: []) }
        #expect(ComparisonError.unknownKey("k", known: ["a", "b"]).description.contains("known keys: a, b"))
    }
}
