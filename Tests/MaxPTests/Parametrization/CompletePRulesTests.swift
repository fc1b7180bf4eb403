import Foundation
import Testing
@testable import MaxP

/// CompleteP's remaining rules (Dey et al. 2025, Table 1) as ``DepthScaling`` applies them: Adam's ε
/// `ε · m_N^-1 · m_L^-α` inside the residual blocks, the blocks' norm gains at `η · m_L^(α−1)` (their own `_blocks`
/// group), and at the base depth and base width exactly the plain model.
@Suite("CompleteP rules")
struct CompletePRulesTests {
    func gpt(depth: Int, width: Int = 16) -> GPTModel<Double> {
        var g = SeededGenerator(seed: 3)
        let model = GPTModel<Double>(GPTConfiguration(vocabulary: 16, width: width, depth: depth, heads: 2, sequenceLength: 4,
                                                      bias: false, inverseHeadDimensionLogits: true), using: &g)
        model.markStandardRoles()
        return model
    }

    func parametrize(_ model: GPTModel<Double>, optimizer: OptimizerKind = .adam, depth: DepthScaling?,
                     base: BaseWidth? = nil) throws -> Parametrization<Double> {
        var configuration = ParametrizationConfiguration(.mup, optimizer: optimizer, lrPrefactor: 0.01, initializationSeed: 5,
                                                         base: base)
        configuration.depth = depth
        return try Parametrization(model: model, configuration: configuration) { tape in
            _ = model(tokens: [0, 1, 2, 3], batch: 1, seqLen: 4, on: tape)
        }
    }

    @Test func multipliersFollowTheirClosedForms() {
        // m_L = 8 / 2 = 4, m_N = 2.
        let half = DepthScaling(alpha: 0.5, depth: 8, baseDepth: 2)
        #expect(half.blockEpsilonFactor(widthRatio: 2, optimizer: .adam) == 0.25)        // 2^-1 · 4^-½
        #expect(half.blockEpsilonDepthExponent == -0.5 && DepthScaling.blockEpsilonWidthExponent == -1)
        #expect(half.blockLearningRateFactor(optimizer: .adam) == 0.5)                   // 4^(½ − 1)
        #expect(half.blockLearningRateFactor(optimizer: .sgd) == 1)                      // 4^(2·½ − 1)
        let complete = DepthScaling(alpha: 1, depth: 8, baseDepth: 2)
        #expect(complete.blockEpsilonFactor(widthRatio: 2, optimizer: .adam) == 0.125)   // 2^-1 · 4^-1
        #expect(complete.blockLearningRateFactor(optimizer: .adam) == 1)                 // 4^0
        #expect(complete.blockLearningRateFactor(optimizer: .sgd) == 4)                  // 4^1
        // SGD has no ε, Adafactor's ε₁ is not Adam's: both are left alone.
        #expect(complete.blockEpsilonFactor(widthRatio: 2, optimizer: .sgd) == 1)
        #expect(complete.blockEpsilonFactor(widthRatio: 2, optimizer: .adafactor) == 1)
        // At the base (m_L = m_N = 1) every factor is exactly 1.
        let base = DepthScaling(alpha: 0.5, depth: 4, baseDepth: 4)
        #expect(base.blockEpsilonFactor(widthRatio: 1, optimizer: .adam) == 1 && base.blockLearningRateFactor(optimizer: .adam) == 1)
    }

