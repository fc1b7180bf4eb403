/// A comparison of experiments in maxP's `visualize.py` manner: the runs of every experiment are grouped by some
/// configuration keys (`model.width`), and within each group and experiment the runs that differ only in `seed`
/// are averaged into one ``ComparisonCandidate`` per setting (typically per learning rate); the best candidate is
/// the one with the lowest mean final (smoothed) metric among those where no seed diverged.
public struct Comparison: Sendable, Equatable {
    /// Which candidate of an experiment in a group was chosen, and why.
    public enum Pick: Sendable, Equatable {
        /// The candidate at `index` has the lowest mean final metric of the `eligible` candidates where no seed
        /// diverged (`diverged` others were left out).
        case best(index: Int, eligible: Int, diverged: Int)
        /// Every one of `count` candidates had a diverged seed: nothing can be chosen.
        case allDiverged(count: Int)
        /// The experiment has no run in this group.
        case noRuns
    }

    /// One experiment within a group.
    public struct Entry: Sendable, Equatable {
        /// The experiment's name.
        public var experiment: String
        /// Its candidates in the group, ordered by ``Comparison/settingKeys``.
        public var candidates: [ComparisonCandidate]
        /// The choice among them.
        public var pick: Pick

        /// The chosen candidate, if any.
        public var best: ComparisonCandidate? {
            if case let .best(index, _, _) = pick { return candidates[index] }
            return nil
        }
    }

    /// The runs that share the values of the grouping keys.
    public struct Group: Sendable, Equatable {
        /// The values of ``Comparison/groupKeys``, in order.
        public var values: [ComparisonConfigValue]
        /// One entry per experiment, in the experiments' order.
        public var entries: [Entry]

        /// The experiment whose best candidate has the lowest mean final metric (the first on a tie), or nil.
        public var winner: Int? {
            var bestIndex: Int?, bestValue = Double.infinity
            for (index, entry) in entries.enumerated() {
                if let value = entry.best?.meanFinal, value < bestValue { bestValue = value; bestIndex = index }
            }
            return bestIndex
        }
    }

    /// The key of the learning rate the report names for every pick (`optimizer.lr_prefactor`).
    public static let learningRateKey = "optimizer.lr_prefactor"
    /// The key that tells seeds apart; runs differing only in it are averaged.
    public static let seedKey = "seed"

    /// The experiments' names, in order.
    public var experiments: [String]
    /// The metric compared (a `metrics.csv` column).
    public var metric: String
    /// The grouping keys.
    public var groupKeys: [String]
    /// The keys (besides seed and the grouping keys) whose values differ between the runs of some group and
    /// experiment — what the selection chose among; the learning-rate key first, then by name.
    public var settingKeys: [String]
    /// The smoothing applied before taking final values.
    public var smoothing: ComparisonSmoothing
    /// The groups, ordered by their values.
    public var groups: [Group]

    /// Groups and selects (see the type's documentation). Throws when a key no run has is asked for, or when the
    /// metric is missing from some run's `metrics.csv`.
    public init(experiments: [ComparisonExperiment], metric: String, groupBy: [String],
                smoothing: ComparisonSmoothing = .none) throws(ComparisonError) {
        guard !experiments.isEmpty else { throw .noExperiments }
        var seen = Set<String>()
        for experiment in experiments where !seen.insert(experiment.name).inserted {
            throw .duplicateName(experiment.name)
        }
        let allRuns = experiments.flatMap(\.runs)
        for run in allRuns where run.metrics[metric] == nil {
            throw .unknownMetric(metric, available: run.metricNames)
        }
        let known = Set(allRuns.flatMap(\.config.keys))
        for key in groupBy where !known.contains(key) { throw .unknownKey(key, known: known.sorted()) }

        self.experiments = experiments.map(\.name)
        self.metric = metric
        self.groupKeys = groupBy
        self.smoothing = smoothing
        let unset = ComparisonConfigValue.text("(unset)")
        func groupValues(_ run: ComparisonRun) -> [ComparisonConfigValue] { groupBy.map { run.config[$0] ?? unset } }
        func settings(_ run: ComparisonRun) -> [String: ComparisonConfigValue] {
            run.config.filter { $0.key != Self.seedKey }
        }

        // The keys that vary within some (group, experiment), seed and grouping keys aside.
        var varying = Set<String>()
        for experiment in experiments {
            for (_, runs) in Dictionary(grouping: experiment.runs, by: groupValues) {
                for key in Set(runs.flatMap(\.config.keys)) where key != Self.seedKey && !groupBy.contains(key) {
                    if Set(runs.map { $0.config[key] ?? unset }).count > 1 { varying.insert(key) }
                }
            }
        }
        settingKeys = varying.sorted { lhs, rhs in
            if (lhs == Self.learningRateKey) != (rhs == Self.learningRateKey) { return lhs == Self.learningRateKey }
            return lhs < rhs
        }
        let keys = settingKeys
        func order(_ lhs: [String: ComparisonConfigValue], _ rhs: [String: ComparisonConfigValue]) -> Bool {
            for key in keys {
                let l = lhs[key] ?? unset, r = rhs[key] ?? unset
                if l != r { return l < r }
            }
            return false
        }

        let allValues = Set(allRuns.map(groupValues)).sorted { lhs, rhs in
            for (l, r) in zip(lhs, rhs) where l != r { return l < r }
            return false
        }
        groups = allValues.map { values in
            let entries = experiments.map { experiment -> Entry in
                let runs = experiment.runs.filter { groupValues($0) == values }
                var bySetting: [[String: ComparisonConfigValue]: [ComparisonRun]] = [:]
                for run in runs { bySetting[settings(run), default: []].append(run) }
                let candidates = bySetting.keys.sorted(by: order).map { setting in
                    let seeds = bySetting[setting]!.sorted { ($0.config[Self.seedKey] ?? unset, $0.name) < ($1.config[Self.seedKey] ?? unset, $1.name) }
                    return ComparisonCandidate(settings: setting, runs: seeds, metric: metric, smoothing: smoothing)
                }
                return Entry(experiment: experiment.name, candidates: candidates, pick: Self.pick(candidates))
            }
            return Group(values: values, entries: entries)
        }
    }

    /// The lowest mean final metric among the candidates where no seed diverged (the first on a tie).
    static func pick(_ candidates: [ComparisonCandidate]) -> Pick {
        guard !candidates.isEmpty else { return .noRuns }
        var best: (index: Int, value: Double)?
        var diverged = 0
        for (index, candidate) in candidates.enumerated() {
            guard let value = candidate.meanFinal else { diverged += 1; continue }
            if best == nil || value < best!.value { best = (index, value) }
        }
        guard let best else { return .allDiverged(count: candidates.count) }
        return .best(index: best.index, eligible: candidates.count - diverged, diverged: diverged)
    }

    /// `model.width=64, model.depth=2` (or `all runs` without grouping keys).
    public func label(of group: Group) -> String {
        guard !groupKeys.isEmpty else { return "all runs" }
        return zip(groupKeys, group.values).map { "\($0)=\($1)" }.joined(separator: ", ")
    }
}
