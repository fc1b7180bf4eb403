import ArgumentParser
import Foundation
import MaxP
import MaxPDiagnostics
import MaxPPlot
import MaxPReport

/// Everything a sweep needs, fully resolved (command line over `--config` file over defaults) and validated.
/// Commands hand this to the sweep engine; its JSON form is the `--config` file format (snake_case keys).
struct SweepConfiguration: Codable, Sendable, Equatable {
    var model: ModelFamily = .mlp
    var inputDim = 3072
    var depth = 3
    var outputDim = 10
    var batch = 64
    var heads = 4
    var seqLen = 32
    var vocab = 256
    var parametrization: NamedParametrization = .mup
    var optimizer = TrainableOptimizer(.adam)
    var lr = 1e-3
    /// mup's base width: at this width µP equals SP, and `lr` is the learning rate there (`η · (width/base)^-c`).
    var baseWidth: Int? = SweepConfiguration.defaultBaseWidth
    var widths = [64, 128, 256, 512, 1024]
    var steps = 3
    var seeds = 3
    var axis: SweepAxis = .width
    var out = "maxp-out"
    var format: [ImageFormat] = [.png, .svg]
    /// Faults planted in every model, in order (`--inject` is repeatable; the config key takes a name or a list).
    var inject: [Fault] = []
    var autofix = false
    var shard: Shard?
    /// A CSV file of numeric features with an integer class label in the last column (MLP only); replaces the
    /// synthetic teacher–student data and sets the input and output sizes from the file.
    var data: String?
    /// Ops whose weights start at exactly zero (mup's readout / query zero-init), by op or leaf name.
    var zeroInit: [String] = []
    /// GPT: the readout reuses the token embedding's table (tied input/output embeddings, mup#55).
    var tieEmbeddings = false
    /// Adam's β₁, β₂ and ε (torch's `betas`, `eps`); `nil`: torch's defaults 0.9, 0.999, 1e-8. Adam only.
    var beta1: Double?
    var beta2: Double?
    var adamEpsilon: Double?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case model, inputDim = "input_dim", depth, outputDim = "output_dim", batch, heads, seqLen = "seq_len", vocab,
             parametrization, optimizer, lr, baseWidth = "base_width", widths, steps, seeds, axis, out, format, inject, autofix, shard, data, zeroInit = "zero_init", tieEmbeddings = "tie_embeddings"
        case beta1, beta2, adamEpsilon = "adam_epsilon"
    }

    /// The base width of a sweep when none is given: a learning rate at which a few steps visibly move the
    /// activations of the default sweep (mup's tip), and one a learning rate tuned on a width-64 model carries to.
    static let defaultBaseWidth = 64

    init() {}

    /// Decodes a `--config` file: every key optional (defaults fill the rest), unknown keys rejected.
    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = SweepConfiguration()
        model = try c.decodeIfPresent(ModelFamily.self, forKey: .model) ?? defaults.model
        inputDim = try c.decodeIfPresent(Int.self, forKey: .inputDim) ?? defaults.inputDim
        depth = try c.decodeIfPresent(Int.self, forKey: .depth) ?? defaults.depth
        outputDim = try c.decodeIfPresent(Int.self, forKey: .outputDim) ?? defaults.outputDim
        batch = try c.decodeIfPresent(Int.self, forKey: .batch) ?? defaults.batch
        heads = try c.decodeIfPresent(Int.self, forKey: .heads) ?? defaults.heads
        seqLen = try c.decodeIfPresent(Int.self, forKey: .seqLen) ?? defaults.seqLen
        vocab = try c.decodeIfPresent(Int.self, forKey: .vocab) ?? defaults.vocab
        parametrization = try c.decodeIfPresent(NamedParametrization.self, forKey: .parametrization) ?? defaults.parametrization
        optimizer = try c.decodeIfPresent(TrainableOptimizer.self, forKey: .optimizer) ?? defaults.optimizer
        lr = try c.decodeIfPresent(Double.self, forKey: .lr) ?? defaults.lr
        baseWidth = try c.decodeIfPresent(Int.self, forKey: .baseWidth) ?? defaults.baseWidth
        widths = try c.decodeIfPresent([Int].self, forKey: .widths) ?? defaults.widths
        steps = try c.decodeIfPresent(Int.self, forKey: .steps) ?? defaults.steps
        seeds = try c.decodeIfPresent(Int.self, forKey: .seeds) ?? defaults.seeds
        axis = try c.decodeIfPresent(SweepAxis.self, forKey: .axis) ?? defaults.axis
        out = try c.decodeIfPresent(String.self, forKey: .out) ?? defaults.out
        format = try c.decodeIfPresent(FormatList.self, forKey: .format)?.formats ?? defaults.format
        if let one = try? c.decodeIfPresent(Fault.self, forKey: .inject) { inject = [one] } else {
            inject = try c.decodeIfPresent([Fault].self, forKey: .inject) ?? []
        }
        autofix = try c.decodeIfPresent(Bool.self, forKey: .autofix) ?? defaults.autofix
        shard = try c.decodeIfPresent(Shard.self, forKey: .shard)
        data = try c.decodeIfPresent(String.self, forKey: .data)
        zeroInit = try c.decodeIfPresent([String].self, forKey: .zeroInit) ?? defaults.zeroInit
        tieEmbeddings = try c.decodeIfPresent(Bool.self, forKey: .tieEmbeddings) ?? defaults.tieEmbeddings
        beta1 = try c.decodeIfPresent(Double.self, forKey: .beta1)
        beta2 = try c.decodeIfPresent(Double.self, forKey: .beta2)
        adamEpsilon = try c.decodeIfPresent(Double.self, forKey: .adamEpsilon)
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(model, forKey: .model); try c.encode(inputDim, forKey: .inputDim); try c.encode(depth, forKey: .depth)
        try c.encode(outputDim, forKey: .outputDim); try c.encode(batch, forKey: .batch); try c.encode(heads, forKey: .heads)
        try c.encode(seqLen, forKey: .seqLen); try c.encode(vocab, forKey: .vocab)
        try c.encode(parametrization, forKey: .parametrization); try c.encode(optimizer, forKey: .optimizer)
        try c.encode(lr, forKey: .lr); try c.encodeIfPresent(baseWidth, forKey: .baseWidth); try c.encode(widths, forKey: .widths); try c.encode(steps, forKey: .steps)
        try c.encode(seeds, forKey: .seeds); try c.encode(axis, forKey: .axis); try c.encode(out, forKey: .out)
        try c.encode(FormatList(format), forKey: .format); if !inject.isEmpty { try c.encode(inject, forKey: .inject) }
        try c.encode(autofix, forKey: .autofix); try c.encodeIfPresent(shard, forKey: .shard)
        try c.encodeIfPresent(data, forKey: .data)
        if !zeroInit.isEmpty { try c.encode(zeroInit, forKey: .zeroInit) }
        if tieEmbeddings { try c.encode(tieEmbeddings, forKey: .tieEmbeddings) }
        try c.encodeIfPresent(beta1, forKey: .beta1); try c.encodeIfPresent(beta2, forKey: .beta2)
        try c.encodeIfPresent(adamEpsilon, forKey: .adamEpsilon)
    }

    /// Reads a `--config` JSON file; the error is one line naming the file and the problem.
    static func read(configFile path: String) throws(SweepOptionsError) -> SweepConfiguration {
        let data: Data
        do { data = try InputFile.read(URL(fileURLWithPath: path)) } catch {
            throw .config(path: path, reason: "cannot read it: \(error.reason)")
        }
        guard let object = try? JSONSerialization.jsonObject(with: data), let dictionary = object as? [String: Any] else {
            throw .config(path: path, reason: "not a JSON object")
        }
        let known = Set(CodingKeys.allCases.map(\.rawValue))
        if let unknown = dictionary.keys.sorted().first(where: { !known.contains($0) }) {
            throw .config(path: path, reason: "unknown key `\(unknown)` (known: \(known.sorted().joined(separator: ", ")))")
        }
        do { return try JSONFormat.decode(SweepConfiguration.self, from: data, decoder: JSONDecoder()) } catch {
            throw .config(path: path, reason: error.reason)
        }
    }

    /// Checks every value; the error says which option and why. The engine's own checks (swept values, sizes,
    /// seeds, steps, learning rate, base width, head divisibility) run once, in the library (``SweepPlan/validate()``);
    /// only what the command line adds (formats, the 1-based shard, option combinations) is checked here.
    func validate() throws(SweepOptionsError) {
        guard !format.isEmpty else { throw .invalid(option: "--format", reason: "give png, svg or png,svg") }
        guard !out.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw .invalid(option: "--out", reason: "is empty: give a folder name (an empty one would mean the current folder)")
        }
        if let shard, !(1...max(1, shard.count)).contains(shard.index) || shard.count < 1 {
            throw .invalid(option: "--shard", reason: "\(shard) is not i/N with 1 ≤ i ≤ N")
        }
        if parametrization.isDynamic {
            throw .invalid(option: "--parametrization", reason: Self.maxpNotInSweeps)
        }
        if data != nil, model != .mlp {
            throw .invalid(option: "--data", reason: "user data (features + label CSV) needs --model mlp")
        }
        if inject.contains(.attentionSqrtD), model != .gpt {
            throw .invalid(option: "--inject", reason: "attention-sqrt-d needs --model gpt (the MLP has no attention)")
        }
        if axis == .depth, model == .mlp, widths.contains(where: { $0 > RunLimits.maximumSweptDepth }) {
            throw .invalid(option: "--widths", reason: "with --axis depth the values are depths (hidden layers); \(widths.last!) is too many")
        }
        if tieEmbeddings, model != .gpt {
            throw .invalid(option: "--tie-embeddings", reason: "tied input/output embeddings need --model gpt (the MLP's input features and classes are different tables)")
        }
        var shape = ModelOptions(family: model, inputDimension: inputDim, depth: depth, outputDimension: outputDim,
                                 heads: heads, sequenceLength: seqLen, vocabulary: vocab, batch: batch)
        shape.tiesEmbeddings = tieEmbeddings
        do {
            try RunLimits.check(seeds: seeds, steps: steps)  // before the seed list is allocated
            try SweepPlan(model: shape, training: training, axis: axis, values: widths, seeds: Array(0..<max(seeds, 0)),
                          steps: steps).validate()
        } catch {
            throw .engine(error)
        }
    }

    /// Why the sweeps refuse `maxp`: they train with fixed exponents, which would make it exactly `mup`.
    static let maxpNotInSweeps = "maxp (per-step alignment measurement and re-solve of the learning-rate exponents) is "
        + "not run by the sweeps, which would train it exactly like mup; use `maxp-diagnose train --dynamic` for maxp, or mup here"

    /// How every model of the sweep is parametrized and trained.
    var training: TrainingOptions {
        var options = TrainingOptions(parametrization: parametrization, optimizer: optimizer.kind, learningRate: lr, baseWidth: baseWidth,
                                      ops: Dictionary(uniqueKeysWithValues: zeroInit.map { ($0, OpOptions(zeroInitialized: true)) }))
        options.beta1 = beta1
        options.beta2 = beta2
        options.adamEpsilon = adamEpsilon
        return options
    }

    /// The settings as `name = value` pairs for reports, in option order.
    var settings: [(name: String, value: String)] {
        var list: [(String, String)] = [("model", model.rawValue)]
        switch model {
        case .mlp where data != nil: list += [("depth", "\(depth)"), ("input and output sizes", "from the data file")]
        case .mlp: list += [("input-dim", "\(inputDim)"), ("depth", "\(depth)"), ("output-dim", "\(outputDim)")]
        case .gpt: list += [("depth", "\(depth)"), ("heads", "\(heads)"), ("seq-len", "\(seqLen)"), ("vocab", "\(vocab)")]
        }
        list += [("batch", "\(batch)"), ("parametrization", parametrization.rawValue), ("optimizer", optimizer.kind.rawValue),
                 ("lr", "\(lr)")]
        if let baseWidth { list.append(("base-width", "\(baseWidth)")) }
        list += [("axis", axis.rawValue), ("widths", widths.map(String.init).joined(separator: ",")),
                 ("steps", "\(steps)"), ("seeds", "\(seeds)")]
        if !inject.isEmpty { list.append(("inject", inject.map(\.rawValue).joined(separator: ","))) }
        if autofix { list.append(("autofix", "true")) }
        if let shard { list.append(("shard", shard.description)) }
        if let data { list.append(("data", data)) }
        if !zeroInit.isEmpty { list.append(("zero-init", zeroInit.joined(separator: ","))) }
        if tieEmbeddings { list.append(("tie-embeddings", "true")) }
        if let beta1 { list.append(("beta1", "\(beta1)")) }
        if let beta2 { list.append(("beta2", "\(beta2)")) }
        if let adamEpsilon { list.append(("adam-epsilon", "\(adamEpsilon)")) }
        return list
    }
}

