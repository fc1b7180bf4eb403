import Foundation
import Testing
import _MaxPTestSupport
@testable import MaxPDiagnostics

@Suite struct LRTransferTests {
    /// Loss = (log2 lr − log2 lr*(w))² + 1 + noise, lr*(w) = 0.01 · (w/64)^drift; a grid of half-octave steps.
    static func trials(label: String, drift: Double, seeds: Int = 3, noise: Double = 0.01, randomSeed: UInt64 = 11) -> [LRTrial] {
        var random = TestRandom(seed: randomSeed)
        let lrs = (0..<15).map { 1e-4 * exp2(Double($0) * 0.5) }
        var trials: [LRTrial] = []
        for width in [64, 128, 256, 512] {
            let optimum = log2(0.01 * pow(Double(width) / 64, drift))
            for lr in lrs {
                for seed in 0..<seeds {
                    let x = log2(lr) - optimum
                    let diverged = x > 3
                    trials.append(LRTrial(parametrization: label, width: width, lr: lr, seed: seed,
                                          finalLoss: diverged ? .nan : 0.3 * x * x + 1 + noise * random.normal(),
                                          diverged: diverged))
                }
            }
        }
        return trials
    }

    @Test func spDriftsByMinusOneAndMuPStaysFlat() {
        let report = LRTransferAnalysis.analyze(Self.trials(label: "sp", drift: -1) + Self.trials(label: "mup", drift: 0, randomSeed: 5))
        #expect(report.parametrizations == ["sp", "mup"])
        let sp = report.primary
        #expect(sp.parametrization == "sp")
        #expect(abs(sp.driftExponent! + 1) < 0.05)
        #expect(sp.driftCI95!.contains(-1) || abs(sp.driftExponent! + 1) < 0.02)
        #expect(abs(sp.optimum["64"]! - 0.01) / 0.01 < 0.05)
        let mup = report.byParametrization["mup"]!
        #expect(abs(mup.driftExponent!) < 0.05)
        #expect(mup.driftCI95!.lower < 0.05 && mup.driftCI95!.upper > -0.05)
        #expect(mup.optimumAtEdge.values.allSatisfy { !$0 })
    }

    @Test func exactParabolaGivesExactOptimumAndEdgeIsFlagged() {
        let lrs = [0.001, 0.002, 0.004, 0.008, 0.016]
        let center = log2(0.003)
        let losses: [Double?] = lrs.map { pow(log2($0) - center, 2) + 2 }
        let found = LRTransferAnalysis.optimum(lrs: lrs, losses: losses)!
        #expect(abs(found.log2LR - center) < 1e-9)
        #expect(!found.atEdge)
        let edge = LRTransferAnalysis.optimum(lrs: lrs, losses: [1, 2, 3, 4, 5])!
        #expect(edge.atEdge && edge.log2LR == log2(0.001))
        #expect(LRTransferAnalysis.optimum(lrs: [0.1, 0.2], losses: [nil, nil]) == nil)
    }

    @Test func jsonContractAndCSVRoundTrip() throws {
        let trials = Self.trials(label: "sp", drift: -1, seeds: 2)
        let report = LRTransferAnalysis.analyze(trials)
        let data = try report.jsonData()
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(object["widths"] as? [Int] == [64, 128, 256, 512])
        #expect((object["lrs"] as? [Double])?.count == 15)
        #expect((object["optimum"] as? [String: Double])?.keys.sorted() == ["128", "256", "512", "64"])
        #expect(object["drift_exponent"] is Double)
        #expect((object["drift_ci95"] as? [Double])?.count == 2)
        #expect(try LRTransferAnalysis.analyze(trials).jsonData() == data)
        let decoded = try JSONFormat.decoder().decode(LRTransferReport.self, from: data)
        #expect(try decoded.jsonData() == data)

        let csv = LRTrialCSV.csvString(trials)
        #expect(csv.hasPrefix("parametrization,width,lr,seed,final_loss,diverged\n"))
        let back = try LRTrialCSV.parse(csv)
        #expect(LRTrialCSV.csvString(back) == csv)
        #expect(back.contains { $0.diverged && $0.finalLoss!.isNaN })
        #expect(throws: LRTransferError.csvInvalidField(line: 2, column: "diverged", text: "maybe")) {
            try LRTrialCSV.parse(LRTrialCSV.header + "\nsp,64,0.01,0,1.5,maybe\n")
        }
    }
}
