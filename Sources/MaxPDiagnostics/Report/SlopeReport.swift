import Foundation
import _MaxPSupport

/// The `slopes.json` file contract: per (op, t, statistic) the fitted slope, its 95 % interval, the expected slope,
/// the verdict and the suggested Δa.
///
/// Contract keys (always present; `null` written explicitly): top level `axis`, `values`, `ops`; per op `op`,
/// `kind`, `t`, `statistic`, `slope`, `ci95`, `expected`, `verdict`, `suggested_delta_a`. Extra keys (also always
/// present): top level `schema_version`, `mode`, `model`, `parametrization`, `seeds`, `tolerance_init`,
/// `tolerance_trained`; per op `message`, `inherited_from`, `r2`, `deviation`, `expected_lower`, `expected_upper`,
/// `expected_rule`, `seeds`, `diverged`, `loss_jumped`, `seeds_needed`, `width_doublings_needed`, `reason`.
/// Encoded with sorted keys and pretty printing: the same report gives the same bytes.
public struct SlopeReport: Codable, Sendable, Equatable {
    /// One judged (op, t, statistic).
    public struct Entry: Codable, Sendable, Equatable {
        /// The op call site.
        public var op: String
        /// Its kind or role.
        public var kind: String
        /// The step.
        public var t: Int
        /// `l1`, `rms` or `delta_rms`.
        public var statistic: CoordStatistic
        /// The fitted slope (`null` only when no fit was possible, e.g. a divergence at almost every width).
        public var slope: Double?
        /// The 95 % interval `[lo, hi]` (`null` when it cannot be formed).
        public var ci95: ClosedInterval?
        /// The expected slope (nearest allowed value), or `null` without a rule.
        public var expected: Double?
        /// The verdict.
        public var verdict: Verdict
        /// The suggested change of `a` (t = 0, parametrized op to blame), else `null`.
        public var suggestedDeltaA: Double?
        /// Plain-language explanation and fix.
        public var message: String
        /// The upstream op whose deviation this one inherits, or `null`.
        public var inheritedFrom: String?
        /// R² of the seed-mean fit.
        public var r2: Double?
        /// δ = slope − expected.
        public var deviation: Double?
        /// Lower end of what theory allows (`null`: unbounded below or no rule).
        public var expectedLower: Double?
        /// Upper end of what theory allows (`null`: no rule).
        public var expectedUpper: Double?
        /// The theory rule applied.
        public var expectedRule: String?
        /// Number of seeds fitted.
        public var seeds: Int
        /// Whether NaN/Inf appeared.
        public var diverged: Bool
        /// Whether a loss jumped at this step.
        public var lossJumped: Bool
        /// For `inconclusive`: seeds that would decide it.
        public var seedsNeeded: Int?
        /// For `inconclusive`: more width doublings that would decide it.
        public var widthDoublingsNeeded: Int?
        /// Why the verdict is what it is when a rule beyond slope-versus-theory decided it (extra key `reason`).
        public var reason: VerdictReason?

        /// Creates an entry from a verdict.
        public init(_ verdict: OpVerdict) {
            op = verdict.op
            kind = verdict.kind
            t = verdict.t
            statistic = verdict.statistic
            slope = verdict.fit.slope
            ci95 = verdict.fit.interval95
            expected = verdict.expected
            self.verdict = verdict.verdict
            suggestedDeltaA = verdict.suggestedDeltaA
            message = verdict.message
            inheritedFrom = verdict.inheritedFrom
            r2 = verdict.fit.rSquared
            deviation = verdict.deviation
            expectedLower = verdict.expectation.flatMap { $0.lower.isFinite ? $0.lower : nil }
            expectedUpper = verdict.expectation?.upper
            expectedRule = verdict.expectation?.rule
            seeds = verdict.fit.seedCount
            diverged = verdict.fit.status == .diverged
            lossJumped = verdict.lossJumped
            seedsNeeded = verdict.seedsNeeded
            widthDoublingsNeeded = verdict.widthDoublingsNeeded
            reason = verdict.reason
        }

