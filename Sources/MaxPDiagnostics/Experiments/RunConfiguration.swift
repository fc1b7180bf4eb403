import MaxP

/// Everything one training run needs (`train --config RUN.yaml`, one run of a grid), typed and checked: the one
/// configuration type that a file, a grid's settings and command-line options all fill, through the same tree
/// (``ConfigValue``) and the same reader.
///
/// The schema (``value`` writes it back, every key present, as a run folder's `config.json`):
///
/// ```yaml
/// model: {name: mlp, width: 64, depth: 2, input_dim: 16, output_dim: 4, batch: 32, heads: 2, seq_len: 8, vocab: 16,
///         tie_embeddings: false}
/// optimizer: {type: adam, lr_prefactor: 0.05, weight_decay: 0.0, grad_clip: null, beta1: null, beta2: null, eps: null}
/// maxp: {parametrization: mup, alignment: full, dynamic: true, warmup_steps: 2, solve_interval: 2, sample_size: 32,
///        sigma: null, overrides: ["readout.a=1", "blocks.*.c=1"], depth_alpha: null, base_depth: null}
/// schedule: {type: constant, chain: []}
/// logging: {every: 0, traces: true}
/// steps: 12
/// seed: 0
/// data: null          # or a CSV of features + integer label (MLP)
/// base_width: null    # mup's base width
/// ```
public struct RunConfiguration: Sendable, Equatable {
    /// The `model` section: the built-in model's shape.
    public struct Model: Sendable, Equatable {
        /// The family (`mlp`, `gpt`).
        public var name: ModelFamily = .mlp
        /// Width (default 64 for the MLP, 32 for the GPT).
        public var width = 64
        /// Hidden layers (MLP) or blocks (GPT) (default 3 / 1).
        public var depth = 3
        /// MLP input size (with `data`: the file's feature count).
        public var inputDim = 16
        /// MLP classes (with `data`: at least the file's classes).
        public var outputDim = 4
        /// Examples per batch (default 32 / 8).
        public var batch = 32
        /// GPT attention heads.
        public var heads = 2
        /// GPT sequence length.
        public var seqLen = 8
        /// GPT vocabulary.
        public var vocab = 16
        /// GPT: the readout reuses the token embedding's table (tied input/output embeddings, mup#55).
        public var tieEmbeddings = false

        /// The defaults of `family` (the one place of `train`'s and `solve --model`'s defaults): MLP 16 → 64 × 3 → 4,
        /// batch 32; GPT width 32, 1 block, 2 heads, 8 tokens, vocabulary 16, batch 8.
        public static func defaults(for family: ModelFamily) -> Model {
            var model = Model()
            model.name = family
            if family == .gpt { (model.width, model.depth, model.batch) = (32, 1, 8) }
            return model
        }

        /// The engine's shape of this model.
        public var options: ModelOptions {
            var options = ModelOptions(family: name, inputDimension: inputDim, depth: depth, outputDimension: outputDim, width: width,
                                       heads: heads, sequenceLength: seqLen, vocabulary: vocab, batch: batch)
            options.tiesEmbeddings = tieEmbeddings
            return options
        }
    }

    /// The `optimizer` section.
    public struct OptimizerSettings: Sendable, Equatable {
        /// `adam`, `sgd` or `adafactor`.
        public var type: OptimizerKind = .adam
        /// The learning-rate prefactor η in `lr = η · width^-c` (with a base width, `η · (width/base)^-c`).
        public var lrPrefactor = 0.01
        /// Weight decay λ ≥ 0 (``TrainingOptions/weightDecay``: AdamW's decoupled decay for adam, the same for
        /// adafactor, L2 for sgd); 0 does not decay.
        public var weightDecay = 0.0
        /// Clip the global gradient norm to at most this before every step (``TrainingOptions/gradientClip``);
        /// `nil` does not clip.
        public var gradClip: Double?
        /// Adam's β₁ (torch's `betas[0]`, ``TrainingOptions/beta1``); `nil`: 0.9. Adam only.
        public var beta1: Double?
        /// Adam's β₂ (torch's `betas[1]`, ``TrainingOptions/beta2``); `nil`: 0.999. Adam only.
        public var beta2: Double?
        /// Adam's ε (torch's `eps`, ``TrainingOptions/adamEpsilon``); `nil`: 1e-8. Adam only.
        public var eps: Double?
    }

