import ArgumentParser
import MaxP
import MaxPDiagnostics

/// `train`'s run options, each optional so that a given one overrides `--config RUN.yaml` (or the resumed run's
/// `config.json`) and a missing one leaves the file's value or the default. Every option is the value of one key of
/// ``RunConfiguration``'s schema (``settings``): the flags and the file fill the same typed configuration.
struct TrainOptions: ParsableArguments {
    @Option(parsing: .unconditional, help: "Built-in model (model.name; default mlp).")
    var model: ModelFamily?
    @Option(parsing: .unconditional, help: "Width of the model (model.width; default 64 for mlp, 32 for gpt).")
    var width: Int?
    @Option(parsing: .unconditional, help: "Hidden layers (mlp) or blocks (gpt) (model.depth; default 3 for mlp, 1 for gpt).")
    var depth: Int?
    @Option(name: .customLong("input-dim"), parsing: .unconditional, help: "MLP input size (model.input_dim; default 16, with --data the file's).")
    var inputDim: Int?
    @Option(name: .customLong("output-dim"), parsing: .unconditional, help: "MLP classes (model.output_dim; default 4, with --data the file's).")
    var outputDim: Int?
    @Option(parsing: .unconditional, help: "Batch size (model.batch; default 32 for mlp, 8 for gpt).")
    var batch: Int?
    @Option(parsing: .unconditional, help: "GPT attention heads (model.heads; default 2).")
    var heads: Int?
    @Option(name: .customLong("seq-len"), parsing: .unconditional, help: "GPT sequence length (model.seq_len; default 8).")
    var seqLen: Int?
    @Option(parsing: .unconditional, help: "GPT vocabulary (model.vocab; default 16).")
    var vocab: Int?
    @Option(parsing: .unconditional, help: "Optimizer (optimizer.type; default adam).")
    var optimizer: TrainableOptimizer?
    @Option(parsing: .unconditional, help: "Learning-rate prefactor η in lr = η · width^-c, with --base-width the learning rate at the base width (optimizer.lr_prefactor; default 0.01).")
    var lr: Double?
    @Option(name: .customLong("weight-decay"), parsing: .unconditional, help: ArgumentHelp("Weight decay λ: AdamW's decoupled decay for adam (p ← p − lr·λ·p), the same for adafactor, L2 for sgd (optimizer.weight_decay; default 0).", valueName: "λ"))
    var weightDecay: Double?
    @Option(name: .customLong("grad-clip"), parsing: .unconditional, help: ArgumentHelp("Clip the global gradient norm to at most N before every step, torch's clip_grad_norm_ (optimizer.grad_clip; default none).", valueName: "N"))
    var gradClip: Double?
    @Option(parsing: .unconditional, help: ArgumentHelp("Adam's β₁, the first-moment decay, torch's betas[0] (optimizer.beta1; default 0.9); adam only.", valueName: "β"))
    var beta1: Double?
    @Option(parsing: .unconditional, help: ArgumentHelp("Adam's β₂, the second-moment decay, torch's betas[1] (optimizer.beta2; default 0.999); adam only.", valueName: "β"))
    var beta2: Double?
    @Option(name: .customLong("adam-epsilon"), parsing: .unconditional, help: ArgumentHelp("Adam's ε added to √v, torch's eps; with --depth-alpha the base of CompleteP's ε · m_N^-1 · (depth/base-depth)^-α inside the blocks (optimizer.eps; default 1e-8); adam only.", valueName: "ε"))
    var adamEpsilon: Double?
    @Option(parsing: .unconditional, help: "Named parametrization (maxp.parametrization; default mup).")
    var parametrization: NamedParametrization?
    @Option(parsing: .unconditional, help: "Alignment preset before measurement (maxp.alignment; default full).")
    var alignment: AlignmentPreset?
    @Flag(inversion: .prefixedNo, help: "Re-solve learning-rate exponents from measured alignment; otherwise c stays constant (maxp.dynamic; default off).")
    var dynamic: Bool?
    @Option(name: .customLong("warmup-steps"), parsing: .unconditional, help: "Steps before the first measurement (maxp.warmup_steps; default 0).")
    var warmupSteps: Int?
    @Option(name: .customLong("solve-interval"), parsing: .unconditional, help: "Measure (and re-solve) every K steps (maxp.solve_interval; default 1).")
    var solveInterval: Int?
    @Option(name: .customLong("sample-size"), parsing: .unconditional, help: "Rows of each layer's input that are measured (maxp.sample_size; default 32).")
    var sampleSize: Int?
    @Option(parsing: .unconditional, help: ArgumentHelp("Fixed init std σ (nanoGPT's init_std): every weight's std at the base width; under sp every weight is N(0, σ²) at every width (maxp.sigma; default none).", valueName: "σ"))
    var sigma: Double?
    @Option(name: .customLong("override"), parsing: .unconditionalSingleValue, help: ArgumentHelp("Declared per-op exponent or σ: GLOB over op names, FIELD a, b, c or sigma, e.g. 'readout.a=1' or 'fc_*.c=1'; the exponent LP uses it (a declared c is fixed). Repeatable, later ones win; replaces the file's list (maxp.overrides; default none).", valueName: "glob.field=value"))
    var overrides: [String] = []
    @Option(name: .customLong("depth-alpha"), parsing: .unconditional, help: ArgumentHelp("Depth-µP for the gpt model: every residual branch × (depth/base-depth)^-α, hidden and block-norm learning rates × (depth/base-depth)^(α−1) with Adam, ^(2α−1) with SGD, Adam's ε inside the blocks × m_N^-1 · (depth/base-depth)^-α; α is 0, 0.5 or 1 (maxp.depth_alpha; default none).", valueName: "α"))
    var depthAlpha: Double?
    @Option(name: .customLong("base-depth"), parsing: .unconditional, help: ArgumentHelp("Depth-µP's base depth: at this depth the model equals the plain one (maxp.base_depth; default 1; needs --depth-alpha).", valueName: "L"))
    var baseDepth: Int?
    @Option(name: .customLong("log-every"), parsing: .unconditional, help: "A progress line on stderr every N steps, 0 for none (logging.every; default 0).")
    var logEvery: Int?
    @Flag(inversion: .prefixedNo, help: "Draw the per-layer traces alignment.png and alignment.svg (logging.traces; default on).")
    var traces: Bool?
    @Option(parsing: .unconditional, help: "Training steps; with --resume the total to reach (steps; default 20).")
    var steps: Int?
    @Option(parsing: .unconditional, help: "Seed of initialization and data (seed; default 0).")
    var seed: Int?
    @Option(help: ArgumentHelp("User data for the MLP: a CSV of numeric features with an integer class label in the last column (data).", valueName: "file.csv"))
    var data: String?
    @Option(name: .customLong("base-width"), parsing: .unconditional, help: ArgumentHelp("mup's base width: at this width µP equals SP (base_width; default none, lr = η · width^-c).", valueName: "n"))
    var baseWidth: Int?

