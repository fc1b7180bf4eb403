import Foundation
import Testing
@testable import MaxP

@Suite("Softmax and log-softmax")
struct SoftmaxTests {
    @Test func gradients() {
        let x = randomTensor([2, 3, 5], seed: 1, standardDeviation: 2)
        expectGradientsMatch([x]) { v in v[0].softmax() }
        expectGradientsMatch([x]) { v in v[0].logSoftmax() }
    }

    @Test func rowsSumToOneAndLogSoftmaxIsLogOfSoftmax() {
        let x = randomTensor([4, 7], seed: 2, standardDeviation: 3)
        let tape = Tape<Double>(recordsGradients: false)
        let p = tape.input(x).softmax().value
        let logP = tape.input(x).logSoftmax().value
        for r in 0..<4 {
            let row = p.scalars[(r * 7)..<(r * 7 + 7)]
            #expect(Swift.abs(row.reduce(0, +) - 1) < 1e-14)
            #expect(row.allSatisfy { $0 > 0 })
        }
        for (a, b) in zip(logP.scalars, p.scalars) { #expect(Swift.abs(a - Foundation.log(b)) < 1e-13) }
    }

    @Test func stableForLargeInputs() {
        let tape = Tape<Float>(recordsGradients: false)
        let x = tape.input(Tensor(shape: [1, 3], scalars: [1000, 1001, -1000]))
        let p = x.softmax().value, logP = x.logSoftmax().value
        #expect(p.isFinite && logP.isFinite)
        #expect(Swift.abs(p.scalars[1] - 1 / (1 + Foundation.exp(-1))) < 1e-6)
        #expect(Swift.abs(logP.scalars[2] - (-2001 - Foundation.log(1 + Foundation.exp(-1)))) < 1e-3)
    }
}