/// Why sweep options are invalid; one line each.
enum SweepOptionsError: Error, CustomStringConvertible {
    case invalid(option: String, reason: String)
    case config(path: String, reason: String)
    /// The engine refused a value (rendered with this CLI's flags).
    case engine(ModelBuildError)
    var description: String {
        switch self {
        case let .invalid(option, reason): "\(option): \(reason)"
        case let .config(path, reason): "--config '\(path)': \(reason)"
        case let .engine(error): error.commandLineMessage
        }
    }
}

/// The shared options of every sweep command (`coord-check`, `lr-transfer`, `gate` when it runs a sweep):
/// the model, the parametrization and training, the swept values, the output. Use with `@OptionGroup var sweep:
/// SweepOptions`, then `let config = try sweep.resolved()` in `run()`. Every option may also come from
/// `--config FILE.json` (snake_case keys, e.g. `"input_dim"`); options given on the command line win.
struct SweepOptions: ParsableArguments {
    @Option(help: "Built-in model family (default mlp).")
    var model: ModelFamily?
    @Option(parsing: .unconditional, help: "MLP input dimension (default 3072).")
    var inputDim: Int?
    @Option(parsing: .unconditional, help: "Hidden layers (MLP) or blocks (GPT) (default 3).")
    var depth: Int?
    @Option(parsing: .unconditional, help: "MLP output dimension (default 10).")
    var outputDim: Int?
    @Option(parsing: .unconditional, help: "Batch size of the synthetic data (default 64).")
    var batch: Int?
    @Option(parsing: .unconditional, help: "GPT attention heads, fixed while width grows so the head dimension grows with width (default 4).")
    var heads: Int?
    @Option(parsing: .unconditional, help: "GPT sequence length (default 32).")
    var seqLen: Int?
    @Option(parsing: .unconditional, help: "GPT vocabulary size (default 256).")
    var vocab: Int?
    @Option(help: "Declared parametrization (default mup; maxp's per-step re-solve runs in `train --dynamic`, not in sweeps).")
    var parametrization: NamedParametrization?
    @Option(help: "Optimizer (default adam).")
    var optimizer: TrainableOptimizer?
    @Option(parsing: .unconditional, help: "Learning-rate prefactor η: the learning rate at the base width (default 0.001).")
    var lr: Double?
    @Option(parsing: .unconditional, help: ArgumentHelp("mup's base width: at this width µP equals SP; lr η · (width/base)^-c, init and multipliers relative to SP likewise (default \(SweepConfiguration.defaultBaseWidth)).", valueName: "n"))
    var baseWidth: Int?
    @Option(parsing: .unconditional, help: ArgumentHelp("Swept values, strictly increasing, at least 3 (default 64,128,256,512,1024).", valueName: "n,n,n"))
    var widths: IntegerList?
    @Option(parsing: .unconditional, help: "Training steps T; rows are recorded at t = 0…T (default 3).")
    var steps: Int?
    @Option(parsing: .unconditional, help: "Seeds per swept value (default 3).")
    var seeds: Int?
    @Option(help: "Swept axis: width, or depth (then --widths lists depths) (default width).")
    var axis: SweepAxis?
    @Option(help: ArgumentHelp("Output folder, created if missing (default maxp-out).", valueName: "dir"))
    var out: String?
    @Option(help: ArgumentHelp("Image formats of the figures (default png,svg).", valueName: "png,svg"))
    var format: FormatList?
    @Option(help: ArgumentHelp("JSON file with any of these options (snake_case keys); command-line options win.", valueName: "file.json"))
    var config: String?
    @Option(help: "Plant a known bug in the built-in model (the declared parametrization stays correct); repeatable, the bugs compose.")
    var inject: [Fault] = []
    @Flag(help: "Apply the suggested exponent corrections, re-run, and report before/after slopes.")
    var autofix = false
    @Option(help: ArgumentHelp("Run only part i of N (1 ≤ i ≤ N) of the jobs, or `auto`: this SLURM array task's / Kubernetes Indexed-Job pod's part; merge parts with `maxp-diagnose merge`.", valueName: "i/N|auto"))
    var shard: ShardSpecification?
    @Option(help: ArgumentHelp("User data for the MLP: a CSV of numeric features with an integer class label in the last column (input and output sizes come from the file).", valueName: "file.csv"))
    var data: String?
    @Option(help: ArgumentHelp("Ops whose weights start at zero (mup's readout / query zero-init), by op or leaf name, e.g. readout or readout,q.", valueName: "op,op"))
    var zeroInit: String?
    @Flag(help: "GPT: the readout reuses the token embedding's table (tied input/output embeddings, mup#55); the report states the roles' conflict and its resolution.")
    var tieEmbeddings = false
    @Option(parsing: .unconditional, help: ArgumentHelp("Adam's β₁, the first-moment decay (torch's betas[0]; default 0.9); adam only.", valueName: "β"))
    var beta1: Double?
    @Option(parsing: .unconditional, help: ArgumentHelp("Adam's β₂, the second-moment decay (torch's betas[1]; default 0.999); adam only.", valueName: "β"))
    var beta2: Double?
    @Option(name: .customLong("adam-epsilon"), parsing: .unconditional, help: ArgumentHelp("Adam's ε added to √v (torch's eps; default 1e-8); with --depth-alpha the base of CompleteP's ε · (width/base-width)^-1 · (depth/base-depth)^-α inside the blocks; adam only.", valueName: "ε"))
    var adamEpsilon: Double?
    @Flag(name: .shortAndLong, help: "No progress output on stderr.")
    var quiet = false

