import Testing
@testable import MaxP

@Suite("Composed expressions")
struct CompositionTests {
    @Test func variableUsedTwiceAccumulatesGradients() {
        // x feeds a product with itself, a residual and a matmul: three paths into one gradient.
        let x = randomTensor([3, 4], seed: 1)
        let w = randomTensor([4, 4], seed: 2)
        expectGradientsMatch([x, w]) { v in
            let h = (v[0] * v[0]).matmul(v[1]).tanh() + v[0]
            // (Summing a layer-normed row along its last axis would give exactly 0: reduce over rows instead.)
            return h.layerNorm(gain: nil, bias: nil).sum(alongAxis: 0)
        }
    }

    @Test func tinyAttentionBlock() {
        // x [B=1, T=3, d=4]; heads H=2, D=2: q/k/v projections, split heads, causal softmax, merge, loss.
        let x = randomTensor([1, 3, 4], seed: 3)
        let wq = randomTensor([4, 4], seed: 4), wk = randomTensor([4, 4], seed: 5), wv = randomTensor([4, 4], seed: 6)
        expectGradientsMatch([x, wq, wk, wv]) { v in
            func heads(_ t: Variable<Double>) -> Variable<Double> { t.reshaped([1, 3, 2, 2]).transposed(1, 2) }
            let q = heads(v[0].linear(weight: v[1])), k = heads(v[0].linear(weight: v[2]))
            let value = heads(v[0].linear(weight: v[3]))
            let scores = q.matmul(k, transposeOther: true).scaled(by: 0.5).causalMasked().softmax()
            let merged = scores.matmul(value).transposed(1, 2).reshaped([1, 3, 4])
            return merged.rmsNorm(gain: nil).crossEntropy(targets: [0, 3, 1])
        }
    }

    @Test func parameterReadTwiceGetsOneAccumulatedGradient() {
        let tape = Tape<Double>()
        let p = Parameter(Tensor<Double>(shape: [2], scalars: [1, 2]))
        let a = tape.parameter(p), b = tape.parameter(p)
        (a * b + a).sum().backward()
        // d/dp Σ (p² + p) = 2p + 1
        #expect(p.gradient?.scalars == [3, 5])
    }

    @Test func floatAgreesWithDouble() {
        let x = randomTensor([2, 3, 4], seed: 7), w = randomTensor([5, 4], seed: 8), g = randomTensor([5], seed: 9)
        func run<S: TensorScalar>(_: S.Type) -> (loss: Double, grad: [Double]) {
            let tape = Tape<S>()
            let xv = tape.input(x.converted(to: S.self))
            let h = xv.linear(weight: tape.input(w.converted(to: S.self))).gelu()
                .layerNorm(gain: tape.input(g.converted(to: S.self)), bias: nil)
            let loss = h.crossEntropy(targets: [0, 1, 2, 3, 4, 0])
            loss.backward()
            return (Double(loss.value.scalar), tape.gradient(of: xv)!.scalars.map { Double($0) })
        }
        let single = run(Float.self), double = run(Double.self)
        #expect(Swift.abs(single.loss - double.loss) < 1e-5)
        for (a, b) in zip(single.grad, double.grad) { #expect(Swift.abs(a - b) < 1e-5) }
    }
}
