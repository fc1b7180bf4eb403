/// What one ``AlignmentController/step(sampleForward:optimizer:loss:)`` did.
public enum AlignmentStepOutcome: Equatable, Sendable {
    /// A warmup step: nothing measured, rates synced.
    case warmup
    /// Not a measuring step (`k mod solveInterval ≠ 0`): rates synced.
    case skipped
    /// Per-layer rates are frozen (the schedule's decay phase): only the global factor changed.
    case frozen
    /// Alignment was measured and recorded; the LP was not re-solved (`measureOnly`).
    case measured
    /// Alignment was measured and the LP re-solved; new targets for `c`.
    case solved
    /// Alignment was measured but the re-solve failed (message); the previous `c` were kept.
    case solveFailed(String)
}
