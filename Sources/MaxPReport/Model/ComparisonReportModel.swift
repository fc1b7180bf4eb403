import Foundation
import MaxPDiagnostics

/// Everything `compare.md.mustache` shows: what was compared and how the best run was chosen, the measured
/// findings in words (which experiment wins each group and by how much, and where the first experiment does not
/// win), the table of best runs per group and experiment with the learning rate each picked, per group the final
/// metric at every learning rate, the figures and the data files.
public struct ComparisonReportModel: Sendable, Equatable {
    /// One experiment as read.
    public struct Experiment: Sendable, Equatable {
        public var name, folder, runs, diverged: String
    }
    /// One row of the table of best runs.
    public struct BestRow: Sendable, Equatable {
        public var group, experiment, learningRate, settings, seeds, final, range, gap, runs: String
    }
    /// One experiment's row of a group's learning-rate table.
    public struct SweepRow: Sendable, Equatable {
        public var experiment: String
        public var cells: [String]
    }
    /// One group's learning-rate table.
    public struct Sweep: Sendable, Equatable {
        public var group: String
        public var headers: [String]
        public var rows: [SweepRow]
    }

    /// Title.
    public var title: String
    /// How the runs were grouped, averaged and chosen, in one paragraph.
    public var method: String
    /// The measured findings, one sentence each.
    public var findings: [String]
    /// The experiments.
    public var experiments: [Experiment]
    /// The metric's column header (`final train_loss`).
    public var metricHeader: String
    /// The table of best runs.
    public var best: [BestRow]
    /// Per group, the final metric at every learning rate (only groups where it varies).
    public var sweeps: [Sweep]
    /// Whether there are learning-rate tables.
    public var hasSweeps: Bool
    /// The command that reproduces the comparison, or nil.
    public var command: String?
    /// Figures.
    public var figures: [ReportSections.FigureLink]
    /// Data files.
    public var dataFiles: [ReportSections.DataFile]
    /// Whether there are data files.
    public var hasDataFiles: Bool

    /// Builds the model of `comparison`; `folders` are the experiments' folders as given, by name.
    public init(comparison: Comparison, experiments: [ComparisonExperiment], command: String?,
                figures: [ReportSections.FigureLink], dataFiles: [ReportSections.DataFile]) {
        let names = comparison.experiments
        title = "Comparison of \(names.joined(separator: " vs ")): \(comparison.metric)"
        method = Self.method(comparison)
        findings = Self.findings(comparison)
        self.experiments = experiments.map { experiment in
            let diverged = experiment.runs.filter { $0.diverged(comparison.metric) }.count
            return Experiment(name: MarkdownText.cell(experiment.name), folder: MarkdownText.cell(experiment.folder.relativePath),
                              runs: String(experiment.runs.count), diverged: String(diverged))
        }
        metricHeader = "final \(comparison.metric)"
        best = comparison.groups.flatMap { group in
            let winner = group.winner.flatMap { group.entries[$0].best?.meanFinal }
            return group.entries.map { entry in Self.bestRow(comparison, group: group, entry: entry, winner: winner) }
        }
        sweeps = comparison.groups.compactMap { group in
            ComparisonFigures.learningRateVaries(comparison, group: group) ? Self.sweep(comparison, group: group) : nil
        }
        hasSweeps = !sweeps.isEmpty
        self.command = command
        self.figures = figures
        self.dataFiles = dataFiles
        hasDataFiles = !dataFiles.isEmpty
    }

    /// The selection rule in words.
    static func method(_ comparison: Comparison) -> String {
        let grouping = comparison.groupKeys.isEmpty ? "All runs form one group"
            : "Runs are grouped by \(comparison.groupKeys.map { "`\($0)`" }.joined(separator: ", "))"
        let smoothing = comparison.smoothing.isIdentity
            ? "the final value is the last logged \(comparison.metric) (no smoothing)"
            : "each curve is first smoothed by a debiased exponential moving average with weight \(FigureText.number(comparison.smoothing.weight)) on the newest point (maxP's `--smoothing`: lower is smoother; debiased as TensorBoard does), and the final value is the last smoothed point"
        let choice = comparison.settingKeys.isEmpty ? "" :
            " The choice is among the values of \(comparison.settingKeys.map { "`\($0)`" }.joined(separator: ", "))."
        return "\(grouping). Within each group and experiment, runs whose configurations differ only in `seed` are "
            + "averaged into one setting: \(smoothing), averaged over the seeds. The best setting is the one with the "
            + "lowest mean final \(comparison.metric); a setting where any seed diverged (NaN or infinite \(comparison.metric), "
            + "or `diverged` in grid.csv) is never picked and shows as `diverged`.\(choice)"
    }

    /// `lr 0.05` for a pick, `every setting diverged`, `no runs`.
    static func pickText(_ entry: Comparison.Entry) -> String {
        guard let best = entry.best else {
            if case .allDiverged = entry.pick { return "every setting diverged" }
            return "no runs"
        }
        return best.settings[Comparison.learningRateKey].map { "lr \($0)" } ?? "its only setting"
    }

