import Testing
@testable import MaxP

@Suite("Layer norm and RMS norm")
struct NormalizationTests {
    @Test(arguments: [(false, false), (true, false), (false, true), (true, true)])
    func layerNormGradients(withGain: Bool, withBias: Bool) {
        let x = randomTensor([2, 3, 5], seed: 1, mean: 0.5, standardDeviation: 2)
        var inputs = [x]
        if withGain { inputs.append(randomTensor([5], seed: 2, mean: 1)) }
        if withBias { inputs.append(randomTensor([5], seed: 3)) }
        expectGradientsMatch(inputs) { v in
            let gain = withGain ? v[1] : nil
            let bias = withBias ? v[withGain ? 2 : 1] : nil
            return v[0].layerNorm(gain: gain, bias: bias)
        }
    }

    @Test(arguments: [false, true])
    func rmsNormGradients(withGain: Bool) {
        let x = randomTensor([2, 3, 5], seed: 4, mean: 0.3, standardDeviation: 2)
        let inputs = withGain ? [x, randomTensor([5], seed: 5, mean: 1)] : [x]
        expectGradientsMatch(inputs) { v in v[0].rmsNorm(gain: withGain ? v[1] : nil) }
    }

    @Test func layerNormOutputHasMeanZeroVarianceOne() {
        let x = randomTensor([4, 16], seed: 6, mean: 3, standardDeviation: 5)
        let tape = Tape<Double>(recordsGradients: false)
        let y = tape.input(x).layerNorm(gain: nil, bias: nil, epsilon: 0).value
        for r in 0..<4 {
            let row = Array(y.scalars[(r * 16)..<(r * 16 + 16)])
            let mean = row.reduce(0, +) / 16
            let variance = row.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 16
            #expect(Swift.abs(mean) < 1e-14)
            #expect(Swift.abs(variance - 1) < 1e-12)
        }
    }

    @Test func rmsNormOutputHasUnitMeanSquareAndAppliesGain() {
        let x = randomTensor([3, 8], seed: 7, mean: 1, standardDeviation: 4)
        let tape = Tape<Double>(recordsGradients: false)
        let y = tape.input(x).rmsNorm(gain: nil, epsilon: 0).value
        for r in 0..<3 {
            let meanSquare = y.scalars[(r * 8)..<(r * 8 + 8)].map { $0 * $0 }.reduce(0, +) / 8
            #expect(Swift.abs(meanSquare - 1) < 1e-12)
        }
        let gain = Tensor<Double>(shape: [8], scalars: (0..<8).map { Double($0) })
        let scaled = tape.input(x).rmsNorm(gain: tape.input(gain), epsilon: 0).value
        for i in 0..<24 { #expect(Swift.abs(scaled.scalars[i] - y.scalars[i] * Double(i % 8)) < 1e-12) }
    }
}
