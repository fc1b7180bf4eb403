import Foundation
import Testing
@testable import MaxPDiagnostics

@Suite struct CoordTableTests {
    static func awkwardTable() -> CoordTable {
        let values: [Double] = [0.1, 1.0 / 3.0, 1e-300, Double.leastNonzeroMagnitude, 1.7976931348623157e308, .nan, .infinity, -.infinity, 0, 123456.789]
        var rows: [CoordRow] = []
        for (index, value) in values.enumerated() {
            rows.append(CoordRow(axisValue: 64 << (index % 3), seed: index, t: index % 2, op: index == 3 ? "odd,\"name\"" : "op\(index)",
                                 kind: "relu", l1: value, rms: -value, deltaRMS: value * 0.5))
        }
        return CoordTable(metadata: CoordTableMetadata(axis: .depth, ops: [OpDescriptor(op: "op0", kind: "relu")]), rows: rows)
    }

    @Test("coord_data.csv keeps the eight contract columns; mean, std and gradient sizes go to coord_moments.csv and read back")
    func momentsLiveInTheirOwnFile() throws {
        var table = try CoordTable(csv: CoordTable.csvHeader + "\n64,0,0,fc,hidden,1,2,0\n64,0,1,fc,hidden,1.5,2.5,0.5\n")
        #expect(!table.hasMoments && table.momentsCSVString() == nil)  // an older run: nothing to write
        table.rows[0].mean = -0.25; table.rows[0].std = 1.75
        table.rows[0].gradient = GradientStatistics(l1: 0.5, rms: 0.75)
        #expect(table.csvString().hasPrefix(CoordTable.csvHeader + "\n"))
        #expect(table.csvString().split(separator: "\n")[1] == "64,0,0,fc,hidden,1.0,2.0,0.0")
        let moments = try #require(table.momentsCSVString())
        #expect(moments == CoordTable.momentsCSVHeader + "\n64,0,0,fc,-0.25,1.75,0.5,0.75\n64,0,1,fc,nan,nan,nan,nan\n")
        var read = try CoordTable(csv: table.csvString())
        try read.attachMoments(csv: moments)
        #expect(read.rows == table.rows)
        #expect(read.holds(.mean) == false && read.holds(.l1))  // the second row has no mean
        #expect(throws: CoordTableError.momentsCSV(line: 2, problem: "`fc` at axis value 128, seed 0, t = 0 is not a row of coord_data.csv: the files are from different runs")) {
            try read.attachMoments(csv: CoordTable.momentsCSVHeader + "\n128,0,0,fc,1,1,nan,nan\n")
        }
        #expect(throws: CoordTableError.momentsCSV(line: 1, problem: "header is `axis_value,seed,t,op,mean`, expected exactly `\(CoordTable.momentsCSVHeader)`")) {
            try read.attachMoments(csv: "axis_value,seed,t,op,mean\n64,0,0,fc,1\n")
        }
        #expect(throws: CoordTableError.momentsCSV(line: 3, problem: "`fc` at axis value 64, seed 0, t = 0 is given twice")) {
            try read.attachMoments(csv: CoordTable.momentsCSVHeader + "\n64,0,0,fc,1,1,nan,nan\n64,0,0,fc,1,1,nan,nan\n")
        }
        #expect(throws: CoordTableError.momentsCSV(line: 2, problem: "column `std` holds -1.0, but a size is 0 or more")) {
            try read.attachMoments(csv: CoordTable.momentsCSVHeader + "\n64,0,0,fc,1,-1,nan,nan\n")
        }
        // The old eight-plus-two-column form of an unmerged draft is refused: the contract header is exact.
        #expect(throws: CoordTableError.csvHeaderMismatch(found: CoordTable.csvHeader + ",mean,std", expected: CoordTable.csvHeader)) {
            try CoordTable(csv: CoordTable.csvHeader + ",mean,std\n64,0,0,fc,hidden,1,2,0,1,1\n")
        }
    }

    @Test func csvHasContractHeaderAndRoundTripsByteStable() throws {
        let table = Self.awkwardTable()
        let csv = table.csvString()
        #expect(csv.hasPrefix("axis_value,seed,t,op,kind,l1,rms,delta_rms\n"))
        #expect(csv.contains(",nan,") && csv.contains(",inf,") && csv.contains(",-inf,"))
        let back = try CoordTable(csv: csv, metadata: table.metadata)
        #expect(back.csvString() == csv)
        for (a, b) in zip(table.rows, back.rows) {
            #expect(a.op == b.op)
            #expect(a.l1.bitPattern == b.l1.bitPattern || (a.l1.isNaN && b.l1.isNaN))
            #expect(a.rms.bitPattern == b.rms.bitPattern || (a.rms.isNaN && b.rms.isNaN))
        }
    }

    @Test func jsonRoundTripsByteStable() throws {
        var table = Self.awkwardTable()
        table.rows[0].gradient = GradientStatistics(l1: 0.25, rms: 0.5)
        table.metadata.lossSeries = [LossSeries(axisValue: 64, seed: 0, losses: [2.3, .nan])]
        let data = try table.jsonData()
        let back = try CoordTable(json: data)
        #expect(try back.jsonData() == data)
        #expect(back.rows[0].gradient == GradientStatistics(l1: 0.25, rms: 0.5))
        #expect(back.metadata.axis == .depth)
        #expect(back.rows[6].l1 == .infinity)
    }

    @Test func parseErrorsNameTheLine() {
        let header = CoordTable.csvHeader
        #expect(throws: CoordTableError.csvHeaderMismatch(found: "a,b", expected: header)) {
            try CoordTable(csv: "a,b\n")
        }
        #expect(throws: CoordTableError.csvFieldCount(line: 3, expected: 8, found: 7)) {
            try CoordTable(csv: header + "\n64,0,0,fc,relu,1,1,0\n64,0,0,fc,relu,1,1\n")
        }
        #expect(throws: CoordTableError.csvInvalidNumber(line: 2, column: "rms", text: "abc")) {
            try CoordTable(csv: header + "\n64,0,0,fc,relu,1,abc,0\n")
        }
        #expect(throws: CoordTableError.csvInvalidNumber(line: 2, column: "seed", text: "x")) {
            try CoordTable(csv: header + "\n64,x,0,fc,relu,1,1,0\n")
        }
        #expect(throws: CoordTableError.csvUnterminatedQuote(line: 2)) {
            try CoordTable(csv: header + "\n64,0,0,\"fc,relu,1,1,0\n")
        }
        let error = CoordTableError.csvInvalidNumber(line: 2, column: "rms", text: "abc")
        #expect(error.description.contains("line 2"))
    }

    @Test func csvImportCompletesMetadataAndAcceptsCRLF() throws {
        let table = try CoordTable(csv: CoordTable.csvHeader + "\r\n128,1,2,fc,hidden,1,2,3\r\n64,0,0,fc,hidden,1,2,0\r\n")
        #expect(table.metadata.axisValues == [64, 128])
        #expect(table.metadata.seeds == [0, 1])
        #expect(table.metadata.steps == 2)
    }

    @Test func shardsMergeAndDuplicatesAreTypedErrors() throws {
        let ops = Fixtures.mlp()
        let full = Fixtures.table(ops: ops, steps: 1) { _, _, _ in 0 }
        let first = CoordTable(metadata: full.metadata, rows: full.rows.filter { $0.seed == 0 })
        var second = CoordTable(metadata: full.metadata, rows: full.rows.filter { $0.seed != 0 })
        second.metadata.seeds = [1, 2]
        let merged = try CoordTable.merged([first, second])
        #expect(merged.rows.count == full.rows.count)
        #expect(merged.sorted().csvString() == full.sorted().csvString())
        #expect(merged.metadata.seeds == [0, 1, 2])
        #expect(merged.metadata.ops == ops)

        var overlapping = second
        overlapping.rows.append(first.rows[5])
        #expect(throws: CoordTableError.duplicateRow(key: first.rows[5].key, firstShard: 0, secondShard: 1)) {
            try CoordTable.merged([first, overlapping])
        }
        var otherAxis = second
        otherAxis.metadata.axis = .depth
        #expect(throws: CoordTableError.axisMismatch(first: "width", other: "depth", shard: 1)) {
            try CoordTable.merged([first, otherAxis])
        }
    }

    @Test func filesAreWrittenAtomicallyAndReadBack() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("coordtable-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let table = Self.awkwardTable()
        let csv = directory.appendingPathComponent("coord_data.csv")
        try table.writeCSV(to: csv)
        try table.writeCSV(to: csv)
        #expect(try CoordTable.readCSV(from: csv, metadata: table.metadata).csvString() == table.csvString())
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["coord_data.csv"])
        #expect(throws: CoordTableError.self) { try CoordTable.readJSON(from: directory.appendingPathComponent("missing.json")) }
    }
}