    /// The findings: per group the order of the experiments with their margins; the count of groups each
    /// experiment wins; the groups the first experiment does not win, with its gap.
    static func findings(_ comparison: Comparison) -> [String] {
        var lines: [String] = []
        var wins = [Int](repeating: 0, count: comparison.experiments.count)
        var notWon: [String] = []
        let metric = comparison.metric
        for group in comparison.groups {
            let label = comparison.label(of: group)
            let ranked = group.entries.enumerated().compactMap { index, entry in entry.best?.meanFinal.map { (index, entry, $0) } }
                .sorted { $0.2 < $1.2 }
            guard let top = ranked.first else {
                lines.append("\(label): no experiment has a setting without a diverged seed.")
                continue
            }
            wins[top.0] += 1
            var sentence = "\(label): **\(top.1.experiment)** is best (\(metric) \(FigureText.number(top.2)) at \(pickText(top.1)))"
            let others = ranked.dropFirst().map { _, entry, value in
                "\(entry.experiment) \(FigureText.number(value)) at \(pickText(entry)) (\(percent(value, top.2)))"
            }
            if !others.isEmpty { sentence += ", then " + others.joined(separator: ", ") }
            let lost = group.entries.filter { $0.best == nil && !$0.candidates.isEmpty }.map(\.experiment)
            if !lost.isEmpty { sentence += "; every setting of \(lost.joined(separator: ", ")) diverged" }
            lines.append(sentence + ".")
            if let first = group.entries.first, top.0 != 0 {
                if let value = first.best?.meanFinal {
                    notWon.append("\(label) (\(FigureText.number(value)) vs \(top.1.experiment)'s \(FigureText.number(top.2)), \(percent(value, top.2)))")
                } else if !first.candidates.isEmpty {
                    notWon.append("\(label) (every setting diverged)")
                }
            }
        }
        let total = comparison.groups.count
        let tally = comparison.experiments.enumerated().map { index, name in
            "\(name) in \(wins[index]) of \(total) group\(total == 1 ? "" : "s")"
        }
        var summary = ["Lowest final \(metric): " + tally.joined(separator: ", ") + "."]
        if comparison.experiments.count > 1, let first = comparison.experiments.first {
            summary.append(notWon.isEmpty ? "\(first) is best in every group."
                                          : "\(first) does not win in " + notWon.joined(separator: "; ") + ".")
        }
        if let picks = pickedRates(comparison) { summary.append(picks) }
        return summary + lines
    }

    /// `Picked learning rates: maxp 0.1 in 6 groups; mup-full 0.1 in 5, 0.3 in 1.` (nil when no pick has one).
    static func pickedRates(_ comparison: Comparison) -> String? {
        var parts: [String] = []
        for (index, name) in comparison.experiments.enumerated() {
            var counts: [ComparisonConfigValue: Int] = [:]
            for group in comparison.groups {
                if let lr = group.entries[index].best?.settings[Comparison.learningRateKey] { counts[lr, default: 0] += 1 }
            }
            guard !counts.isEmpty else { continue }
            let ordered = counts.keys.sorted().map { "\($0) in \(counts[$0]!)" }
            parts.append("\(name) " + ordered.joined(separator: ", "))
        }
        guard !parts.isEmpty else { return nil }
        return "Picked learning rates (groups per value): " + parts.joined(separator: "; ") + "."
    }

    /// `+3.2%` (how much worse `value` is than `best`).
    static func percent(_ value: Double, _ best: Double) -> String {
        guard best != 0, value.isFinite, best.isFinite else { return "+\(FigureText.number(value - best))" }
        return String(format: "%+.1f%%", 100 * (value - best) / abs(best))
    }

    static func bestRow(_ comparison: Comparison, group: Comparison.Group, entry: Comparison.Entry, winner: Double?) -> BestRow {
        let label = MarkdownText.cell(comparison.label(of: group))
        guard let best = entry.best else {
            let status: String
            if case let .allDiverged(count) = entry.pick { status = "diverged (all \(count) settings)" } else { status = "no runs" }
            return BestRow(group: label, experiment: MarkdownText.cell(entry.experiment), learningRate: status, settings: "",
                           seeds: "0", final: "–", range: "–", gap: "–", runs: "")
        }
        let finals = best.finals.compactMap { $0 }
        let others = comparison.settingKeys.filter { $0 != Comparison.learningRateKey }
            .map { "\($0)=\(best.settings[$0]?.description ?? "(unset)")" }.joined(separator: ", ")
        var lr = best.settings[Comparison.learningRateKey]?.description ?? "–"
        if case let .best(_, eligible, diverged) = entry.pick {
            lr += " (of \(eligible)\(diverged > 0 ? "; \(diverged) diverged" : ""))"
        }
        let gap: String
        if let winner, let value = best.meanFinal { gap = value == winner ? "best" : percent(value, winner) } else { gap = "–" }
        return BestRow(group: label, experiment: MarkdownText.cell(entry.experiment), learningRate: lr,
                       settings: MarkdownText.cell(others), seeds: String(best.runs.count),
                       final: FigureText.number(best.meanFinal),
                       range: finals.count > 1 ? "\(FigureText.number(finals.min())) … \(FigureText.number(finals.max()))" : "–",
                       gap: gap, runs: MarkdownText.cell(best.runNames.joined(separator: ", ")))
    }

    static func sweep(_ comparison: Comparison, group: Comparison.Group) -> Sweep {
        let rates = Set(group.entries.flatMap { ComparisonFigures.lrPoints($0).map(\.lr) }).sorted()
        let rows = group.entries.map { entry -> SweepRow in
            let points = Dictionary(ComparisonFigures.lrPoints(entry).map { ($0.lr, $0.value) }, uniquingKeysWith: { a, _ in a })
            let pickedRate = entry.best?.settings[Comparison.learningRateKey]?.number
            let cells = rates.map { rate -> String in
                guard let point = points[rate] else { return "" }
                guard let value = point else { return "diverged" }
                let text = FigureText.number(value)
                return rate == pickedRate ? "**\(text)**" : text
            }
            return SweepRow(experiment: MarkdownText.cell(entry.experiment), cells: cells)
        }
        return Sweep(group: MarkdownText.cell(comparison.label(of: group)), headers: rates.map { "lr \(FigureText.number($0))" },
                     rows: rows)
    }
}
