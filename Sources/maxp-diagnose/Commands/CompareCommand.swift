import ArgumentParser
import Foundation
import MaxPDiagnostics
import MaxPReport

/// `maxp-diagnose compare`: maxP's `visualize.py` — compares experiments (grids of `train` runs), picking the best
/// run of every group per experiment.
struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Compare experiments (folders of train runs): the best run per group and experiment, curves, a report.",
        discussion: """
        Each --exp NAME=DIR is a grid folder (grid.csv and runs/<name>/), a folder of run folders or of grid \
        folders, or one run folder; a run folder holds config.json and metrics.csv (as `maxp-diagnose train` writes them). Runs are \
        grouped by --group-by keys (dotted config.json keys; default model.width model.depth). Within each group \
        and experiment, runs that differ only in `seed` are averaged; the best setting (--select-by loss) has the \
        lowest mean final --metric. --smoothing S smooths each curve first with a debiased moving average, S the \
        weight of the newest point as in maxP's visualize.py (lower = smoother; 0 or 1 = none). A run with a NaN \
        or infinite metric (or `diverged` in grid.csv) is never picked and shows as diverged.

        Writes to --out: report.md, compare.csv (best run per group and experiment), candidates.csv (every \
        setting), and per group curves_<group>.{png,svg}, lr_<group>.* (when the learning rate varies), \
        lr_traces_<group>.* (per-layer learning rates of best runs with a history.csv).

        Example:
          maxp-diagnose compare --exp maxp=out/maxp --exp mup-full=out/full --metric train_loss \\
            --group-by model.width --select-by loss --smoothing 0.1 --out out/compare
        """)

    /// How the best setting is chosen.
    enum SelectBy: String, ExpressibleByArgument, CaseIterable {
        /// The lowest final metric.
        case loss
    }

    @Option(name: .customLong("exp"), parsing: .singleValue,
            help: ArgumentHelp("An experiment as NAME=DIR (repeat for each).", valueName: "name=dir"))
    var experiments: [String] = []
    @Option(parsing: .unconditional, help: "The metrics.csv column compared.")
    var metric = "train_loss"
    @Option(name: .customLong("group-by"), parsing: .upToNextOption,
            help: ArgumentHelp("Dotted config.json keys to group by (default model.width model.depth).", valueName: "key"))
    var groupBy: [String] = []
    @Option(name: .customLong("select-by"), parsing: .unconditional, help: "How the best run is chosen (loss: lowest final metric).")
    var selectBy: SelectBy = .loss
    @Option(parsing: .unconditional, help: ArgumentHelp("Moving-average weight of the newest point, in [0, 1] (lower = smoother).", valueName: "s"))
    var smoothing: Double?
    @Option(parsing: .unconditional, help: ArgumentHelp("Output folder (created if missing).", valueName: "dir"))
    var out: String

    /// The grouping keys used when none are given (maxP's `model.hidden_dim model.n_layers`).
    static let defaultGroupKeys = ["model.width", "model.depth"]

    func validate() throws {
        guard !out.isEmpty else { throw ValidationError("--out: give an output folder") }
        guard !experiments.isEmpty else { throw ValidationError("give at least one experiment: --exp NAME=DIR") }
        if let smoothing {
            do { _ = try ComparisonSmoothing(weight: smoothing) } catch { throw ValidationError("--smoothing: \(error.description)") }
        }
        var names = Set<String>()
        for spec in experiments {
            let parsed: (name: String, path: String)
            do { parsed = try ComparisonExperiment.parseSpec(spec) } catch { throw ValidationError("--exp: \(error.description)") }
            guard names.insert(parsed.name).inserted else {
                throw ValidationError("--exp: \(ComparisonError.duplicateName(parsed.name).description)")
            }
        }
    }

    func run() throws {
        var read: [ComparisonExperiment] = []
        for spec in experiments {
            let (name, path) = try ComparisonExperiment.parseSpec(spec)
            read.append(try ComparisonExperiment.read(name: name, folder: URL(fileURLWithPath: path)))
        }
        var keys = groupBy
        if keys.isEmpty {
            let known = Set(read.flatMap(\.runs).flatMap(\.config.keys))
            keys = Self.defaultGroupKeys.filter(known.contains)
        }
        let comparison = try Comparison(experiments: read, metric: metric, groupBy: keys,
                                        smoothing: try smoothing.map { try ComparisonSmoothing(weight: $0) } ?? .none)
        let output = try StagedRunFolder(target: URL(fileURLWithPath: out))  // locked until the report is in place
        let written = try RunArtifacts.writeComparison(comparison, experiments: read, command: ReproduceCommand.current(),
                                                       into: output)
        try output.commit()
        for group in comparison.groups {
            let entries = group.entries.map { entry -> String in
                guard let best = entry.best else {
                    if case .allDiverged = entry.pick { return "\(entry.experiment) diverged" }
                    return "\(entry.experiment) –"
                }
                let lr = best.settings[Comparison.learningRateKey].map { " at lr \($0)" } ?? ""
                return "\(entry.experiment) \(String(format: "%.4g", best.meanFinal ?? .nan))\(lr)"
            }
            let winner = group.winner.map { " → \(group.entries[$0].experiment)" } ?? ""
            print("compare \(comparison.label(of: group)): \(entries.joined(separator: ", "))\(winner)")
        }
        print(OutputSummary.line(written, folder: out))
    }
}