        enum CodingKeys: String, CodingKey {
            case op, kind, t, statistic, slope, ci95, expected, verdict, suggestedDeltaA = "suggested_delta_a", message,
                 inheritedFrom = "inherited_from", r2, deviation, expectedLower = "expected_lower",
                 expectedUpper = "expected_upper", expectedRule = "expected_rule", seeds, diverged,
                 lossJumped = "loss_jumped", seedsNeeded = "seeds_needed", widthDoublingsNeeded = "width_doublings_needed",
                 reason
        }

        /// Decodes; contract keys are required (`null` allowed where the contract allows it), extras optional.
        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            op = try c.decode(String.self, forKey: .op)
            kind = try c.decode(String.self, forKey: .kind)
            t = try c.decode(Int.self, forKey: .t)
            statistic = try c.decode(CoordStatistic.self, forKey: .statistic)
            slope = try c.decodeRequiredOptional(Double.self, forKey: .slope)
            ci95 = try c.decodeRequiredOptional(ClosedInterval.self, forKey: .ci95)
            expected = try c.decodeRequiredOptional(Double.self, forKey: .expected)
            verdict = try c.decode(Verdict.self, forKey: .verdict)
            suggestedDeltaA = try c.decodeRequiredOptional(Double.self, forKey: .suggestedDeltaA)
            message = try c.decodeIfPresent(String.self, forKey: .message) ?? ""
            inheritedFrom = try c.decodeIfPresent(String.self, forKey: .inheritedFrom)
            r2 = try c.decodeIfPresent(Double.self, forKey: .r2)
            deviation = try c.decodeIfPresent(Double.self, forKey: .deviation)
            expectedLower = try c.decodeIfPresent(Double.self, forKey: .expectedLower)
            expectedUpper = try c.decodeIfPresent(Double.self, forKey: .expectedUpper)
            expectedRule = try c.decodeIfPresent(String.self, forKey: .expectedRule)
            seeds = try c.decodeIfPresent(Int.self, forKey: .seeds) ?? 0
            diverged = try c.decodeIfPresent(Bool.self, forKey: .diverged) ?? false
            lossJumped = try c.decodeIfPresent(Bool.self, forKey: .lossJumped) ?? false
            seedsNeeded = try c.decodeIfPresent(Int.self, forKey: .seedsNeeded)
            widthDoublingsNeeded = try c.decodeIfPresent(Int.self, forKey: .widthDoublingsNeeded)
            reason = try c.decodeIfPresent(VerdictReason.self, forKey: .reason)
        }