    /// The `maxp` section: the parametrization and the dynamic alignment controller.
    public struct MaxPSettings: Sendable, Equatable {
        /// The declared parametrization.
        public var parametrization: NamedParametrization = .mup
        /// The alignment preset before anything is measured.
        public var alignment: AlignmentPreset = .full
        /// Re-solve the learning-rate exponents from measured alignment (otherwise only measured).
        public var dynamic = false
        /// Steps before the first measurement.
        public var warmupSteps = 0
        /// Measure (and re-solve) every this many steps.
        public var solveInterval = 1
        /// Rows of each layer's input that are measured.
        public var sampleSize = 32
        /// nanoGPT's fixed init std σ (``TrainingOptions/initStd``): every weight's std at the base width; `nil`:
        /// σ = 1 in `σ · width^-b`.
        public var sigma: Double?
        /// Declared per-op exponents and σ (`GLOB.FIELD=VALUE`, maxP's per-op `a`, `b`, `c`; later ones win):
        /// theory and the exponent LP use them, a declared `c` is fixed (``TrainingOptions/overrides``).
        public var overrides: [OpAssignment] = []
        /// Depth-µP's branch exponent α (0, ½ or 1; ``TrainingOptions/depthAlpha``): residual branches ×
        /// `(depth/base)^-α`, hidden learning rates × `(depth/base)^(α−1)` (Adam) or `^(2α−1)` (SGD); `nil`: nothing
        /// scales with depth. The GPT only (the MLP has no residual stream).
        public var depthAlpha: Double?
        /// Depth-µP's base depth, where the model equals the plain one (`nil`: 1); only with ``depthAlpha``.
        public var baseDepth: Int?
    }

    /// The `logging` section: what is written besides the contract files.
    public struct Logging: Sendable, Equatable {
        /// A progress line every this many steps (0: none).
        public var every = 0
        /// Draw the per-layer traces (`alignment.png`, `alignment.svg`).
        public var traces = true
    }

    /// The model.
    public var model = Model()
    /// The optimizer.
    public var optimizer = OptimizerSettings()
    /// Parametrization and controller.
    public var maxp = MaxPSettings()
    /// The learning-rate schedule.
    public var schedule = ScheduleConfiguration()
    /// Logging.
    public var logging = Logging()
    /// Training steps.
    public var steps = 20
    /// Seed of initialization and data.
    public var seed = 0
    /// A CSV of numeric features with an integer label in the last column (MLP), instead of the synthetic task.
    public var data: String?
    /// mup's base width (none: `lr = η · width^-c`).
    public var baseWidth: Int?

    /// The defaults.
    public init() {}

    // MARK: Schema

    /// The top-level keys.
    public static let topLevelKeys = ["model", "optimizer", "maxp", "schedule", "logging", "steps", "seed", "data", "base_width"]
    /// The keys of each section.
    public static let sectionKeys: [String: [String]] = [
        "model": ["name", "width", "depth", "input_dim", "output_dim", "batch", "heads", "seq_len", "vocab", "tie_embeddings"],
        "optimizer": ["type", "lr_prefactor", "weight_decay", "grad_clip", "beta1", "beta2", "eps"],
        "maxp": ["parametrization", "alignment", "dynamic", "warmup_steps", "solve_interval", "sample_size", "sigma", "overrides",
                 "depth_alpha", "base_depth"],
        "logging": ["every", "traces"],
    ]

    /// Every dotted key a grid may sweep or override, in schema order (schedule keys included).
    public static var knownKeys: [String] {
        var keys: [String] = []
        for top in topLevelKeys {
            if let section = sectionKeys[top] {
                keys += section.map { "\(top).\($0)" }
            } else if top == "schedule" {
                keys += ["schedule.type"] + ["warmup", "stable", "decay", "shape", "min_factor", "steps", "start_factor", "every",
                                             "gamma", "parts", "boundaries", "chain"].map { "schedule.\($0)" }
            } else {
                keys.append(top)
            }
        }
        return keys
    }

    /// Whether `dottedKey` names a value of the schema (a schedule's nested keys count under `schedule.`).
    public static func isKnown(_ dottedKey: String) -> Bool {
        knownKeys.contains(dottedKey) || dottedKey.hasPrefix("schedule.chain.") || dottedKey.hasPrefix("schedule.parts.")
    }