    /// Defaults, then the `--config` file, then the command line; validated.
    func resolved() throws(SweepOptionsError) -> SweepConfiguration {
        var c = try config.map { path throws(SweepOptionsError) in try SweepConfiguration.read(configFile: path) } ?? SweepConfiguration()
        if let model { c.model = model }
        if let inputDim { c.inputDim = inputDim }
        if let depth { c.depth = depth }
        if let outputDim { c.outputDim = outputDim }
        if let batch { c.batch = batch }
        if let heads { c.heads = heads }
        if let seqLen { c.seqLen = seqLen }
        if let vocab { c.vocab = vocab }
        if let parametrization { c.parametrization = parametrization }
        if let optimizer { c.optimizer = optimizer }
        if let lr { c.lr = lr }
        if let baseWidth { c.baseWidth = baseWidth }
        if let widths { c.widths = widths.values }
        if let steps { c.steps = steps }
        if let seeds { c.seeds = seeds }
        if let axis { c.axis = axis }
        if let out { c.out = out }
        if let format { c.format = format.formats }
        if !inject.isEmpty { c.inject = inject }
        if autofix { c.autofix = true }
        if let shard { c.shard = try shard.resolved(environment: ProcessInfo.processInfo.environment) }
        if let data { c.data = data }
        if let zeroInit {
            c.zeroInit = zeroInit.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }
        if tieEmbeddings { c.tieEmbeddings = true }
        if let beta1 { c.beta1 = beta1 }
        if let beta2 { c.beta2 = beta2 }
        if let adamEpsilon { c.adamEpsilon = adamEpsilon }
        try c.validate()
        return c
    }

