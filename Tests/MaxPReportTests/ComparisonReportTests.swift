import Foundation
import MaxPDiagnostics
import MaxPPlot
import Testing
@testable import MaxPReport

/// The figures, the report model and the written files of a comparison of experiments, on runs made in memory.
@Suite("Comparison figures and report")
struct ComparisonReportTests {
    static let nowhere = URL(fileURLWithPath: "/nonexistent")

    static func run(_ name: String, width: Int, lr: Double, seed: Int, _ losses: [Double], folder: URL = nowhere,
                    history: Bool = false) -> ComparisonRun {
        ComparisonRun(name: name, folder: folder,
                      config: ["model.width": .number(Double(width)), "optimizer.lr_prefactor": .number(lr), "seed": .number(Double(seed))],
                      steps: (1...losses.count).map(Double.init), metrics: ["train_loss": losses], metricNames: ["train_loss"],
                      hasHistory: history)
    }

    /// `a` loses width 32 (0.425 at lr 0.1 vs b's 0.35) and wins width 64 (0.2 vs 0.3); at width 32 a's lr 1 has
    /// a NaN seed; c diverges everywhere.
    static func comparison(historyFolder: URL = nowhere) throws -> (Comparison, [ComparisonExperiment]) {
        let a = ComparisonExperiment(name: "a", folder: URL(fileURLWithPath: "grids/a"), runs: [
            run("a1", width: 32, lr: 0.01, seed: 0, [1, 0.6, 0.5]), run("a2", width: 32, lr: 0.01, seed: 1, [1, 0.6, 0.5]),
            run("a3", width: 32, lr: 0.1, seed: 0, [1, 0.5, 0.4]), run("a4", width: 32, lr: 0.1, seed: 1, [1, 0.5, 0.45]),
            run("a5", width: 32, lr: 1, seed: 0, [1, 0.1, .nan]), run("a6", width: 32, lr: 1, seed: 1, [1, 0.1, 0.01]),
            run("a7", width: 64, lr: 0.1, seed: 0, [1, 0.4, 0.2], folder: historyFolder, history: historyFolder != nowhere),
        ])
        let b = ComparisonExperiment(name: "b", folder: URL(fileURLWithPath: "grids/b"), runs: [
            run("b1", width: 32, lr: 0.1, seed: 0, [1, 0.5, 0.35]), run("b2", width: 64, lr: 0.1, seed: 0, [1, 0.5, 0.3]),
            run("b3", width: 64, lr: 0.01, seed: 0, [1, 0.7, 0.6]),
        ])
        let c = ComparisonExperiment(name: "c", folder: URL(fileURLWithPath: "grids/c"), runs: [
            run("c1", width: 32, lr: 0.1, seed: 0, [1, .nan, .nan]),
        ])
        let experiments = [a, b, c]
        return (try Comparison(experiments: experiments, metric: "train_loss", groupBy: ["model.width"]), experiments)
    }

    @Test("curves: the best setting of each experiment, one colour each, the seeds' range as a band")
    func curves() throws {
        let (comparison, _) = try Self.comparison()
        let figure = ComparisonFigures.curves(comparison, group: comparison.groups[0])
        let series = figure.panels[0].series
        #expect(series.map(\.label) == ["a: lr 0.1, 2 seeds", "b: lr 0.1, 1 seed"])
        #expect(series[0].color == ComparisonFigures.color(experiment: 0) && series[1].color == ComparisonFigures.color(experiment: 1))
        #expect(series[0].band?.lower == [1, 0.5, 0.4] && series[0].band?.upper == [1, 0.5, 0.45] && series[1].band == nil)
        #expect(abs(series[0].y[2] - 0.425) < 1e-12)
        #expect(figure.panels[0].annotations == [.note("c: every setting diverged", corner: .topRight)])
    }

    @Test("metric against lr: ascending rates, a gap where a seed diverged, a diamond at each pick")
    func sweep() throws {
        let (comparison, _) = try Self.comparison()
        #expect(ComparisonFigures.learningRateVaries(comparison, group: comparison.groups[0]))
        let series = ComparisonFigures.sweep(comparison, group: comparison.groups[0]).panels[0]
        let a = try #require(series.series.first { $0.label == "a" })
        #expect(a.x == [0.01, 0.1, 1] && a.y[0] == 0.5 && a.y[2].isNaN)
        let diamonds = series.series.filter { $0.marker == .diamond }
        #expect(diamonds.count == 2 && diamonds[0].x == [0.1] && abs(diamonds[0].y[0] - 0.425) < 1e-12)
        #expect(series.annotations.contains(.note("diverged: a at lr 1; c at lr 0.1", corner: .topLeft)))
    }

