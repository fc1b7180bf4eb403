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

    /// One initialization per (parametrization, width, seed), copied for each learning rate, gives exactly the
    /// trials of building every run afresh (with a base width, diverged rates included).
    @Test(arguments: [OptimizerKind.adam, .sgd])
    func sharedInitializationEqualsFreshBuilds(optimizer: OptimizerKind) throws {
        let plan = LRTransferPlan(model: ModelOptions(family: .mlp, inputDimension: 12, depth: 2, outputDimension: 3, batch: 8),
                                  optimizer: optimizer, parametrizations: [.sp, .mup], widths: [16, 32],
                                  learningRates: [1e-3, 3e-2, 1e6], seeds: [0, 1], steps: 3, baseWidth: 16)
        let shared = try LRTransferRunner.run(plan)
        let batches = SweepPlan(model: plan.model, values: plan.widths, data: plan.data)
        var fresh: [LRTrial] = []
        for p in plan.parametrizations { for width in plan.widths { for lr in plan.learningRates { for seed in plan.seeds {
            fresh.append(try LRTransferRunner.runTrial(.init(parametrization: p, width: width, lr: lr, seed: seed),
                                                       plan: plan, batches: batches))
        } } } }
        #expect(shared == fresh)
        #expect(shared.contains { $0.diverged } && shared.contains { !$0.diverged })
    }
}