    /// argument-parser hook: any invalid value or config → one line, exit 2 (see ``CLIExit``).
    func validate() throws {
        do { _ = try resolved() } catch { throw ValidationError(error.description) }
    }
}

/// The options `lr-transfer` adds to ``SweepOptions``: the learning-rate grid and the parametrizations compared.
struct LRGridOptions: ParsableArguments {
    @Option(parsing: .unconditional, help: ArgumentHelp("Learning rates (or lr prefactors), strictly increasing, at least 3, e.g. 1e-4,3e-4,1e-3,3e-3,1e-2.", valueName: "lr,lr,lr"))
    var lrs: NumberList?
    @Option(help: ArgumentHelp("Parametrizations compared in one run, e.g. sp,mup (default: --parametrization).", valueName: "p,p"))
    var parametrizations: String?

    /// The grid (default: 9 points, factors of 2 around 10^-3).
    func resolvedLRs() throws(SweepOptionsError) -> [Double] {
        let values = lrs?.values ?? (-4...4).map { 1e-3 * pow(2, Double($0)) }
        guard values.count >= 3 else { throw .invalid(option: "--lrs", reason: "needs at least 3 learning rates, got \(values.count)") }
        guard values.allSatisfy({ $0 > 0 && $0.isFinite }) else { throw .invalid(option: "--lrs", reason: "learning rates must be positive") }
        guard zip(values, values.dropFirst()).allSatisfy({ $0 < $1 }) else {
            throw .invalid(option: "--lrs", reason: "learning rates must be strictly increasing")
        }
        return values
    }

