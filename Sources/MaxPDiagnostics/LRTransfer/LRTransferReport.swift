import Foundation
import _MaxPSupport

/// The LR-transfer result of one parametrization (width keys are decimal strings, as JSON object keys must be).
public struct LRTransferSummary: Codable, Sendable, Equatable {
    /// The parametrization's label.
    public var parametrization: String
    /// The widths swept, ascending.
    public var widths: [Int]
    /// The learning rates swept, ascending.
    public var lrs: [Double]
    /// The optimal learning rate per width (`"64": 0.01`); widths where every lr diverged are absent.
    public var optimum: [String: Double]
    /// The 95 % interval of each optimum (across seeds; with one seed ± half a grid step).
    public var optimumCI95: [String: ClosedInterval]
    /// Whether each optimum sits at the edge of the grid or could not be refined by the quadratic fit (then it is
    /// the best grid point, and the true optimum may lie beyond it).
    public var optimumAtEdge: [String: Bool]
    /// The mean final loss over seeds per width and lr (in ``lrs`` order; `null` where some seed diverged).
    public var meanLoss: [String: [Double?]]
    /// OLS slope of log2(lr*) against log2(width): SP with Adam ≈ −1, µP ≈ 0. `null` with fewer than 2 optima.
    public var driftExponent: Double?
    /// Its 95 % interval (`null` when it cannot be formed).
    public var driftCI95: ClosedInterval?
    /// Whether the optimum transfers across width, decided by equivalence (``LRTransferPolicy``).
    public var verdict: LRTransferVerdict
    /// Breaches of "wider is always better" near the optimum (empty when every wider model did at least as well).
    public var widerIsBetterViolations: [WiderIsBetterViolation]

    /// Creates a summary.
    public init(parametrization: String, widths: [Int], lrs: [Double], optimum: [String: Double],
                optimumCI95: [String: ClosedInterval], optimumAtEdge: [String: Bool], meanLoss: [String: [Double?]],
                driftExponent: Double?, driftCI95: ClosedInterval?, verdict: LRTransferVerdict,
                widerIsBetterViolations: [WiderIsBetterViolation] = []) {
        self.parametrization = parametrization
        self.widths = widths
        self.lrs = lrs
        self.optimum = optimum
        self.optimumCI95 = optimumCI95
        self.optimumAtEdge = optimumAtEdge
        self.meanLoss = meanLoss
        self.driftExponent = driftExponent
        self.driftCI95 = driftCI95
        self.verdict = verdict
        self.widerIsBetterViolations = widerIsBetterViolations
    }

    enum CodingKeys: String, CodingKey {
        case parametrization, widths, lrs, optimum, optimumCI95 = "optimum_ci95", optimumAtEdge = "optimum_at_edge",
             meanLoss = "mean_loss", driftExponent = "drift_exponent", driftCI95 = "drift_ci95", verdict,
             widerIsBetterViolations = "wider_is_better_violations"
    }

    /// Decodes what ``encode(to:)`` writes.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(parametrization: try c.decode(String.self, forKey: .parametrization),
                  widths: try c.decode([Int].self, forKey: .widths), lrs: try c.decode([Double].self, forKey: .lrs),
                  optimum: try c.decode([String: Double].self, forKey: .optimum),
                  optimumCI95: try c.decode([String: ClosedInterval].self, forKey: .optimumCI95),
                  optimumAtEdge: try c.decode([String: Bool].self, forKey: .optimumAtEdge),
                  meanLoss: try c.decode([String: [Double?]].self, forKey: .meanLoss),
                  driftExponent: try c.decodeRequiredOptional(Double.self, forKey: .driftExponent),
                  driftCI95: try c.decodeRequiredOptional(ClosedInterval.self, forKey: .driftCI95),
                  verdict: try c.decode(LRTransferVerdict.self, forKey: .verdict),
                  widerIsBetterViolations: try c.decode([WiderIsBetterViolation].self, forKey: .widerIsBetterViolations))
    }

    /// Encodes every key, `null` explicitly.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(parametrization, forKey: .parametrization)
        try c.encode(widths, forKey: .widths)
        try c.encode(lrs, forKey: .lrs)
        try c.encode(optimum, forKey: .optimum)
        try c.encode(optimumCI95, forKey: .optimumCI95)
        try c.encode(optimumAtEdge, forKey: .optimumAtEdge)
        try c.encode(meanLoss, forKey: .meanLoss)
        try c.encodeExplicit(driftExponent, forKey: .driftExponent)
        try c.encodeExplicit(driftCI95, forKey: .driftCI95)
        try c.encode(verdict, forKey: .verdict)
        try c.encode(widerIsBetterViolations, forKey: .widerIsBetterViolations)
    }
}

