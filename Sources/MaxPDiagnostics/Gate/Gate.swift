/// Why the gate flags a slope.
public enum GateRegressionReason: String, Codable, Sendable, Equatable {
    /// |slope − baseline| exceeds the tolerance.
    case slopeChanged = "slope_changed"
    /// The baseline said `ok`, the current report says `grows` or `shrinks` (reported only with the theory check
    /// off, where it is the only verdict-based failure).
    case verdictWorsened = "verdict_worsened"
    /// The theory check: the current verdict is `grows` or `shrinks`, whatever the baseline said (a baseline that
    /// already had the bug does not excuse it).
    case theory
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
    /// The slope theory expects now (`nil` without a rule or when the op is missing).
    public var expected: Double?
    /// The upstream op whose deviation the current entry inherits, if any.
    public var inheritedFrom: String?

    /// Creates a regression.
    public init(op: String, t: Int, statistic: CoordStatistic, baseline: Double?, current: Double?, delta: Double?,
                baselineVerdict: Verdict?, currentVerdict: Verdict?, reason: GateRegressionReason,
                expected: Double? = nil, inheritedFrom: String? = nil) {
        self.op = op; self.t = t; self.statistic = statistic; self.baseline = baseline; self.current = current
        self.delta = delta; self.baselineVerdict = baselineVerdict; self.currentVerdict = currentVerdict
        self.reason = reason; self.expected = expected; self.inheritedFrom = inheritedFrom
    }

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
        case .theory:
            let expectation = expected.map { ", theory expects \(Diagnosis.signed($0))" } ?? ""
            let was = baselineVerdict.map { "; baseline verdict \($0.rawValue)" } ?? "; not in the baseline"
            let origin = inheritedFrom.map { "; inherited from `\($0)`" } ?? ""
            return "\(key): \(currentVerdict?.rawValue ?? "?") (slope \(number(current))\(expectation)\(was)\(origin))"
        }
    }
}

/// The comparison of one (op, t, statistic): every baseline key, plus current-only keys the theory check flags.
public struct GateCheck: Codable, Sendable, Equatable {
    /// The identity.
    public var key: SlopeKey
    /// The baseline slope (`nil` for a key only in the current report).
    public var baseline: Double?
    /// The current slope.
    public var current: Double?
    /// The regressions found for this key (empty: passed).
    public var regressions: [GateRegression]
    /// The current verdict (`nil` when the key is missing now); an `inconclusive` check that did not regress is
    /// reported as skipped.
    public var currentVerdict: Verdict? = nil
}

/// The gate's outcome.
public struct GateResult: Codable, Sendable, Equatable {
    /// The tolerance on |slope − baseline|.
    public var tolerance: Double
    /// Whether current verdicts were also checked against theory (`grows`/`shrinks` fail even if the baseline
    /// had them).
    public var checksTheory: Bool
    /// Every baseline key, in baseline order, then current-only keys that fail the theory check.
    public var checks: [GateCheck]
    /// Keys only in the current report (new ops: not compared with the baseline, but checked against theory).
    public var added: [SlopeKey]

    /// Creates a result.
    public init(tolerance: Double, checksTheory: Bool = true, checks: [GateCheck], added: [SlopeKey]) {
        self.tolerance = tolerance; self.checksTheory = checksTheory; self.checks = checks; self.added = added
    }

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

    /// Compares `current` with `baseline` and, unless `checksTheory` is false, with theory.
    ///
    /// A baseline key regresses when its slope moved by more than `tolerance`, when it disappeared, or when its slope
    /// can no longer be fitted. With `checksTheory` (the default) every current entry whose verdict is `grows` or
    /// `shrinks` fails (``GateRegressionReason/theory``), even when the baseline had the same verdict and even for
    /// keys the baseline lacks: a baseline recorded from a buggy model cannot hide the bug. With `checksTheory`
    /// false only a verdict that went from `ok` to `grows`/`shrinks` fails (``GateRegressionReason/verdictWorsened``).
    public static func compare(current: SlopeReport, baseline: SlopeReport,
                               tolerance: Double = defaultTolerance, checksTheory: Bool = true) -> GateResult {
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
                                      currentVerdict: new?.verdict, reason: reason, expected: new?.expected,
                                      inheritedFrom: new?.inheritedFrom)
            }
            if let new {
                if let before = old.slope, let now = new.slope {
                    if !(abs(now - before) <= tolerance) { regressions.append(regression(.slopeChanged)) }
                } else if old.slope != nil {
                    regressions.append(regression(.slopeUnavailable))
                }
                if checksTheory, new.verdict.isDeviation {
                    regressions.append(regression(.theory))
                } else if old.verdict == .ok && new.verdict.isDeviation {
                    regressions.append(regression(.verdictWorsened))
                }
            } else {
                regressions.append(regression(.missing))
            }
            checks.append(GateCheck(key: old.key, baseline: old.slope, current: new?.slope, regressions: regressions,
                                    currentVerdict: new?.verdict))
        }
        var added: [SlopeKey] = []
        for new in current.ops where seen.insert(new.key).inserted {
            added.append(new.key)
            guard checksTheory, new.verdict.isDeviation else { continue }
            let regression = GateRegression(op: new.op, t: new.t, statistic: new.statistic, baseline: nil,
                                            current: new.slope, delta: nil, baselineVerdict: nil,
                                            currentVerdict: new.verdict, reason: .theory, expected: new.expected,
                                            inheritedFrom: new.inheritedFrom)
            checks.append(GateCheck(key: new.key, baseline: nil, current: new.slope, regressions: [regression],
                                    currentVerdict: new.verdict))
        }
        return GateResult(tolerance: tolerance, checksTheory: checksTheory, checks: checks, added: added)
    }
}
