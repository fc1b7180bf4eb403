import Testing
@testable import MaxP

@Suite("Optimizers vs hand-computed updates")
struct OptimizerTests {
    /// One parameter `p = [1, -2, 0.5]` in a group named `w`.
    func makeParameter<S: TensorScalar>(_: S.Type = S.self) -> Parameter<S> {
        Parameter(Tensor(shape: [3], scalars: [1, -2, 0.5]))
    }

    func expectClose(_ actual: [Double], _ expected: [Double], tolerance: Double = 1e-12,
                     sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(actual.count == expected.count, sourceLocation: sourceLocation)
        for (a, e) in zip(actual, expected) {
            #expect(abs(a - e) <= tolerance * max(1, abs(e)), "got \(actual), expected \(expected)",
                    sourceLocation: sourceLocation)
        }
    }

    let g1: [Double] = [0.5, -1, 2]
    let g2: [Double] = [-0.25, 0.5, 1]

    @Test func adamBiasCorrectionOverTwoSteps() {
        let p = makeParameter(Double.self)
        let adam = Adam(groups: [ParameterGroup(name: "w", parameters: [("w", p)], learningRate: 0.1)])
        p.gradient = Tensor(shape: [3], scalars: g1)
        adam.step()
        // Step 1: m = 0.1·g, v = 0.001·g², m̂ = g, v̂ = g² ⇒ p −= 0.1 · g / (|g| + 1e-8).
        let p1 = [1 - 0.1 * 0.5 / (0.5 + 1e-8), -2 + 0.1 * 1 / (1 + 1e-8), 0.5 - 0.1 * 2 / (2 + 1e-8)]
        expectClose(p.value.scalars, p1)
        p.gradient = Tensor(shape: [3], scalars: g2)
        adam.step()
        // Step 2 by hand.
        var expected: [Double] = []
        for i in 0..<3 {
            let m = 0.9 * (0.1 * g1[i]) + 0.1 * g2[i]
            let v = 0.999 * (0.001 * g1[i] * g1[i]) + 0.001 * g2[i] * g2[i]
            let mHat = m / (1 - 0.81)
            let vHat = v / (1 - 0.999 * 0.999)
            expected.append(p1[i] - 0.1 * mHat / (vHat.squareRoot() + 1e-8))
        }
        expectClose(p.value.scalars, expected, tolerance: 1e-12)
        #expect(adam.saveState().parameters["w"]?.step == 2)
    }

    @Test func adamCoupledWeightDecayAddsToGradient() {
        let p = makeParameter(Double.self)
        let adam = Adam(groups: [ParameterGroup(name: "w", parameters: [("w", p)], learningRate: 0.01, weightDecay: 0.5)])
        p.gradient = Tensor(shape: [3], scalars: [0, 0, 0])
        adam.step()
        // Effective gradient 0.5·p ⇒ first step moves by lr·sign(p).
        expectClose(p.value.scalars, [1 - 0.01, -2 + 0.01, 0.5 - 0.01], tolerance: 1e-7)
    }

    @Test func adamWDecoupledDecay() {
        let p = makeParameter(Double.self)
        let adamW = AdamW(groups: [ParameterGroup(name: "w", parameters: [("w", p)], learningRate: 0.1, weightDecay: 0.2)])
        p.gradient = Tensor(shape: [3], scalars: g1)
        adamW.step()
        let start: [Double] = [1, -2, 0.5]
        var expected: [Double] = []
        for i in 0..<3 {
            let decayed: Double = start[i] * (1 - 0.1 * 0.2)
            let update: Double = 0.1 * g1[i] / (abs(g1[i]) + 1e-8)
            expected.append(decayed - update)
        }
        expectClose(p.value.scalars, expected)
        // With a zero gradient only the decay acts... and the moments of step 1.
        p.gradient = Tensor(zeros: [3])
        adamW.step()
        var second: [Double] = []
        for i in 0..<3 {
            let m: Double = 0.9 * 0.1 * g1[i]
            let v: Double = 0.999 * 0.001 * g1[i] * g1[i]
            let vHat: Double = v / (1 - 0.999 * 0.999)
            let update: Double = 0.1 * (m / 0.19) / (vHat.squareRoot() + 1e-8)
            second.append(expected[i] * (1 - 0.02) - update)
        }
        expectClose(p.value.scalars, second)
    }

    @Test func sgdMomentumOverTwoSteps() {
        let p = makeParameter(Double.self)
        let sgd = SGD(
            groups: [ParameterGroup(name: "w", parameters: [("w", p)], learningRate: 0.1, weightDecay: 0.01)],
            momentum: 0.9)
        p.gradient = Tensor(shape: [3], scalars: g1)
        sgd.step()
        let p0: [Double] = [1, -2, 0.5]
        let b1 = (0..<3).map { g1[$0] + 0.01 * p0[$0] }
        let p1 = (0..<3).map { p0[$0] - 0.1 * b1[$0] }
        expectClose(p.value.scalars, p1)
        p.gradient = Tensor(shape: [3], scalars: g2)
        sgd.groups[0].learningRate = 0.05  // learning rates can change between steps
        sgd.step()
        let b2 = (0..<3).map { 0.9 * b1[$0] + (g2[$0] + 0.01 * p1[$0]) }
        expectClose(p.value.scalars, (0..<3).map { p1[$0] - 0.05 * b2[$0] })
    }

    @Test func sgdNesterovAndPlain() {
        let p = makeParameter(Double.self)
        let nesterov = SGD(
            groups: [ParameterGroup(name: "w", parameters: [("w", p)], learningRate: 0.1)], momentum: 0.5,
            nesterov: true)
        p.gradient = Tensor(shape: [3], scalars: g1)
        nesterov.step()
        p.gradient = Tensor(shape: [3], scalars: g2)
        nesterov.step()
        let p0: [Double] = [1, -2, 0.5]
        let expected = (0..<3).map { i -> Double in
            let b1 = g1[i], p1 = p0[i] - 0.1 * (g1[i] + 0.5 * b1)
            let b2 = 0.5 * b1 + g2[i]
            return p1 - 0.1 * (g2[i] + 0.5 * b2)
        }
        expectClose(p.value.scalars, expected)

        let q = makeParameter(Double.self)
        let plain = SGD(groups: [ParameterGroup(name: "q", parameters: [("q", q)], learningRate: 0.5)])
        q.gradient = Tensor(shape: [3], scalars: g1)
        plain.step()
        expectClose(q.value.scalars, [0.75, -1.5, -0.5])
        #expect(plain.saveState().parameters["q"]?.buffers.isEmpty == true)
    }

    @Test func parametersWithoutGradientAreSkipped() {
        let p = makeParameter(Double.self), q = makeParameter(Double.self)
        let adam = Adam(groups: [
            ParameterGroup(name: "a", parameters: [("p", p)], learningRate: 0.1),
            ParameterGroup(name: "b", parameters: [("q", q)], learningRate: 0.1),
        ])
        p.gradient = Tensor(shape: [3], scalars: g1)
        adam.step()
        #expect(q.value.scalars == [1, -2, 0.5])
        #expect(adam.saveState().parameters["q"] == nil)
        adam.zeroGradients()
        #expect(p.gradient == nil)
    }

    @Test func floatKernelsMatchDoubleKernels() {
        let pf = makeParameter(Float.self), pd = makeParameter(Double.self)
        let adamF = AdamW(groups: [ParameterGroup(name: "w", parameters: [("w", pf)], learningRate: 0.01, weightDecay: 0.1)])
        let adamD = AdamW(groups: [ParameterGroup(name: "w", parameters: [("w", pd)], learningRate: 0.01, weightDecay: 0.1)])
        for g in [g1, g2, g1] {
            pf.gradient = Tensor(shape: [3], scalars: g.map { Float($0) })
            pd.gradient = Tensor(shape: [3], scalars: g)
            adamF.step()
            adamD.step()
        }
        expectClose(pf.value.scalars.map(Double.init), pd.value.scalars, tolerance: 1e-6)
    }

    @Test func stateRoundTripAndErrors() throws {
        let p = makeParameter(Double.self)
        let adam = Adam(groups: [ParameterGroup(name: "w", parameters: [("w", p)], learningRate: 0.1)])
        p.gradient = Tensor(shape: [3], scalars: g1)
        adam.step()
        let saved = adam.saveState()
        adam.groups[0].learningRate = 5
        adam.step()
        try adam.loadState(saved)
        #expect(adam.groups[0].learningRate == 0.1)
        #expect(adam.saveState() == saved)

        let sgd = SGD(groups: [ParameterGroup(name: "w", parameters: [("w", p)], learningRate: 0.1)], momentum: 0.9)
        #expect(throws: OptimizerError.algorithmMismatch(expected: "sgd", found: "adam")) { try sgd.loadState(saved) }
        var foreign = saved
        foreign.parameters["blocks.0.attn.q.weight"] = foreign.parameters["w"]
        #expect(throws: OptimizerError.unknownParameter(name: "blocks.0.attn.q.weight")) { try adam.loadState(foreign) }
        var wrongShape = saved
        wrongShape.parameters["w"]!.buffers["firstMoment"] = Tensor(zeros: [4])
        #expect(throws: OptimizerError.shapeMismatch(parameter: "w", buffer: "firstMoment", expected: [3], found: [4])) {
            try adam.loadState(wrongShape)
        }
        #expect(adam.saveState() == saved)  // nothing changed on error
    }
}