    @Test("the report states the measured winner per group, where the first experiment does not win, and each pick's lr")
    func report() throws {
        let (comparison, experiments) = try Self.comparison()
        let model = ComparisonReportModel(comparison: comparison, experiments: experiments, command: "maxp-diagnose compare …",
                                          figures: [], dataFiles: [])
        #expect(model.findings[0] == "Lowest final train_loss: a in 1 of 2 groups, b in 1 of 2 groups, c in 0 of 2 groups.")
        #expect(model.findings[1] == "a does not win in model.width=32 (0.425 vs b's 0.35, +21.4%).")
        #expect(model.findings[2] == "Picked learning rates (groups per value): a 0.1 in 2; b 0.1 in 2.")
        #expect(model.findings[3] == "model.width=32: **b** is best (train_loss 0.35 at lr 0.1), then a 0.425 at lr 0.1 (+21.4%); every setting of c diverged.")
        #expect(model.findings[4] == "model.width=64: **a** is best (train_loss 0.2 at lr 0.1), then b 0.3 at lr 0.1 (+50.0%).")
        let row = try #require(model.best.first { $0.group == "model.width=32" && $0.experiment == "a" })
        #expect(row.learningRate == "0.1 (of 2; 1 diverged)" && row.final == "0.425" && row.range == "0.4 … 0.45" && row.gap == "+21.4%")
        #expect(model.best.first { $0.experiment == "c" }?.learningRate == "diverged (all 1 settings)")
        #expect(model.experiments.map(\.diverged) == ["1", "0", "1"])
        let sweep = try #require(model.sweeps.first)
        #expect(sweep.headers == ["lr 0.01", "lr 0.1", "lr 1"])
        #expect(sweep.rows[0].cells == ["0.5", "**0.425**", "diverged"] && sweep.rows[1].cells == ["", "**0.35**", ""])

        let markdown = try ReportRenderer().render(model)
        #expect(markdown.hasPrefix("# Comparison of a vs b vs c: train_loss\n"))
        #expect(markdown.contains("| model.width=32 | a | 0.1 (of 2; 1 diverged) |  | 2 | 0.425 | 0.4 … 0.45 | +21.4% |"))
        #expect(markdown.contains("| experiment | lr 0.01 | lr 0.1 | lr 1 |"))
        #expect(markdown.contains("averaged into one setting: the final value is the last logged train_loss (no smoothing)"))
    }

    @Test("the written folder: figures per group (PNG + SVG), lr traces from history.csv, report.md, compare.csv")
    func writesFolder() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("maxp-compare-report-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let runFolder = root.appendingPathComponent("a7")
        try FileManager.default.createDirectory(at: runFolder, withIntermediateDirectories: true)
        try "step,layer,alpha,omega,u,c,lr,loss\n1,fc_1,1,1,1,1,0.1,1\n1,readout,1,1,1,1,0.05,1\n2,fc_1,1,1,1,0.8,0.12,0.4\n2,readout,1,1,1,1,0.05,0.4\n"
            .write(to: runFolder.appendingPathComponent("history.csv"), atomically: true, encoding: .utf8)
        let (comparison, experiments) = try Self.comparison(historyFolder: runFolder)
        let out = root.appendingPathComponent("out")
        let staged = try StagedRunFolder(target: out)
        let written = try RunArtifacts.writeComparison(comparison, experiments: experiments, command: nil, into: staged,
                                                       options: ArtifactOptions(formats: [.png, .svg]))
        try staged.commit()
        let names = Set(written.map(\.lastPathComponent))
        #expect(names == ["curves_32.png", "curves_32.svg", "lr_32.png", "lr_32.svg", "curves_64.png", "curves_64.svg",
                          "lr_64.png", "lr_64.svg", "lr_traces_64.png", "lr_traces_64.svg",
                          "report.md", "compare.csv", "candidates.csv"])
        #expect(try Data(contentsOf: out.appendingPathComponent("curves_32.png")).starts(with: [0x89, 0x50, 0x4E, 0x47]))
        let report = try String(contentsOf: out.appendingPathComponent("report.md"), encoding: .utf8)
        #expect(report.contains("![") && report.contains("(lr_traces_64.png)") && report.contains("[`compare.csv`](compare.csv)"))
        let csv = try String(contentsOf: out.appendingPathComponent("compare.csv"), encoding: .utf8)
        #expect(csv == comparison.bestCSV())
        let traces = try #require(ComparisonFigures.learningRateTraces(
            comparison, group: comparison.groups[1], histories: RunArtifacts.readHistories(comparison)))
        #expect(traces.panels.count == 1 && traces.panels[0].series.map(\.label) == ["fc_1", "readout"])
        #expect(traces.panels[0].series[0].y == [0.1, 0.12])
    }
}
