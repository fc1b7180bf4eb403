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
    public var summary: String { VerdictProse.regression(self) }
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
}

/// The CI gate: compares a fresh ``SlopeReport`` with a committed baseline.
public enum Gate {
    /// The default tolerance on |slope − baseline|.
    public static let defaultTolerance = 0.1

    /// Throws unless `current` and `baseline` can be compared at all: both in a known schema version, both holding
    /// slopes, every slope a finite number or `null`, measured on the same axis and swept values, the same model
    /// (an injected fault or autofix marker aside) and parametrization, and sharing at least one (op, t, statistic).
    /// A gate that compared nothing, or runs that are not comparable, would pass or fail for no reason.
    public static func checkComparable(current: SlopeReport, baseline: SlopeReport) throws(GateInputProblem) {
        for (side, report) in [(GateInputProblem.Side.baseline, baseline), (.current, current)] {
            guard report.schemaVersion == SlopeReport.currentSchemaVersion else {
                throw .unsupportedSchema(side, version: report.schemaVersion, supported: SlopeReport.currentSchemaVersion)
            }
            guard !report.ops.isEmpty else { throw .noSlopes(side) }
            if let entry = report.ops.first(where: { $0.slope.map { !$0.isFinite } ?? false }) {
                throw .nonFiniteSlope(side, key: entry.key, value: entry.slope ?? .nan)
            }
        }
        guard current.axis == baseline.axis else { throw .axisMismatch(baseline: baseline.axis, current: current.axis) }
        guard current.values == baseline.values else {
            throw .valuesMismatch(axis: baseline.axis, baseline: baseline.values, current: current.values)
        }
        let baselineModel = comparableModel(baseline.model), currentModel = comparableModel(current.model)
        if !baselineModel.isEmpty, !currentModel.isEmpty, baselineModel != currentModel {
            throw .modelMismatch(baseline: baselineModel, current: currentModel)
        }
        if let before = baseline.parametrization, let now = current.parametrization, before != now {
            throw .parametrizationMismatch(baseline: before, current: now)
        }
        let currentKeys = Set(current.ops.map(\.key))
        guard baseline.ops.contains(where: { currentKeys.contains($0.key) }) else { throw .nothingInCommon }
    }

    /// The model description without the markers a run adds to the same model (` [injected fault: …]`,
    /// ` [autofix corrections applied]`): a planted bug is what the gate must catch, not a different model.
    static func comparableModel(_ model: String) -> String {
        var text = model
        while let open = text.range(of: " [", options: .backwards), text.hasSuffix("]") {
            text = String(text[..<open.lowerBound])
        }
        return text
    }

    /// Compares `current` with `baseline` and, unless `checksTheory` is false, with theory. Check first that they
    /// are comparable with ``checkComparable(current:baseline:)``.
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

/// Why the gate cannot compare two slope reports: an input error, not a regression.
public enum GateInputProblem: Error, Equatable, Sendable, CustomStringConvertible {
    /// Which report is at fault.
    public enum Side: String, Sendable, Equatable {
        /// The committed baseline.
        case baseline
        /// The current slopes.
        case current
    }

    /// The report's `schema_version` is not one this version reads.
    case unsupportedSchema(Side, version: Int, supported: Int)
    /// The report holds no slopes (`"ops": []`): the gate would compare nothing.
    case noSlopes(Side)
    /// A slope is a non-finite number (`"nan"`, `"inf"`): slopes are finite numbers or `null` (no fit).
    case nonFiniteSlope(Side, key: SlopeKey, value: Double)
    /// The reports sweep different axes.
    case axisMismatch(baseline: SweepAxis, current: SweepAxis)
    /// The reports were measured at different swept values.
    case valuesMismatch(axis: SweepAxis, baseline: [Int], current: [Int])
    /// The reports describe different models.
    case modelMismatch(baseline: String, current: String)
    /// The reports declare different parametrizations.
    case parametrizationMismatch(baseline: String, current: String)
    /// No (op, t, statistic) of the baseline is in the current report.
    case nothingInCommon

    /// One line naming the problem.
    public var description: String {
        func list(_ values: [Int]) -> String { values.map(String.init).joined(separator: ",") }
        switch self {
        case let .unsupportedSchema(side, version, supported):
            return "the \(side.rawValue) slopes have schema_version \(version); this version reads \(supported) (regenerate the file)"
        case let .noSlopes(side):
            return "the \(side.rawValue) slopes hold no entries (\"ops\": []): the gate would compare nothing"
        case let .nonFiniteSlope(side, key, value):
            return "the \(side.rawValue) slopes give \(key) the non-number \(value): a slope is a finite number or null"
        case let .axisMismatch(baseline, current):
            return "the baseline sweeps \(baseline.rawValue), the current run sweeps \(current.rawValue): not comparable"
        case let .valuesMismatch(axis, baseline, current):
            return "the baseline was recorded at \(axis.rawValue)s \(list(baseline)), the current run at \(list(current)): not comparable (record a new baseline)"
        case let .modelMismatch(baseline, current):
            return "the baseline was recorded from the model `\(baseline)`, the current run is `\(current)`: not comparable"
        case let .parametrizationMismatch(baseline, current):
            return "the baseline was recorded under parametrization \(baseline), the current run under \(current): not comparable"
        case .nothingInCommon:
            return "no (op, t, statistic) of the baseline is in the current slopes: they describe different models"
        }
    }
}
