import Foundation
import Testing
@testable import MaxP

/// Training must run in constant memory and constant time per step: a run 4× as long may not peak higher in
/// resident memory, nor take longer per step (issue 11: the GPT kept every step's graph and slowed down).
@Suite("Training memory and time do not grow with steps", .serialized)
struct TrainingGrowthTests {
    struct Run {
        /// Peak resident memory during the run minus resident memory before it, in bytes.
        var peakGrowth: Int
        /// CPU time of this thread per step after one warm-up step, in seconds (the training runs on one thread; thread
        /// CPU time ignores other processes and the suites running in parallel).
        var secondsPerStep: Double
    }

    /// Trains a fresh small GPT (the same seed every time) for `steps` Adam steps, sampling resident memory after
    /// every step.
    func trainGPT(steps: Int) throws -> Run {
        var generator = SeededGenerator(seed: 7)
        let (batch, length, vocabulary) = (8, 32, 16)
        let model = GPTModel<Float>(
            GPTConfiguration(vocabulary: vocabulary, width: 64, depth: 2, heads: 2, sequenceLength: length),
            using: &generator)
        let trainer = Trainer(model: model, optimizer: Adam(module: model, learningRate: 1e-3))
        let tokens = (0..<(batch * length)).map { _ in Int(generator.next() % UInt64(vocabulary)) }
        let targets = tokens.map { ($0 + 1) % vocabulary }
        func step() throws {
            try trainer.step { tape in
                model(tokens: tokens, batch: batch, seqLen: length, on: tape).crossEntropy(targets: targets)
            }
        }
        let before = try #require(ResidentMemory.currentBytes())
        var peak = before
        try step()
        let start = threadCPUSeconds()
        for _ in 1..<steps {
            try step()
            peak = max(peak, ResidentMemory.currentBytes() ?? peak)
        }
        return Run(peakGrowth: peak - before, secondsPerStep: (threadCPUSeconds() - start) / Double(steps - 1))
    }

    func threadCPUSeconds() -> Double {
        var now = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now)
        return Double(now.tv_sec) + Double(now.tv_nsec) * 1e-9
    }

    @Test func gptPeakMemoryAndStepTimeStayFlat() throws {
        BLASThreads.set(1)
        let n = 20
        // A leaked graph of this model is ≈ 4 MB per step: 4N steps would add ≈ 240 MB more than N steps.
        let short = try trainGPT(steps: n)
        let long = try trainGPT(steps: 4 * n)
        let slack = 64 << 20  // allocator caching and other suites' allocations running in parallel
        #expect(
            long.peakGrowth <= 2 * short.peakGrowth + slack,
            "peak memory grows with steps: +\(short.peakGrowth >> 20) MB over \(n) steps, +\(long.peakGrowth >> 20) MB over \(4 * n)")
        #expect(
            long.secondsPerStep <= 1.5 * short.secondsPerStep + 0.005,
            "steps slow down: \(short.secondsPerStep * 1e3) ms per step over \(n) steps, \(long.secondsPerStep * 1e3) over \(4 * n)")
    }
}
