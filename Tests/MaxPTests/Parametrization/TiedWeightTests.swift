import Foundation
import Testing
@testable import MaxP

/// Tied input/output embeddings (mup#55): one table, two roles. The parametrization draws and trains it once, as
/// the embedding's, reports what each role wanted (``TiedWeight``) and gives the readout mup's `width^-1` relative
/// multiplier; gradients of both uses add up on the one weight.
@Suite("Tied embeddings")
struct TiedWeightTests {
    static func gpt(width: Int = 16, tied: Bool = true) -> GPTModel<Double> {
        var generator = SeededGenerator(seed: 3)
        let model = GPTModel<Double>(GPTConfiguration(vocabulary: 11, width: width, depth: 1, heads: 2, sequenceLength: 4,
                                                      bias: false), using: &generator)
        model.markStandardRoles()
        if tied { model.tieEmbeddings() }
        return model
    }

    static func trace(_ model: GPTModel<Double>) -> (Tape<Double>) -> Void {
        { tape in _ = model(tokens: [1, 2, 3, 4], batch: 1, seqLen: 4, on: tape) }
    }

    @Test("µP: one draw, one learning-rate group, the conflict named with both ops, readout width^-1 relative to tok_emb")
    func muPResolution() throws {
        let model = Self.gpt()
        #expect(model.tiesEmbeddings && model.readout.weight === model.tokenEmbedding.weight)
        let p = try Parametrization(model: model, configuration: .init(.mup, optimizer: .adam, lrPrefactor: 0.01, initializationSeed: 9),
                                    sampleForward: Self.trace(model))
        let tie = try #require(p.tiedWeights.first)
        #expect(p.tiedWeights.count == 1 && tie.owner == "tok_emb" && tie.sharer == "readout")
        #expect(tie.ownerRole == "embedding" && tie.sharerRole == "readout")
        // The readout keeps its update scaling a + c through its multiplier; under µP that is width^-1 relative.
        #expect(tie.applied.a == tie.wanted.a + tie.wanted.c - tie.ownerExponents.c)
        #expect(abs(tie.relativeMultiplierExponent - 1) < 1e-9)
        #expect(abs(Double(model.readout.multiplier) - pow(16, -tie.applied.a)) < 1e-12)
        #expect(abs(Double(model.readout.multiplier / model.tokenEmbedding.multiplier) - 1.0 / 16) < 1e-12)
        // Drawn once, as the embedding's: both views regenerate the same tensor.
        #expect(model.tokenEmbedding.weight.value.scalars == p.initialWeight(of: "tok_emb")!.scalars)
        #expect(p.initialWeight(of: "readout")!.scalars == p.initialWeight(of: "tok_emb")!.scalars)
        // One group holds the weight (no double update); the bias-free readout has no group of its own.
        let groups = p.parameterGroups()
        #expect(groups.flatMap(\.parameters).filter { $0.parameter === model.tokenEmbedding.weight }.count == 1)
        #expect(!groups.contains { $0.name == "readout" })
        let row = try #require(p.table.first { $0.name == "readout" })
        #expect(row.tiedWeight == tie && row.a == tie.applied.a && row.b == tie.ownerExponents.b)
        #expect(p.table.first { $0.name == "tok_emb" }?.tiedWeight == nil)
        let text = tie.description
        #expect(text.contains("`readout` shares its weight with `tok_emb`") && text.contains("MuSharedReadout"))
        #expect(text.contains("width^-1 relative to `tok_emb`'s"), "\(text)")
        // Untied, the same model has no tie and the readout's own group.
        let untied = Self.gpt(tied: false)
        let q = try Parametrization(model: untied, configuration: .init(.mup, optimizer: .adam, lrPrefactor: 0.01, initializationSeed: 9),
                                    sampleForward: Self.trace(untied))
        #expect(q.tiedWeights.isEmpty && q.parameterGroups().contains { $0.name == "readout" })
    }

    @Test("SP and base width: the conflicting init exponents are listed (b 0 vs 0.5), the init scaling change stated")
    func conflictsAreListed() throws {
        let model = Self.gpt()
        let sp = try Parametrization(model: model, configuration: ParametrizationConfiguration(.sp, optimizer: .adam, lrPrefactor: 0.01).withGlobalLearningRate(),
                                     sampleForward: Self.trace(model))
        let tie = try #require(sp.tiedWeights.first)
        #expect(tie.conflicts.contains(TiedWeight.Conflict(exponent: "b", owner: 0, sharer: 0.5)))
        #expect(tie.initExponentChange == -0.5)
        #expect(tie.description.contains("they conflict on b (0 vs 0.5)") && tie.description.contains("instead of width^-0.5"), "\(tie.description)")
        let based = Self.gpt()
        let mup = try Parametrization(model: based, configuration: .init(.mup, optimizer: .adam, lrPrefactor: 0.01,
                                                                         base: BaseWidth(base: 8, width: 16)),
                                      sampleForward: Self.trace(based))
        #expect(mup.tiedWeights.first?.conflicts.map(\.exponent) == ["b_standard"])
    }

    @Test("a zero-init (or own σ) readout on a tied weight is a typed error naming both ops")
    func sharerInitIsRefused() {
        let model = Self.gpt()
        model.readout.marking?.initScale = 0
        #expect(throws: ParametrizationError.tiedWeightInitialization(owner: "tok_emb", sharer: "readout", initScale: 0)) {
            try Parametrization(model: model, configuration: .init(.mup), sampleForward: Self.trace(model))
        }
        let message = ParametrizationError.tiedWeightInitialization(owner: "tok_emb", sharer: "readout", initScale: 0).description
        #expect(message.contains("'readout'") && message.contains("'tok_emb'") && message.contains("zero-init"))
    }

    @Test("the shared weight's gradient is the sum of both uses (finite differences)")
    func gradientOfBothUses() throws {
        let model = Self.gpt(width: 8)
        _ = try Parametrization(model: model, configuration: .init(.mup, optimizer: .adam, lrPrefactor: 0.01), sampleForward: Self.trace(model))
        let tokens = [1, 5, 2, 7], targets = [5, 2, 7, 1]
        func loss() -> Double {
            let tape = Tape<Double>(recordsGradients: false)
            return model(tokens: tokens, batch: 1, seqLen: 4, on: tape).crossEntropy(targets: targets).value.scalars[0]
        }
        model.zeroGradients()
        let tape = Tape<Double>()
        tape.backward(from: model(tokens: tokens, batch: 1, seqLen: 4, on: tape).crossEntropy(targets: targets))
        let gradient = try #require(model.tokenEmbedding.weight.gradient)
        // Row 5 is both an input token (embedding use) and a target logit (readout use); row 9 only a readout row.
        for index in [5 * 8 + 3, 9 * 8 + 1] {
            let weight = model.tokenEmbedding.weight
            let original = weight.value.scalars[index]
            let h = 1e-6
            var scalars = weight.value.scalars
            scalars[index] = original + h; weight.value = Tensor(shape: weight.shape, scalars: scalars)
            let up = loss()
            scalars[index] = original - h; weight.value = Tensor(shape: weight.shape, scalars: scalars)
            let down = loss()
            scalars[index] = original; weight.value = Tensor(shape: weight.shape, scalars: scalars)
            let numeric = (up - down) / (2 * h)
            #expect(abs(gradient.scalars[index] - numeric) < 1e-6 * max(1, abs(numeric)), "index \(index): \(gradient.scalars[index]) vs \(numeric)")
        }
    }
}
