import ArgumentParser
import Foundation
import MaxP
import MaxPDiagnostics

/// The options of one built-in model at one width (`train`, `solve --model`): typed, validated in `validate()`,
/// built through the same ``ModelBuilder`` / ``ModelEngine`` path as every sweep. Defaults are small (a quick run):
/// MLP 16 → 64 × 3 → 4, batch 32; GPT width 32, 1 block, 2 heads, 8 tokens, vocab 16, batch 8.
struct ModelRunOptions: ParsableArguments {
    @Option(parsing: .unconditional, help: "Width of the model (default 64 for mlp, 32 for gpt).")
    var width: Int?
    @Option(parsing: .unconditional, help: "Hidden layers (mlp) or blocks (gpt) (default 3 for mlp, 1 for gpt).")
    var depth: Int?
    @Option(name: .customLong("input-dim"), parsing: .unconditional, help: "MLP input size.")
    var inputDim = 16
    @Option(name: .customLong("output-dim"), parsing: .unconditional, help: "MLP classes.")
    var outputDim = 4
    @Option(parsing: .unconditional, help: "Batch size (default 32 for mlp, 8 for gpt).")
    var batch: Int?
    @Option(parsing: .unconditional, help: "GPT attention heads.")
    var heads = 2
    @Option(name: .customLong("seq-len"), parsing: .unconditional, help: "GPT sequence length.")
    var seqLen = 8
    @Option(parsing: .unconditional, help: "GPT vocabulary.")
    var vocab = 16
    @Option(parsing: .unconditional, help: "Named parametrization.")
    var parametrization: NamedParametrization = .mup
    @Option(parsing: .unconditional, help: "Alignment preset before measurement.")
    var alignment: AlignmentPreset = .full
    @Option(parsing: .unconditional, help: "Learning-rate prefactor η in lr = η · width^-c (with --base-width: the learning rate at the base width).")
    var lr = 0.01
    @Option(name: .customLong("base-width"), parsing: .unconditional, help: ArgumentHelp("mup's base width: at this width µP equals SP (default: none, lr = η · width^-c).", valueName: "n"))
    var baseWidth: Int?
    @Option(parsing: .unconditional, help: "Seed of initialization and data.")
    var seed = 0
    @Flag(help: "GPT: the readout reuses the token embedding's table (tied input/output embeddings, mup#55).")
    var tieEmbeddings = false

    /// The model's shape for `family` (family-dependent defaults filled in).
    func modelOptions(_ family: ModelFamily) -> ModelOptions {
        var options = ModelOptions(family: family, inputDimension: inputDim, depth: depth ?? (family == .gpt ? 1 : 3),
                                   outputDimension: outputDim, width: width ?? (family == .gpt ? 32 : 64), heads: heads,
                                   sequenceLength: seqLen, vocabulary: vocab, batch: batch ?? (family == .gpt ? 8 : 32))
        options.tiesEmbeddings = tieEmbeddings
        return options
    }

    /// Checks every value (one line naming the flag, exit 2); `ablation` adds declared overrides, a fixed init std,
    /// weight decay and clipping (`train`).
    func check(_ family: ModelFamily, optimizer: OptimizerKind, trainable: Bool,
               ablation: AblationConfiguration = AblationConfiguration()) throws(ModelBuildError) {
        let options = modelOptions(family)
        guard seed >= 0 else { throw .invalid(setting: .seed, reason: "must be at least 0, got \(seed)") }
        try ablation.applied(to: training(optimizer: optimizer)).validate(training: trainable)
        do {
            try options.validate(axis: .width, values: [options.width])
        } catch .invalid(.values, let reason) {
            throw .invalid(setting: .width, reason: reason)  // one model: the swept values are its --width
        }
        try MemoryEstimate.run(options, axis: .width, values: [options.width], jobsInFlight: 1).check(setting: .width)
    }

    /// How the model is parametrized (and trained).
    func training(optimizer: OptimizerKind) -> TrainingOptions {
        TrainingOptions(parametrization: parametrization, optimizer: optimizer, learningRate: lr, alignment: alignment,
                        baseWidth: baseWidth)
    }

    /// The built-in task's batch number `index` (teacher–student classification / Markov tokens seeded by `seed`).
    func batch(_ family: ModelFamily, index: Int) -> TaskBatch {
        SweepPlan(model: modelOptions(family), values: [], data: .synthetic(seed: UInt64(seed))).batch(seed: index)
    }

    /// The model, built through the one engine path, reading batch 0.
    func build(_ family: ModelFamily, optimizer: OptimizerKind, trainable: Bool,
               ablation: AblationConfiguration = AblationConfiguration()) throws(ModelBuildError) -> BuiltModel {
        let options = modelOptions(family)
        return try ModelBuilder.build(options: options, training: ablation.applied(to: training(optimizer: optimizer)), axis: .width,
                                      axisValue: options.width, seed: seed, batch: batch(family, index: 0),
                                      trainable: trainable)
    }

    /// `mlp 16→64×3→4, batch 32, mup/adam/full, η 0.01` — the one-line summary `train` and `solve` print.
    func summary(_ family: ModelFamily, optimizer: OptimizerKind) -> String {
        let o = modelOptions(family)
        let training = "\(parametrization.rawValue)/\(optimizer.rawValue)/\(alignment.rawValue), η \(lr)"
            + (baseWidth.map { ", base width \($0)" } ?? "")
        switch family {
        case .gpt:
            return "gpt width \(o.width), \(o.depth) block(s), \(o.heads) heads, vocab \(o.vocabulary), seq \(o.sequenceLength), batch \(o.batch)"
                + (o.tiesEmbeddings ? ", tied embeddings" : "") + ", \(training)"
        case .mlp:
            return "mlp \(o.inputDimension)→\(o.width)×\(o.depth)→\(o.outputDimension), batch \(o.batch), \(training)"
        }
    }
}
