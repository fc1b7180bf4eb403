import MaxP
@testable import MaxPDiagnostics

/// Small, fast sweep plans shared by the engine tests.
enum EngineFixtures {
    /// MLP 32 → w → w → w → 10, batch 32, widths 64…512.
    static func mlpPlan(_ parametrization: NamedParametrization = .mup, lr: Double = 1e-2, steps: Int = 2,
                        seeds: [Int] = [0, 1, 2], widths: [Int] = [64, 128, 256, 512], fault: Fault? = nil,
                        depth: Int = 3) -> SweepPlan {
        SweepPlan(model: ModelOptions(family: .mlp, inputDimension: 32, depth: depth, outputDimension: 10, batch: 32),
                  training: TrainingOptions(parametrization: parametrization, optimizer: .adam, learningRate: lr),
                  values: widths, seeds: seeds, steps: steps, fault: fault)
    }

    /// GPT with 2 fixed heads (d_head = w/2), 2 blocks, 8 tokens, vocab 64, batch 4, widths 32…256.
    static func gptPlan(_ parametrization: NamedParametrization = .mup, lr: Double = 1e-2, steps: Int = 1,
                        seeds: [Int] = [0, 1, 2], widths: [Int] = [32, 64, 128, 256], fault: Fault? = nil) -> SweepPlan {
        SweepPlan(model: ModelOptions(family: .gpt, depth: 2, heads: 2, sequenceLength: 8, vocabulary: 64, batch: 4),
                  training: TrainingOptions(parametrization: parametrization, optimizer: .adam, learningRate: lr),
                  values: widths, seeds: seeds, steps: steps, fault: fault)
    }

    /// A compact listing of the report's entries (for failure messages).
    static func listing(_ report: SlopeReport, only filter: (SlopeReport.Entry) -> Bool = { _ in true }) -> String {
        report.ops.filter(filter).map { entry in
            let slope = entry.slope.map { String(format: "%+.3f", $0) } ?? "nil"
            let expected = entry.expected.map { String(format: "%+.2f", $0) } ?? "nil"
            let da = entry.suggestedDeltaA.map { String(format: " Δa=%+.3f", $0) } ?? ""
            return "\(entry.op) [\(entry.kind)] t=\(entry.t) \(entry.statistic.rawValue): \(slope) exp \(expected) → \(entry.verdict.rawValue)\(da)"
        }.joined(separator: "\n")
    }
}
