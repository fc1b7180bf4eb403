import CMaxPKernels
import Testing
@testable import MaxP

/// Every C kernel computes the same bits on each instruction set this CPU runs (AVX-512, AVX2, the baseline): the
/// kernels are run once per variant, capped with `maxp_kernels_limit_instruction_set`, on inputs whose counts cover
/// full vectors and every tail length. (Other tests compare the widest variant with the portable Swift loops.)
@Suite("C kernels: the same bits on every instruction set")
struct KernelVariantTests {
    /// The outputs of one run of every kernel, as bit patterns.
    static func outputs(count: Int, seed: UInt64) -> [[UInt32]] {
        var generator = SeededGenerator(seed: seed)
        let x = Tensor<Float>.randomNormal(shape: [count], standardDeviation: 3, using: &generator).scalars
        let y = Tensor<Float>.randomNormal(shape: [count], using: &generator).scalars
        var results: [[UInt32]] = []
        // GELU, product and sum
        var value = [Float](repeating: 0, count: count), slope = value, product = value, sum = value
        maxp_gelu_f32(x, &value, &slope, count)
        maxp_multiply_f32(x, y, &product, count)
        maxp_add_f32(x, y, &sum, count)
        results += [value, slope, product, sum].map { $0.map(\.bitPattern) }
        // the sum is the IEEE sum of every pair
        #expect(sum.map(\.bitPattern) == zip(x, y).map { ($0 + $1).bitPattern })
        // Layer norm forward and backward: rows of `count` floats
        let rows = 11  // a group of 8 rows and 3 more
        let input = (0..<rows).flatMap { row in x.map { $0 * Float(row + 1) + 0.5 } }
        let gain = y.map { 1 + 0.1 * $0 }, bias = x.map { 0.01 * $0 }
        var normalized = [Float](repeating: 0, count: rows * count), out = normalized, dx = normalized
        var inverseStd = [Float](repeating: 0, count: rows), means = inverseStd
        maxp_layer_norm_forward_f32(input, &normalized, &means, &inverseStd, &out, gain, bias, rows, count, 1e-5)
        var outOnly = out  // the output alone, x̂ not kept
        maxp_layer_norm_forward_f32(input, nil, nil, &inverseStd, &outOnly, gain, bias, rows, count, 1e-5)
        let upstream = input.map { 0.3 * $0 - 0.1 }
        var dgain = [Float](repeating: 0, count: count), dbias = dgain, recomputedDx = dx
        maxp_layer_norm_backward_f32(upstream, normalized, nil, nil, inverseStd, gain, input, &dx, &dgain, &dbias,
                                     rows, count)
        maxp_layer_norm_backward_f32(upstream, nil, input, means, inverseStd, gain, nil, &recomputedDx, nil, nil,
                                     rows, count)
        #expect(outOnly == out)
        results += [normalized, means, inverseStd, out, dx, dgain, dbias, recomputedDx].map { $0.map(\.bitPattern) }
        // Causal softmax forward and backward on square blocks of `count` (a spread that reaches `expf`'s slow path)
        let t = min(count, 40)
        let scores = (0..<(2 * t * t)).map { x[$0 % count] * 15 + Float($0 % 7) }
        var weights = [Float](repeating: 0, count: 2 * t * t), scoreGradient = weights
        maxp_causal_softmax_f32(scores, &weights, 2, t)
        maxp_causal_softmax_backward_f32(weights, scores.map { 0.1 * $0 }, &scoreGradient, 2, t)
        var exponentials = x.map { 30 * $0 }
        maxp_exp_f32(&exponentials, count)
        results += [weights, scoreGradient, exponentials].map { $0.map(\.bitPattern) }
        // Adam: a first step (moments written) then a general step
        var p = x, m = [Float](repeating: .nan, count: count), v = m
        for (step, first) in [(1, Int32(1)), (2, Int32(0))] {
            maxp_adam_f32(&p, y, &m, &v, count, 1, 0.01, 0.9, 0.1, 0.999, 0.001, Float(1e-3 / Double(step)),
                          1.5, 1e-8, first)
        }
        results += [p, m, v].map { $0.map(\.bitPattern) }
        // Normal draws, and the generator's state after them
        var draws = generator
        let normal = Tensor<Float>.randomNormal(shape: [count * 7], mean: 0.25, standardDeviation: 2, using: &draws)
        results.append(normal.scalars.map(\.bitPattern))
        results.append([UInt32(truncatingIfNeeded: draws.next()), UInt32(truncatingIfNeeded: draws.next() >> 32)])
        return results
    }

    @Test(arguments: [1, 3, 4, 7, 8, 15, 16, 17, 31, 33, 100, 1031])
    func everyVariantComputesTheSameBits(count: Int) {
        let widest = maxp_kernels_instruction_set()
        let expected = Self.outputs(count: count, seed: UInt64(count))
        for level in 0..<widest {
            maxp_kernels_limit_instruction_set(Int32(level))
            #expect(maxp_kernels_instruction_set() == level)
            let actual = Self.outputs(count: count, seed: UInt64(count))
            maxp_kernels_limit_instruction_set(2)
            #expect(actual == expected, "instruction set \(level) vs \(widest), count \(count)")
        }
    }

    /// Long fills reach the rare path many times, in every lane position of a vector block.
    @Test func normalDrawsOfEveryVariantFollowTheDefinition() {
        let widest = maxp_kernels_instruction_set()
        for level in 0...widest {
            maxp_kernels_limit_instruction_set(Int32(level))
            var a = SeededGenerator(seed: 77), b = SeededGenerator(seed: 77)
            let expected = NormalZigguratTests.oneAtATime(count: 50_001, mean: -1, standardDeviation: 0.5, using: &a)
            let actual = Tensor<Float>.randomNormal(shape: [50_001], mean: -1, standardDeviation: 0.5, using: &b)
            maxp_kernels_limit_instruction_set(2)
            #expect(actual.scalars.map(\.bitPattern) == expected.map(\.bitPattern), "instruction set \(level)")
            #expect(a == b, "generator state, instruction set \(level)")
        }
    }
}