        /// Encodes every key, `null` explicitly.
        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(op, forKey: .op)
            try c.encode(kind, forKey: .kind)
            try c.encode(t, forKey: .t)
            try c.encode(statistic, forKey: .statistic)
            try c.encodeExplicit(slope, forKey: .slope)
            try c.encodeExplicit(ci95, forKey: .ci95)
            try c.encodeExplicit(expected, forKey: .expected)
            try c.encode(verdict, forKey: .verdict)
            try c.encodeExplicit(suggestedDeltaA, forKey: .suggestedDeltaA)
            try c.encode(message, forKey: .message)
            try c.encodeExplicit(inheritedFrom, forKey: .inheritedFrom)
            try c.encodeExplicit(r2, forKey: .r2)
            try c.encodeExplicit(deviation, forKey: .deviation)
            try c.encodeExplicit(expectedLower, forKey: .expectedLower)
            try c.encodeExplicit(expectedUpper, forKey: .expectedUpper)
            try c.encodeExplicit(expectedRule, forKey: .expectedRule)
            try c.encode(seeds, forKey: .seeds)
            try c.encode(diverged, forKey: .diverged)
            try c.encode(lossJumped, forKey: .lossJumped)
            try c.encodeExplicit(seedsNeeded, forKey: .seedsNeeded)
            try c.encodeExplicit(widthDoublingsNeeded, forKey: .widthDoublingsNeeded)
            try c.encodeExplicit(reason, forKey: .reason)
        }

        /// The identity used by the gate.
        public var key: SlopeKey { SlopeKey(op: op, t: t, statistic: statistic) }
    }

    /// The swept axis (`width`, `depth`, `heads`).
    public var axis: SweepAxis
    /// The swept values.
    public var values: [Int]
    /// One entry per judged (op, t, statistic).
    public var ops: [Entry]
    /// Format version of this file (extra key).
    public var schemaVersion: Int
    /// The `schema_version` this version writes and reads.
    public static let currentSchemaVersion = 1
    /// Theory mode used (`declared` or `mup_target`).
    public var mode: TheoryMode
    /// Model description.
    public var model: String
    /// Declared parametrization label, if any.
    public var parametrization: String?
    /// Seeds used.
    public var seeds: [Int]
    /// Tolerance at t = 0.
    public var toleranceInit: Double
    /// Tolerance at t ≥ 1.
    public var toleranceTrained: Double

    /// Creates a report.
    public init(axis: SweepAxis, values: [Int], ops: [Entry], mode: TheoryMode = .declared, model: String = "",
                parametrization: String? = nil, seeds: [Int] = [], policy: VerdictPolicy = .standard) {
        self.axis = axis
        self.values = values
        self.ops = ops
        self.schemaVersion = Self.currentSchemaVersion
        self.mode = mode
        self.model = model
        self.parametrization = parametrization
        self.seeds = seeds
        self.toleranceInit = policy.initTolerance
        self.toleranceTrained = policy.trainedTolerance
    }

    /// Judges `table` (see ``Diagnosis/judge(_:mode:policy:statistics:)``) and builds the report.
    public init(table: CoordTable, mode: TheoryMode = .declared, policy: VerdictPolicy = .standard,
                statistics: [CoordStatistic] = CoordStatistic.allCases) {
        let verdicts = Diagnosis.judge(table, mode: mode, policy: policy, statistics: statistics)
        let values = table.metadata.axisValues.isEmpty ? table.axisValues : table.metadata.axisValues
        self.init(axis: table.metadata.axis, values: values, ops: verdicts.map(Entry.init), mode: mode,
                  model: table.metadata.modelDescription, parametrization: table.metadata.parametrization,
                  seeds: table.metadata.seeds.isEmpty ? table.seeds : table.metadata.seeds, policy: policy)
    }

    enum CodingKeys: String, CodingKey {
        case axis, values, ops, schemaVersion = "schema_version", mode, model, parametrization, seeds,
             toleranceInit = "tolerance_init", toleranceTrained = "tolerance_trained"
    }

    /// Decodes; `axis`, `values`, `ops` are required, extras optional.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        axis = try c.decode(SweepAxis.self, forKey: .axis)
        values = try c.decode([Int].self, forKey: .values)
        ops = try c.decode([Entry].self, forKey: .ops)
        schemaVersion = try c.decodeIfPresent(Int.self, forKey: .schemaVersion) ?? 1
        mode = try c.decodeIfPresent(TheoryMode.self, forKey: .mode) ?? .declared
        model = try c.decodeIfPresent(String.self, forKey: .model) ?? ""
        parametrization = try c.decodeIfPresent(String.self, forKey: .parametrization)
        seeds = try c.decodeIfPresent([Int].self, forKey: .seeds) ?? []
        toleranceInit = try c.decodeIfPresent(Double.self, forKey: .toleranceInit) ?? VerdictPolicy.standard.initTolerance
        toleranceTrained = try c.decodeIfPresent(Double.self, forKey: .toleranceTrained) ?? VerdictPolicy.standard.trainedTolerance
    }

    /// Encodes every key, `null` explicitly.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(axis, forKey: .axis)
        try c.encode(values, forKey: .values)
        try c.encode(ops, forKey: .ops)
        try c.encode(schemaVersion, forKey: .schemaVersion)
        try c.encode(mode, forKey: .mode)
        try c.encode(model, forKey: .model)
        try c.encodeExplicit(parametrization, forKey: .parametrization)
        try c.encode(seeds, forKey: .seeds)
        try c.encode(toleranceInit, forKey: .toleranceInit)
        try c.encode(toleranceTrained, forKey: .toleranceTrained)
    }

    /// The entry for (op, t, statistic), if any.
    public func entry(op: String, t: Int, statistic: CoordStatistic) -> Entry? {
        ops.first { $0.op == op && $0.t == t && $0.statistic == statistic }
    }

    /// `slopes.json` bytes: sorted keys, pretty printed, trailing newline (same report → same bytes).
    public func jsonData() throws(SlopeReportError) -> Data {
        do { return try JSONFormat.encode(self) } catch { throw .encoding(String(describing: error)) }
    }

    /// Reads `slopes.json` bytes.
    public static func decode(from data: Data) throws(SlopeReportError) -> SlopeReport {
        do {
            return try JSONFormat.decoder().decode(SlopeReport.self, from: data)
        } catch let error as DecodingError {
            throw .malformed(TextFormat.describe(error))
        } catch {
            throw .malformed(String(describing: error))
        }
    }

    /// Reads a `slopes.json` file.
    public static func read(from url: URL) throws(SlopeReportError) -> SlopeReport {
        let data: Data
        do { data = try InputFile.read(url) } catch {
            throw .unreadable(path: url.path, reason: error.reason)
        }
        do { return try decode(from: data) } catch {
            if case let .malformed(reason) = error { throw .malformedFile(path: url.path, reason: reason) }
            throw error
        }
    }

    /// Writes ``jsonData()`` to `url` atomically.
    public func write(to url: URL) throws(SlopeReportError) {
        let data = try jsonData()
        do { try AtomicFile.write(data, to: url) } catch {
            throw .unwritable(path: url.path, reason: error.reason)
        }
    }
}

