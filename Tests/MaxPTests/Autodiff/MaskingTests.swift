import Testing
@testable import MaxP

@Suite("Causal mask")
struct MaskingTests {
    @Test func gradientAlone() {
        expectGradientsMatch([randomTensor([2, 4, 4], seed: 1)]) { v in v[0].causalMasked() }
    }

    @Test func gradientComposedWithSoftmax() {
        expectGradientsMatch([randomTensor([2, 2, 4, 4], seed: 2, standardDeviation: 2)]) { v in
            v[0].causalMasked().softmax()
        }
    }

    @Test func maskedProbabilitiesAreExactlyZeroAndGradientsVanishThere() {
        let t = 4
        let tape = Tape<Double>()
        let scores = tape.input(randomTensor([2, t, t], seed: 3, standardDeviation: 3))
        let p = scores.causalMasked().softmax()
        #expect(p.value.isFinite)
        for m in 0..<2 {
            for row in 0..<t {
                var total = 0.0
                for col in 0..<t {
                    let v = p.value.scalars[(m * t + row) * t + col]
                    if col > row { #expect(v == 0) }
                    total += v
                }
                #expect(Swift.abs(total - 1) < 1e-14)
            }
        }
        tape.backward(from: p, seed: randomTensor([2, t, t], seed: 4))
        let g = tape.gradient(of: scores)!
        for m in 0..<2 {
            for row in 0..<t {
                for col in (row + 1)..<t { #expect(g.scalars[(m * t + row) * t + col] == 0) }
            }
        }
    }

    @Test func floatScoresStayFinite() {
        let tape = Tape<Float>(recordsGradients: false)
        let p = tape.input(Tensor(shape: [3, 3], scalars: [1, 2, 3, 4, 5, 6, 7, 8, 9])).causalMasked().softmax()
        #expect(p.value.isFinite)
        #expect(p.value.scalars[0] == 1 && p.value.scalars[1] == 0 && p.value.scalars[2] == 0)
    }
}
