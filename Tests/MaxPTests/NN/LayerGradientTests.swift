import Testing
@testable import MaxP

@Suite("Layer gradients vs finite differences")
struct LayerGradientTests {
    /// Asserts every compared entry is within 1e-6 relative error and that some gradient was non-zero.
    func expectAccurate(_ results: [GradientDiscrepancy], sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(!results.isEmpty, sourceLocation: sourceLocation)
        #expect(results.contains { abs($0.analytic) > 1e-3 }, "all gradients vanish", sourceLocation: sourceLocation)
        for result in results where result.relativeError >= 1e-6 {
            Issue.record("gradient mismatch: \(result)", sourceLocation: sourceLocation)
        }
    }

    func input(_ shape: [Int], seed: UInt64 = 11) -> Tensor<Double> {
        var generator = SeededGenerator(seed: seed)
        return .randomNormal(shape: shape, using: &generator)
    }

    @Test(arguments: [true, false])
    func linear(bias: Bool) {
        var generator = SeededGenerator(seed: 1)
        let layer = Linear<Double>(inputFeatures: 5, outputFeatures: 4, bias: bias, using: &generator)
        perturbParameters(of: layer)
        let x = input([2, 3, 5])
        expectAccurate(checkParameterGradients(of: layer) { tape in layer(tape.input(x)) })
    }

    /// A biased layer whose input already has a gradient (the input feeds two layers) adds its own onto it — by the
    /// GEMM itself up to ``singleBlockContraction`` outputs, by a separate addition beyond: `∂(ΣA(x) + ΣB(x))/∂x` is
    /// every row's column sums of `W_A + W_B`.
    @Test(arguments: [4, singleBlockContraction + 44])
    func biasedLayerAddsOntoAnEarlierInputGradient(outputs: Int) {
        var generator = SeededGenerator(seed: 3)
        let a = Linear<Double>(inputFeatures: 5, outputFeatures: outputs, bias: true, using: &generator)
        let b = Linear<Double>(inputFeatures: 5, outputFeatures: outputs, bias: true, using: &generator)
        let tape = Tape<Double>()
        let x = tape.input(input([3, 5]))
        (a(x).sum() + b(x).sum()).backward()
        let gradient = tape.gradient(of: x)!
        for column in 0..<5 {
            let expected = (0..<outputs).reduce(0.0) { $0 + a.weight.value.scalars[$1 * 5 + column]
                + b.weight.value.scalars[$1 * 5 + column] }
            for row in 0..<3 {
                #expect(abs(gradient.scalars[row * 5 + column] - expected) <= 1e-12 * Double(outputs), "row \(row), column \(column)")
            }
        }
    }

    @Test func linearAsParametrizedOpWithMultiplier() {
        var generator = SeededGenerator(seed: 2)
        let layer = Linear<Double>(inputFeatures: 4, outputFeatures: 3, using: &generator)
        layer.path = "fc"
        layer.role = "hidden"
        layer.multiplier = 0.37
        perturbParameters(of: layer)
        let x = input([6, 4])
        expectAccurate(checkParameterGradients(of: layer) { tape in layer(tape.input(x)) })
        // The forward is recorded as one parametrized op named by the path, with the multiplier applied.
        let tape = Tape<Double>()
        let y = layer(tape.input(x))
        #expect(y.site == "fc")
        #expect(tape.nodes[y.id].kind == .parametrized)
        #expect(tape.nodes[y.id].role == "hidden")
        layer.role = nil
        let plain = layer(Tape<Double>().input(x))
        #expect(plain.value == y.value)
        layer.multiplier = 1
        let unscaled = layer(Tape<Double>().input(x))
        #expect(abs(unscaled.value.scalars[0] * 0.37 - y.value.scalars[0]) < 1e-12)
    }

    @Test func embedding() {
        var generator = SeededGenerator(seed: 3)
        let layer = Embedding<Double>(vocabulary: 7, width: 4, using: &generator)
        layer.role = "embedding"
        layer.multiplier = 2
        let ids = [1, 3, 3, 6, 0, 1]
        expectAccurate(checkParameterGradients(of: layer) { tape in layer(ids, shape: [2, 3], on: tape) })
    }

    @Test(arguments: [(true, true), (true, false), (false, true), (false, false)])
    func layerNorm(gain: Bool, bias: Bool) {
        let layer = LayerNorm<Double>(width: 6, gain: gain, bias: bias)
        perturbParameters(of: layer)
        let x = input([2, 3, 6])
        // A following linear map keeps the check meaningful without parameters of the norm itself.
        var generator = SeededGenerator(seed: 4)
        let probe = Linear<Double>(inputFeatures: 6, outputFeatures: 2, using: &generator)
        if gain || bias {
            expectAccurate(checkParameterGradients(of: layer) { tape in layer(tape.input(x)) })
        }
        expectAccurate(checkParameterGradients(of: probe) { tape in probe(layer(tape.input(x)).tanh()) })
    }

    @Test func rmsNorm() {
        let layer = RMSNorm<Double>(width: 5)
        perturbParameters(of: layer)
        let x = input([4, 5])
        expectAccurate(checkParameterGradients(of: layer) { tape in layer(tape.input(x)) })
    }

    @Test(arguments: Activation.allCases)
    func mlp(activation: Activation) {
        var generator = SeededGenerator(seed: 5)
        let model = MLP<Double>(
            MLPConfiguration(inputDimension: 4, width: 6, depth: 3, outputDimension: 3, activation: activation),
            using: &generator)
        perturbParameters(of: model)
        let x = input([5, 4])
        expectAccurate(checkParameterGradients(of: model) { tape in model(tape.input(x)) })
    }

    @Test(arguments: [false, true])
    func attention(logitsAsParametrizedOp: Bool) {
        var generator = SeededGenerator(seed: 6)
        let attention = CausalSelfAttention<Double>(width: 8, heads: 2, using: &generator)
        attention.path = "attn"
        if logitsAsParametrizedOp {
            attention.logitsRole = "readout"
            attention.logitsMultiplier = 0.3
        }
        perturbParameters(of: attention)
        let x = input([2, 4, 8])
        expectAccurate(checkParameterGradients(of: attention) { tape in attention(tape.input(x)) })
    }

    @Test func transformerBlock() {
        var generator = SeededGenerator(seed: 7)
        let block = TransformerBlock<Double>(width: 8, heads: 2, mlpRatio: 2, using: &generator)
        block.assignPaths(prefix: "blocks.0")
        perturbParameters(of: block, scale: 0.1)
        let x = input([2, 3, 8])
        expectAccurate(checkParameterGradients(of: block) { tape in block(tape.input(x)) })
    }

    @Test func gptLogits() {
        var generator = SeededGenerator(seed: 8)
        let model = GPTModel<Double>(
            GPTConfiguration(vocabulary: 9, width: 8, depth: 2, heads: 2, sequenceLength: 5, mlpRatio: 2),
            using: &generator)
        perturbParameters(of: model, scale: 0.1)
        let tokens = [1, 4, 8, 0, 2, 2, 7, 3]
        expectAccurate(
            checkParameterGradients(of: model, entries: 2) { tape in
                model(tokens: tokens, batch: 2, seqLen: 4, on: tape)
            })
    }
}
