import Testing
@testable import MaxP

/// The per-head attention products and the fused causal softmax: gradients against finite differences, values
/// against the split-heads composition they replace (reshape, transpose, matmul, mask, softmax).
@Suite("Attention ops")
struct AttentionOpTests {
    /// `[B, T, H·d]` → `[B, H, T, d]`, the explicit head split.
    func split(_ x: Variable<Double>, heads: Int) -> Variable<Double> {
        let s = x.shape
        return x.reshaped([s[0], s[1], heads, s[2] / heads]).transposed(1, 2)
    }

    @Test func headScoresGradient() {
        expectGradientsMatch([randomTensor([2, 3, 6], seed: 1), randomTensor([2, 4, 6], seed: 2)]) { v in
            v[0].headScores(keys: v[1], heads: 3)
        }
    }

    @Test func mixingHeadsGradient() {
        expectGradientsMatch([randomTensor([2, 2, 3, 4], seed: 3), randomTensor([2, 4, 6], seed: 4)]) { v in
            v[0].mixingHeads(of: v[1], heads: 2)
        }
    }

    @Test func causalSoftmaxGradient() {
        expectGradientsMatch([randomTensor([2, 2, 4, 4], seed: 5, standardDeviation: 2)]) { v in v[0].causalSoftmax() }
    }

    @Test func wholeAttentionGradient() {
        expectGradientsMatch(
            [randomTensor([2, 4, 6], seed: 6), randomTensor([2, 4, 6], seed: 7), randomTensor([2, 4, 6], seed: 8)]
        ) { v in
            v[0].headScores(keys: v[1], heads: 2).scaled(by: 0.5).causalSoftmax().mixingHeads(of: v[2], heads: 2)
        }
    }

    /// The fused path gives the split-heads composition's values and input gradients bit for bit.
    @Test func fusedPathEqualsSplitHeadsComposition() {
        let (b, t, heads, width) = (2, 5, 3, 12)
        let inputs = (0..<3).map { randomTensor([b, t, width], seed: 10 + UInt64($0), standardDeviation: 2) }
        let seed = randomTensor([b, t, width], seed: 20)
        func run(fused: Bool) -> (value: Tensor<Double>, gradients: [Tensor<Double>]) {
            let tape = Tape<Double>()
            let v = inputs.map { tape.input($0) }
            let out: Variable<Double>
            if fused {
                out = v[0].headScores(keys: v[1], heads: heads).scaled(by: 0.25).causalSoftmax()
                    .mixingHeads(of: v[2], heads: heads)
            } else {
                let q = split(v[0], heads: heads), k = split(v[1], heads: heads), values = split(v[2], heads: heads)
                out = q.matmul(k, transposeOther: true).scaled(by: 0.25).causalMasked().softmax().matmul(values)
                    .transposed(1, 2).reshaped([b, t, width])
            }
            tape.backward(from: out, seed: seed)
            return (out.value, v.map { tape.gradient(of: $0)! })
        }
        let fused = run(fused: true), composed = run(fused: false)
        #expect(fused.value == composed.value)
        for i in 0..<3 { #expect(fused.gradients[i] == composed.gradients[i], "gradient of input \(i) differs") }
    }

    @Test func causalSoftmaxMatchesMaskThenSoftmaxAndZeroesTheUpperTriangle() {
        let scores = randomTensor([3, 4, 4], seed: 30, standardDeviation: 3).converted(to: Float.self)
        let tape = Tape<Float>(recordsGradients: false)
        let fused = tape.input(scores).causalSoftmax().value
        #expect(fused == tape.input(scores).causalMasked().softmax().value)
        for m in 0..<3 {
            for row in 0..<4 {
                for col in (row + 1)..<4 { #expect(fused.scalars[(m * 4 + row) * 4 + col] == 0) }
            }
        }
    }

    @Test func inputsWithoutGradientAreSkipped() {
        let tape = Tape<Double>()
        let q = tape.input(randomTensor([1, 2, 4], seed: 40), requiresGradient: false)
        let k = tape.input(randomTensor([1, 2, 4], seed: 41))
        tape.backward(from: q.headScores(keys: k, heads: 2).sum())
        #expect(tape.gradient(of: q) == nil)
        #expect(tape.gradient(of: k) != nil)
    }

    /// Skipping the zero halves of the causal products (`causal: true`: bands of 16 output rows, here 16 + 16 + 8)
    /// changes no bit of the output or of any input gradient.
    @Test func causalProductsGiveTheFullProductsBits() {
        let (b, t, heads, width) = (2, 40, 2, 16)
        let inputs = (0..<3).map { randomTensor([b, t, width], seed: 50 + UInt64($0), standardDeviation: 2).converted(to: Float.self) }
        let seed = randomTensor([b, t, width], seed: 60).converted(to: Float.self)
        func run(causal: Bool) -> [[UInt32]] {
            let tape = Tape<Float>()
            let v = inputs.map { tape.input($0) }
            let out = v[0].headScores(keys: v[1], heads: heads, causal: causal).scaled(by: 0.125).causalSoftmax()
                .mixingHeads(of: v[2], heads: heads, causal: causal)
            tape.backward(from: out, seed: seed)
            return ([out.value] + v.map { tape.gradient(of: $0)! }).map { $0.scalars.map(\.bitPattern) }
        }
        #expect(run(causal: true) == run(causal: false))
    }
}
