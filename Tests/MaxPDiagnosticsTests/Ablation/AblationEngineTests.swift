import Foundation
import MaxP
import Testing
@testable import MaxPDiagnostics

@Suite("Ablation engine: plants, composed faults, overrides, head size, fixed σ, decay, clipping, Adafactor")
struct AblationEngineTests {
    static func mlp(_ parametrization: NamedParametrization = .mup, steps: Int = 0, seeds: [Int] = [0, 1, 2],
                    widths: [Int] = [64, 128, 256, 512], training: TrainingOptions? = nil, faults: [Fault] = [],
                    plants: [String] = []) throws -> SweepPlan {
        SweepPlan(model: ModelOptions(family: .mlp, inputDimension: 32, depth: 3, outputDimension: 10, batch: 32),
                  training: training ?? TrainingOptions(parametrization: parametrization, optimizer: .adam, learningRate: 1e-2),
                  values: widths, seeds: seeds, steps: steps, faults: faults,
                  plants: try plants.map { try OpAssignment(parsing: $0, setting: .plant) })
    }

    static func gptOptions(headSize: Int? = nil) -> ModelOptions {
        ModelOptions(family: .gpt, depth: 1, heads: 2, sequenceLength: 8, vocabulary: 64, batch: 4, headSize: headSize)
    }

    static func entries(_ report: SlopeReport, op: String, t: Int = 0) -> [SlopeReport.Entry] {
        report.ops.filter { $0.op == op && $0.t == t }
    }

    @Test func aPlantedReadoutExponentIsFoundAtTheReadoutWithTheOppositeDeltaA() throws {
        let report = try SweepRunner.run(Self.mlp(widths: [128, 256, 512, 1024], plants: ["readout.a=-0.5"])).slopeReport()
        let readout = Self.entries(report, op: "readout")
        #expect(!readout.isEmpty)
        for entry in readout {
            #expect(entry.verdict.isDeviation, "\(EngineFixtures.listing(report))")
            #expect(abs((entry.suggestedDeltaA ?? .nan) - 0.5) < 0.05, "\(EngineFixtures.listing(report))")
        }
        let others = report.ops.filter { $0.t == 0 && $0.op != "readout" && $0.verdict.isDeviation && $0.inheritedFrom == nil }
        #expect(others.isEmpty, "\(EngineFixtures.listing(report))")
    }

    @Test func aPlantIsTheGeneralFormOfTheNamedFault() throws {
        let planted = try SweepRunner.run(Self.mlp(seeds: [0], widths: [64, 128, 256], plants: ["readout.a=-0.5"])).table
        let injected = try SweepRunner.run(Self.mlp(seeds: [0], widths: [64, 128, 256], faults: [.missingReadoutMultiplier])).table
        #expect(planted.rows.count == injected.rows.count)
        for (p, i) in zip(planted.rows, injected.rows) {
            #expect(p.op == i.op && abs(p.rms - i.rms) <= 1e-5 * max(abs(i.rms), 1e-12), "\(p.op) \(p.rms) vs \(i.rms)")
        }
    }

    @Test func composedFaultsAreEachFoundAtTheirOp() throws {
        let plan = SweepPlan(model: Self.gptOptions(), training: TrainingOptions(parametrization: .mup, learningRate: 1e-2),
                             values: [32, 64, 128, 256], seeds: [0, 1], steps: 0,
                             faults: [.attentionSqrtD, .missingReadoutMultiplier])
        #expect(plan.markers == " [injected fault: attention-sqrt-d, missing-readout-multiplier]")
        let report = try SweepRunner.run(plan).slopeReport()
        for op in ["blocks.0.attn.qk", "readout"] {
            let found = Self.entries(report, op: op).filter { $0.verdict.isDeviation }
            #expect(!found.isEmpty, "\(op)\n\(EngineFixtures.listing(report))")
            for entry in found {
                #expect(abs((entry.suggestedDeltaA ?? .nan) - 0.5) < 0.1, "\(op)\n\(EngineFixtures.listing(report))")
            }
        }
    }

