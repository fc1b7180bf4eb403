/// A per-op statistic a coord-check figure can plot: the three judged sizes (``CoordStatistic``) and mup's `mean`
/// and `std`, which are recorded (`coord_moments.csv`) and drawn but not judged (a mean has no width scaling of its
/// own: it is a signed number that may cross 0).
public enum PlottedStatistic: String, Codable, Sendable, CaseIterable {
    /// Mean absolute value of the op's output, `mean |h|`.
    case l1
    /// Root mean square of the op's output.
    case rms
    /// Root mean square of the change since initialization, `RMS(h_t − h_0)`.
    case deltaRMS = "delta_rms"
    /// mup's `mean`: the mean of the op's output, `mean h` (signed).
    case mean
    /// mup's `std`: the standard deviation of the op's output (`n − 1` in the denominator, as torch's default).
    case std

    /// The plotted statistic of a judged one.
    public init(_ statistic: CoordStatistic) {
        switch statistic {
        case .l1: self = .l1
        case .rms: self = .rms
        case .deltaRMS: self = .deltaRMS
        }
    }

    /// The judged statistic this is (slopes and verdicts exist for it), or nil for `mean` and `std`.
    public var judged: CoordStatistic? {
        switch self {
        case .l1: .l1
        case .rms: .rms
        case .deltaRMS: .deltaRMS
        case .mean, .std: nil
        }
    }

    /// Whether the values may be negative (then the figure's y axis is linear, not log2).
    public var isSigned: Bool { self == .mean }

    /// Whether the statistic lives in `coord_moments.csv` rather than the `coord_data.csv` contract columns.
    public var isMoment: Bool { judged == nil }
}

extension CoordRow {
    /// The value of `statistic` in this row, or nil when the row does not hold it (no `mean`/`std` recorded).
    public func value(plotted statistic: PlottedStatistic) -> Double? {
        switch statistic {
        case .l1: l1
        case .rms: rms
        case .deltaRMS: deltaRMS
        case .mean: mean
        case .std: std
        }
    }
}

extension CoordTable {
    /// Whether the table holds `statistic`: for `mean`/`std` every row must have it (recorded, or read from
    /// `coord_moments.csv`); a contract column counts as not recorded when it is `nan` in every row (imported mup
    /// data has no `delta_rms`).
    public func holds(_ statistic: PlottedStatistic) -> Bool {
        guard statistic.isMoment else { return rows.contains { !($0.value(plotted: statistic) ?? .nan).isNaN } }
        return !rows.isEmpty && rows.allSatisfy { $0.value(plotted: statistic) != nil }
    }
}

extension SlopeReport {
    /// The slope entry of a plotted statistic: the judged one's, nil for `mean` and `std` (never judged).
    public func entry(op: String, t: Int, plotted statistic: PlottedStatistic) -> Entry? {
        statistic.judged.flatMap { entry(op: op, t: t, statistic: $0) }
    }
}
