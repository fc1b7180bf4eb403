/// The global learning-rate schedule of a dynamic-alignment run: a factor per optimizer update that multiplies the
/// prefactor `η` (so every per-layer rate `η · factor · width^-c` is scaled alike and the per-layer ratios are kept),
/// and optionally the last update of the phase where the LP is active.
///
/// Updates after ``freezeStep`` use *frozen* per-layer rates: the learning-rate exponents `c` stay at the values of
/// update `freezeStep` (no more measurement or re-solving) and only the factor changes. The built-in
/// ``warmupStableDecay(warmup:stable:decay:shape:minFactor:)`` freezes at the end of its stable phase, so its decay
/// phase scales the end-of-stable rates (spec §8.5). Ordinary schedules chain in with ``chained(with:)``: they set the
/// global factor, maxP keeps the per-layer ratios (spec §8.7).
///
/// It is a value: the factor and the freeze decision at update `k` depend on `k` alone, so a run restored at step
/// `k` continues exactly.
///
/// ```swift
/// let plan = try PrefactorSchedule.warmupStableDecay(warmup: 100, stable: 800, decay: 100, minFactor: 0.1)
///     .chained(with: try Schedule.stepDecay(every: 300, gamma: 0.5))
/// let controller = try AlignmentController(parametrization: p, schedule: plan)
/// ```
public struct PrefactorSchedule: Sendable {
    /// The factor multiplying `η` at each (1-based) optimizer update.
    public let factor: Schedule
    /// The last update at which per-layer rates may still change; `nil` means they never freeze.
    public let freezeStep: Int?

    /// A schedule from any global factor and an optional freeze step (must be ≥ 0).
    public init(_ factor: Schedule = .constant, freezeStep: Int? = nil) throws(ScheduleError) {
        if let freezeStep, freezeStep < 0 { throw .negativeLength(name: "freeze step", value: freezeStep) }
        self.factor = factor
        self.freezeStep = freezeStep
    }

    private init(unchecked factor: Schedule, freezeStep: Int?) {
        self.factor = factor
        self.freezeStep = freezeStep
    }

    /// Factor 1 at every update; rates never freeze.
    public static let constant = PrefactorSchedule(unchecked: .constant, freezeStep: nil)

    /// Warmup–stable–decay (spec §8.5): the factor of ``Schedule/warmupStableDecay(warmup:stable:decay:shape:minFactor:)``;
    /// the LP is active through update `warmup + stable`, after which the per-layer rates are frozen and only scaled
    /// by the decaying factor.
    public static func warmupStableDecay(
        warmup: Int, stable: Int, decay: Int, shape: Schedule.DecayShape = .cosine, minFactor: Double = 0
    ) throws(ScheduleError) -> PrefactorSchedule {
        let factor = try Schedule.warmupStableDecay(
            warmup: warmup, stable: stable, decay: decay, shape: shape, minFactor: minFactor)
        return PrefactorSchedule(unchecked: factor, freezeStep: warmup + stable)
    }

    /// This schedule with its factor multiplied by an external one (linear warmup, cosine annealing, step decay…);
    /// the freeze step is kept.
    public func chained(with external: Schedule) -> PrefactorSchedule {
        PrefactorSchedule(unchecked: factor.multiplied(by: external), freezeStep: freezeStep)
    }

    /// The factor multiplying `η` at optimizer update `step` (1-based).
    public func factor(at step: Int) -> Double { factor.factor(at: step) }

    /// Whether update `step` (1-based) runs with frozen per-layer rates.
    public func isFrozen(atUpdate step: Int) -> Bool {
        guard let freezeStep else { return false }
        return step > freezeStep
    }

    /// What the schedule is, for reports and checkpoints.
    public var summary: String {
        freezeStep.map { "\(factor.summary), frozen after \($0)" } ?? factor.summary
    }
}
