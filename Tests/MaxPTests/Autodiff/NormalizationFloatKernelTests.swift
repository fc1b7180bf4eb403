import Testing
@testable import MaxP

/// `layerNorm` in `Float` runs through the vectorized C kernels: its values and gradients must be exactly the scalar
/// loops' (the documented order: row sums in four interleaved partial sums, `(s0 + s1) + (s2 + s3)`).
@Suite("Layer norm float kernels")
struct NormalizationFloatKernelTests {
    /// Σ term(j) as four interleaved partial sums, the tail into the first.
    static func rowSum(_ n: Int, _ term: (Int) -> Float) -> Float {
        var s: [Float] = [0, 0, 0, 0]
        var j = 0
        while j + 4 <= n {
            for k in 0..<4 { s[k] += term(j + k) }
            j += 4
        }
        while j < n {
            s[0] += term(j)
            j += 1
        }
        return (s[0] + s[1]) + (s[2] + s[3])
    }

    @Test(arguments: [(3, 37), (2, 64), (5, 3), (1, 256), (8, 20), (19, 33)])
    func valuesAndGradientsMatchTheScalarLoops(rows: Int, width n: Int) {
        var generator = SeededGenerator(seed: UInt64(rows * 1000 + n))
        let x = Tensor<Float>.randomNormal(shape: [rows, n], mean: 0.5, standardDeviation: 2, using: &generator)
        let gain = Tensor<Float>.randomNormal(shape: [n], mean: 1, standardDeviation: 0.3, using: &generator)
        let bias = Tensor<Float>.randomNormal(shape: [n], standardDeviation: 0.3, using: &generator)
        let seed = Tensor<Float>.randomNormal(shape: [rows, n], using: &generator)
        let epsilon: Float = 1e-5, inverseN = 1 / Float(n)

        // The scalar reference.
        var normalized = [Float](repeating: 0, count: rows * n), expected = normalized, expectedDx = normalized
        var expectedGain = [Float](repeating: 0, count: n), expectedBias = expectedGain
        for r in 0..<rows {
            let p = Array(x.scalars[(r * n)..<((r + 1) * n)]), g = Array(seed.scalars[(r * n)..<((r + 1) * n)])
            let mean = Self.rowSum(n) { p[$0] } * inverseN
            let variance = Self.rowSum(n) { (p[$0] - mean) * (p[$0] - mean) } * inverseN
            let rstd = 1 / (variance + epsilon).squareRoot()
            let xh = p.map { ($0 - mean) * rstd }
            let scaled = (0..<n).map { g[$0] * gain.scalars[$0] }
            let m1 = Self.rowSum(n) { scaled[$0] } * inverseN
            let m2 = Self.rowSum(n) { scaled[$0] * xh[$0] } * inverseN
            for j in 0..<n {
                normalized[r * n + j] = xh[j]
                expected[r * n + j] = xh[j] * gain.scalars[j] + bias.scalars[j]
                expectedDx[r * n + j] = rstd * ((scaled[j] - m1) - xh[j] * m2)
                expectedGain[j] += g[j] * xh[j]
                expectedBias[j] += g[j]
            }
        }

        let tape = Tape<Float>()
        let input = tape.input(x), gainLeaf = tape.input(gain), biasLeaf = tape.input(bias)
        let y = input.layerNorm(gain: gainLeaf, bias: biasLeaf, epsilon: epsilon)
        tape.backward(from: y, seed: seed)
        #expect(y.value.scalars.map(\.bitPattern) == expected.map(\.bitPattern))
        #expect(input.gradient?.scalars.map(\.bitPattern) == expectedDx.map(\.bitPattern))
        #expect(gainLeaf.gradient?.scalars.map(\.bitPattern) == expectedGain.map(\.bitPattern))
        #expect(biasLeaf.gradient?.scalars.map(\.bitPattern) == expectedBias.map(\.bitPattern))

        // An input that another op consumes too (a residual stream): the kernel adds the norm's gradient onto the
        // one that reached the input first, exactly as the tape's separate addition did.
        let residual = Tape<Float>()
        let stream = residual.input(x)
        let sum = stream.layerNorm(gain: residual.input(gain), bias: residual.input(bias), epsilon: epsilon) + stream
        residual.backward(from: sum, seed: seed)
        let expectedTotal = zip(seed.scalars, expectedDx).map { $0 + $1 }
        #expect(stream.gradient?.scalars.map(\.bitPattern) == expectedTotal.map(\.bitPattern))

        // Without gain and bias the output is the normalized input itself.
        let bare = Tape<Float>()
        let plain = bare.input(x).layerNorm(epsilon: epsilon)
        #expect(plain.value.scalars.map(\.bitPattern) == normalized.map(\.bitPattern))
    }
}
