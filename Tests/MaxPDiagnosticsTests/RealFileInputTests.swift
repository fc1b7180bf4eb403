import Foundation
import Testing
@testable import MaxPDiagnostics

/// Inputs real files have: Windows and classic-Mac line endings, no header, a bad first row, impossible values.
@Suite("CSV inputs real files have")
struct RealFileInputTests {
    @Test("a data CSV reads the same with LF, CRLF or CR line endings, with or without a header")
    func datasetLineEndings() throws {
        let reference = try CSVDataset(csv: "x1,x2,label\n0.5,1,0\n-1,2,2\n")
        for text in ["x1,x2,label\r\n0.5,1,0\r\n-1,2,2\r\n", "x1,x2,label\r0.5,1,0\r-1,2,2\r",
                     "0.5,1,0\r\n-1,2,2\r\n", "0.5,1,0\r-1,2,2", "\u{FEFF}0.5,1,0\n-1,2,2\n"] {
            let data = try CSVDataset(csv: text)
            #expect(data == reference, "\(text.debugDescription)")
        }
    }

    @Test("a first data row with an empty field is reported, not dropped as a header")
    func emptyFieldInFirstRow() {
        #expect(throws: CSVDatasetError.invalidNumber(source: "CSV", line: 1, column: 2, text: "")) {
            try CSVDataset(csv: "0.5,,0\n-1,2,2\n")
        }
        #expect(throws: CSVDatasetError.invalidLabel(source: "CSV", line: 1, text: "")) {
            try CSVDataset(csv: "0.5,1,\r\n-1,2,2\r\n")
        }
    }

    @Test("a coordinate table reads CR-only files; widths below 1, negative seeds or steps are refused with the line")
    func coordTableInputs() throws {
        let rows = "64,0,0,fc,hidden,1,2,0\r128,0,0,fc,hidden,1,2,0\r"
        let table = try CoordTable(csv: CoordTable.csvHeader + "\r" + rows)
        #expect(table.rows.count == 2)
        for (line, column) in [("-64,0,0,fc,hidden,1,2,0", "axis_value"), ("0,0,0,fc,hidden,1,2,0", "axis_value"),
                               ("64,-1,0,fc,hidden,1,2,0", "seed"), ("64,0,-2,fc,hidden,1,2,0", "t")] {
            do {
                _ = try CoordTable(csv: CoordTable.csvHeader + "\n64,0,1,fc,hidden,1,2,0\n" + line + "\n")
                Issue.record("accepted \(line)")
            } catch {
                guard case let .csvImpossibleValue(number, name, _, _) = error else { Issue.record("\(error)"); continue }
                #expect(number == 3 && name == column, "\(line)")
            }
        }
        #expect(try CoordTable(csv: CoordTable.csvHeader + "\n64,0,0,fc,hidden,nan,inf,0\n").rows.count == 1)
    }

    @Test("a table missing rows of its sweep, with none, or with a negative size is refused")
    func completeness() throws {
        let full = Fixtures.table(ops: Fixtures.mlp(), steps: 1) { _, _, _ in 0 }
        try full.validateComplete()
        var cut = full
        cut.rows = Array(full.rows.prefix(30))
        #expect(throws: CoordTableError.self) { try cut.validateComplete() }
        var empty = full
        empty.rows = []
        #expect(throws: CoordTableError.noRows) { try empty.validateComplete() }
        var negative = full
        negative.rows[5].rms = -0.5
        #expect(throws: CoordTableError.negativeSize(key: full.rows[5].key, statistic: "rms", value: -0.5)) {
            try negative.validateComplete()
        }
        // One part of a sharded sweep is complete for its own runs only.
        var part = full
        let runs = full.expectedRuns(shard: (index: 1, count: 2))
        part.rows = full.rows.filter { row in runs.contains { $0 == (row.axisValue, row.seed) } }
        try part.validateComplete(runs: runs)
        #expect(throws: CoordTableError.self) { try part.validateComplete() }
    }
}
