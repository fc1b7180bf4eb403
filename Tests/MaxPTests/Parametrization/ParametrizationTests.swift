import Foundation
import Testing
@testable import MaxP

@Suite("Parametrization")
struct ParametrizationTests {
    func mlp(width: Int, depth: Int = 2, bias: Bool = false) -> MLP<Double> {
        var g = SeededGenerator(seed: 1)
        let model = MLP<Double>(
            MLPConfiguration(inputDimension: 8, width: width, depth: depth, outputDimension: 4, activation: .relu, bias: bias),
            using: &g)
        model.markStandardRoles()
        return model
    }

    @Test func muPChainMatchesTheDocumentedLearningRatesAndMultipliers() throws {
        // spec §4.1 doc §7: d = 128, η = 0.01, adam, full → emb 8.84e-4, hidden 7.81e-5, head 8.84e-4;
        // scales 11.3137, 1.0, 0.0884.
        let model = mlp(width: 128)
        let p = try Parametrization(model: model, configuration: .init(.mup, optimizer: .adam, lrPrefactor: 0.01))
        #expect(p.c == ["fc_1": 0.5, "fc_2": 1.0, "readout": 0.5])
        let lr = Dictionary(uniqueKeysWithValues: p.table.map { ($0.name, $0.learningRate!) })
        #expect(abs(lr["fc_1"]! - 8.8388e-4) < 1e-7)
        #expect(abs(lr["fc_2"]! - 7.8125e-5) < 1e-9)
        #expect(abs(lr["readout"]! - 8.8388e-4) < 1e-7)
        // fc_1 is an embedding of width 128 (its fan-out); the multiplier is width^-a.
        #expect(abs(model.hiddenLayers[0].multiplier - 11.3137) < 1e-4)
        #expect(model.hiddenLayers[1].multiplier == 1)
        #expect(abs(model.readout.multiplier - 0.0884) < 1e-4)
        #expect(p.table.allSatisfy { abs($0.r) < 1e-9 })
    }

    @Test func initializationFollowsWidthToTheMinusB() throws {
        let model = mlp(width: 512)
        _ = try Parametrization(model: model, configuration: .init(.mup, stdPrefactor: 2))
        let std = model.hiddenLayers[1].weight.value.rootMeanSquare()
        #expect(abs(std - 2 / 512.0.squareRoot()) < 0.01 * std * 10)
        let readoutStd = model.readout.weight.value.rootMeanSquare()
        #expect(abs(readoutStd - 2 / 512.0.squareRoot()) / readoutStd < 0.05)
    }

    @Test func namedParametrizationsGiveTheLegacyTables() throws {
        // spec §4.2: 4-layer chain (depth 3 MLP), LP c vs legacy table.
        let expected: [(NamedParametrization, OptimizerKind, AlignmentPreset, [Double])] = [
            (.sp, .adam, .full, [0, 1, 1, 1]), (.mup, .adam, .full, [0.5, 1, 1, 0.5]),
            (.ntk, .adam, .full, [0, 0.5, 0.5, 0.5]), (.mfp, .adam, .full, [0, 0.5, 0.5, 0]),
            (.sp, .sgd, .no, [-0.5, 0, 0, 0.5]), (.mup, .sgd, .no, [0, -0.5, -0.5, 0]),
            (.mup, .adam, .no, [0.5, 0.5, 0.5, 0]),
        ]
        for (name, optimizer, alignment, c) in expected {
            let model = mlp(width: 64, depth: 3)
            let p = try Parametrization(
                model: model, configuration: .init(name, optimizer: optimizer, alignment: alignment))
            let got = ["fc_1", "fc_2", "fc_3", "readout"].map { p.c[$0]! }
            #expect(zip(got, c).allSatisfy { abs($0 - $1) < 1e-6 }, "\(name) \(optimizer) \(alignment): \(got)")
        }
    }