    @Test func aDeclaredOverrideReachesTheLPAndTheory() throws {
        let options = ModelOptions(family: .mlp, inputDimension: 16, depth: 2, outputDimension: 4, batch: 8)
        func build(_ overrides: [String]) throws -> BuiltModel {
            let training = TrainingOptions(parametrization: .mup, learningRate: 1e-2,
                                           overrides: try overrides.map { try OpAssignment(parsing: $0, setting: .override) })
            return try ModelBuilder.build(options: options, training: training, axis: .width, axisValue: 64, seed: 0)
        }
        let plain = try build([]), declared = try build(["readout.a=1"])
        let before = try #require(plain.parametrization.c["readout"]), after = try #require(declared.parametrization.c["readout"])
        // Adam, full alignment, readout (sink): r = a + c − 1 = 0 at the optimum, so c = 1 − a.
        #expect(abs(before - 0.5) < 1e-9 && abs(after - 0.0) < 1e-9, "c: \(before) → \(after)")
        #expect(declared.declaredExponents["readout"]?.a == 1)
        #expect(abs(Double(declared.parametrization.ops.first { $0.opName == "readout" }!.multiplier) - 1.0 / 64) < 1e-7)
        let fixed = try build(["fc_*.c=1.5"])
        #expect(fixed.parametrization.c["fc_1"] == 1.5 && fixed.parametrization.c["fc_2"] == 1.5)
    }

