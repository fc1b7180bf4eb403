import Testing
@testable import MaxP

@Suite("Reduction gradients")
struct ReductionGradientTests {
    @Test func sumAndMeanOfAllElements() {
        let x = randomTensor([2, 3, 4], seed: 1)
        expectGradientsMatch([x]) { v in v[0].sum() }
        expectGradientsMatch([x]) { v in v[0].mean() }
        let tape = Tape<Double>()
        let s = tape.input(x).sum(), m = tape.input(x).mean()
        #expect(s.shape == [] && m.shape == [])
        #expect(Swift.abs(s.value.scalar - x.scalars.reduce(0, +)) < 1e-12)
        #expect(Swift.abs(m.value.scalar - x.scalars.reduce(0, +) / 24) < 1e-12)
    }

    @Test(arguments: [0, 1, 2, -1])
    func sumAndMeanAlongAxis(axis: Int) {
        let x = randomTensor([2, 3, 4], seed: 2)
        expectGradientsMatch([x]) { v in v[0].sum(alongAxis: axis) }
        expectGradientsMatch([x]) { v in v[0].mean(alongAxis: axis) }
    }

    @Test func sumAlongAxisForwardValues() {
        let tape = Tape<Double>()
        let x = tape.input(Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6]))
        #expect(x.sum(alongAxis: 0).value == Tensor(shape: [3], scalars: [5, 7, 9]))
        #expect(x.sum(alongAxis: 1).value == Tensor(shape: [2], scalars: [6, 15]))
        #expect(x.mean(alongAxis: -1).value == Tensor(shape: [2], scalars: [2, 5]))
    }
}