    // MARK: Reading

    /// Types and checks a whole document. `labels` names values that came from elsewhere than the file (a
    /// command-line option, `--steps`) in messages; every other value is named by its dotted key.
    public init(document: ConfigValue, labels: [String: String] = [:]) throws(ConfigurationError) {
        let top = try ConfigSection(document, path: "", known: Self.topLevelKeys, labels: labels)
        let m = try ConfigSection(document, path: "model", known: Self.sectionKeys["model"]!, labels: labels)
        let defaults = try Model.defaults(for: m.choice("name", ModelFamily.allCases, .mlp))
        model.name = defaults.name
        model.width = try m.integer("width", minimum: 1, defaults.width)
        model.depth = try m.integer("depth", minimum: 1, defaults.depth)
        model.inputDim = try m.integer("input_dim", minimum: 1, defaults.inputDim)
        model.outputDim = try m.integer("output_dim", minimum: 2, defaults.outputDim)
        model.batch = try m.integer("batch", minimum: 1, defaults.batch)
        model.heads = try m.integer("heads", minimum: 1, defaults.heads)
        model.seqLen = try m.integer("seq_len", minimum: 1, defaults.seqLen)
        model.vocab = try m.integer("vocab", minimum: 2, defaults.vocab)
        model.tieEmbeddings = try m.bool("tie_embeddings", defaults.tieEmbeddings)

        let o = try ConfigSection(document, path: "optimizer", known: Self.sectionKeys["optimizer"]!, labels: labels)
        optimizer.type = try o.choice("type", TrainingOptions.trainableOptimizers, .adam)
        optimizer.lrPrefactor = try o.number("lr_prefactor", OptimizerSettings().lrPrefactor)
        optimizer.weightDecay = try o.number("weight_decay", 0)
        optimizer.gradClip = try o.optionalNumber("grad_clip")
        optimizer.beta1 = try o.optionalNumber("beta1")
        optimizer.beta2 = try o.optionalNumber("beta2")
        optimizer.eps = try o.optionalNumber("eps")

        let x = try ConfigSection(document, path: "maxp", known: Self.sectionKeys["maxp"]!, labels: labels)
        maxp.parametrization = try x.choice("parametrization", NamedParametrization.allCases, .mup)
        maxp.alignment = try x.choice("alignment", AlignmentPreset.allCases, .full)
        maxp.dynamic = try x.bool("dynamic", false)
        maxp.warmupSteps = try x.integer("warmup_steps", minimum: 0, 0)
        maxp.solveInterval = try x.integer("solve_interval", minimum: 1, 1)
        maxp.sampleSize = try x.integer("sample_size", minimum: 1, 32)
        maxp.sigma = try x.optionalNumber("sigma")
        maxp.overrides = try x.assignments("overrides")
        maxp.depthAlpha = try x.optionalNumber("depth_alpha")
        maxp.baseDepth = try x.optionalInteger("base_depth")
        // The training options' and the model's own rules (learning rate, weight decay, clipping, σ, depth-µP),
        // named by key.
        do {
            try trainingOptions.validate(training: true)
            try model.options.validate(training: trainingOptions)
        } catch {
            throw Self.configurationError(error, labels: labels)
        }

        schedule = try ScheduleConfiguration(document: document, labels: labels)

        let l = try ConfigSection(document, path: "logging", known: Self.sectionKeys["logging"]!, labels: labels)
        logging.every = try l.integer("every", minimum: 0, 0)
        logging.traces = try l.bool("traces", true)

        steps = try top.integer("steps", minimum: 1, 20)
        guard steps <= RunLimits.maximumSteps else {
            throw .invalid(key: top.label("steps"), reason: "at most \(RunLimits.maximumSteps) training steps, got \(steps)")
        }
        seed = try top.integer("seed", minimum: 0, 0)
        data = try top.optionalString("data")
        if data != nil {
            do { try model.options.validateUserData() } catch { throw Self.configurationError(error, labels: labels) }
        }
        baseWidth = try top.optionalInteger("base_width", minimum: 1)

        if maxp.dynamic, let first = Self.firstMeasurement(steps: steps, warmupSteps: maxp.warmupSteps, solveInterval: maxp.solveInterval) {
            throw .invalid(key: x.label("dynamic"), reason: "never measures: with \(x.label("warmup_steps")) \(maxp.warmupSteps) and "
                           + "\(x.label("solve_interval")) \(maxp.solveInterval) the first measurement would be at step \(first), "
                           + "beyond \(top.label("steps")) \(steps)")
        }
        // A tied weight's learning rate is fixed at its owner's (mup#55's resolution); the exponent LP has no shared-c
        // constraint, so the controller could not re-solve it and would keep the old exponents while claiming to adapt.
        if maxp.dynamic, model.tieEmbeddings {
            throw .invalid(key: x.label("dynamic"), reason: "cannot re-solve learning rates with \(m.label("tie_embeddings")): "
                           + "the tied weight's two roles share one learning-rate exponent, which the exponent LP does not model; "
                           + "drop one of the two")
        }
    }

