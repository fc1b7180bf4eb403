/// Upper bounds of the counts of a run that are not memory (the seeds of a sweep, its training steps): a count
/// beyond them is a typo (`--seeds 1000000000`), not a run anyone waits for; refused before anything is allocated.
public enum RunLimits {
    /// At most this many seeds per swept value (a slope's confidence interval hardly narrows beyond a few dozen).
    public static let maximumSeeds = 1_000
    /// At most this many training steps per run.
    public static let maximumSteps = 1_000_000

    /// Throws ``ModelBuildError/invalid(setting:reason:)`` naming ``SweepSetting/seeds`` or ``SweepSetting/steps``
    /// when a count exceeds its bound.
    public static func check(seeds: Int? = nil, steps: Int? = nil) throws(ModelBuildError) {
        if let seeds, seeds > maximumSeeds {
            throw .invalid(setting: .seeds, reason: "at most \(maximumSeeds) seeds, got \(seeds)")
        }
        if let steps, steps > maximumSteps {
            throw .invalid(setting: .steps, reason: "at most \(maximumSteps) training steps, got \(steps)")
        }
    }
}