/// The identity of a slope: (op, t, statistic).
public struct SlopeKey: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The op call site.
    public var op: String
    /// The step.
    public var t: Int
    /// The statistic.
    public var statistic: CoordStatistic

    /// Creates a key.
    public init(op: String, t: Int, statistic: CoordStatistic) {
        self.op = op
        self.t = t
        self.statistic = statistic
    }

    /// `` `op` t=… statistic``.
    public var description: String { "`\(op)` t=\(t) \(statistic.rawValue)" }
}

/// Why a `slopes.json` could not be read or written.
public enum SlopeReportError: Error, Equatable, CustomStringConvertible {
    /// The file could not be read.
    case unreadable(path: String, reason: String)
    /// The bytes are not a valid slopes report.
    case malformed(String)
    /// The file is not a valid slopes report.
    case malformedFile(path: String, reason: String)
    /// The file could not be written.
    case unwritable(path: String, reason: String)
    /// Encoding failed.
    case encoding(String)

    /// A message a user can act on.
    public var description: String { message(regenerate: nil) }

    /// The message; a malformed file's says how to regenerate it when `regenerate` is given (the CLI passes
    /// `with --write-baseline`).
    public func message(regenerate: String?) -> String {
        switch self {
        case let .unreadable(path, reason): "cannot read slopes report `\(path)`: \(reason)"
        case let .malformed(reason): "slopes report is not valid slopes.json: \(reason)"
        case let .malformedFile(path, reason):
            "slopes report `\(path)` is not valid slopes.json\(regenerate.map { " (regenerate it \($0))" } ?? ""): \(reason)"
        case let .unwritable(path, reason): "cannot write slopes report `\(path)`: \(reason)"
        case let .encoding(reason): "slopes report could not be encoded: \(reason)"
        }
    }
}

extension KeyedEncodingContainer {
    /// Encodes `value`, writing an explicit `null` when it is `nil`.
    mutating func encodeExplicit<T: Encodable>(_ value: T?, forKey key: Key) throws {
        if let value { try encode(value, forKey: key) } else { try encodeNil(forKey: key) }
    }
}

extension KeyedDecodingContainer {
    /// Decodes a key that must be present but may be `null`.
    func decodeRequiredOptional<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
        guard contains(key) else {
            throw DecodingError.keyNotFound(key, .init(codingPath: codingPath, debugDescription: "required key (may be null)"))
        }
        return try decodeIfPresent(type, forKey: key)
    }
}
