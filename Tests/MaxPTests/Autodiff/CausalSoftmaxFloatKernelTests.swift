import CMaxPKernels
import Foundation
import Testing
@testable import MaxP

/// The causal softmax in `Float` runs through the C kernels `maxp_causal_softmax_f32` / `…_backward_f32` (vectorized,
/// several rows' sums at once, `expf` vectorized on AVX-512): values and gradients must be exactly the scalar loops'.
@Suite("Causal softmax float kernels")
struct CausalSoftmaxFloatKernelTests {
    @Test(arguments: [(3, 5), (2, 8), (1, 13), (4, 64)])
    func valuesAndGradientsMatchTheScalarLoops(blocks: Int, t: Int) {
        var generator = SeededGenerator(seed: UInt64(blocks * 100 + t))
        // A wide spread, so that some differences from the row maximum leave `expf`'s fast path (below −88).
        let scores = Tensor<Float>.randomNormal(shape: [blocks, t, t], standardDeviation: 40, using: &generator)
        let seed = Tensor<Float>.randomNormal(shape: [blocks, t, t], using: &generator)
        var expected = [Float](repeating: 0, count: blocks * t * t), expectedDx = expected
        for r in 0..<(blocks * t) {
            let base = r * t, seen = r % t + 1
            var m = -Float.infinity
            for j in 0..<seen where scores.scalars[base + j] > m { m = scores.scalars[base + j] }
            var s: Float = 0
            for j in 0..<seen {
                expected[base + j] = Foundation.exp(scores.scalars[base + j] - m)
                s += expected[base + j]
            }
            let inverse = 1 / s
            for j in 0..<seen { expected[base + j] *= inverse }
            var dot: Float = 0
            for j in 0..<seen { dot += seed.scalars[base + j] * expected[base + j] }
            for j in 0..<seen { expectedDx[base + j] = expected[base + j] * (seed.scalars[base + j] - dot) }
        }
        let tape = Tape<Float>()
        let input = tape.input(scores)
        let y = input.causalSoftmax()
        tape.backward(from: y, seed: seed)
        #expect(y.value.scalars.map(\.bitPattern) == expected.map(\.bitPattern))
        #expect(input.gradient?.scalars.map(\.bitPattern) == expectedDx.map(\.bitPattern))
    }

    /// `maxp_exp_f32` gives the C library's `expf` bits: across the fast path's range, at its edges and beyond.
    @Test func expMatchesTheCLibrary() {
        var generator = SeededGenerator(seed: 5)
        var x = Tensor<Float>.randomNormal(shape: [4099], standardDeviation: 30, using: &generator).scalars
        x += [0, -0, 1, -1, 88, 88.7, 89, -87.3, -88, -103, -104, -150, .infinity, -.infinity, .nan,
              .leastNonzeroMagnitude, -.leastNormalMagnitude, 1e-30, -1e-30]
        var actual = x
        maxp_exp_f32(&actual, actual.count)
        for (value, result) in zip(x, actual) {
            let expected = Foundation.exp(value)
            #expect(result.bitPattern == expected.bitPattern || (result.isNaN && expected.isNaN), "e^\(value)")
        }
    }

    /// The log-softmax and the cross-entropy gradient in `Float` take their exponentials from `maxp_exp_f32`: the
    /// scalar loops' bits.
    @Test func logSoftmaxAndCrossEntropyMatchTheScalarLoops() {
        var generator = SeededGenerator(seed: 9)
        let (rows, n) = (5, 37)
        let logits = Tensor<Float>.randomNormal(shape: [rows, n], standardDeviation: 20, using: &generator)
        let targets = (0..<rows).map { ($0 * 11) % n }
        var expected = [Float](repeating: 0, count: rows * n)
        for r in 0..<rows {
            let base = r * n
            var m = -Float.infinity
            for j in 0..<n where logits.scalars[base + j] > m { m = logits.scalars[base + j] }
            var s: Float = 0
            for j in 0..<n { s += Foundation.exp(logits.scalars[base + j] - m) }
            let shift = m + Foundation.log(s)
            for j in 0..<n { expected[base + j] = logits.scalars[base + j] - shift }
        }
        #expect(logits.logSoftmaxAlongLastAxis().scalars.map(\.bitPattern) == expected.map(\.bitPattern))
        let factor = 1 / Float(rows)
        var expectedGradient = expected.map { factor * Foundation.exp($0) }
        for r in 0..<rows { expectedGradient[r * n + targets[r]] -= factor }
        let tape = Tape<Float>()
        let input = tape.input(logits)
        input.crossEntropy(targets: targets).backward()
        #expect(input.gradient?.scalars.map(\.bitPattern) == expectedGradient.map(\.bitPattern))
    }
}
