/// Something notable that happened in an ``AlignmentController`` step and did not stop training, kept in
/// ``AlignmentController/events`` (and in checkpoints) so reports can show it.
public struct AlignmentControllerEvent: Codable, Equatable, Sendable {
    /// What happened.
    public enum Kind: String, Codable, Sendable {
        /// The LP re-solve failed (e.g. infeasible for the measured alignment); the previous `c` were kept.
        case resolveFailed
        /// The per-layer rates were frozen (the schedule's decay phase began); no more measurement or re-solving.
        case ratesFrozen
    }

    /// The step (1-based) at which it happened.
    public var step: Int
    /// What happened.
    public var kind: Kind
    /// A human-readable explanation (the solver's message for a failed re-solve).
    public var message: String

    /// Creates an event.
    public init(step: Int, kind: Kind, message: String) {
        self.step = step
        self.kind = kind
        self.message = message
    }
}