    /// The parametrizations compared (default: `fallback`).
    func resolvedParametrizations(fallback: NamedParametrization) throws(SweepOptionsError) -> [NamedParametrization] {
        guard let parametrizations else { return [fallback] }
        var result: [NamedParametrization] = []
        for name in parametrizations.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces).lowercased() }) {
            guard let choice = NamedParametrization(rawValue: name) else {
                throw .invalid(option: "--parametrizations", reason: "unknown `\(name)` (use sp, mup, ntk, mfp)")
            }
            if choice.isDynamic { throw .invalid(option: "--parametrizations", reason: SweepConfiguration.maxpNotInSweeps) }
            if !result.contains(choice) { result.append(choice) }
        }
        guard !result.isEmpty else { throw .invalid(option: "--parametrizations", reason: "empty list") }
        return result
    }

    func validate() throws {
        do {
            _ = try resolvedLRs()
            _ = try resolvedParametrizations(fallback: .mup)
        } catch { throw ValidationError(error.description) }
    }
}

extension SweepOptions {
    /// The first sweep option given on the command line (`--model`, `--widths`, …, `--config`), or nil when none
    /// was: commands that can also read results from a file (the gate's `--current`) reject the mix. `--quiet` does
    /// not count.
    var givenSweepOption: String? {
        let given: [(String, Bool)] = [
            ("--model", model != nil), ("--input-dim", inputDim != nil), ("--depth", depth != nil),
            ("--output-dim", outputDim != nil), ("--batch", batch != nil), ("--heads", heads != nil),
            ("--seq-len", seqLen != nil), ("--vocab", vocab != nil), ("--parametrization", parametrization != nil),
            ("--optimizer", optimizer != nil), ("--lr", lr != nil), ("--base-width", baseWidth != nil), ("--widths", widths != nil),
            ("--steps", steps != nil), ("--seeds", seeds != nil), ("--axis", axis != nil), ("--out", out != nil),
            ("--format", format != nil), ("--config", config != nil), ("--inject", !inject.isEmpty),
            ("--autofix", autofix), ("--shard", shard != nil), ("--zero-init", zeroInit != nil),
            ("--tie-embeddings", tieEmbeddings), ("--beta1", beta1 != nil), ("--beta2", beta2 != nil),
            ("--adam-epsilon", adamEpsilon != nil),
        ]
        return given.first { $0.1 }?.0
    }
}