/// The `lr_transfer.json` file contract: `{"widths", "lrs", "optimum": {width: lr*}, "drift_exponent",
/// "drift_ci95": [lo, hi]}` for the primary parametrization, plus the extra keys `primary`, `parametrizations`,
/// `by_parametrization` (each with the same fields), `optimum_ci95`, `optimum_at_edge`, `mean_loss`, `verdict`
/// (`{"outcome": "transfers"|"shifts"|"inconclusive", "reason": …}`), `wider_is_better_violations`.
/// Sorted keys, pretty printed: the same data gives the same bytes.
public struct LRTransferReport: Codable, Sendable, Equatable {
    /// The primary parametrization's result (its fields are the top-level contract keys).
    public var primary: LRTransferSummary
    /// Every parametrization's result, keyed by label.
    public var byParametrization: [String: LRTransferSummary]
    /// The labels in the order they were given.
    public var parametrizations: [String]

    /// Creates a report.
    public init(primary: LRTransferSummary, byParametrization: [String: LRTransferSummary], parametrizations: [String]) {
        self.primary = primary
        self.byParametrization = byParametrization
        self.parametrizations = parametrizations
    }

    enum CodingKeys: String, CodingKey {
        case widths, lrs, optimum, driftExponent = "drift_exponent", driftCI95 = "drift_ci95", primary,
             parametrizations, byParametrization = "by_parametrization", optimumCI95 = "optimum_ci95",
             optimumAtEdge = "optimum_at_edge", meanLoss = "mean_loss", verdict,
             widerIsBetterViolations = "wider_is_better_violations"
    }

    /// Encodes the contract keys (from ``primary``) and the extras.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(primary.widths, forKey: .widths)
        try c.encode(primary.lrs, forKey: .lrs)
        try c.encode(primary.optimum, forKey: .optimum)
        try c.encodeExplicit(primary.driftExponent, forKey: .driftExponent)
        try c.encodeExplicit(primary.driftCI95, forKey: .driftCI95)
        try c.encode(primary.parametrization, forKey: .primary)
        try c.encode(parametrizations, forKey: .parametrizations)
        try c.encode(byParametrization, forKey: .byParametrization)
        try c.encode(primary.optimumCI95, forKey: .optimumCI95)
        try c.encode(primary.optimumAtEdge, forKey: .optimumAtEdge)
        try c.encode(primary.meanLoss, forKey: .meanLoss)
        try c.encode(primary.verdict, forKey: .verdict)
        try c.encode(primary.widerIsBetterViolations, forKey: .widerIsBetterViolations)
    }

    /// Decodes a file written by ``jsonData()``.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let label = try c.decodeIfPresent(String.self, forKey: .primary) ?? ""
        let all = try c.decodeIfPresent([String: LRTransferSummary].self, forKey: .byParametrization) ?? [:]
        parametrizations = try c.decodeIfPresent([String].self, forKey: .parametrizations) ?? [label]
        byParametrization = all
        if let known = all[label] {
            primary = known
            return
        }
        primary = LRTransferSummary(
            parametrization: label, widths: try c.decode([Int].self, forKey: .widths),
            lrs: try c.decode([Double].self, forKey: .lrs), optimum: try c.decode([String: Double].self, forKey: .optimum),
            optimumCI95: try c.decodeIfPresent([String: ClosedInterval].self, forKey: .optimumCI95) ?? [:],
            optimumAtEdge: try c.decodeIfPresent([String: Bool].self, forKey: .optimumAtEdge) ?? [:],
            meanLoss: try c.decodeIfPresent([String: [Double?]].self, forKey: .meanLoss) ?? [:],
            driftExponent: try c.decodeRequiredOptional(Double.self, forKey: .driftExponent),
            driftCI95: try c.decodeRequiredOptional(ClosedInterval.self, forKey: .driftCI95),
            verdict: try c.decode(LRTransferVerdict.self, forKey: .verdict),
            widerIsBetterViolations: try c.decodeIfPresent([WiderIsBetterViolation].self, forKey: .widerIsBetterViolations) ?? [])
    }

    /// `lr_transfer.json` bytes (sorted keys, pretty printed, trailing newline).
    public func jsonData() throws(LRTransferError) -> Data {
        do { return try JSONFormat.encode(self) } catch { throw .encoding(String(describing: error)) }
    }
}
