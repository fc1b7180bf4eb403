/// What theory predicts for the slope of one (op, t, statistic): a point, an interval, a one-sided bound, or exact
/// zeros.
///
/// - a point `e` (`lower == upper`): the exact init-time slope;
/// - an interval `[lower, upper]`: the total size after training lies between the init slope and `−r`;
/// - an upper bound only (`lower == −∞`): the change since init of a parametrized op, `≤ −r` (the LP's r assumes
///   the worst-case alignment, so learning less than maximally is not a bug);
/// - exact zeros (``isExactZero``): a zero-initialized op at t = 0, or the change of data that never changes.
public struct ExpectedSlope: Codable, Sendable, Equatable {
    /// The smallest slope theory allows (`-infinity` for an upper bound only).
    public var lower: Double
    /// The largest slope theory allows.
    public var upper: Double
    /// Whether the statistic is expected to be exactly zero at every axis value (no slope to fit).
    public var isExactZero: Bool
    /// The rule that produced the expectation, for messages (e.g. `½ − (a+b) = -0.5`).
    public var rule: String

    /// A point expectation.
    public static func point(_ value: Double, rule: String) -> ExpectedSlope {
        ExpectedSlope(lower: value, upper: value, isExactZero: false, rule: rule)
    }

    /// The interval between two slopes (in any order).
    public static func between(_ first: Double, _ second: Double, rule: String) -> ExpectedSlope {
        ExpectedSlope(lower: min(first, second), upper: max(first, second), isExactZero: false, rule: rule)
    }

    /// An upper bound only: `slope ≤ bound`.
    public static func atMost(_ bound: Double, rule: String) -> ExpectedSlope {
        ExpectedSlope(lower: -.infinity, upper: bound, isExactZero: false, rule: rule)
    }

    /// Exact zeros (nothing to fit).
    public static func exactZero(rule: String) -> ExpectedSlope {
        ExpectedSlope(lower: 0, upper: 0, isExactZero: true, rule: rule)
    }

    /// Whether only an upper bound is given.
    public var isUpperBoundOnly: Bool { lower == -.infinity }
    /// Whether it is a single value.
    public var isPoint: Bool { lower == upper }

    /// The allowed slope nearest to `slope` (the value reported as `expected`: δ = slope − nearest is 0 inside).
    public func nearest(to slope: Double) -> Double { min(max(slope, lower), upper) }

    /// The single number reported as `expected` when no measurement is at hand: the point, or the upper bound,
    /// or the midpoint of a two-sided interval.
    public var representative: Double {
        if isPoint || isUpperBoundOnly { return upper }
        return 0.5 * (lower + upper)
    }
}
