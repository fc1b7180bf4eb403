import Testing
@testable import MaxP

/// A tape that drops op gradients once used (`retainsOpGradients: false`, what training steps use) lets pullbacks
/// compute in the output gradient's storage: every data and parameter gradient must still be bit for bit a
/// retaining tape's, and a retaining tape's op gradients must stay untouched by those in-place pullbacks.
@Suite("Op gradient retention")
struct OpGradientRetentionTests {
    @Test func inPlacePullbacksLeaveRetainedGradientsIntact() {
        let x = randomTensor([3, 4, 4], seed: 1, standardDeviation: 2).converted(to: Float.self)
        let seed = randomTensor([3, 4, 4], seed: 2).converted(to: Float.self)
        func run(retaining: Bool) -> (tape: Tape<Float>, input: Variable<Float>, gelu: Variable<Float>,
                                      scaled: Variable<Float>, softmax: Variable<Float>) {
            let tape = Tape<Float>(retainsOpGradients: retaining)
            let input = tape.input(x)
            let gelu = input.gelu()
            let scaled = gelu.scaled(by: 0.5)
            let softmax = scaled.causalSoftmax()
            tape.backward(from: softmax, seed: seed)
            return (tape, input, gelu, scaled, softmax)
        }
        let kept = run(retaining: true), dropped = run(retaining: false)
        #expect(kept.input.gradient!.scalars.map(\.bitPattern) == dropped.input.gradient!.scalars.map(\.bitPattern))
        // Each retained op gradient is what reached that op, not what its pullback made of it in place.
        #expect(kept.softmax.gradient == seed)
        let gScaled = kept.scaled.gradient!, gGelu = kept.gelu.gradient!
        #expect(gGelu == gScaled.scaled(by: 0.5))
        #expect(kept.input.gradient! != gGelu)
        for op in [dropped.gelu, dropped.scaled, dropped.softmax] { #expect(op.gradient == nil) }
    }

    @Test func gptParameterGradientsAreTheSameWithoutRetainedOpGradients() {
        let configuration = GPTConfiguration(vocabulary: 7, width: 16, depth: 2, heads: 2, sequenceLength: 9)
        var generator = SeededGenerator(seed: 3)
        let model = GPTModel<Float>(configuration, using: &generator)
        let tokens = (0..<18).map { ($0 * 5 + 1) % 7 }, targets = tokens.map { ($0 + 3) % 7 }
        func gradients(retaining: Bool) -> [[UInt32]] {
            model.zeroGradients()
            let tape = Tape<Float>(retainsOpGradients: retaining)
            model(tokens: tokens, batch: 2, seqLen: 9, on: tape).crossEntropy(targets: targets).backward()
            return model.namedParameters().map { $0.parameter.gradient!.scalars.map(\.bitPattern) }
        }
        #expect(gradients(retaining: true) == gradients(retaining: false))
    }
}
