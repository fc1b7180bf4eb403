/// A coordinate-size statistic recorded per op call site, and the name it has in files (`l1`, `rms`, `delta_rms`).
public enum CoordStatistic: String, Codable, Sendable, CaseIterable, Comparable {
    /// Mean absolute value of the op's output, `mean |h|` (what `mup` records).
    case l1
    /// Root mean square of the op's output.
    case rms
    /// Root mean square of the change since initialization, `RMS(h_t − h_0)` (0 at t = 0).
    case deltaRMS = "delta_rms"

    /// Whether the statistic measures the change since init (judged against `−r`) rather than the size.
    public var measuresChange: Bool { self == .deltaRMS }

    /// Orders l1 < rms < delta_rms (the column order of the CSV).
    public static func < (lhs: CoordStatistic, rhs: CoordStatistic) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}