    @Test func theRulesSpellTheirExponentsOut() {
        let rules = DepthScaling(alpha: 0.5, depth: 8, baseDepth: 2).rules(optimizer: .adam).map(\.description)
        #expect(rules == ["hidden weights: lr η · m_N^-c · m_L^-0.5; Adam ε · m_N^-1 · m_L^-0.5",
                          "block norm gains and biases: lr η · m_L^-0.5; Adam ε · m_N^-1 · m_L^-0.5",
                          "embeddings, readout, final norm: lr η · m_N^-c; ε unchanged"])
        let sgd = DepthScaling(alpha: 1, depth: 8).rules(optimizer: .sgd).map(\.description)
        #expect(sgd == ["hidden weights: lr η · m_N^-c · m_L^1; ε unchanged", "block norm gains and biases: lr η · m_L^1; ε unchanged",
                        "embeddings, readout, final norm: lr η · m_N^-c; ε unchanged"])
    }

    @Test func theBlocksNormsGetTheirOwnGroupAndEveryBlockGroupItsEpsilon() throws {
        let model = gpt(depth: 8)
        let p = try parametrize(model, depth: DepthScaling(alpha: 0.5, depth: 8, baseDepth: 2), base: BaseWidth(base: 8, width: 16))
        let groups = Dictionary(uniqueKeysWithValues: p.parameterGroups().map { ($0.name, $0) })
        let blocks = try #require(groups["_blocks"])
        #expect(Set(blocks.parameters.map(\.name)) == Set((0..<8).flatMap { ["blocks.\($0).norm1.gain", "blocks.\($0).norm2.gain"] }))
        #expect(blocks.learningRate == 0.01 * 0.5)                   // η · 4^(½ − 1)
        #expect(blocks.epsilonMultiplier == 0.25)                    // 2^-1 · 4^-½
        #expect(groups["_other"]?.parameters.map(\.name) == ["norm_f.gain"])
        #expect(groups["_other"]?.epsilonMultiplier == 1 && groups["_other"]?.learningRate == 0.01)
        for block in model.blocks {
            for op in [block.attn.q, block.attn.o, block.mlp.fcIn, block.mlp.fcOut] {
                #expect(groups[op.path]?.epsilonMultiplier == 0.25, "\(op.path)")   // (n/n₀)^-1 · 4^-½, n/n₀ = 2
            }
        }
        for name in ["tok_emb", "pos_emb", "readout"] { #expect(groups[name]?.epsilonMultiplier == 1, "\(name)") }
        // The table and the record say the same.
        #expect(p.table.first { $0.name == "blocks.0.attn.q" }?.epsilonMultiplier == 0.25)
        #expect(p.table.first { $0.name == "readout" }?.epsilonMultiplier == 1)
        let rules = try #require(p.appliedDepthRules)
        #expect(rules.blockLearningRate == 0.005 && rules.blockEpsilonMultiplier == 0.25 && rules.blockParameters.count == 16)
        // A schedule's new η reaches the `_blocks` group with its depth factor.
        let optimizer = Adam(groups: p.parameterGroups())
        p.lrPrefactor = 0.1
        p.applyLearningRates(to: optimizer)
        #expect(optimizer.groups.first { $0.name == "_blocks" }?.learningRate == 0.1 * 0.5)
        // Without a base width m_N is the width itself (base width 1, as the learning rates' width^-c).
        let unbased = try parametrize(gpt(depth: 8), depth: DepthScaling(alpha: 1, depth: 8, baseDepth: 2))
        #expect(unbased.blockEpsilonMultiplier == 1.0 / 16 * 0.25)
        #expect(unbased.epsilonMultiplier(for: "blocks.0.mlp.fc_out") == 1.0 / 64 * 0.25)   // fan-in 4 · 16
    }

    @Test func withoutDepthScalingNothingChanges() throws {
        let p = try parametrize(gpt(depth: 4), depth: nil)
        let groups = p.parameterGroups()
        #expect(!groups.contains { $0.name == "_blocks" })
        #expect(groups.allSatisfy { $0.epsilonMultiplier == 1 })
        #expect(groups.last?.name == "_other" && groups.last?.parameters.count == 9)   // 4 · 2 block norms + norm_f
        #expect(p.table.allSatisfy { $0.epsilonMultiplier == nil } && p.appliedDepthRules == nil)
    }

    @Test func adamUsesEachGroupsEpsilon() {
        // First step: m̂ = g, √v̂ = |g|, so the update is lr · g / (|g| + ε).
        let a = Parameter(Tensor<Double>(shape: [1], scalars: [1])), b = Parameter(Tensor<Double>(shape: [1], scalars: [1]))
        a.gradient = Tensor(shape: [1], scalars: [1e-3])
        b.gradient = Tensor(shape: [1], scalars: [1e-3])
        var scaled = ParameterGroup<Double>(name: "b", parameters: [("b", b)], learningRate: 0.1)
        scaled.epsilonMultiplier = 1e5                                           // ε = 1e-8 · 1e5 = 1e-3
        let adam = Adam(groups: [ParameterGroup(name: "a", parameters: [("a", a)], learningRate: 0.1), scaled])
        adam.step()
        #expect(abs((1 - a.value.scalars[0]) - 0.1 * 1e-3 / (1e-3 + 1e-8)) < 1e-12)
        #expect(abs((1 - b.value.scalars[0]) - 0.05) < 1e-12)                   // 0.1 · 1e-3 / 2e-3
    }

    @Test func atTheBaseDepthAndWidthTrainingIsBitForBitThePlainModel() throws {
        let plain = gpt(depth: 4), scaled = gpt(depth: 4)
        let base = BaseWidth(base: 16, width: 16)
        let p = try parametrize(plain, depth: nil, base: base)
        let q = try parametrize(scaled, depth: DepthScaling(alpha: 1, depth: 4, baseDepth: 4), base: base)
        let left = Trainer(model: plain, optimizer: Adam(groups: p.parameterGroups(), epsilon: 1e-3))
        let right = Trainer(model: scaled, optimizer: Adam(groups: q.parameterGroups(), epsilon: 1e-3))
        for _ in 0..<3 {
            let l = try left.step { plain(tokens: [0, 1, 2, 3], batch: 1, seqLen: 4, on: $0).crossEntropy(targets: [1, 2, 3, 4]) }
            let r = try right.step { scaled(tokens: [0, 1, 2, 3], batch: 1, seqLen: 4, on: $0).crossEntropy(targets: [1, 2, 3, 4]) }
            #expect(l == r)
        }
        for ((name, x), (_, y)) in zip(plain.namedParameters(), scaled.namedParameters()) {
            #expect(x.value.scalars == y.value.scalars, "\(name)")
        }
    }
}
