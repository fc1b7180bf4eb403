import Foundation
import Testing
@testable import MaxP

@Suite("Losses")
struct LossTests {
    @Test func crossEntropyGradient() {
        expectGradientsMatch([randomTensor([4, 5], seed: 1, standardDeviation: 2)]) { v in
            v[0].crossEntropy(targets: [0, 4, 2, 2])
        }
        // Rank-3 logits [B, T, V] are flattened to [B·T, V].
        expectGradientsMatch([randomTensor([2, 3, 4], seed: 2)]) { v in
            v[0].crossEntropy(targets: [3, 0, 1, 1, 2, 3])
        }
    }

    @Test func meanSquaredErrorGradient() {
        let target = randomTensor([3, 4], seed: 3)
        expectGradientsMatch([randomTensor([3, 4], seed: 4)]) { v in v[0].meanSquaredError(target: target) }
    }

    @Test func crossEntropyOfUniformLogitsIsLogVocabulary() {
        let v = 7
        let tape = Tape<Double>()
        let logits = tape.input(Tensor(repeating: 0.25, shape: [3, v]))
        let loss = logits.crossEntropy(targets: [0, 3, 6])
        #expect(loss.shape == [])
        #expect(Swift.abs(loss.value.scalar - Foundation.log(Double(v))) < 1e-14)
        loss.backward()
        // (softmax − onehot) / N
        let g = tape.gradient(of: logits)!
        #expect(Swift.abs(g.scalars[0] - (1.0 / 7 - 1) / 3) < 1e-15)
        #expect(Swift.abs(g.scalars[1] - (1.0 / 7) / 3) < 1e-15)
    }

    @Test func crossEntropyMatchesNegativeLogSoftmaxOfTarget() {
        let x = randomTensor([2, 3], seed: 5, standardDeviation: 3)
        let tape = Tape<Double>(recordsGradients: false)
        let loss = tape.input(x).crossEntropy(targets: [1, 2]).value.scalar
        let logP = x.logSoftmaxAlongLastAxis()
        #expect(Swift.abs(loss - -(logP.scalars[1] + logP.scalars[5]) / 2) < 1e-14)
    }

    @Test func meanSquaredErrorClosedForm() {
        let tape = Tape<Double>(recordsGradients: false)
        let loss = tape.input(Tensor(shape: [2, 2], scalars: [1, 2, 3, 4]))
            .meanSquaredError(target: Tensor(shape: [2, 2], scalars: [0, 2, 5, 4]))
        #expect(loss.value.scalar == 1.25)
    }
}