    /// `error` of an engine rule as a configuration error naming each setting by its key (or by the label the key
    /// has in `labels`: the option that gave it).
    static func configurationError(_ error: ModelBuildError, labels: [String: String]) -> ConfigurationError {
        func name(_ setting: SweepSetting) -> String {
            let key = Self.key(for: setting) ?? setting.rawValue
            return labels[key] ?? key
        }
        switch error {
        case let .invalid(setting, reason): return .invalid(key: name(setting), reason: reason)
        case let .requires(setting, other, why): return .invalid(key: name(setting), reason: "needs \(name(other)) (\(why))")
        default: return .invalid(key: name(.model), reason: error.message(naming: name))
        }
    }

    /// The first measured step when it lies beyond `steps` (the controller measures at `k mod interval == 0`,
    /// `k > warmup`), `nil` when some step measures.
    static func firstMeasurement(steps: Int, warmupSteps: Int, solveInterval: Int) -> Int? {
        let first = (warmupSteps / solveInterval + 1) * solveInterval
        return first > steps ? first : nil
    }

    // MARK: Writing

    /// The resolved configuration in the file schema, every key present (`null` for no data / no base width):
    /// a run folder's `config.json` (``ConfigValue/jsonText()``).
    public var value: ConfigValue {
        .map([
            ("model", .map([("name", .string(model.name.rawValue)), ("width", .integer(model.width)), ("depth", .integer(model.depth)),
                            ("input_dim", .integer(model.inputDim)), ("output_dim", .integer(model.outputDim)),
                            ("batch", .integer(model.batch)), ("heads", .integer(model.heads)), ("seq_len", .integer(model.seqLen)),
                            ("vocab", .integer(model.vocab)), ("tie_embeddings", .bool(model.tieEmbeddings))])),
            ("optimizer", optimizerValue),
            ("maxp", .map([("parametrization", .string(maxp.parametrization.rawValue)), ("alignment", .string(maxp.alignment.rawValue)),
                           ("dynamic", .bool(maxp.dynamic)), ("warmup_steps", .integer(maxp.warmupSteps)),
                           ("solve_interval", .integer(maxp.solveInterval)), ("sample_size", .integer(maxp.sampleSize)),
                           ("sigma", maxp.sigma.map { .number($0) } ?? .null),
                           ("overrides", .list(maxp.overrides.map { .string($0.description) })),
                           ("depth_alpha", maxp.depthAlpha.map { .number($0) } ?? .null),
                           ("base_depth", maxp.baseDepth.map { .integer($0) } ?? .null)])),
            ("schedule", schedule.value),
            ("logging", .map([("every", .integer(logging.every)), ("traces", .bool(logging.traces))])),
            ("steps", .integer(steps)),
            ("seed", .integer(seed)),
            ("data", data.map { .string($0) } ?? .null),
            ("base_width", baseWidth.map { .integer($0) } ?? .null),
        ])
    }

    /// The `optimizer` section in the file schema (`null` for the unset optional values).
    private var optimizerValue: ConfigValue {
        func optional(_ value: Double?) -> ConfigValue { value.map { ConfigValue.number($0) } ?? .null }
        let entries: [(key: String, value: ConfigValue)] = [
            ("type", .string(optimizer.type.rawValue)), ("lr_prefactor", .number(optimizer.lrPrefactor)),
            ("weight_decay", .number(optimizer.weightDecay)), ("grad_clip", optional(optimizer.gradClip)),
            ("beta1", optional(optimizer.beta1)), ("beta2", optional(optimizer.beta2)), ("eps", optional(optimizer.eps)),
        ]
        return .map(entries)
    }

