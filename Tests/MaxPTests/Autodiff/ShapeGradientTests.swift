import Testing
@testable import MaxP

@Suite("Shape op gradients")
struct ShapeGradientTests {
    @Test func reshape() {
        let x = randomTensor([2, 3, 4], seed: 1)
        expectGradientsMatch([x]) { v in v[0].reshaped([6, 4]) }
        expectGradientsMatch([x]) { v in v[0].reshaped([4, -1]) }
        let tape = Tape<Double>()
        #expect(tape.input(x).reshaped([-1, 2]).shape == [12, 2])
    }

    @Test(arguments: [([2, 3, 4], 0, 2), ([2, 3, 4, 5], 1, 2), ([2, 3, 2, 3], 0, 3), ([2, 3, 4, 2], -1, 1), ([3, 4], 0, 1)])
    func transposeAnyAxes(shape: [Int], axis0: Int, axis1: Int) {
        let x = randomTensor(shape, seed: 2)
        expectGradientsMatch([x]) { v in v[0].transposed(axis0, axis1) }
    }

    @Test func transposeMatchesIndexFormula() {
        // [B, T, H, D] → [B, H, T, D]
        let shape = [2, 3, 4, 5]
        let x = randomTensor(shape, seed: 3)
        let y = x.transposed(1, 2)
        #expect(y.shape == [2, 4, 3, 5])
        for b in 0..<2 {
            for t in 0..<3 {
                for h in 0..<4 {
                    for d in 0..<5 {
                        #expect(y.scalars[((b * 4 + h) * 3 + t) * 5 + d] == x.scalars[((b * 3 + t) * 4 + h) * 5 + d])
                    }
                }
            }
        }
        #expect(y.transposed(2, 1) == x)
        // Non-adjacent axes: [A, B, C] → [C, B, A]
        let z = randomTensor([2, 3, 4], seed: 4)
        let zt = z.transposed(0, 2)
        for i in 0..<2 {
            for j in 0..<3 {
                for k in 0..<4 { #expect(zt.scalars[(k * 3 + j) * 2 + i] == z.scalars[(i * 3 + j) * 4 + k]) }
            }
        }
    }

    @Test func concatenation() {
        let a = randomTensor([2, 3, 2], seed: 5), b = randomTensor([2, 1, 2], seed: 6)
        expectGradientsMatch([a, b]) { v in v[0].concatenated(with: v[1], alongAxis: 1) }
        let c = randomTensor([2, 3, 3], seed: 7)
        expectGradientsMatch([a, c]) { v in v[0].concatenated(with: v[1], alongAxis: -1) }
        let tape = Tape<Double>()
        let joined = tape.input(Tensor(shape: [2, 1], scalars: [1, 2]))
            .concatenated(with: tape.input(Tensor(shape: [2, 2], scalars: [3, 4, 5, 6])), alongAxis: 1)
        #expect(joined.value == Tensor(shape: [2, 3], scalars: [1, 3, 4, 2, 5, 6]))
    }
}
