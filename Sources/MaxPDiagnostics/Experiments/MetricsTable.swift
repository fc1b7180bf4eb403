import MaxP

/// A run's `metrics.csv`: header `step,train_loss`, one row per step (the loss before that step's update; `nan` at
/// a diverged step), numbers in shortest round-trip form — the file `compare` and `grid.csv` read.
public struct MetricsTable: Sendable, Equatable {
    /// The header, exactly.
    public static let header = "step,train_loss"

    /// `(step, loss)` rows in step order.
    public var rows: [(step: Int, trainLoss: Double)]

    /// The rows of a controller history (its per-layer rows carry the step's loss; the first row of a step counts).
    public init(history: AlignmentHistory) {
        var rows: [(step: Int, trainLoss: Double)] = []
        for record in history.records where rows.last?.step != record.step { rows.append((record.step, record.loss)) }
        self.rows = rows
    }

    /// Whether two tables have the same steps and bit-identical losses.
    public static func == (lhs: MetricsTable, rhs: MetricsTable) -> Bool {
        lhs.rows.count == rhs.rows.count
            && zip(lhs.rows, rhs.rows).allSatisfy { $0.step == $1.step && $0.trainLoss.bitPattern == $1.trainLoss.bitPattern }
    }

    /// The losses in step order.
    public var losses: [Double] { rows.map(\.trainLoss) }

    /// The file's text.
    public var csv: String {
        ([Self.header] + rows.map { "\($0.step),\(Self.format($0.trainLoss))" }).joined(separator: "\n") + "\n"
    }

    /// Reads a `metrics.csv` (`nil` when the text is not one).
    public init?(csv text: String) {
        let lines = TextLines.split(text).map(String.init).filter { !$0.isEmpty }
        guard lines.first == Self.header else { return nil }
        var rows: [(step: Int, trainLoss: Double)] = []
        for line in lines.dropFirst() {
            let fields = line.split(separator: ",", omittingEmptySubsequences: false)
            guard fields.count == 2, let step = Int(fields[0]), let loss = Self.parse(String(fields[1])) else { return nil }
            rows.append((step, loss))
        }
        self.rows = rows
    }

    /// `nan`, `inf`, `-inf` or the shortest round-trip decimal.
    public static func format(_ value: Double) -> String {
        if value.isNaN { return "nan" }
        if value.isInfinite { return value > 0 ? "inf" : "-inf" }
        return "\(value)"
    }

    static func parse(_ text: String) -> Double? {
        switch text {
        case "nan": .nan
        case "inf": .infinity
        case "-inf": -.infinity
        default: Double(text)
        }
    }
}
