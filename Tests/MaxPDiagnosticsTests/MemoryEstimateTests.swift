import Foundation
import MaxP
import Testing
@testable import MaxPDiagnostics

/// ``MemoryEstimate`` against the built networks' exact parameter counts, `/proc/meminfo` parsing, and the plans
/// that refuse sizes no machine holds before anything is allocated.
@Suite struct MemoryEstimateTests {
    @Test(arguments: [(8, 2), (16, 3), (24, 1)])
    func mlpParameterCountIsExact(width: Int, depth: Int) {
        var generator = SeededGenerator(seed: 1)
        let mlp = MLP<Float>(MLPConfiguration(inputDimension: 5, width: width, depth: depth, outputDimension: 3,
                                              activation: .relu, bias: false), using: &generator, initialization: .deferred)
        let options = ModelOptions(family: .mlp, inputDimension: 5, depth: depth, outputDimension: 3)
        #expect(MemoryEstimate.parameterCount(options, width: width, depth: depth, heads: 1) == Double(mlp.parameterCount))
        // Closed form d·w + (L−1)·w² + w·k.
        #expect(MemoryEstimate.parameterCount(options, width: width, depth: depth, heads: 1)
            == Double(5 * width + (depth - 1) * width * width + width * 3))
    }

    @Test(arguments: [(8, 1, 2), (16, 2, 4)])
    func gptParameterCountIsExact(width: Int, depth: Int, heads: Int) {
        var generator = SeededGenerator(seed: 1)
        let gpt = GPTModel<Float>(GPTConfiguration(vocabulary: 11, width: width, depth: depth, heads: heads, sequenceLength: 6,
                                                   mlpRatio: 4, bias: false), using: &generator, initialization: .deferred)
        let options = ModelOptions(family: .gpt, depth: depth, heads: heads, sequenceLength: 6, vocabulary: 11)
        #expect(MemoryEstimate.parameterCount(options, width: width, depth: depth, heads: heads) == Double(gpt.parameterCount))
        // Closed form (V + S)·w + L·(12·w² + 2·w) + w + w·V.
        let closedForm = (11 + 6) * width + depth * (12 * width * width + 2 * width) + width + width * 11
        #expect(MemoryEstimate.parameterCount(options, width: width, depth: depth, heads: heads) == Double(closedForm))
    }

    @Test func runEstimateAddsTheLargestModelsInFlight() {
        let options = ModelOptions(family: .mlp, inputDimension: 4, depth: 2, outputDimension: 2, batch: 2)
        let one = MemoryEstimate.modelBytes(options, width: 64, depth: 2, heads: 1)
        let two = MemoryEstimate.modelBytes(options, width: 32, depth: 2, heads: 1)
        let run = MemoryEstimate.run(options, axis: .width, values: [16, 32, 64], jobsInFlight: 2)
        #expect(run.bytes == MemoryEstimate.baseBytes + one + two)
        #expect(run.parameters == MemoryEstimate.parameterCount(options, width: 64, depth: 2, heads: 1))
        // More jobs in flight than values (seeds): the largest model is held again.
        #expect(MemoryEstimate.run(options, axis: .width, values: [64], jobsInFlight: 3).bytes == MemoryEstimate.baseBytes + 3 * one)
    }

    @Test func hugeSizesDoNotOverflow() {
        let options = ModelOptions(family: .gpt, heads: 1, vocabulary: 1_000_000_000, batch: 1_000_000_000)
        let bytes = MemoryEstimate.modelBytes(options, width: 1_000_000_000, depth: 3, heads: 1)
        #expect(bytes.isFinite && bytes > 1e20)
    }

    @Test func readsMemAvailable() {
        let text = "MemTotal:       32000000 kB\nMemFree:         1000 kB\nMemAvailable:   2048 kB\n"
        #expect(MemoryEstimate.availableBytes(meminfoText: text) == Double(2048 * 1024))
        #expect(MemoryEstimate.availableBytes(meminfoText: "MemTotal: 1 kB\n") == nil)
        #if os(Linux)
        #expect((MemoryEstimate.availableBytes() ?? 0) > 0)
        #endif
    }

    @Test func checkRefusesAnEstimateBeyondTheAvailableMemory() {
        let estimate = MemoryEstimate(parameters: 1e9, jobsInFlight: 2, bytes: 4e10)
        #expect(throws: ModelBuildError.insufficientMemory(estimate: estimate, availableBytes: 1e9, setting: .width)) {
            try estimate.check(setting: .width, available: 1e9)
        }
        #expect(throws: Never.self) { try estimate.check(available: 1e11) }
        #expect(throws: Never.self) { try estimate.check(available: nil) }
        let message = ModelBuildError.insufficientMemory(estimate: estimate, availableBytes: 1e9, setting: .width).description
        #expect(message.contains("40 GB") && message.contains("1 GB") && message.contains("width"), "\(message)")
    }

    @Test func sweepPlanRefusesAWidthNoMachineHolds() {
        #if os(Linux)
        let plan = SweepPlan(model: ModelOptions(family: .mlp, inputDimension: 8, depth: 2, outputDimension: 2, batch: 4),
                             values: [16, 32, 1_000_000_000], seeds: [0], steps: 1)
        #expect {
            try plan.validate()
        } throws: { error in
            if case .insufficientMemory = error as? ModelBuildError { return true }
            return false
        }
        let grid = LRTransferPlan(model: ModelOptions(family: .mlp, inputDimension: 1_000_000_000, depth: 2, outputDimension: 2, batch: 4),
                                  widths: [16, 32], learningRates: [1e-3, 1e-2, 1e-1], steps: 1)
        #expect {
            try grid.validate()
        } throws: { error in
            if case .insufficientMemory = error as? ModelBuildError { return true }
            return false
        }
        #endif
    }

    @Test func countsThatAreNotMemoryAreBounded() {
        #expect(throws: ModelBuildError.self) { try RunLimits.check(seeds: RunLimits.maximumSeeds + 1) }
        #expect(throws: ModelBuildError.self) { try RunLimits.check(steps: RunLimits.maximumSteps + 1) }
        #expect(throws: Never.self) { try RunLimits.check(seeds: RunLimits.maximumSeeds, steps: RunLimits.maximumSteps) }
        let check = CoordCheck(widths: [8, 16, 32], seeds: Array(0...RunLimits.maximumSeeds), steps: 1, description: "limits") { _, _ in
            preconditionFailure("not built")
        }
        #expect(throws: ModelBuildError.invalid(setting: .seeds, reason: "at most \(RunLimits.maximumSeeds) seeds, got \(RunLimits.maximumSeeds + 1)")) {
            try check.validate()
        }
    }
}
