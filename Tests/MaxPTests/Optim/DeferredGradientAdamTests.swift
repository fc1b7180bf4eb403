import Testing
@testable import MaxP

/// Adam taking a linear layer's weight gradient block by block (fused) against Adam on the materialized gradient:
/// the same parameters bit for bit after several steps, and the plain path wherever something else reads the gradient.
@Suite("Adam on deferred weight gradients")
struct DeferredGradientAdamTests {
    /// A two-layer network `4096 → 150 → 3` whose first weight is three blocks of rows (64 + 64 + 22).
    final class Network {
        let first: Parameter<Float>, second: Parameter<Float>
        let x: Tensor<Float>, target: Tensor<Float>

        init() {
            var generator = SeededGenerator(seed: 42)
            first = Parameter(.randomNormal(shape: [150, 4096], standardDeviation: 0.02, using: &generator))
            second = Parameter(.randomNormal(shape: [3, 150], standardDeviation: 0.1, using: &generator))
            x = .randomNormal(shape: [5, 4096], using: &generator)
            target = .randomNormal(shape: [5, 3], using: &generator)
        }

        var groups: [ParameterGroup<Float>] {
            [ParameterGroup(name: "all", parameters: [("first", first), ("second", second)], learningRate: 1e-2, weightDecay: 0.1)]
        }

        /// Forward and backward; with `materialize`, the gradients are read (the plain path) before the step.
        func step(_ optimizer: any Optimizer<Float>, materialize: Bool) {
            first.zeroGradient()
            second.zeroGradient()
            do {
                let tape = Tape<Float>()
                let input = tape.input(x, requiresGradient: false)
                let hidden = input.linear(weight: tape.parameter(first)).relu()
                hidden.linear(weight: tape.parameter(second)).meanSquaredError(target: target).backward()
            }
            if materialize { _ = (first.gradient, second.gradient) }
            #expect((first.deferredGradient == nil) == materialize)
            optimizer.step()
        }
    }

    @Test func theFirstWeightIsSeveralBlocks() {
        #expect(DeferredWeightGradient<Float>.rowsPerBlock(columns: 4096) == 64)
    }

    @Test(arguments: [false, true])
    func fusedStepsEqualPlainSteps(decoupled: Bool) {
        let fused = Network(), plain = Network()
        let fusedAdam: Adam<Float> = decoupled ? AdamW(groups: fused.groups) : Adam(groups: fused.groups)
        let plainAdam: Adam<Float> = decoupled ? AdamW(groups: plain.groups) : Adam(groups: plain.groups)
        for _ in 0..<4 {
            fused.step(fusedAdam, materialize: false)
            plain.step(plainAdam, materialize: true)
        }
        #expect(fused.first.value.scalars.map(\.bitPattern) == plain.first.value.scalars.map(\.bitPattern))
        #expect(fused.second.value.scalars.map(\.bitPattern) == plain.second.value.scalars.map(\.bitPattern))
        #expect(fusedAdam.saveState() == plainAdam.saveState())
        #expect(fused.first.value.scalars != Network().first.value.scalars)  // the steps moved the weight
    }

    @Test func clippingReadsTheGradientsAndTakesThePlainPath() {
        let clipped = Network(), reference = Network()
        let clipping = GradientNormClipping(Adam(groups: clipped.groups), maxNorm: 1e-3)
        let adam = Adam(groups: reference.groups)
        final class ClipThenStep: Optimizer {
            let adam: Adam<Float>
            init(_ adam: Adam<Float>) { self.adam = adam }
            var groups: [ParameterGroup<Float>] { get { adam.groups } set { adam.groups = newValue } }
            func step() {
                GradientNormClipping<Float>.clip(groups, maxNorm: 1e-3)
                adam.step()
            }
            func saveState() -> OptimizerState<Float> { adam.saveState() }
            func loadState(_ state: OptimizerState<Float>) throws(OptimizerError) { try adam.loadState(state) }
            func resetState() { adam.resetState() }
        }
        for _ in 0..<3 {
            clipped.step(clipping, materialize: false)
            #expect(clipped.first.deferredGradient == nil)  // the norm read it: Adam took the plain path
            reference.step(ClipThenStep(adam), materialize: true)
        }
        #expect(clipping.lastNorm! > 1e-3)  // clipping did act
        #expect(clipped.first.value.scalars.map(\.bitPattern) == reference.first.value.scalars.map(\.bitPattern))
        #expect(clipped.second.value.scalars.map(\.bitPattern) == reference.second.value.scalars.map(\.bitPattern))
    }
}
