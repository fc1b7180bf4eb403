import Foundation
import Testing
@testable import MaxP

@Suite("Adafactor")
struct AdafactorTests {
    /// RMS of `values`.
    func rms(_ values: [Double]) -> Double { (values.reduce(0) { $0 + $1 * $1 } / Double(values.count)).squareRoot() }

    @Test func firstStepOfARankOneGradientIsTheParameterScaledSign() {
        // At t = 1, β̂₂ = 0 and the factored estimate of a rank-one G = u·vᵀ is exact: V̂ = G², U = sign(G), no clip.
        let w0: [Double] = [0.3, -0.2, 0.5, 0.1, -0.4, 0.25]
        let u: [Double] = [2, -0.5], v: [Double] = [1, -3, 0.25]
        let g = (0..<2).flatMap { i in (0..<3).map { j in u[i] * v[j] } }
        let parameter = Parameter(Tensor<Double>(shape: [2, 3], scalars: w0))
        parameter.gradient = Tensor(shape: [2, 3], scalars: g)
        let lr = 0.1, decay = 0.01
        let optimizer = Adafactor(groups: [ParameterGroup(name: "w", parameters: [("w", parameter)], learningRate: lr,
                                                          weightDecay: decay)])
        optimizer.step()
        let scale = max(1e-3, rms(w0))
        for k in 0..<6 {
            let expected = w0[k] - lr * decay * w0[k] - lr * scale * (g[k] > 0 ? 1 : -1)
            #expect(abs(parameter.value.scalars[k] - expected) < 1e-12, "entry \(k)")
        }
    }

    @Test func aZeroParameterMovesByEpsilon2() {
        let parameter = Parameter(Tensor<Double>(zeros: [4]))
        parameter.gradient = Tensor(shape: [4], scalars: [1, -2, 3, -4])
        let optimizer = Adafactor(groups: [ParameterGroup(name: "b", parameters: [("b", parameter)], learningRate: 0.5)])
        optimizer.step()
        #expect(parameter.value.scalars.map { ($0 * 1e8).rounded() / 1e8 } == [-0.0005, 0.0005, -0.0005, 0.0005])
    }

    @Test func updateClippingBoundsTheStepAtTheParameterScale() {
        // Step 2 after a tiny first gradient: V ≈ (1 − β̂₂) G², so |U| = 1/√(1 − β̂₂) > 1 and clipping rescales Û to
        // rms 1: the step is exactly lr · max(ε₂, rms(W₁)) in rms.
        let parameter = Parameter(Tensor<Double>(shape: [4], scalars: [1, -1, 2, -2]))
        let optimizer = Adafactor(groups: [ParameterGroup(name: "b", parameters: [("b", parameter)], learningRate: 0.01)])
        parameter.gradient = Tensor(shape: [4], scalars: [1e-6, 1e-6, 1e-6, 1e-6])
        optimizer.step()
        let w1 = parameter.value.scalars
        parameter.gradient = Tensor(shape: [4], scalars: [10, -20, 30, -40])
        optimizer.step()
        let step = zip(parameter.value.scalars, w1).map { $0 - $1 }
        #expect(abs(rms(step) - 0.01 * rms(w1)) < 1e-12)
        #expect(step[0] < 0 && step[1] > 0)
    }

    @Test func stateRoundTrips() throws {
        let parameter = Parameter(Tensor<Double>(shape: [2, 2], scalars: [1, 2, 3, 4]))
        let optimizer = Adafactor(groups: [ParameterGroup(name: "w", parameters: [("w", parameter)], learningRate: 0.1)])
        parameter.gradient = Tensor(shape: [2, 2], scalars: [1, -1, 2, 0.5])
        optimizer.step()
        let saved = optimizer.saveState()
        #expect(saved.algorithm == "adafactor")
        #expect(saved.parameters["w"]?.buffers.keys.sorted() == ["columnMoment", "rowMoment"])
        let copy = Adafactor(groups: [ParameterGroup(name: "w", parameters: [("w", parameter)], learningRate: 0.1)])
        try copy.loadState(saved)
        #expect(copy.saveState() == saved)
    }
}

@Suite("Gradient norm clipping")
struct GradientNormClippingTests {
    @Test func clipsTheGlobalNormAcrossGroupsAndLeavesSmallGradientsAlone() {
        let a = Parameter(Tensor<Double>(zeros: [1])), b = Parameter(Tensor<Double>(zeros: [1]))
        a.gradient = Tensor(shape: [1], scalars: [3])
        b.gradient = Tensor(shape: [1], scalars: [4])
        let sgd = SGD(groups: [ParameterGroup(name: "a", parameters: [("a", a)], learningRate: 1),
                               ParameterGroup(name: "b", parameters: [("b", b)], learningRate: 1)])
        let clipped = GradientNormClipping(sgd, maxNorm: 1)
        clipped.step()
        #expect(clipped.lastNorm == 5)
        // The update is the clipped gradient: (3, 4) / 5 · 1/(1 + 2e-7), norm just below 1.
        let norm = (a.value.scalars[0] * a.value.scalars[0] + b.value.scalars[0] * b.value.scalars[0]).squareRoot()
        #expect(norm <= 1 && norm > 1 - 1e-6)
        #expect(abs(a.value.scalars[0] / b.value.scalars[0] - 0.75) < 1e-12)

        a.gradient = Tensor(shape: [1], scalars: [0.3])
        b.gradient = Tensor(shape: [1], scalars: [0.4])
        #expect(GradientNormClipping.clip(sgd.groups, maxNorm: 1) == 0.5)
        #expect(a.gradient?.scalars == [0.3] && b.gradient?.scalars == [0.4])
    }
}
