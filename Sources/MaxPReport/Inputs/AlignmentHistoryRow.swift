import Foundation
import MaxP
import _MaxPSupport

/// One row of a dynamic-alignment history (`history.csv`, header `step,layer,alpha,omega,u,c,lr,loss`): the
/// alignment exponents measured for one layer at one training step, the learning-rate exponent and learning rate
/// the controller chose, and the training loss at that step. It is the core's ``AlignmentHistory/Record``; this
/// layer adds reading it back from `history.csv`.
public typealias AlignmentHistoryRow = AlignmentHistory.Record

extension AlignmentHistory.Record {
    /// The header of `history.csv`.
    public static let csvHeader = "step,layer,alpha,omega,u,c,lr,loss"

    /// Parses `history.csv` text; errors name the 1-based line.
    public static func parseCSV(_ text: String) throws(ReportError) -> [AlignmentHistoryRow] {
        let lines = TextLines.split(text)
        let header = lines.first.map { String($0).trimmingCharacters(in: .whitespaces) } ?? ""
        guard header == csvHeader else {
            throw .malformedInput(path: "history.csv", reason: "line 1 is `\(header)`, expected `\(csvHeader)`")
        }
        var rows: [AlignmentHistoryRow] = []
        for (offset, line) in lines.enumerated().dropFirst() where !line.isEmpty {
            guard let fields = TextLines.csvFields(line) else {
                throw .malformedInput(path: "history.csv", reason: "line \(offset + 1): a quoted field is not closed")
            }
            func number(_ index: Int) throws(ReportError) -> Double {
                guard index < fields.count, let value = DataNumber.parse(fields[index]) else {
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
