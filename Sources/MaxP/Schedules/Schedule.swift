import Foundation

/// A learning-rate factor as a plain function of the step: `factor(step)` multiplies the prefactor `η`.
///
/// Schedules are values, composable, with no hidden state: the factor at step `k` depends on `k` alone, so a run
/// restored from a checkpoint at step `k` continues with exactly the same factors. Build them with the static
/// constructors and combine them with ``multiplied(by:)`` and ``joined(_:boundaries:)``.
///
/// ```swift
/// let schedule = try Schedule.warmupStableDecay(warmup: 100, stable: 800, decay: 100, shape: .cosine, minFactor: 0.1)
/// parametrization.lrPrefactor = baseLR * schedule.factor(at: step)
/// ```
public struct Schedule: Sendable {
    private let function: @Sendable (Int) -> Double
    /// What the schedule is, for reports and checkpoints (`wsd(warmup: 100, …)`).
    public let summary: String

    /// A schedule from any function of the (1-based) step.
    public init(summary: String, _ function: @escaping @Sendable (Int) -> Double) {
        self.summary = summary
        self.function = function
    }

    /// The factor at `step` (steps count from 1, the first optimizer step).
    public func factor(at step: Int) -> Double { function(step) }

    /// Factor 1 at every step.
    public static let constant = Schedule(summary: "constant") { _ in 1 }

    /// Linear warmup from `startFactor` at step 0 to 1 at step `steps`, then 1.
    public static func linearWarmup(steps: Int, startFactor: Double = 0) throws(ScheduleError) -> Schedule {
        guard steps >= 0 else { throw .negativeLength(name: "warmup steps", value: steps) }
        try ScheduleError.checkFactor(startFactor, name: "start factor")
        return Schedule(summary: "linear-warmup(\(steps), from \(startFactor))") { k in
            steps == 0 || k >= steps ? 1 : startFactor + (1 - startFactor) * Double(max(k, 0)) / Double(steps)
        }
    }

    /// Cosine annealing from 1 to `minFactor` over `steps`, then `minFactor`.
    public static func cosine(steps: Int, minFactor: Double = 0) throws(ScheduleError) -> Schedule {
        guard steps > 0 else { throw .negativeLength(name: "cosine steps", value: steps) }
        try ScheduleError.checkFactor(minFactor, name: "minimum factor")
        return Schedule(summary: "cosine(\(steps), to \(minFactor))") { k in
            let p = min(Double(max(k, 0)) / Double(steps), 1)
            return minFactor + (1 - minFactor) * 0.5 * (1 + Foundation.cos(Double.pi * p))
        }
    }

    /// Multiplies the factor by `gamma` every `every` steps.
    public static func stepDecay(every: Int, gamma: Double) throws(ScheduleError) -> Schedule {
        guard every > 0 else { throw .negativeLength(name: "step-decay interval", value: every) }
        guard gamma > 0, gamma.isFinite else { throw .invalidFactor(name: "gamma", value: gamma) }
        return Schedule(summary: "step-decay(every \(every), ×\(gamma))") { k in
            Foundation.pow(gamma, Double(max(k, 0) / every))
        }
    }

    /// The shape of the decay phase of a warmup–stable–decay schedule.
    public enum DecayShape: String, Codable, Sendable, CaseIterable {
        /// `f + (1 − f) · ½(1 + cos πp)`.
        case cosine
        /// `1 − (1 − f) · p`.
        case linear
    }

    /// Warmup–stable–decay (spec §8.5): linear warmup from `minFactor` to 1 over `warmup` steps, 1 for `stable`
    /// steps, then a decay to `minFactor` over `decay` steps, then `minFactor`.
    ///
    /// With `W = warmup`, `S = stable`, `D = decay`, `f = minFactor` and `p = min((k − W − S)/D, 1)`:
    /// `k ≤ W` → `f + (1 − f)·k/W` (1 when `W = 0`); `k ≤ W + S` → 1; else cosine `f + (1 − f)·½(1 + cos πp)` or
    /// linear `1 − (1 − f)·p`.
    public static func warmupStableDecay(
        warmup: Int, stable: Int, decay: Int, shape: DecayShape = .cosine, minFactor: Double = 0
    ) throws(ScheduleError) -> Schedule {
        for (name, value) in [("warmup steps", warmup), ("stable steps", stable), ("decay steps", decay)] where value < 0 {
            throw .negativeLength(name: name, value: value)
        }
        guard decay > 0 else { throw .inconsistent("a decay phase needs at least one decay step (got 0)") }
        try ScheduleError.checkFactor(minFactor, name: "minimum factor")
        return Schedule(summary: "wsd(warmup \(warmup), stable \(stable), decay \(decay), \(shape.rawValue), min \(minFactor))") { k in
            if k <= warmup { return warmup == 0 ? 1 : minFactor + (1 - minFactor) * Double(max(k, 0)) / Double(warmup) }
            if k <= warmup + stable { return 1 }
            let p = min(Double(k - warmup - stable) / Double(decay), 1)
            switch shape {
            case .cosine: return minFactor + (1 - minFactor) * 0.5 * (1 + Foundation.cos(Double.pi * p))
            case .linear: return 1 - (1 - minFactor) * p
            }
        }
    }

    /// The pointwise product of two schedules (e.g. warmup × cosine).
    public func multiplied(by other: Schedule) -> Schedule {
        let f = function, g = other.function
        return Schedule(summary: "\(summary) × \(other.summary)") { k in f(k) * g(k) }
    }

    /// Runs `schedules[i]` from `boundaries[i-1]` (exclusive) to `boundaries[i]`, each restarted at step 1 of its
    /// segment. `boundaries` must be increasing and one shorter than `schedules`.
    public static func joined(_ schedules: [Schedule], boundaries: [Int]) throws(ScheduleError) -> Schedule {
        guard !schedules.isEmpty, boundaries.count == schedules.count - 1 else {
            throw .inconsistent("joined needs one boundary fewer than schedules (got \(schedules.count) schedules, \(boundaries.count) boundaries)")
        }
        guard zip(boundaries, boundaries.dropFirst()).allSatisfy({ $0 < $1 }), boundaries.allSatisfy({ $0 >= 0 }) else {
            throw .inconsistent("joined boundaries must be non-negative and increasing, got \(boundaries)")
        }
        let functions = schedules.map(\.function)
        return Schedule(summary: "joined(\(schedules.map(\.summary).joined(separator: "; ")) at \(boundaries))") { k in
            for (i, boundary) in boundaries.enumerated() where k <= boundary {
                return functions[i](k - (i == 0 ? 0 : boundaries[i - 1]))
            }
            return functions[functions.count - 1](k - (boundaries.last ?? 0))
        }
    }
}

/// Why a schedule could not be built.
public enum ScheduleError: Error, Equatable, CustomStringConvertible {
    /// A length (number of steps) is negative or zero where it must be positive.
    case negativeLength(name: String, value: Int)
    /// A factor is negative or not finite.
    case invalidFactor(name: String, value: Double)
    /// The lengths or boundaries do not fit together.
    case inconsistent(String)

    public var description: String {
        switch self {
        case .negativeLength(let name, let value): return "\(name) must be positive, got \(value)"
        case .invalidFactor(let name, let value): return "\(name) must be a finite number ≥ 0, got \(value)"
        case .inconsistent(let message): return message
        }
    }

    static func checkFactor(_ value: Double, name: String) throws(ScheduleError) {
        guard value >= 0, value.isFinite else { throw .invalidFactor(name: name, value: value) }
    }
}
