/// One setting of an experiment within a group: the runs whose configurations are equal except for `seed`, with
/// the metric averaged over them. Averaging the seeds' final smoothed values equals smoothing the seeds' mean curve
/// (the moving average is linear) when the seeds log the same steps.
public struct ComparisonCandidate: Sendable, Equatable {
    /// The configuration the runs share (every key but `seed`).
    public var settings: [String: ComparisonConfigValue]
    /// The runs (one per seed), ordered by seed.
    public var runs: [ComparisonRun]
    /// Each run's final smoothed metric (nil when the run diverged), aligned with ``runs``.
    public var finals: [Double?]
    /// The mean of ``finals`` over the seeds, or nil when some seed diverged.
    public var meanFinal: Double?
    /// The steps the seeds have in common (the shortest seed's steps).
    public var steps: [Double]
    /// The mean smoothed curve over the seeds on ``steps`` (NaN from a seed's divergence on).
    public var meanCurve: [Double]
    /// The smallest and largest seed's smoothed value at each step.
    public var lowerCurve: [Double], upperCurve: [Double]

    /// Whether some seed diverged (then the setting cannot be the best).
    public var isDiverged: Bool { meanFinal == nil }

    /// The seeds' names of runs, ordered.
    public var runNames: [String] { runs.map(\.name) }

    /// Builds the candidate of `runs` (one setting, several seeds) for `metric`.
    init(settings: [String: ComparisonConfigValue], runs: [ComparisonRun], metric: String, smoothing: ComparisonSmoothing) {
        self.settings = settings
        self.runs = runs
        let curves = runs.map { smoothing.apply($0.metrics[metric] ?? []) }
        finals = zip(runs, curves).map { run, curve in
            guard !run.diverged(metric), let last = curve.last, last.isFinite else { return nil }
            return last
        }
        let usable = finals.compactMap { $0 }
        meanFinal = usable.count == finals.count && !usable.isEmpty ? usable.reduce(0, +) / Double(usable.count) : nil
        let length = curves.map(\.count).min() ?? 0
        steps = Array((runs.min { $0.steps.count < $1.steps.count }?.steps ?? []).prefix(length))
        var mean: [Double] = [], lower: [Double] = [], upper: [Double] = []
        for index in 0..<length {
            let column = curves.map { $0[index] }
            if column.allSatisfy(\.isFinite) {
                mean.append(column.reduce(0, +) / Double(column.count))
                lower.append(column.min()!)
                upper.append(column.max()!)
            } else {
                mean.append(.nan); lower.append(.nan); upper.append(.nan)
            }
        }
        meanCurve = mean; lowerCurve = lower; upperCurve = upper
    }
}
