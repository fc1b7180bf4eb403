import Testing
@testable import MaxP

@Suite("Matrix product gradients")
struct MatrixProductGradientTests {
    init() { BLASThreads.set(1) }

    @Test(arguments: [(false, false), (true, false), (false, true), (true, true)])
    func matmulRank2AllTransposes(transposeSelf: Bool, transposeOther: Bool) {
        let a = randomTensor(transposeSelf ? [4, 3] : [3, 4], seed: 1)
        let b = randomTensor(transposeOther ? [5, 4] : [4, 5], seed: 2)
        expectGradientsMatch([a, b]) { v in
            v[0].matmul(v[1], transposeSelf: transposeSelf, transposeOther: transposeOther)
        }
    }

    @Test(arguments: [(false, false), (true, false), (false, true), (true, true)])
    func matmulBatchedRank3(transposeSelf: Bool, transposeOther: Bool) {
        let a = randomTensor(transposeSelf ? [2, 4, 3] : [2, 3, 4], seed: 3)
        let b = randomTensor(transposeOther ? [2, 5, 4] : [2, 4, 5], seed: 4)
        expectGradientsMatch([a, b]) { v in
            v[0].matmul(v[1], transposeSelf: transposeSelf, transposeOther: transposeOther)
        }
    }

    @Test(arguments: [(false, false), (false, true), (true, true)])
    func matmulBatchedRank4(transposeSelf: Bool, transposeOther: Bool) {
        let a = randomTensor(transposeSelf ? [2, 2, 3, 2] : [2, 2, 2, 3], seed: 5)
        let b = randomTensor(transposeOther ? [2, 2, 2, 3] : [2, 2, 3, 2], seed: 6)
        expectGradientsMatch([a, b]) { v in
            v[0].matmul(v[1], transposeSelf: transposeSelf, transposeOther: transposeOther)
        }
    }

    @Test func linearOnRank3Input() {
        let x = randomTensor([2, 3, 4], seed: 7)
        let w = randomTensor([5, 4], seed: 8)
        expectGradientsMatch([x, w]) { v in v[0].linear(weight: v[1]) }
    }

    @Test func batchedMatmulMatchesPerBatchProducts() {
        let a = randomTensor([2, 3, 4], seed: 9), b = randomTensor([2, 4, 2], seed: 10)
        let tape = Tape<Double>(recordsGradients: false)
        let c = tape.input(a).matmul(tape.input(b)).value
        for batch in 0..<2 {
            for i in 0..<3 {
                for j in 0..<2 {
                    var s = 0.0
                    for k in 0..<4 { s += a.scalars[batch * 12 + i * 4 + k] * b.scalars[batch * 8 + k * 2 + j] }
                    #expect(Swift.abs(c.scalars[batch * 6 + i * 2 + j] - s) < 1e-12)
                }
            }
        }
    }
}
