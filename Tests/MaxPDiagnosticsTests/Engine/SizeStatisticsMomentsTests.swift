import Foundation
import Testing
@testable import MaxPDiagnostics

/// mup's `mean` and `std` of each op's output: closed forms on tiny tensors, and what the sweep records.
@Suite("Recorder: mup's mean and std")
struct SizeStatisticsMomentsTests {
    @Test("closed forms: [1, 2, 3, 4] has mean 5/2 and std √(5/3) (n − 1 denominator, as torch)")
    func closedForms() {
        let stats = SizeStatistics([1, 2, 3, 4], initial: nil)
        #expect(stats.mean == 2.5)
        #expect(abs(stats.std - (5.0 / 3).squareRoot()) < 1e-12)
        let signed = SizeStatistics([-3, 3, -3, 3, -3, 3, -3, 3, -3, 3], initial: nil)  // more than one SIMD block of 8
        #expect(signed.mean == 0 && abs(signed.std - (90.0 / 9).squareRoot()) < 1e-12 && signed.l1 == 3)
        #expect(SizeStatistics([7], initial: nil).std == 0 && SizeStatistics([7], initial: nil).mean == 7)
        #expect(SizeStatistics(Array(repeating: 0.1, count: 1001), initial: nil).std < 1e-6)
        #expect(SizeStatistics([1, .nan], initial: nil).mean.isNaN && SizeStatistics([1, .nan], initial: nil).std.isNaN)
    }

    @Test("mean and std match a two-pass computation on 1003 values")
    func matchesTwoPass() {
        let values: [Float] = (0..<1003).map { Float(($0 * 37) % 101) / 50 - 0.7 }
        let stats = SizeStatistics(values, initial: nil)
        let mean = values.reduce(0.0) { $0 + Double($1) } / 1003
        let variance = values.reduce(0.0) { $0 + (Double($1) - mean) * (Double($1) - mean) } / 1002
        #expect(abs(stats.mean - mean) < 1e-6)
        #expect(abs(stats.std - variance.squareRoot()) < 1e-6)
    }

    @Test("the sweep records mean and std in every row; they go to coord_moments.csv, not the contract CSV, and read back")
    func sweepRecordsThem() throws {
        let result = try SweepRunner.run(EngineFixtures.mlpPlan(steps: 1, seeds: [0], widths: [16, 32, 64]))
        #expect(result.table.rows.allSatisfy { row in
            guard let mean = row.mean, let std = row.std else { return false }
            // |mean| ≤ l1 ≤ rms, and rms² = mean² + std²·(n−1)/n ≥ mean²: std is at most rms·√(n/(n−1)).
            return abs(mean) <= row.l1 + 1e-6 && std >= 0 && std <= row.rms * 1.5 + 1e-6
        })
        #expect(result.table.rows.filter { $0.op == "relu" }.allSatisfy { ($0.mean ?? 0) > 0 })
        let csv = result.table.csvString()
        #expect(csv.hasPrefix(CoordTable.csvHeader + "\n"))
        var read = try CoordTable(csv: csv)
        try read.attachMoments(csv: try #require(result.table.momentsCSVString()))
        #expect(read.rows == result.table.rows)
    }
}