    @Test func impossibleOrUnmatchedOverridesAreRefusedWithTheirSetting() throws {
        let options = ModelOptions(family: .mlp, inputDimension: 16, depth: 2, outputDimension: 4, batch: 8)
        for text in ["readout.c=-2", "nothing.a=1"] {
            let training = TrainingOptions(overrides: [try OpAssignment(parsing: text, setting: .override)])
            #expect {
                _ = try ModelBuilder.build(options: options, training: training, axis: .width, axisValue: 64, seed: 0)
            } throws: { error in
                guard case let .invalid(setting, reason) = error as? ModelBuildError else { return false }
                return setting == .override && reason.contains(text.split(separator: ".").first.map(String.init)!)
            }
        }
        let qk = TrainingOptions(overrides: [try OpAssignment(parsing: "blocks.*.attn.qk.b=0", setting: .override)])
        #expect(throws: ModelBuildError.self) {
            _ = try ModelBuilder.build(options: Self.gptOptions(), training: qk, axis: .width, axisValue: 32, seed: 0)
        }
        // The sweep finds them before any job runs.
        var plan = try Self.mlp(plants: ["fc_9.b=1"])
        #expect(throws: ModelBuildError.self) { try plan.validate() }
        plan.plants = []
        plan.training.overrides = [try OpAssignment(parsing: "readout.c=-2", setting: .override)]
        #expect(throws: ModelBuildError.self) { try plan.validate() }
    }

    @Test func aFixedHeadSizeGrowsTheHeadCountWithWidth() throws {
        let options = Self.gptOptions(headSize: 8)
        var heads: [Int] = []
        for width in [16, 32, 64] {
            let model = try ModelBuilder.build(options: options, training: TrainingOptions(), axis: .width,
                                               axisValue: width, seed: 0)
            let attention = try #require(model.module as? GPTModel<Float>).blocks[0].attn
            heads.append(attention.heads)
            #expect(attention.headDimension == 8)
            #expect(model.declaredExponents["blocks.0.attn.qk"]?.contractsOverWidth == false)
            #expect(abs(Double(model.parametrization.ops.first { $0.opName == "blocks.0.attn.qk" }!.multiplier) - 1.0 / 8) < 1e-7)
        }
        #expect(heads == [2, 4, 8])
        #expect(throws: ModelBuildError.self) { try options.validate(axis: .width, values: [16, 36]) }
        var mlp = options
        mlp.family = .mlp
        #expect(throws: ModelBuildError.self) { try mlp.validate(axis: .width, values: [16, 32]) }
        // A correct µP GPT at a fixed head size is not flagged at init.
        let report = try SweepRunner.run(SweepPlan(model: options, training: TrainingOptions(learningRate: 1e-2),
                                                   values: [32, 64, 128, 256], seeds: [0, 1], steps: 0)).slopeReport()
        #expect(report.ops.allSatisfy { !$0.verdict.isDeviation }, "\(EngineFixtures.listing(report))")
    }

    @Test func spWithAFixedInitStdDrawsEveryWeightAtThatStdAtEveryWidth() throws {
        let options = ModelOptions(family: .mlp, inputDimension: 64, depth: 2, outputDimension: 16, batch: 8)
        let training = TrainingOptions(parametrization: .sp, learningRate: 1e-2, initStd: 0.02)
        for width in [64, 512] {
            let model = try ModelBuilder.build(options: options, training: training, axis: .width, axisValue: width, seed: 1)
            for op in model.parametrization.ops {
                let w = try #require(op.scaledWeight).value.scalars.map(Double.init)
                let rms = (w.reduce(0) { $0 + $1 * $1 } / Double(w.count)).squareRoot()
                #expect(abs(rms - 0.02) < 0.002, "\(op.opName) at width \(width): std \(rms)")
                #expect(model.declaredExponents[op.opName]?.b == 0)
            }
        }
        // µP with a base width: σ at the base width, σ · (width/base)^-½ for a hidden layer elsewhere.
        let mup = TrainingOptions(parametrization: .mup, learningRate: 1e-2, baseWidth: 64, initStd: 0.02)
        let wide = try ModelBuilder.build(options: options, training: mup, axis: .width, axisValue: 256, seed: 1)
        let hidden = try #require(wide.parametrization.ops.first { $0.opName == "fc_2" }?.scaledWeight).value.scalars
        let rms = (hidden.reduce(0.0) { $0 + Double($1) * Double($1) } / Double(hidden.count)).squareRoot()
        #expect(abs(rms - 0.01) < 0.001, "fc_2 std \(rms)")
    }

    @Test func weightDecayInTheEngineIsAdamWsDecoupledShrink() throws {
        let options = ModelOptions(family: .mlp, inputDimension: 16, depth: 2, outputDimension: 4, batch: 8)
        let training = TrainingOptions(parametrization: .mup, learningRate: 1e-2, weightDecay: 0.5)
        let model = try ModelBuilder.build(options: options, training: training, axis: .width, axisValue: 32, seed: 0)
        #expect(model.optimizer is AdamW<Float>)
        var before: [String: [Float]] = [:]
        for group in model.optimizer.groups {
            for (name, parameter) in group.parameters {
                before[name] = parameter.value.scalars
                parameter.gradient = Tensor(zeros: parameter.shape)  // no gradient step: only the decay moves them
            }
        }
        model.optimizer.step()
        for group in model.optimizer.groups {
            let shrink = Float(1 - group.learningRate * 0.5)
            for (name, parameter) in group.parameters {
                for (after, start) in zip(parameter.value.scalars, before[name]!) {
                    #expect(abs(after - start * shrink) <= 1e-6 * max(abs(start), 1e-3), "\(name)")
                }
            }
        }
    }

    @Test func gradientClippingInTheEngineBoundsTheNorm() throws {
        let options = ModelOptions(family: .mlp, inputDimension: 16, depth: 2, outputDimension: 4, batch: 8)
        let training = TrainingOptions(parametrization: .mup, optimizer: .sgd, learningRate: 1, gradientClip: 1e-3)
        let plan = SweepPlan(model: options, training: training, values: [32, 64, 128])
        let model = try plan.buildModel(for: SweepJob(axisValue: 32, seed: 0))
        let clipper = try #require(model.optimizer as? GradientNormClipping<Float>)
        model.trainingStep()
        let before = try #require(clipper.lastNorm)
        #expect(before > 1e-3)
        var sum = 0.0
        for group in model.optimizer.groups {
            for (_, parameter) in group.parameters { for g in parameter.gradient?.scalars ?? [] { sum += Double(g) * Double(g) } }
        }
        #expect(sum.squareRoot() <= 1e-3 * (1 + 1e-5))
    }

    @Test func theSweepEngineTrainsWithAdafactor() throws {
        let training = TrainingOptions(parametrization: .mup, optimizer: .adafactor, learningRate: 1e-2)
        let result = try SweepRunner.run(Self.mlp(steps: 1, seeds: [0], widths: [32, 64, 128], training: training))
        #expect(result.divergedJobs.isEmpty)
        let moved = result.table.rows.filter { $0.t == 1 && $0.op == "readout" }
        #expect(moved.count == 3 && moved.allSatisfy { $0.deltaRMS > 0 && $0.deltaRMS.isFinite })
    }

    @Test func aGateComparesAPlantedModelButNotAnotherDeclaration() throws {
        var plan = try Self.mlp(plants: ["readout.a=-0.5"])
        let correct = try Self.mlp()
        #expect(Gate.comparableModel(plan.coordCheck.modelDescription) == Gate.comparableModel(correct.coordCheck.modelDescription))
        plan.plants = []
        plan.training.overrides = [try OpAssignment(parsing: "readout.a=1", setting: .override)]
        plan.training.weightDecay = 0.1
        let declared = Gate.comparableModel(plan.coordCheck.modelDescription)
        #expect(declared != Gate.comparableModel(correct.coordCheck.modelDescription))
        #expect(declared.hasSuffix("; declared readout.a=1.0; weight decay 0.1"), "\(declared)")
    }
}
