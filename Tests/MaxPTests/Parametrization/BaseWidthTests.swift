import Foundation
import Testing
@testable import MaxP

/// mup's base shapes (``BaseWidth``): at the base width µP *is* SP — same multipliers, same initial weights, same
/// learning rates (mup's `BackwardCompatibleCase`); away from it the width slopes are µP's and the constants are
/// anchored at the base.
@Suite("Base width")
struct BaseWidthTests {
    func mlp(width: Int) -> MLP<Double> {
        var g = SeededGenerator(seed: 1)
        let model = MLP<Double>(
            MLPConfiguration(inputDimension: 8, width: width, depth: 3, outputDimension: 4, activation: .relu, bias: false),
            using: &g)
        model.markStandardRoles()
        return model
    }

    /// SP as the engine runs it: the `sp` table with one global learning rate (`c = 0` for every role).
    func spConfiguration(_ lr: Double) -> ParametrizationConfiguration {
        ParametrizationConfiguration(.sp, optimizer: .adam, lrPrefactor: lr, initializationSeed: 7).withGlobalLearningRate()
    }

    @Test func muPAtTheBaseWidthEqualsSP() throws {
        let sp = mlp(width: 96), mup = mlp(width: 96)
        let pSP = try Parametrization(model: sp, configuration: spConfiguration(0.01))
        let pMuP = try Parametrization(model: mup, configuration: .init(.mup, optimizer: .adam, lrPrefactor: 0.01,
                                                                        initializationSeed: 7,
                                                                        base: BaseWidth(base: 96, width: 96)))
        for (a, b) in zip(sp.hiddenLayers + [sp.readout], mup.hiddenLayers + [mup.readout]) {
            #expect(a.multiplier == b.multiplier, "\(a.path)")
            #expect(a.weight.value.scalars == b.weight.value.scalars, "\(a.path)")
            #expect(pSP.learningRate(for: a.path) == pMuP.learningRate(for: b.path), "\(a.path)")
        }
        // Not a coincidence of µP: without the base the two differ.
        let plain = mlp(width: 96)
        _ = try Parametrization(model: plain, configuration: .init(.mup, lrPrefactor: 0.01, initializationSeed: 7))
        #expect(plain.readout.multiplier != sp.readout.multiplier)
    }

    @Test func attentionLogitsAtTheBaseWidthAreSPsOneOverRootD() throws {
        func gpt(_ logitsA: Double) -> GPTModel<Double> {
            var g = SeededGenerator(seed: 2)
            let model = GPTModel<Double>(GPTConfiguration(vocabulary: 16, width: 32, depth: 1, heads: 2, sequenceLength: 4,
                                                          bias: false, inverseHeadDimensionLogits: true), using: &g)
            model.markStandardRoles(logitsA: logitsA)
            return model
        }
        let sp = gpt(0.5), mup = gpt(1)
        func trace(_ model: GPTModel<Double>) -> (Tape<Double>) -> Void {
            { tape in _ = model(tokens: [0, 1, 2, 3], batch: 1, seqLen: 4, on: tape) }
        }
        _ = try Parametrization(model: sp, configuration: spConfiguration(0.01), sampleForward: trace(sp))
        _ = try Parametrization(model: mup, configuration: .init(.mup, lrPrefactor: 0.01, initializationSeed: 7,
                                                                 base: BaseWidth(base: 32, width: 32)),
                                sampleForward: trace(mup))
        #expect(abs(mup.blocks[0].attn.logits.multiplier - 1 / 16.0.squareRoot()) < 1e-12)  // d_head = 16
        #expect(abs(mup.blocks[0].attn.logits.multiplier - sp.blocks[0].attn.logits.multiplier) < 1e-12)
        #expect(abs(mup.tokenEmbedding.multiplier - sp.tokenEmbedding.multiplier) < 1e-12)
    }

    @Test func awayFromTheBaseTheSlopesAreMuPs() throws {
        let model = mlp(width: 256)
        let p = try Parametrization(model: model, configuration: .init(.mup, optimizer: .adam, lrPrefactor: 0.01,
                                                                      base: BaseWidth(base: 64, width: 256)))
        // ratio 4: readout multiplier 4^-½, embedding 4^½; hidden lr η · 4^-1, embedding lr η · 4^-½.
        #expect(abs(model.readout.multiplier - 0.5) < 1e-12)
        #expect(abs(model.hiddenLayers[0].multiplier - 2) < 1e-12)
        #expect(abs(p.learningRate(for: "fc_2") - 0.0025) < 1e-15)
        #expect(abs(p.learningRate(for: "fc_1") - 0.005) < 1e-15)
        // Hidden init stays σ/√fan_in (SP's and µP's b agree); the embedding is σ · 4^-½ (σ at the base).
        let hidden = model.hiddenLayers[1].weight.value.rootMeanSquare()
        #expect(abs(hidden - 1 / 256.0.squareRoot()) / hidden < 0.05)
        let embedding = model.hiddenLayers[0].weight.value.rootMeanSquare()
        #expect(abs(embedding - 0.5) / embedding < 0.1)
    }

    @Test func perOpConstantsAndZeroInitialization() throws {
        let model = mlp(width: 64)
        model.readout.marking?.initScale = 0
        model.hiddenLayers[1].marking?.outputScale = 3
        _ = try Parametrization(model: model, configuration: .init(.mup))
        #expect(model.readout.weight.value.scalars.allSatisfy { $0 == 0 })
        #expect(model.hiddenLayers[1].multiplier == 3)
        #expect(throws: ParametrizationError.invalidBaseWidth(base: 0, width: 64)) {
            try Parametrization(model: mlp(width: 64), configuration: .init(.mup, base: BaseWidth(base: 0, width: 64)))
        }
    }
}

extension ParametrizationConfiguration {
    /// The configuration with `c = 0` for every role of its table (one global learning rate, as SP trains).
    func withGlobalLearningRate() -> ParametrizationConfiguration {
        var copy = self
        copy.cOverrides = Dictionary(uniqueKeysWithValues: abTable.keys.map { ($0, 0.0) })
        return copy
    }
}
