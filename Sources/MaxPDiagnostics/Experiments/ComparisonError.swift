/// Why a comparison of experiments cannot be made: every case names the folder, file or key involved and says what
/// to do, in one line.
public enum ComparisonError: Error, Equatable, Sendable, CustomStringConvertible {
    /// An experiment's folder does not exist (or is a file).
    case missingFolder(experiment: String, path: String)
    /// An experiment's folder holds no run folder (no `config.json` in it, in its sub-folders or under `runs/`).
    case noRuns(experiment: String, path: String)
    /// Two experiments share a name.
    case duplicateName(String)
    /// An experiment is not given as `NAME=DIR`.
    case badExperimentSpec(String)
    /// No experiment was given.
    case noExperiments
    /// A run folder's file is missing.
    case missingFile(path: String)
    /// A run folder's file cannot be read or parsed.
    case malformedFile(path: String, reason: String)
    /// The metric is no column of the runs' `metrics.csv`.
    case unknownMetric(String, available: [String])
    /// A grouping key that no run's `config.json` has.
    case unknownKey(String, known: [String])
    /// The smoothing factor is outside [0, 1].
    case badSmoothing(Double)

    /// One line a user can act on.
    public var description: String {
        switch self {
        case let .missingFolder(experiment, path):
            "experiment '\(experiment)': folder '\(path)' does not exist (give a grid folder, a folder of run folders or one run folder)"
        case let .noRuns(experiment, path):
            "experiment '\(experiment)': folder '\(path)' holds no run (no config.json in it, in its sub-folders or in a grid's runs/)"
        case let .duplicateName(name):
            "experiment name '\(name)' is given twice: every --exp needs a name of its own"
        case let .badExperimentSpec(text):
            "experiment '\(text)' is not NAME=DIR (a name, '=', then a folder; e.g. maxp=out/maxp-grid)"
        case .noExperiments:
            "give at least one experiment (--exp NAME=DIR)"
        case let .missingFile(path):
            "missing '\(path)': a run folder holds config.json and metrics.csv (written by `maxp-diagnose train`)"
        case let .malformedFile(path, reason):
            "cannot read '\(path)': \(reason)"
        case let .unknownMetric(metric, available):
            "metric '\(metric)' is not a column of the runs' metrics.csv; available: \(available.isEmpty ? "(none)" : available.joined(separator: ", "))"
        case let .unknownKey(key, known):
            "no run's config.json has the key '\(key)'; known keys: \(known.joined(separator: ", "))"
        case let .badSmoothing(value):
            "smoothing \(value) is outside [0, 1]: it is the weight of the newest point in the moving average (lower = smoother; 0 or 1 = no smoothing)"
        }
    }
}
