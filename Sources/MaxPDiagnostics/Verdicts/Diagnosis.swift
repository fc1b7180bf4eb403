import Foundation
import MaxP

/// Turns a ``CoordTable`` into verdicts in four named passes (see ``DiagnosisPasses``): **fit** every (op, t,
/// statistic), **judge** each fit against ``Theory``, **blame** the earliest op whose own deviation is not explained
/// by its inputs (forward, and with SGD backward through the gradients), and give **learning-rate advice**. Every
/// verdict carries a ``VerdictExplanation``; ``VerdictProse`` writes its message.
public enum Diagnosis {
    /// Judges every (op, t, statistic) of `table`, in op order, then t, then statistic (`delta_rms` is skipped at
    /// t = 0, where it is zero by definition).
    ///
    /// - Parameters:
    ///   - table: the measurements; its metadata's `ops` is the graph theory uses (ops missing from it get no
    ///     expectation), its `lossSeries` the loss-jump check, its `optimizer` whether blame follows the gradients.
    ///   - mode: declared exponents, or the µP target (for a plain SP model).
    ///   - policy: tolerances and interval limits.
    ///   - statistics: which statistics to judge.
    public static func judge(_ table: CoordTable, mode: TheoryMode = .declared, policy: VerdictPolicy = .standard,
                             statistics: [CoordStatistic] = CoordStatistic.allCases) -> [OpVerdict] {
        if table.metadata.axis == .depth { return DepthDiagnosis.judge(table, policy: policy, statistics: statistics) }
        var passes = DiagnosisPasses(table: table, mode: mode, policy: policy, statistics: statistics)
        passes.fit()
        passes.judge()
        passes.blame()
        passes.adviseLearningRates()
        return passes.ordered()
    }

    /// Whether an init-time deviation of an op scales the updates of the ops upstream of it: true for SGD, whose
    /// update is proportional to the gradient flowing back; false for Adam (and Adafactor), whose update size does
    /// not depend on the gradient's scale, and when the optimizer is unknown.
    static func gradientScaleReachesUpstream(_ optimizer: String?) -> Bool {
        optimizer.flatMap(OptimizerKind.init(parsing:)) == .sgd
    }

    /// Steps at which some run's loss jumps, with a description of the first jump seen.
    static func lossJumps(_ series: [LossSeries], ratio: Double, axisValues: [Int] = []) -> [Int: String] {
        var jumps: [Int: String] = [:]
        var jumpedValues: [Int: Set<Int>] = [:]
        for run in series.sorted(by: { ($0.axisValue, $0.seed) < ($1.axisValue, $1.seed) }) where run.losses.count > 1 {
            for t in 1..<run.losses.count {
                let previous = run.losses[t - 1], current = run.losses[t]
                let jumped = previous.isFinite && (!current.isFinite || current > ratio * previous)
                guard jumped else { continue }
                jumpedValues[t, default: []].insert(run.axisValue)
                if jumps[t] == nil {
                    jumps[t] = "axis value \(run.axisValue), seed \(run.seed): \(format(previous)) → \(format(current))"
                }
            }
        }
        // Jumps only at the largest axis values (the smallest is calm) are the width instability being diagnosed,
        // not noise: they do not make the step untrustworthy.
        let sorted = axisValues.sorted()
        for (t, values) in jumpedValues {
            guard let smallest = sorted.first, !values.contains(smallest) else { continue }
            if Set(sorted.suffix(values.count)) == values { jumps[t] = nil }
        }
        return jumps
    }

    /// Whether the non-finite axis values are exactly the largest ones (and the smallest is finite).
    static func divergesWithWidth(_ fit: SlopeFit, axisValues: [Int]) -> Bool {
        let divergent = Set(fit.divergentAxisValues)
        guard !divergent.isEmpty, let first = axisValues.first, !divergent.contains(first) else { return false }
        let suffix = axisValues.suffix(divergent.count)
        return Set(suffix) == divergent
    }

    /// A number with its sign and three decimals (`+0.500`, `-0.113`; never `-0.000`).
    static func signed(_ value: Double) -> String {
        let text = String(format: "%.3f", value)
        // A tiny negative value prints as "-0.000": show it as +0.000 rather than "+-0.000".
        if text.hasPrefix("-") { return Double(text) == 0 ? "+" + text.dropFirst() : text }
        return "+" + text
    }

    /// A number with three significant digits (`0.2`, `0.0118`).
    static func format(_ value: Double) -> String { String(format: "%.3g", value) }
}
