import Foundation
import Testing
@testable import MaxPDiagnostics
import _MaxPTestSupport

@Suite("ImportedRows: mup and tidy CSV")
struct ImportedRowsTests {
    static func fixture(_ name: String) throws -> String {
        try String(contentsOf: TestFixtures.golden("imported/\(name).csv"), encoding: .utf8)
    }

    @Test("the real mup fixture: format, origin 1 → 0, seeds by appearance, root module dropped, extras ignored")
    func mupFixture() throws {
        let rows = try ImportedRows(csv: Self.fixture("mup_mlp_mup_adam"), path: "mup.csv")
        #expect(rows.format == .mup)
        #expect(rows.tOrigin == 1)
        #expect(rows.ops == ["fc_1", "fc_2", "fc_3", "readout"])
        #expect(rows.widths == [64, 128, 256, 512, 1024])
        #expect(Set(rows.rows.map(\.t)) == [0, 1, 2])
        #expect(Set(rows.rows.map(\.seed)) == [0, 1, 2])
        #expect(rows.statistics == [.l1])
        #expect(rows.droppedRootRows == 45)
        #expect(rows.ignoredColumns == ["(unnamed index)", "optimizer", "lr"])
        #expect(rows.constants["optimizer"] == "adam")
        // Every (width, op, t) holds exactly one row per seed.
        var counts: [String: Int] = [:]
        for row in rows.rows { counts["\(row.width) \(row.op) \(row.t) \(row.seed)", default: 0] += 1 }
        #expect(counts.values.allSatisfy { $0 == 1 } && counts.count == 5 * 4 * 3 * 3)
        // The first row of the file (width 64, fc_1, t = 1) is seed 0 at t = 0.
        let first = try #require(rows.rows.first)
        #expect(first.width == 64 && first.op == "fc_1" && first.t == 0 && first.seed == 0 && first.values[0] == 0.7894258499145508)
    }

    @Test("CRLF line endings and a BOM read the same as LF")
    func crlf() throws {
        let text = try Self.fixture("mup_mlp_sp_adam")
        let lf = try ImportedRows(csv: text, path: "a.csv")
        let crlf = try ImportedRows(csv: "\u{FEFF}" + text.replacingOccurrences(of: "\n", with: "\r\n"), path: "a.csv")
        // NaN (statistics the file lacks) never equals itself: compare the rows' printed values, and the dictionaries
        // as dictionaries (their printed order is not defined).
        #expect("\(lf.rows)" == "\(crlf.rows)")
        #expect(lf.constants == crlf.constants)
        #expect(lf.format == crlf.format && lf.tOrigin == crlf.tOrigin && lf.statistics == crlf.statistics)
        #expect(lf.ops == crlf.ops && lf.widths == crlf.widths && lf.ignoredColumns == crlf.ignoredColumns)
        #expect(lf.varyingColumns == crlf.varyingColumns && lf.droppedRootRows == crlf.droppedRootRows)
        #expect(lf.rows.count == 180)
    }

    @Test("tidy: columns in any order, axis_value/op aliases, t-origin override, all-nan column = not recorded")
    func tidy() throws {
        let text = """
        axis_value,seed,t,op,kind,l1,rms,delta_rms
        64,0,1,a,hidden,1.0,1.1,nan
        128,0,1,a,hidden,1.0,1.1,nan
        256,0,1,a,hidden,1.0,1.1,nan

        """
        let rows = try ImportedRows(csv: text, path: "t.csv", tOrigin: 1)
        #expect(rows.format == .tidy)
        #expect(rows.rows.map(\.t) == [0, 0, 0])
        #expect(rows.statistics == [.l1, .rms])
        #expect(rows.ignoredColumns == ["kind"])
    }

    static let good = "width,seed,t,module,l1\n64,0,0,a,1\n128,0,0,a,1\n256,0,0,a,1\n"

    @Test("bad input names the file, the line and the column", arguments: [
        ("width,seed,t,module,l1\n64,0,0,a,1\n128,0,0,a\n256,0,0,a,1\n", "`f.csv`, line 3: 4 fields, expected 5"),
        ("width,seed,module,l1\n64,0,a,1\n", "`f.csv`, line 1: no column `t`"),
        ("width,seed,t,module,l1\n64,0,0,a,1\n128,0,0,a,inf\n256,0,0,a,1\n", "`f.csv`, line 3, column `l1`: `inf` is not finite"),
        ("width,seed,t,module,l1\n64,0,0,a,1\n128,0,0,a,nan\n256,0,0,a,1\n", "`f.csv`, line 3, column `l1`: `nan` is not finite"),
        ("width,seed,t,module,l1\n64,0,0,a,1\n128,0,0,a,-2\n256,0,0,a,1\n", "`f.csv`, line 3, column `l1`: `-2.0` is not positive"),
        ("width,seed,t,module,l1\n64,0,0,a,1\n128,0,0,a,x\n256,0,0,a,1\n", "`f.csv`, line 3, column `l1`: `x` is not a number"),
        ("width,seed,t,module,l1\n64,0,0,a,1\n128,0,0,a,1\n", "`f.csv`, column `width`: only 2 widths (64, 128)"),
        ("width,seed,t,module,l1\n64,0,0,a,1\n64,0,0,a,1\n", "`f.csv`, line 3: the same width, seed, t and op as line 2"),
        (",width,module,t,l1\n0,64,a,0,1\n", "`f.csv`, line 2, column `t`: t = 0 lies before the time origin 1"),
        ("width,seed,t,module,mean\n64,0,0,a,1\n", "`f.csv`, line 1: no statistic column"),
        ("", "`f.csv`, line 1: the file is empty"),
    ])
    func errors(text: String, message: String) {
        #expect {
            try ImportedRows(csv: text, path: "f.csv")
        } throws: { error in
            "\(error)".hasPrefix(message)
        }
        #expect(throws: Never.self) { try ImportedRows(csv: Self.good, path: "f.csv") }
    }

    @Test("--t-origin must be 0 or 1; --statistic must name a column the file holds")
    func options() throws {
        #expect(throws: ImportError.invalidTOrigin(2)) { try ImportedRows(csv: Self.good, path: "f.csv", tOrigin: 2) }
        #expect(throws: CoordImportError.file(.unknownStatistic(path: "f.csv", requested: "rms", available: ["l1"]))) {
            try CoordImport(csv: Self.good, path: "f.csv", statistic: "rms")
        }
        #expect(throws: CoordImportError.file(.unknownStatistic(path: "f.csv", requested: "l3", available: ["l1"]))) {
            try CoordImport(csv: Self.good, path: "f.csv", statistic: "l3")
        }
    }
}
