import Foundation

/// One row of a dynamic-alignment history (`history.csv`, header `step,layer,alpha,omega,u,c,lr,loss`): the
/// alignment exponents measured for one layer at one training step, the learning-rate exponent and learning rate
/// the controller chose, and the training loss at that step.
public struct AlignmentHistoryRow: Codable, Sendable, Equatable {
    /// Training step.
    public var step: Int
    /// The layer's dotted name.
    public var layer: String
    /// Alignment exponent α (how `ΔW · z0` adds up; 1 fully aligned, ½ none).
    public var alpha: Double
    /// Alignment exponent ω (how `W0 · Δz` adds up).
    public var omega: Double
    /// Alignment exponent u (how `ΔW · Δz` adds up).
    public var u: Double
    /// Learning-rate exponent the controller set: lr ∝ `width^-c`.
    public var c: Double
    /// Learning rate used at this step.
    public var lr: Double
    /// Training loss at this step (the same for every layer of a step).
    public var loss: Double

    /// Creates a row.
    public init(step: Int, layer: String, alpha: Double, omega: Double, u: Double, c: Double, lr: Double,
                loss: Double) {
        self.step = step; self.layer = layer; self.alpha = alpha; self.omega = omega; self.u = u
        self.c = c; self.lr = lr; self.loss = loss
    }

    /// The header of `history.csv`.
    public static let csvHeader = "step,layer,alpha,omega,u,c,lr,loss"

    /// Parses `history.csv` text; errors name the 1-based line.
    public static func parseCSV(_ text: String) throws(ReportError) -> [AlignmentHistoryRow] {
        let lines = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" })
        let header = lines.first.map { String($0).trimmingCharacters(in: .whitespaces) } ?? ""
        guard header == csvHeader else {
            throw .malformedInput(path: "history.csv", reason: "line 1 is `\(header)`, expected `\(csvHeader)`")
        }
        var rows: [AlignmentHistoryRow] = []
        for (offset, line) in lines.enumerated().dropFirst() where !line.isEmpty {
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            func number(_ index: Int) throws(ReportError) -> Double {
                guard index < fields.count, let value = NumberText.parse(fields[index]) else {
                    throw .malformedInput(path: "history.csv", reason: "line \(offset + 1): field \(index + 1) is not a number")
                }
                return value
            }
            guard fields.count == 8, let step = Int(fields[0]) else {
                throw .malformedInput(path: "history.csv",
                                      reason: "line \(offset + 1): expected 8 fields (\(csvHeader)) with an integer step")
            }
            rows.append(AlignmentHistoryRow(step: step, layer: fields[1], alpha: try number(2), omega: try number(3),
                                            u: try number(4), c: try number(5), lr: try number(6), loss: try number(7)))
        }
        return rows
    }
}