    @Test func groupsCoverEveryParameterOnceWithOtherLast() throws {
        var g = SeededGenerator(seed: 2)
        let model = GPTModel<Double>(
            GPTConfiguration(vocabulary: 11, width: 16, depth: 1, heads: 2, sequenceLength: 4), using: &g)
        model.markStandardRoles()
        // Two embeddings cannot form a chain: the real data flow must be traced.
        let p = try Parametrization(model: model, configuration: .init(.mup, lrPrefactor: 0.1)) { tape in
            _ = model(tokens: [1, 2, 3], batch: 1, seqLen: 3, on: tape)
        }
        let groups = p.parameterGroups()
        #expect(groups.last?.name == "_other")
        #expect(groups.last!.parameters.allSatisfy { $0.name.contains("norm") })
        let all = groups.flatMap { $0.parameters.map { ObjectIdentifier($0.parameter) } }
        #expect(all.count == Set(all).count)
        #expect(all.count == model.namedParameters().count)
        // biases of a marked layer are zero after re-initialization and share the weight's group
        let q = groups.first { $0.name == "blocks.0.attn.q" }!
        #expect(q.parameters.count == 2 && q.parameters[1].parameter.value.maxAbsolute() == 0)
    }

    @Test func fixedCAndOverridesAreHonoured() throws {
        // spec §4.1: a per-op c beats the role's c override; all fixed → no LP.
        let model = mlp(width: 32, depth: 2)
        model.hiddenLayers[0].marking?.c = 0.25
        let p = try Parametrization(
            model: model, configuration: .init(.mup, cOverrides: ["embedding": 0.5, "hidden": 0, "readout": 0]))
        #expect(p.c == ["fc_1": 0.25, "fc_2": 0, "readout": 0])
        #expect(p.table.allSatisfy { $0.isCFixed })
        #expect(abs(p.learningRate(for: "fc_1") - 1e-3 * pow(32, -0.25)) < 1e-15)

        // A fixed readout c with the rest solved, and a pinned alignment.
        let mixed = mlp(width: 32, depth: 2)
        let q = try Parametrization(
            model: mixed,
            configuration: .init(.mup, cOverrides: ["readout": 0.5], alignmentOverrides: ["fc_2": .init(alpha: 0.7, omega: 0.3, u: 0.8)]))
        #expect(q.c["readout"] == 0.5 && q.c["fc_1"]!.isFinite && q.c["fc_2"]!.isFinite)
        #expect(q.pinned == ["fc_2"])
        #expect(q.table.first { $0.name == "fc_2" }!.alignment == Alignment(alpha: 0.7, omega: 0.3, u: 0.8))
        #expect(q.table.first { $0.name == "readout" }!.isCFixed)
        #expect(!q.table.first { $0.name == "fc_2" }!.isCFixed)
    }

    @Test func infeasibleFixedCIsReportedWithTheLayer() {
        let model = mlp(width: 32, depth: 2)
        model.readout.marking?.c = 0.25  // adam, full: r = a + c − α = −0.25 < 0 at the readout
        #expect {
            try Parametrization(model: model)
        } throws: { error in
            guard case ParametrizationError.exponentLP(.infeasible) = error else { return false }
            return "\(error)".contains("readout")
        }
    }

    @Test func badInputIsATypedErrorNamingTheOp() {
        var g = SeededGenerator(seed: 3)
        let unmarked = MLP<Double>(MLPConfiguration(inputDimension: 3, width: 8, depth: 1, outputDimension: 2), using: &g)
        #expect(throws: ParametrizationError.noParametrizedOps) { try Parametrization(model: unmarked) }
        let model = mlp(width: 16)
        model.hiddenLayers[1].role = "middle"
        #expect(throws: ParametrizationError.unknownRole(op: "fc_2", role: "middle", known: ["embedding", "hidden", "readout"])) {
            try Parametrization(model: model)
        }
        let bad = mlp(width: 16)
        bad.hiddenLayers[1].marking?.b = 0  // hidden a+b = 0 ≠ ½: unstable at init
        do {
            _ = try Parametrization(model: bad)
            Issue.record("expected an invalid-exponent error")
        } catch {
            guard case .exponentLP(.invalidExponents(let node, let role, _)) = error else {
                Issue.record("wrong error \(error)"); return
            }
            #expect(node == "fc_2" && role == .interior)
            #expect(error.description.contains("fc_2"))
        }
        let typo = mlp(width: 16)
        #expect(throws: ParametrizationError.self) {
            try Parametrization(model: typo, configuration: .init(alignmentOverrides: ["fc_9": .full]))
        }
    }

    @Test func sameSeedSameWeights() throws {
        let a = mlp(width: 32), b = mlp(width: 32)
        _ = try Parametrization(model: a, configuration: .init(initializationSeed: 9))
        _ = try Parametrization(model: b, configuration: .init(initializationSeed: 9))
        #expect(a.stateDictionary() == b.stateDictionary())
    }
}
