/// How much one op's output moved during training: `delta_rms` at the last step over `rms` at t = 0, at the largest
/// swept value, averaged over seeds — mup's tip is to pick a learning rate at which this is visible (≈ 0.01 or more)
/// so a coord check tests the updates, not only the initialization.
public struct OpMovement: Sendable, Equatable {
    /// The op (call site).
    public var op: String
    /// `delta_rms(T) / rms(0)`, mean over seeds (0 for an op that starts at zero and stays there; NaN if diverged).
    public var relativeChange: Double

    /// Creates a movement.
    public init(op: String, relativeChange: Double) {
        self.op = op
        self.relativeChange = relativeChange
    }

    /// The movement of every op of `table` at its largest axis value and last step, in op-graph order. An op that
    /// starts at exactly zero is measured against its size at the last step (its relative change is then 1).
    public static func measure(_ table: CoordTable) -> [OpMovement] {
        guard let value = table.rows.map(\.axisValue).max(), let last = table.rows.map(\.t).max(), last > 0 else { return [] }
        let rows = table.rows.filter { $0.axisValue == value }
        var initial: [String: [Int: Double]] = [:], final: [String: [Int: (Double, Double)]] = [:]
        var order: [String] = []
        for row in rows {
            if row.t == 0 {
                if initial[row.op] == nil { order.append(row.op) }
                initial[row.op, default: [:]][row.seed] = row.rms
            }
            if row.t == last { final[row.op, default: [:]][row.seed] = (row.deltaRMS, row.rms) }
        }
        return order.compactMap { op in
            guard let starts = initial[op], let ends = final[op] else { return nil }
            let ratios = ends.keys.sorted().compactMap { seed -> Double? in
                guard let (delta, rms) = ends[seed], let start = starts[seed] else { return nil }
                let reference = start > 0 ? start : rms
                return reference > 0 ? delta / reference : (delta == 0 ? 0 : .nan)
            }
            guard !ratios.isEmpty else { return nil }
            return OpMovement(op: op, relativeChange: ratios.reduce(0, +) / Double(ratios.count))
        }
    }
}
