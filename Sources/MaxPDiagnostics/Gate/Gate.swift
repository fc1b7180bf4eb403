/// Why the gate flags a slope.
public enum GateRegressionReason: String, Codable, Sendable, Equatable {
    /// |slope − baseline| exceeds the tolerance.
    case slopeChanged = "slope_changed"
    /// The baseline said `ok`, the current report says `grows` or `shrinks`.
    case verdictWorsened = "verdict_worsened"
    /// The (op, t, statistic) is in the baseline but not in the current report.
    case missing
    /// The baseline has a slope, the current report none (the fit failed, e.g. a divergence).
    case slopeUnavailable = "slope_unavailable"
}

/// One regression found by the gate.
public struct GateRegression: Codable, Sendable, Equatable {
    /// The op call site.
    public var op: String
    /// The step.
    public var t: Int
    /// The statistic.
    public var statistic: CoordStatistic
    /// The baseline slope.
    public var baseline: Double?
    /// The current slope (`nil` when missing).
    public var current: Double?
    /// current − baseline (`nil` when either is missing).
    public var delta: Double?
    /// The baseline verdict.
    public var baselineVerdict: Verdict?
    /// The current verdict.
    public var currentVerdict: Verdict?
    /// Why it is a regression.
    public var reason: GateRegressionReason

    /// A one-line explanation for the terminal and the JUnit failure message.
    public var summary: String {
        let key = SlopeKey(op: op, t: t, statistic: statistic).description
        func number(_ value: Double?) -> String { value.map { Diagnosis.signed($0) } ?? "none" }
        switch reason {
        case .slopeChanged:
            return "\(key): slope \(number(current)) vs baseline \(number(baseline)) (Δ \(number(delta)))"
        case .verdictWorsened:
            return "\(key): verdict \(baselineVerdict?.rawValue ?? "?") → \(currentVerdict?.rawValue ?? "?") "
                + "(slope \(number(current)) vs baseline \(number(baseline)))"
        case .missing:
            return "\(key): present in the baseline, missing now (op renamed or removed?)"
        case .slopeUnavailable:
            return "\(key): baseline slope \(number(baseline)), no slope now (diverged or too few points)"
        }
    }
}

/// The comparison of one (op, t, statistic) present in the baseline.
public struct GateCheck: Codable, Sendable, Equatable {
    /// The identity.
    public var key: SlopeKey
    /// The baseline slope.
    public var baseline: Double?
    /// The current slope.
    public var current: Double?
    /// The regressions found for this key (empty: passed).
    public var regressions: [GateRegression]
}

/// The gate's outcome.
public struct GateResult: Codable, Sendable, Equatable {
    /// The tolerance on |slope − baseline|.
    public var tolerance: Double
    /// Every baseline key, in baseline order.
    public var checks: [GateCheck]
    /// Keys only in the current report (new ops: not regressions).
    public var added: [SlopeKey]

    /// All regressions, in baseline order.
    public var regressions: [GateRegression] { checks.flatMap(\.regressions) }
    /// Whether nothing regressed.
    public var passed: Bool { regressions.isEmpty }
    /// The process exit code of `maxp-diagnose gate`: 0 pass, 1 regression.
    public var exitCode: Int32 { passed ? 0 : 1 }
}

/// The CI gate: compares a fresh ``SlopeReport`` with a committed baseline.
public enum Gate {
    /// The default tolerance on |slope − baseline|.
    public static let defaultTolerance = 0.1

    /// Compares `current` with `baseline`. A key regresses when its slope moved by more than `tolerance`, when the
    /// baseline verdict `ok` became `grows`/`shrinks`, when it disappeared, or when its slope can no longer be fitted.
    public static func compare(current: SlopeReport, baseline: SlopeReport,
                               tolerance: Double = defaultTolerance) -> GateResult {
        var currentByKey: [SlopeKey: SlopeReport.Entry] = [:]
        for entry in current.ops where currentByKey[entry.key] == nil { currentByKey[entry.key] = entry }
        var checks: [GateCheck] = []
        var seen = Set<SlopeKey>()
        for old in baseline.ops where seen.insert(old.key).inserted {
            var regressions: [GateRegression] = []
            let new = currentByKey[old.key]
            func regression(_ reason: GateRegressionReason) -> GateRegression {
                let delta: Double? = (new?.slope).flatMap { current in old.slope.map { current - $0 } }
                return GateRegression(op: old.op, t: old.t, statistic: old.statistic, baseline: old.slope,
                                      current: new?.slope, delta: delta, baselineVerdict: old.verdict,
                                      currentVerdict: new?.verdict, reason: reason)
            }
            if let new {
                if let before = old.slope, let now = new.slope {
                    if !(abs(now - before) <= tolerance) { regressions.append(regression(.slopeChanged)) }
                } else if old.slope != nil {
                    regressions.append(regression(.slopeUnavailable))
                }
                if old.verdict == .ok && new.verdict.isDeviation { regressions.append(regression(.verdictWorsened)) }
            } else {
                regressions.append(regression(.missing))
            }
            checks.append(GateCheck(key: old.key, baseline: old.slope, current: new?.slope, regressions: regressions))
        }
        let added = current.ops.map(\.key).filter { !seen.contains($0) }
        return GateResult(tolerance: tolerance, checks: checks, added: added)
    }
}
