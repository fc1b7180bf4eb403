import MaxP
import Testing
@testable import MaxPDiagnostics

/// Each rule of a built-in model's configuration lives in the one type that owns its concept, and every path asks
/// it: the plans, the builder and a run configuration give the same typed error.
@Suite("Validation rules, one place each")
struct ValidationRulesTests {
    static var deep: TrainingOptions {
        var training = TrainingOptions()
        training.depthAlpha = 1
        return training
    }

    @Test("depth-µP on the MLP: the model's rule, asked by the builder, the sweep plan, the LR-transfer plan and a run")
    func depthMuPNeedsResidualBlocks() throws {
        let mlp = ModelOptions(family: .mlp, inputDimension: 4, depth: 2, outputDimension: 2, batch: 2)
        let expected = ModelBuildError.invalid(setting: .depthAlpha, reason: DepthTheory.noResidualStreamInMLP)
        #expect(throws: expected) { try mlp.validate(training: Self.deep) }
        #expect(throws: expected) { try mlp.validate(axis: .width, values: [8, 16, 32], training: Self.deep) }
        #expect(throws: expected) {
            _ = try ModelBuilder.build(options: mlp, training: Self.deep, axis: .width, axisValue: 8, seed: 0, trainable: false)
        }
        #expect(throws: expected) { try SweepPlan(model: mlp, training: Self.deep, values: [8, 16, 32]).validate() }
        var transfer = LRTransferPlan(model: mlp, optimizer: .adam, parametrizations: [.mup], widths: [8, 16],
                                      learningRates: [1e-3, 1e-2, 1e-1], seeds: [0], steps: 1)
        transfer.template = Self.deep
        #expect(throws: expected) { try transfer.validate() }
        var gpt = mlp
        gpt.family = .gpt
        gpt.heads = 2
        try gpt.validate(training: Self.deep)
    }

    @Test("depth-µP's values: α one of 0, ½, 1; a base depth needs α and names it")
    func depthScalingValues() throws {
        var odd = TrainingOptions()
        odd.depthAlpha = 0.7
        #expect(throws: ModelBuildError.invalid(setting: .depthAlpha, reason: "must be 0, 0.5 or 1 (plain, Depth-µP, CompleteP), got 0.7")) {
            try odd.validate()
        }
        var base = TrainingOptions()
        base.baseDepth = 2
        let error = ModelBuildError.requires(setting: .baseDepth, other: .depthAlpha, why: "it is depth-µP's base depth")
        #expect(throws: error) { try base.validate() }
        #expect(error.message { "--" + $0.rawValue } == "--base_depth: needs --depth_alpha (it is depth-µP's base depth)")
        for alpha in DepthScaling.standardAlphas {
            var training = TrainingOptions()
            training.depthAlpha = alpha
            try training.validate()
        }
    }

    @Test("an MLP depth sweep beyond the depth cap is the model's size rule")
    func depthAxisCap() throws {
        let mlp = ModelOptions(family: .mlp, inputDimension: 4, outputDimension: 2, batch: 2)
        let deepest = RunLimits.maximumSweptDepth + 1
        #expect(throws: ModelBuildError.invalid(setting: .values, reason: "on the depth axis the values are depths (hidden layers); \(deepest) is more than \(RunLimits.maximumSweptDepth)")) {
            try mlp.validate(axis: .depth, values: [2, 4, deepest])
        }
        try mlp.validate(axis: .depth, values: [2, 4, RunLimits.maximumSweptDepth])
        try mlp.validate(axis: .width, values: [2, 4, deepest])
    }

    @Test("a run configuration reports the training options' rules by key, or by the option that gave the value")
    func runConfigurationNamesKeys() throws {
        func error(_ yaml: String, labels: [String: String] = [:]) throws -> ConfigurationError? {
            do { _ = try RunConfiguration(document: ConfigDocument.parse(yaml, source: "run.yaml"), labels: labels) } catch {
                return error
            }
            return nil
        }
        #expect(try error("optimizer: {weight_decay: -1}") == .invalid(key: "optimizer.weight_decay", reason: "must be a finite number ≥ 0, got -1.0"))
        #expect(try error("optimizer: {lr_prefactor: 0}", labels: ["optimizer.lr_prefactor": "--lr"])
                    == .invalid(key: "--lr", reason: "must be a positive number, got 0.0"))
        #expect(try error("maxp: {sigma: -0.02}") == .invalid(key: "maxp.sigma", reason: "must be a positive finite standard deviation, got -0.02"))
        #expect(try error("model: {tie_embeddings: true}")
                    == nil, "the shape's own rules are the engine's, checked by validateModel()")
        var tiedMLP = try RunConfiguration(document: ConfigDocument.parse("model: {tie_embeddings: true}", source: "run.yaml"))
        #expect(throws: ModelBuildError.self) { try tiedMLP.validateModel() }
        tiedMLP.model.name = .gpt
        tiedMLP.model.heads = 2
        try tiedMLP.validateModel()
        #expect(tiedMLP.modelOptions.tiesEmbeddings && tiedMLP.value.value(at: "model.tie_embeddings") == .bool(true))
    }
}
