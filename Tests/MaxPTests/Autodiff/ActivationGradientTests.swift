import Foundation
import Testing
@testable import MaxP

@Suite("Activation gradients and values")
struct ActivationGradientTests {
    @Test func reluAwayFromKink() {
        let x = randomTensorAwayFromZero([3, 5], seed: 1)
        expectGradientsMatch([x]) { v in v[0].relu() }
    }

    @Test func gelu() {
        expectGradientsMatch([randomTensor([3, 5], seed: 2, standardDeviation: 2)]) { v in v[0].gelu() }
    }

    @Test func silu() {
        expectGradientsMatch([randomTensor([3, 5], seed: 3, standardDeviation: 3)]) { v in v[0].silu() }
    }

    @Test func tanh() {
        expectGradientsMatch([randomTensor([3, 5], seed: 4)]) { v in v[0].tanh() }
    }

    @Test func closedFormValues() {
        let tape = Tape<Double>(recordsGradients: false)
        let x = tape.input(Tensor(shape: [4], scalars: [-1, 0, 1, 2]))
        let gelu = x.gelu().value.scalars
        let expectedGelu = [-1.0, 0, 1, 2].map { $0 * 0.5 * (1 + Foundation.erf($0 / 2.0.squareRoot())) }
        for (a, b) in zip(gelu, expectedGelu) { #expect(Swift.abs(a - b) < 1e-15) }
        #expect(Swift.abs(gelu[2] - 0.8413447460685429) < 1e-12)
        let silu = x.silu().value.scalars
        for (a, v) in zip(silu, [-1.0, 0, 1, 2]) { #expect(Swift.abs(a - v / (1 + Foundation.exp(-v))) < 1e-15) }
        #expect(x.tanh().value.scalars.map { ($0 * 1e12).rounded() / 1e12 } == [-1.0, 0, 1, 2].map { (Foundation.tanh($0) * 1e12).rounded() / 1e12 })
        // SiLU stays finite in both tails.
        let extreme = tape.input(Tensor(shape: [2], scalars: [-1000, 1000])).silu().value
        #expect(extreme.isFinite && extreme.scalars[1] == 1000 && Swift.abs(extreme.scalars[0]) < 1e-300)
    }
}