    /// The first key (dotted) whose value differs between this configuration and `other`, ignoring the keys a
    /// resumed run may change (`steps`, `logging.*`), with both values; `nil` when they agree.
    public func firstDifference(from other: RunConfiguration) -> (key: String, this: ConfigValue, other: ConfigValue)? {
        let mine = value.leaves, theirs = Dictionary(other.value.leaves.map { ($0.key, $0.value) }, uniquingKeysWith: { $1 })
        for (key, value) in mine where key != "steps" && !key.hasPrefix("logging.") {
            let given = theirs[key] ?? .null
            if given != value { return (key, value, given) }
        }
        return nil
    }

    // MARK: Engine values

    /// The built-in model's shape.
    public var modelOptions: ModelOptions { model.options }

    /// How the model is parametrized and trained.
    public var trainingOptions: TrainingOptions {
        var options = TrainingOptions(parametrization: maxp.parametrization, optimizer: optimizer.type,
                                      learningRate: optimizer.lrPrefactor, alignment: maxp.alignment, baseWidth: baseWidth,
                                      overrides: maxp.overrides, initStd: maxp.sigma, weightDecay: optimizer.weightDecay,
                                      gradientClip: optimizer.gradClip)
        options.depthAlpha = maxp.depthAlpha
        options.baseDepth = maxp.baseDepth
        options.beta1 = optimizer.beta1
        options.beta2 = optimizer.beta2
        options.adamEpsilon = optimizer.eps
        return options
    }

    /// The controller's options (`dynamic: false` measures only).
    public var controllerOptions: AlignmentControllerOptions {
        AlignmentControllerOptions(warmupSteps: maxp.warmupSteps, solveInterval: maxp.solveInterval, sampleSize: maxp.sampleSize,
                                   measureOnly: !maxp.dynamic)
    }

    /// The engine's checks of the model (sizes, head divisibility, memory, and — by building it once — that every
    /// declared override's pattern matches an op it can set) — the errors name engine settings.
    public func validateModel() throws(ModelBuildError) {
        let options = modelOptions
        try trainingOptions.validate(training: true)
        do {
            try options.validate(axis: .width, values: [options.width], training: trainingOptions)
        } catch .invalid(.values, let reason) {
            throw .invalid(setting: .width, reason: reason)
        }
        try MemoryEstimate.run(options, axis: .width, values: [options.width], jobsInFlight: 1).check(setting: .width)
        if !maxp.overrides.isEmpty {
            _ = try ModelBuilder.build(options: options, training: trainingOptions, axis: .width, axisValue: model.width,
                                       seed: seed, trainable: false)
        }
    }

    /// `mlp 16→64×2→4, batch 32, mup/adam/full, η 0.05; declared readout.a=1.0; weight decay 0.1` — the one-line
    /// summary `train` prints (the ablation settings as ``TrainingOptions/ablationDescription`` words them; with
    /// depth-µP `, depth-µP α 0.5, base depth 2` after the base width).
    public var summary: String {
        let depthScaling = maxp.depthAlpha.map { ", depth-µP α \($0)" + (maxp.baseDepth.map { ", base depth \($0)" } ?? "") } ?? ""
        let training = "\(maxp.parametrization.rawValue)/\(optimizer.type.rawValue)/\(maxp.alignment.rawValue), η \(optimizer.lrPrefactor)"
            + (baseWidth.map { ", base width \($0)" } ?? "") + depthScaling + trainingOptions.ablationDescription
        switch model.name {
        case .gpt:
            return "gpt width \(model.width), \(model.depth) block(s), \(model.heads) heads, vocab \(model.vocab), seq \(model.seqLen), batch \(model.batch)"
                + (model.tieEmbeddings ? ", tied embeddings" : "") + ", \(training)"
        case .mlp:
            return "mlp \(model.inputDim)→\(model.width)×\(model.depth)→\(model.outputDim), batch \(model.batch), \(training)"
        }
    }
}
