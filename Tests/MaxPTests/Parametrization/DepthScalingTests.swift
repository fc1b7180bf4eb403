import Foundation
import Testing
@testable import MaxP

/// Depth-µP (``DepthScaling``): residual branches × `(L/L₀)^-α`, hidden learning rates × `(L/L₀)^(α−1)` (Adam) or
/// `(L/L₀)^(2α−1)` (SGD), and at the base depth exactly the plain model.
@Suite("Depth scaling")
struct DepthScalingTests {
    func gpt(depth: Int) -> GPTModel<Double> {
        var g = SeededGenerator(seed: 3)
        let model = GPTModel<Double>(GPTConfiguration(vocabulary: 16, width: 16, depth: depth, heads: 2, sequenceLength: 4,
                                                      bias: false, inverseHeadDimensionLogits: true), using: &g)
        model.markStandardRoles()
        return model
    }

    func trace(_ model: GPTModel<Double>) -> (Tape<Double>) -> Void {
        { tape in _ = model(tokens: [0, 1, 2, 3], batch: 1, seqLen: 4, on: tape) }
    }

    func parametrize(_ model: GPTModel<Double>, optimizer: OptimizerKind = .adam,
                     depth: DepthScaling?) throws -> Parametrization<Double> {
        var configuration = ParametrizationConfiguration(.mup, optimizer: optimizer, lrPrefactor: 0.01, initializationSeed: 5)
        configuration.depth = depth
        return try Parametrization(model: model, configuration: configuration, sampleForward: trace(model))
    }

    @Test func factorsFollowCompletePsTable() {
        // m_L = 8 / 2 = 4.
        let half = DepthScaling(alpha: 0.5, depth: 8, baseDepth: 2)
        #expect(half.ratio == 4)
        #expect(half.branchMultiplier == 0.5)                                   // 4^-½
        #expect(half.hiddenLearningRateExponent(optimizer: .adam) == -0.5)       // α − 1
        #expect(half.hiddenLearningRateFactor(optimizer: .adam) == 0.5)          // 4^-½
        #expect(half.hiddenLearningRateExponent(optimizer: .sgd) == 0)           // 2α − 1
        let complete = DepthScaling(alpha: 1, depth: 8, baseDepth: 2)
        #expect(complete.branchMultiplier == 0.25)                              // 4^-1
        #expect(complete.hiddenLearningRateFactor(optimizer: .adam) == 1)        // 4^0
        #expect(complete.hiddenLearningRateFactor(optimizer: .sgd) == 4)         // 4^1
        let plain = DepthScaling(alpha: 0, depth: 8, baseDepth: 2)
        #expect(plain.branchMultiplier == 1)
        #expect(plain.hiddenLearningRateFactor(optimizer: .adam) == 0.25)        // 4^-1
        #expect(DepthScaling(alpha: 1.5, depth: 8).problem != nil)
        #expect(DepthScaling(alpha: 1, depth: 8, baseDepth: 0).problem != nil)
    }

    @Test func atTheBaseDepthTheModelIsExactlyThePlainOne() throws {
        let plain = gpt(depth: 4), scaled = gpt(depth: 4)
        let p = try parametrize(plain, depth: nil)
        let q = try parametrize(scaled, depth: DepthScaling(alpha: 1, depth: 4, baseDepth: 4))
        for (a, b) in zip(p.ops, q.ops) {
            #expect(a.opName == b.opName)
            #expect(a.multiplier == b.multiplier, "\(a.opName)")
            #expect(a.scaledWeight?.value.scalars == b.scaledWeight?.value.scalars, "\(a.opName)")
            #expect(p.learningRate(for: a.opName) == q.learningRate(for: b.opName), "\(a.opName)")
        }
        let x = Tape<Double>(recordsGradients: false), y = Tape<Double>(recordsGradients: false)
        let left = plain(tokens: [0, 1, 2, 3], batch: 1, seqLen: 4, on: x)
        let right = scaled(tokens: [0, 1, 2, 3], batch: 1, seqLen: 4, on: y)
        #expect(left.value.scalars == right.value.scalars)
    }

    @Test func awayFromTheBaseBranchesAndHiddenRatesScale() throws {
        let plain = gpt(depth: 8), scaled = gpt(depth: 8)
        let p = try parametrize(plain, depth: nil)
        let q = try parametrize(scaled, depth: DepthScaling(alpha: 0.5, depth: 8, baseDepth: 2))
        for (a, b) in zip(plain.blocks, scaled.blocks) {
            // Branch outputs: × 4^-½; the rest of the block is untouched.
            #expect(abs(b.attn.o.multiplier - 0.5 * a.attn.o.multiplier) < 1e-15)
            #expect(abs(b.mlp.fcOut.multiplier - 0.5 * a.mlp.fcOut.multiplier) < 1e-15)
            #expect(b.attn.q.multiplier == a.attn.q.multiplier)
            #expect(b.mlp.fcIn.multiplier == a.mlp.fcIn.multiplier)
            // Hidden learning rates: × 4^(½ − 1) with Adam.
            for name in [b.attn.q.path, b.attn.o.path, b.mlp.fcIn.path, b.mlp.fcOut.path] {
                #expect(abs(q.learningRate(for: name) - 0.5 * p.learningRate(for: name)) < 1e-15, "\(name)")
            }
        }
        // Embeddings and the readout keep their rates and multipliers.
        for name in ["tok_emb", "pos_emb", "readout"] {
            #expect(q.learningRate(for: name) == p.learningRate(for: name), "\(name)")
        }
        #expect(scaled.readout.multiplier == plain.readout.multiplier)
    }

    @Test func sgdScalesHiddenRatesByTwoAlphaMinusOne() throws {
        let plain = gpt(depth: 4), scaled = gpt(depth: 4)
        let p = try parametrize(plain, optimizer: .sgd, depth: nil)
        let q = try parametrize(scaled, optimizer: .sgd, depth: DepthScaling(alpha: 1, depth: 4, baseDepth: 1))
        let name = scaled.blocks[0].mlp.fcIn.path
        #expect(abs(q.learningRate(for: name) - 4 * p.learningRate(for: name)) < 1e-12)  // 4^(2·1 − 1)
    }

    @Test func invalidValuesAreRefused() {
        #expect(throws: ParametrizationError.invalidDepthScaling("the branch exponent α must lie in [0, 1], got -1.0")) {
            _ = try parametrize(gpt(depth: 2), depth: DepthScaling(alpha: -1, depth: 2))
        }
    }
}
