import Testing
@testable import MaxP

/// A tape must die with its last outside reference: no op may keep its own tape alive (a pullback capturing a
/// ``Variable`` — which holds its tape — closes a cycle tape → node → pullback → variable → tape, and every
/// training step's whole graph then stays in memory forever).
@Suite("Tape lifetime")
struct TapeLifetimeTests {
    /// Records `body` on a fresh tape, back-propagates from the sum of what it returns, drops every reference and
    /// reports whether the tape was freed.
    func tapeIsFreed(_ body: (Tape<Double>) -> Variable<Double>) -> Bool {
        weak var weakTape: Tape<Double>?
        do {
            let tape = Tape<Double>()
            weakTape = tape
            let output = body(tape)
            tape.backward(from: output.sum())
        }
        return weakTape == nil
    }

    func x(_ tape: Tape<Double>, _ shape: [Int] = [2, 3, 4], seed: UInt64 = 1) -> Variable<Double> {
        tape.input(randomTensor(shape, seed: seed))
    }

    @Test func elementwiseAndShapeOpsReleaseTheirTape() {
        let ops: [(String, (Tape<Double>) -> Variable<Double>)] = [
            ("relu", { x($0).relu() }), ("gelu", { x($0).gelu() }), ("silu", { x($0).silu() }),
            ("tanh", { x($0).tanh() }), ("add", { x($0) + x($0, seed: 2) }), ("add broadcast", { x($0) + x($0, [4]) }),
            ("sub", { x($0) - x($0, seed: 2) }), ("sub broadcast", { x($0) - x($0, [3, 4]) }),
            ("mul", { x($0) * x($0, [4]) }), ("div", { x($0) / x($0, [4]).squared() }),
            ("neg", { -x($0) }), ("scale", { x($0).scaled(by: 3) }), ("square", { x($0).squared() }),
            ("concat", { x($0).concatenated(with: x($0, seed: 2), alongAxis: 1) }),
            ("reshape", { x($0).reshaped([6, -1]) }), ("transpose", { x($0).transposed(0, 2) }),
            ("sum", { x($0).sum() }), ("mean", { x($0).mean() }), ("sum axis", { x($0).sum(alongAxis: 1) }),
            ("mean axis", { x($0).mean(alongAxis: -1) }),
        ]
        for (name, op) in ops { #expect(tapeIsFreed(op), "\(name) keeps its tape alive") }
    }

    @Test func contractionNormalizationAndLossOpsReleaseTheirTape() {
        let ops: [(String, (Tape<Double>) -> Variable<Double>)] = [
            ("matmul", { x($0).matmul(x($0, [2, 4, 3]), transposeSelf: false) }),
            ("linear", { x($0).linear(weight: x($0, [5, 4])) }),
            ("softmax", { x($0).softmax() }), ("logSoftmax", { x($0).logSoftmax() }),
            ("causalMask", { x($0, [2, 3, 3]).causalMasked().softmax() }),
            ("layerNorm", { x($0).layerNorm() }),
            ("layerNorm gain+bias", { tape in x(tape).layerNorm(gain: x(tape, [4]), bias: x(tape, [4], seed: 3)) }),
            ("layerNorm bias", { tape in x(tape).layerNorm(bias: x(tape, [4])) }),
            ("rmsNorm gain", { tape in x(tape).rmsNorm(gain: x(tape, [4])) }),
            ("gatherRows", { x($0, [5, 4]).gatherRows([0, 4, 4, 1], shape: [2, 2]) }),
            ("crossEntropy", { x($0).crossEntropy(targets: [0, 1, 2, 3, 0, 1]) }),
            ("meanSquaredError", { x($0).meanSquaredError(target: Tensor(zeros: [2, 3, 4])) }),
            ("parametrized", { tape in
                tape.parametrized(site: "fc", role: "hidden", inputs: [], multiplier: 0.5) { x(tape).tanh() }
            }),
        ]
        for (name, op) in ops { #expect(tapeIsFreed(op), "\(name) keeps its tape alive") }
    }

    @Test func everyLayerReleasesItsTape() {
        var generator = SeededGenerator(seed: 4)
        let linear = Linear<Double>(inputFeatures: 4, outputFeatures: 3, using: &generator)
        let norm = LayerNorm<Double>(width: 4)
        let rms = RMSNorm<Double>(width: 4)
        let attention = CausalSelfAttention<Double>(width: 4, heads: 2, using: &generator)
        let block = TransformerBlock<Double>(width: 4, heads: 2, using: &generator)
        let embedding = Embedding<Double>(vocabulary: 6, width: 4, using: &generator)
        #expect(tapeIsFreed { linear(x($0)) })
        #expect(tapeIsFreed { norm(x($0)) }, "LayerNorm keeps its tape alive")
        #expect(tapeIsFreed { rms(x($0)) }, "RMSNorm keeps its tape alive")
        #expect(tapeIsFreed { attention(x($0)) }, "CausalSelfAttention keeps its tape alive")
        #expect(tapeIsFreed { block(x($0)) }, "TransformerBlock keeps its tape alive")
        #expect(tapeIsFreed { embedding([0, 5, 2], shape: [3], on: $0) })
    }

    /// The regression of issue 11: after a GPT training step nothing of that step's graph survives.
    @Test func gptTrainingStepFreesItsGraph() throws {
        var generator = SeededGenerator(seed: 5)
        let model = GPTModel<Float>(
            GPTConfiguration(vocabulary: 11, width: 8, depth: 2, heads: 2, sequenceLength: 6), using: &generator)
        let trainer = Trainer(model: model, optimizer: Adam(module: model, learningRate: 1e-2))
        let tokens = (0..<12).map { $0 % 11 }, targets = (0..<12).map { ($0 + 1) % 11 }
        final class Seen { weak var tape: Tape<Float>? }
        for _ in 0..<3 {
            let seen = Seen()
            try trainer.step { tape in
                seen.tape = tape
                return model(tokens: tokens, batch: 2, seqLen: 6, on: tape).crossEntropy(targets: targets)
            }
            #expect(seen.tape == nil, "the step's tape (and its whole graph) outlives the step")
        }
    }
}