/// The coord-check figure options of `coord-check` and `report`: which statistic the figures plot, which ops they
/// draw (`--ops`, globs over op names) and how many in colour. Handed to the figures as ``CoordCheckFigureChoices``
/// (saved in `run.json`, so `report --from` draws the same figures unless given these options again).
struct FigureOptions: ParsableArguments {
    @Option(help: "Statistic the coord-check figures plot: l1, rms, delta_rms, or mup's mean or std (from coord_moments.csv; not judged) (default l1).")
    var statistic: PlottedStatistic?
    @Option(help: ArgumentHelp("Draw only the ops matching a glob (`*` = any characters, e.g. 'blocks.*.attn.qk'); repeat or give a comma list.", valueName: "glob"))
    var ops: [String] = []
    @Option(parsing: .unconditional, help: ArgumentHelp("Most ops drawn in colour in coord_check.png; the rest are thin grey lines (default 9).", valueName: "n"))
    var maxColoredOps: Int?

    /// The op globs, split at commas, without empty entries; nil when none was given.
    var globs: [String]? {
        let list = ops.flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        return list.isEmpty ? nil : list
    }

    /// The choices given on the command line (unset ones stay nil).
    var choices: CoordCheckFigureChoices {
        CoordCheckFigureChoices(statistic: statistic, ops: globs, maxColoredOps: maxColoredOps)
    }

    /// The choices as report settings (`statistic = rms`, `ops = blocks.*`, `max-colored-ops = 4`), only those given.
    var settings: [RunDescription.Setting] {
        var list: [RunDescription.Setting] = []
        if let statistic { list.append(.init(name: "statistic", value: statistic.rawValue)) }
        if let globs { list.append(.init(name: "ops", value: globs.joined(separator: ","))) }
        if let maxColoredOps { list.append(.init(name: "max-colored-ops", value: "\(maxColoredOps)")) }
        return list
    }

    func validate() throws {
        if !ops.isEmpty, globs == nil { throw ValidationError("--ops: give an op name or glob, e.g. 'blocks.*.attn.qk'") }
        if let maxColoredOps, maxColoredOps < 1 {
            throw ValidationError("--max-colored-ops: \(maxColoredOps) is not a positive number of ops")
        }
    }
}
