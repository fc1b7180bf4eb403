/// What autofix's verification re-run says about the corrected ops, as a value (the prose lives in
/// ``VerdictProse``).
public enum AutoFixVerification: Sendable, Equatable {
    /// No correction was suggested: nothing was re-run.
    case nothingToFix
    /// Every corrected op is `ok` after the fix.
    case verified
    /// Some corrected op still deviates after the fix (listed in op order): the correction was wrong or incomplete.
    case stillDeviates(ops: [String])
    /// No corrected op deviates, but some are `inconclusive` because their interval is too wide even with the
    /// verification's seeds: about `seedsNeeded` seeds would decide them.
    case intervalTooWide(ops: [String], seedsNeeded: Int?)
    /// No corrected op deviates, but some are neither `ok` nor too noisy (unstable training, loss jumps, missing).
    case undecided(ops: [String])

    /// Classifies the after-fix entries of the corrected ops (`nil`: the op has no entry after the fix).
    public init(_ after: [(op: String, entry: SlopeReport.Entry?)]) {
        let deviating = after.filter { $0.entry?.verdict.isDeviation == true }.map(\.op)
        let wide = after.filter { $0.entry?.verdict == .inconclusive && $0.entry?.reason == .wideInterval }
        let undecided = after.filter { $0.entry?.verdict != .ok && $0.entry?.verdict.isDeviation != true
            && !($0.entry?.verdict == .inconclusive && $0.entry?.reason == .wideInterval) }.map(\.op)
        if !deviating.isEmpty {
            self = .stillDeviates(ops: deviating)
        } else if !undecided.isEmpty {
            self = .undecided(ops: undecided)
        } else if !wide.isEmpty {
            self = .intervalTooWide(ops: wide.map(\.op), seedsNeeded: wide.compactMap { $0.entry?.seedsNeeded }.max())
        } else {
            self = .verified
        }
    }
}
