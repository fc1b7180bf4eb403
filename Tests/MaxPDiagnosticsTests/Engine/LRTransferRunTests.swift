import MaxP
import Testing
@testable import MaxPDiagnostics

@Suite("Engine: LR-transfer runs")
struct LRTransferRunTests {
    @Test func gridProducesOneTrialPerRunAndDivergesAtAbsurdRates() throws {
        let plan = LRTransferPlan(model: ModelOptions(family: .mlp, inputDimension: 16, depth: 2, outputDimension: 4, batch: 16),
                                  parametrizations: [.sp, .mup], widths: [16, 32],
                                  learningRates: [1e-3, 1e-2, 1e6], seeds: [0], steps: 4)
        let trials = try LRTransferRunner.run(plan)
        #expect(trials.count == 2 * 2 * 3)
        #expect(trials.map(\.parametrization) == Array(repeating: "sp", count: 6) + Array(repeating: "mup", count: 6))
        #expect(trials.filter { $0.lr == 1e-3 }.allSatisfy { $0.isUsable && $0.lossCurve?.count == 4 })
        #expect(trials.filter { $0.lr == 1e6 && $0.parametrization == "sp" }.allSatisfy { $0.diverged })
        let serial = try LRTransferRunner.run(plan, parallel: false)
        #expect(serial == trials)
        let report = LRTransferAnalysis.analyze(trials)
        #expect(report.parametrizations == ["sp", "mup"])
        #expect(abs(LRTransferPlan.logSpaced(from: 1e-3, to: 1e-1, count: 3)[1] - 1e-2) < 1e-12)
    }
}
