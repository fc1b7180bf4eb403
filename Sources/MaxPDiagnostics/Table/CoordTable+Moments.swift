import Foundation
import _MaxPSupport

extension CoordTable {
    /// The header of `coord_moments.csv`: the per-op statistics beyond the `coord_data.csv` contract, keyed like it.
    /// `mean`, `std`: mup's mean and standard deviation of the op's output; `grad_l1`, `grad_rms`: the size of the
    /// loss gradient with respect to it (``CoordRow/gradient``).
    public static let momentsCSVHeader = "axis_value,seed,t,op,mean,std,grad_l1,grad_rms"

    /// Whether any row holds mup's `mean`/`std` or a gradient size (what `coord_moments.csv` would hold).
    public var hasMoments: Bool { rows.contains { $0.mean != nil || $0.std != nil || $0.gradient != nil } }

    /// The statistics the contract CSV leaves out, as `coord_moments.csv`: ``momentsCSVHeader``, then one line per
    /// row in stored order (`nan` for what a row lacks, e.g. the gradient at the last step), `\n`-terminated; nil
    /// when no row holds any of them (nothing to write).
    public func momentsCSVString() -> String? {
        guard hasMoments else { return nil }
        var text = CoordTable.momentsCSVHeader + "\n"
        for row in rows {
            let fields = [String(row.axisValue), String(row.seed), String(row.t), TextFormat.csvField(row.op),
                          TextFormat.number(row.mean ?? .nan), TextFormat.number(row.std ?? .nan),
                          TextFormat.number(row.gradient?.l1 ?? .nan), TextFormat.number(row.gradient?.rms ?? .nan)]
            text += fields.joined(separator: ",") + "\n"
        }
        return text
    }

    /// Adds the statistics of a `coord_moments.csv` text (see ``momentsCSVString()``) to the rows with the same
    /// (axis value, seed, t, op). A line naming a row the table does not hold, a row given twice, a wrong header or
    /// a malformed number is an error naming the 1-based line; a `nan` pair leaves the row's value unset.
    public mutating func attachMoments(csv: String) throws(CoordTableError) {
        let lines = TextFormat.lines(of: csv)
        let header = lines.first.map(String.init) ?? ""
        guard header == CoordTable.momentsCSVHeader else {
            throw .momentsCSV(line: 1, problem: "header is `\(header)`, expected exactly `\(CoordTable.momentsCSVHeader)`")
        }
        let columns = CoordTable.momentsCSVHeader.split(separator: ",").map(String.init)
        var index: [CoordRowKey: Int] = [:]
        for (position, row) in rows.enumerated() { index[row.key] = position }
        var seen: Set<CoordRowKey> = []
        for (offset, line) in lines.enumerated().dropFirst() {
            let lineNumber = offset + 1
            if line.isEmpty { continue }
            guard let fields = TextFormat.splitCSVLine(line) else {
                throw .momentsCSV(line: lineNumber, problem: "a quoted field is not closed")
            }
            guard fields.count == columns.count else {
                throw .momentsCSV(line: lineNumber, problem: "\(fields.count) fields, expected \(columns.count) (\(CoordTable.momentsCSVHeader))")
            }
            func number(_ column: Int) throws(CoordTableError) -> Double {
                guard let value = TextFormat.parseNumber(fields[column]) else {
                    throw .momentsCSV(line: lineNumber, problem: "column `\(columns[column])` holds `\(fields[column])`, which is not a number (nan for a missing value)")
                }
                return value
            }
            var integers: [Int] = []
            for column in 0..<3 {
                guard let value = Int(fields[column].trimmingCharacters(in: .whitespaces)) else {
                    throw .momentsCSV(line: lineNumber, problem: "column `\(columns[column])` holds `\(fields[column])`, which is not an integer")
                }
                integers.append(value)
            }
            let key = CoordRowKey(axisValue: integers[0], seed: integers[1], t: integers[2], op: fields[3])
            guard let position = index[key] else {
                throw .momentsCSV(line: lineNumber, problem: "\(key) is not a row of coord_data.csv: the files are from different runs")
            }
            guard seen.insert(key).inserted else { throw .momentsCSV(line: lineNumber, problem: "\(key) is given twice") }
            let (mean, std, gradL1, gradRMS) = (try number(4), try number(5), try number(6), try number(7))
            if let problem = [("std", std), ("grad_l1", gradL1), ("grad_rms", gradRMS)].first(where: { $0.1 < 0 }) {
                throw .momentsCSV(line: lineNumber, problem: "column `\(problem.0)` holds \(problem.1), but a size is 0 or more")
            }
            rows[position].mean = mean.isNaN && std.isNaN ? nil : mean
            rows[position].std = mean.isNaN && std.isNaN ? nil : std
            rows[position].gradient = gradL1.isNaN && gradRMS.isNaN ? nil : GradientStatistics(l1: gradL1, rms: gradRMS)
        }
    }
}