    /// The schema key, flag and value of every option that can be given, given or not.
    var settings: [(key: String, flag: String, value: ConfigValue?)] {
        [
            ("model.name", "--model", model.map { ConfigValue.string($0.rawValue) }),
            ("model.width", "--width", width.map { ConfigValue.integer($0) }),
            ("model.depth", "--depth", depth.map { ConfigValue.integer($0) }),
            ("model.input_dim", "--input-dim", inputDim.map { ConfigValue.integer($0) }),
            ("model.output_dim", "--output-dim", outputDim.map { ConfigValue.integer($0) }),
            ("model.batch", "--batch", batch.map { ConfigValue.integer($0) }),
            ("model.heads", "--heads", heads.map { ConfigValue.integer($0) }),
            ("model.seq_len", "--seq-len", seqLen.map { ConfigValue.integer($0) }),
            ("model.vocab", "--vocab", vocab.map { ConfigValue.integer($0) }),
            ("optimizer.type", "--optimizer", optimizer.map { ConfigValue.string($0.kind.rawValue) }),
            ("optimizer.lr_prefactor", "--lr", lr.map { ConfigValue.number($0) }),
            ("optimizer.weight_decay", "--weight-decay", weightDecay.map { ConfigValue.number($0) }),
            ("optimizer.grad_clip", "--grad-clip", gradClip.map { ConfigValue.number($0) }),
            ("optimizer.beta1", "--beta1", beta1.map { ConfigValue.number($0) }),
            ("optimizer.beta2", "--beta2", beta2.map { ConfigValue.number($0) }),
            ("optimizer.eps", "--adam-epsilon", adamEpsilon.map { ConfigValue.number($0) }),
            ("maxp.parametrization", "--parametrization", parametrization.map { ConfigValue.string($0.rawValue) }),
            ("maxp.alignment", "--alignment", alignment.map { ConfigValue.string($0.rawValue) }),
            ("maxp.dynamic", "--dynamic", dynamic.map { ConfigValue.bool($0) }),
            ("maxp.warmup_steps", "--warmup-steps", warmupSteps.map { ConfigValue.integer($0) }),
            ("maxp.solve_interval", "--solve-interval", solveInterval.map { ConfigValue.integer($0) }),
            ("maxp.sample_size", "--sample-size", sampleSize.map { ConfigValue.integer($0) }),
            ("maxp.sigma", "--sigma", sigma.map { ConfigValue.number($0) }),
            ("maxp.overrides", "--override", overrides.isEmpty ? nil : ConfigValue.list(overrides.map { .string($0) })),
            ("maxp.depth_alpha", "--depth-alpha", depthAlpha.map { ConfigValue.number($0) }),
            ("maxp.base_depth", "--base-depth", baseDepth.map { ConfigValue.integer($0) }),
            ("logging.every", "--log-every", logEvery.map { ConfigValue.integer($0) }),
            ("logging.traces", "--traces", traces.map { ConfigValue.bool($0) }),
            ("steps", "--steps", steps.map { ConfigValue.integer($0) }),
            ("seed", "--seed", seed.map { ConfigValue.integer($0) }),
            ("data", "--data", data.map { ConfigValue.string($0) }),
            ("base_width", "--base-width", baseWidth.map { ConfigValue.integer($0) }),
        ]
    }

    /// `document` with every given option set at its key, and the labels of messages: a key the options set, or
    /// one the document does not hold (a default), is named by its flag; a key of the file by itself.
    func applied(to document: ConfigValue) -> (document: ConfigValue, labels: [String: String]) {
        var result = document
        var labels: [String: String] = [:]
        for (key, flag, value) in settings {
            if let value {
                result = result.setting(value, at: key)
                labels[key] = flag
            } else if document.value(at: key) == nil {
                labels[key] = flag
            }
        }
        return (result, labels)
    }
}
