import Testing
import MaxP
@testable import MaxPDiagnostics

@Suite struct EngineExplore {
    @Test func explore() throws {
        for (name, plan) in [("mlp mup", EngineFixtures.mlpPlan()), ("mlp sp", EngineFixtures.mlpPlan(.sp)),
                             ("gpt mup", EngineFixtures.gptPlan()), ("gpt sp", EngineFixtures.gptPlan(.sp)),
                             ("mlp readout", EngineFixtures.mlpPlan(fault: .missingReadoutMultiplier)),
                             ("mlp hidden lr", EngineFixtures.mlpPlan(fault: .hiddenLRUnscaled)),
                             ("mlp emb", EngineFixtures.mlpPlan(fault: .embeddingMultiplier)),
                             ("gpt attn", EngineFixtures.gptPlan(fault: .attentionSqrtD)),
                             ("gpt emb", EngineFixtures.gptPlan(fault: .embeddingMultiplier))] {
            let result = try SweepRunner.run(plan)
            let report = result.slopeReport()
            print("=== \(name) (\(result.seconds) s)")
            print(EngineFixtures.listing(report) { $0.statistic != .rms })
        }
    }
}
