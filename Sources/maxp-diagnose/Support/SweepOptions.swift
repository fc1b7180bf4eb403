import ArgumentParser
import Foundation
import MaxPPlot

/// Everything a sweep needs, fully resolved (command line over `--config` file over defaults) and validated.
/// Commands hand this to the sweep engine; its JSON form is the `--config` file format (snake_case keys).
struct SweepConfiguration: Codable, Sendable, Equatable {
    var model: ModelChoice = .mlp
    var inputDim = 3072
    var depth = 3
    var outputDim = 10
    var batch = 64
    var heads = 4
    var seqLen = 32
    var vocab = 256
    var parametrization: ParametrizationChoice = .mup
    var optimizer: OptimizerChoice = .adam
    var lr = 1e-3
    var widths = [64, 128, 256, 512, 1024]
    var steps = 3
    var seeds = 3
    var axis: AxisChoice = .width
    var out = "maxp-out"
    var format: [ImageFormat] = [.png, .svg]
    var inject: FaultChoice?
    var autofix = false
    var shard: Shard?
    /// A CSV file of numeric features with an integer class label in the last column (MLP only); replaces the
    /// synthetic teacher–student data and sets the input and output sizes from the file.
    var data: String?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case model, inputDim = "input_dim", depth, outputDim = "output_dim", batch, heads, seqLen = "seq_len", vocab,
             parametrization, optimizer, lr, widths, steps, seeds, axis, out, format, inject, autofix, shard, data
    }

    init() {}

    /// Decodes a `--config` file: every key optional (defaults fill the rest), unknown keys rejected.
    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = SweepConfiguration()
        model = try c.decodeIfPresent(ModelChoice.self, forKey: .model) ?? defaults.model
        inputDim = try c.decodeIfPresent(Int.self, forKey: .inputDim) ?? defaults.inputDim
        depth = try c.decodeIfPresent(Int.self, forKey: .depth) ?? defaults.depth
        outputDim = try c.decodeIfPresent(Int.self, forKey: .outputDim) ?? defaults.outputDim
        batch = try c.decodeIfPresent(Int.self, forKey: .batch) ?? defaults.batch
        heads = try c.decodeIfPresent(Int.self, forKey: .heads) ?? defaults.heads
        seqLen = try c.decodeIfPresent(Int.self, forKey: .seqLen) ?? defaults.seqLen
        vocab = try c.decodeIfPresent(Int.self, forKey: .vocab) ?? defaults.vocab
        parametrization = try c.decodeIfPresent(ParametrizationChoice.self, forKey: .parametrization) ?? defaults.parametrization
        optimizer = try c.decodeIfPresent(OptimizerChoice.self, forKey: .optimizer) ?? defaults.optimizer
        lr = try c.decodeIfPresent(Double.self, forKey: .lr) ?? defaults.lr
        widths = try c.decodeIfPresent([Int].self, forKey: .widths) ?? defaults.widths
        steps = try c.decodeIfPresent(Int.self, forKey: .steps) ?? defaults.steps
        seeds = try c.decodeIfPresent(Int.self, forKey: .seeds) ?? defaults.seeds
        axis = try c.decodeIfPresent(AxisChoice.self, forKey: .axis) ?? defaults.axis
        out = try c.decodeIfPresent(String.self, forKey: .out) ?? defaults.out
        format = try c.decodeIfPresent(FormatList.self, forKey: .format)?.formats ?? defaults.format
        inject = try c.decodeIfPresent(FaultChoice.self, forKey: .inject)
        autofix = try c.decodeIfPresent(Bool.self, forKey: .autofix) ?? defaults.autofix
        shard = try c.decodeIfPresent(Shard.self, forKey: .shard)
        data = try c.decodeIfPresent(String.self, forKey: .data)
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(model, forKey: .model); try c.encode(inputDim, forKey: .inputDim); try c.encode(depth, forKey: .depth)
        try c.encode(outputDim, forKey: .outputDim); try c.encode(batch, forKey: .batch); try c.encode(heads, forKey: .heads)
        try c.encode(seqLen, forKey: .seqLen); try c.encode(vocab, forKey: .vocab)
        try c.encode(parametrization, forKey: .parametrization); try c.encode(optimizer, forKey: .optimizer)
        try c.encode(lr, forKey: .lr); try c.encode(widths, forKey: .widths); try c.encode(steps, forKey: .steps)
        try c.encode(seeds, forKey: .seeds); try c.encode(axis, forKey: .axis); try c.encode(out, forKey: .out)
        try c.encode(FormatList(format), forKey: .format); try c.encodeIfPresent(inject, forKey: .inject)
        try c.encode(autofix, forKey: .autofix); try c.encodeIfPresent(shard, forKey: .shard)
        try c.encodeIfPresent(data, forKey: .data)
    }

    /// Reads a `--config` JSON file; the error is one line naming the file and the problem.
    static func read(configFile path: String) throws(SweepOptionsError) -> SweepConfiguration {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw .config(path: path, reason: "cannot read it (\((error as NSError).localizedDescription))")
        }
        guard let object = try? JSONSerialization.jsonObject(with: data), let dictionary = object as? [String: Any] else {
            throw .config(path: path, reason: "not a JSON object")
        }
        let known = Set(CodingKeys.allCases.map(\.rawValue))
        if let unknown = dictionary.keys.sorted().first(where: { !known.contains($0) }) {
            throw .config(path: path, reason: "unknown key `\(unknown)` (known: \(known.sorted().joined(separator: ", ")))")
        }
        do { return try JSONDecoder().decode(SweepConfiguration.self, from: data) } catch let error as DecodingError {
            throw .config(path: path, reason: Self.describe(error))
        } catch {
            throw .config(path: path, reason: "\(error)")
        }
    }

    /// Checks every value; the error says which option and why.
    func validate() throws(SweepOptionsError) {
        let axisName = axis == .width ? "widths" : "depths"
        guard widths.count >= 3 else {
            throw .invalid(option: "--widths", reason: "needs at least 3 \(axisName) to fit a slope, got \(widths.count)")
        }
        guard widths.allSatisfy({ $0 > 0 }) else { throw .invalid(option: "--widths", reason: "\(axisName) must be positive") }
        guard zip(widths, widths.dropFirst()).allSatisfy({ $0 < $1 }) else {
            throw .invalid(option: "--widths", reason: "\(axisName) must be strictly increasing, got \(widths.map(String.init).joined(separator: ","))")
        }
        for (name, value, minimum) in [("--input-dim", inputDim, 1), ("--depth", depth, 1), ("--output-dim", outputDim, 1),
                                       ("--batch", batch, 1), ("--heads", heads, 1), ("--seq-len", seqLen, 1),
                                       ("--vocab", vocab, 2), ("--steps", steps, 0), ("--seeds", seeds, 1)] where value < minimum {
            throw .invalid(option: name, reason: "must be at least \(minimum), got \(value)")
        }
        guard lr > 0, lr.isFinite else { throw .invalid(option: "--lr", reason: "must be a positive number, got \(lr)") }
        guard !format.isEmpty else { throw .invalid(option: "--format", reason: "give png, svg or png,svg") }
        if let shard, !(1...max(1, shard.count)).contains(shard.index) || shard.count < 1 {
            throw .invalid(option: "--shard", reason: "\(shard) is not i/N with 1 ≤ i ≤ N")
        }
        if model == .gpt, axis == .width, let bad = widths.first(where: { $0 % heads != 0 }) {
            throw .invalid(option: "--widths", reason: "width \(bad) is not divisible by --heads \(heads) (the GPT model keeps the head count fixed)")
        }
        if data != nil, model != .mlp {
            throw .invalid(option: "--data", reason: "user data (features + label CSV) needs --model mlp")
        }
        if inject == .attentionSqrtD, model != .gpt {
            throw .invalid(option: "--inject", reason: "attention-sqrt-d needs --model gpt (the MLP has no attention)")
        }
        if axis == .depth, model == .mlp, widths.contains(where: { $0 > 64 }) {
            throw .invalid(option: "--widths", reason: "with --axis depth the values are depths (hidden layers); \(widths.last!) is too many")
        }
    }

    /// The settings as `name = value` pairs for reports, in option order.
    var settings: [(name: String, value: String)] {
        var list: [(String, String)] = [("model", model.rawValue)]
        switch model {
        case .mlp where data != nil: list += [("depth", "\(depth)"), ("input and output sizes", "from the data file")]
        case .mlp: list += [("input-dim", "\(inputDim)"), ("depth", "\(depth)"), ("output-dim", "\(outputDim)")]
        case .gpt: list += [("depth", "\(depth)"), ("heads", "\(heads)"), ("seq-len", "\(seqLen)"), ("vocab", "\(vocab)")]
        }
        list += [("batch", "\(batch)"), ("parametrization", parametrization.rawValue), ("optimizer", optimizer.rawValue),
                 ("lr", "\(lr)"), ("axis", axis.rawValue), ("widths", widths.map(String.init).joined(separator: ",")),
                 ("steps", "\(steps)"), ("seeds", "\(seeds)")]
        if let inject { list.append(("inject", inject.rawValue)) }
        if autofix { list.append(("autofix", "true")) }
        if let shard { list.append(("shard", shard.description)) }
        if let data { list.append(("data", data)) }
        return list
    }

    static func describe(_ error: DecodingError) -> String {
        func path(_ keys: [any CodingKey]) -> String { keys.map(\.stringValue).joined(separator: ".") }
        switch error {
        case let .typeMismatch(type, context): return "key `\(path(context.codingPath))` should be \(type)"
        case let .valueNotFound(_, context): return "key `\(path(context.codingPath))` is null"
        case let .keyNotFound(key, _): return "missing key `\(key.stringValue)`"
        case let .dataCorrupted(context):
            return context.codingPath.isEmpty ? context.debugDescription
                : "key `\(path(context.codingPath))`: \(context.debugDescription)"
        @unknown default: return "\(error)"
        }
    }
}

/// Why sweep options are invalid; one line each.
enum SweepOptionsError: Error, CustomStringConvertible {
    case invalid(option: String, reason: String)
    case config(path: String, reason: String)
    var description: String {
        switch self {
        case let .invalid(option, reason): "\(option): \(reason)"
        case let .config(path, reason): "--config '\(path)': \(reason)"
        }
    }
}

/// The shared options of every sweep command (`coord-check`, `lr-transfer`, `gate` when it runs a sweep):
/// the model, the parametrization and training, the swept values, the output. Use with `@OptionGroup var sweep:
/// SweepOptions`, then `let config = try sweep.resolved()` in `run()`. Every option may also come from
/// `--config FILE.json` (snake_case keys, e.g. `"input_dim"`); options given on the command line win.
struct SweepOptions: ParsableArguments {
    @Option(help: "Built-in model family.")
    var model: ModelChoice?
    @Option(help: "MLP input dimension (default 3072).")
    var inputDim: Int?
    @Option(help: "Hidden layers (MLP) or blocks (GPT) (default 3).")
    var depth: Int?
    @Option(help: "MLP output dimension (default 10).")
    var outputDim: Int?
    @Option(help: "Batch size of the synthetic data (default 64).")
    var batch: Int?
    @Option(help: "GPT attention heads, fixed while width grows so the head dimension grows with width (default 4).")
    var heads: Int?
    @Option(help: "GPT sequence length (default 32).")
    var seqLen: Int?
    @Option(help: "GPT vocabulary size (default 256).")
    var vocab: Int?
    @Option(help: "Declared parametrization (default mup).")
    var parametrization: ParametrizationChoice?
    @Option(help: "Optimizer (default adam).")
    var optimizer: OptimizerChoice?
    @Option(help: "Base learning rate (default 0.001).")
    var lr: Double?
    @Option(help: ArgumentHelp("Swept values, strictly increasing, at least 3 (default 64,128,256,512,1024).", valueName: "n,n,n"))
    var widths: IntegerList?
    @Option(help: "Training steps T; rows are recorded at t = 0…T (default 3).")
    var steps: Int?
    @Option(help: "Seeds per swept value (default 3).")
    var seeds: Int?
    @Option(help: "Swept axis: width, or depth (then --widths lists depths) (default width).")
    var axis: AxisChoice?
    @Option(help: ArgumentHelp("Output folder, created if missing (default maxp-out).", valueName: "dir"))
    var out: String?
    @Option(help: ArgumentHelp("Image formats of the figures (default png,svg).", valueName: "png,svg"))
    var format: FormatList?
    @Option(help: ArgumentHelp("JSON file with any of these options (snake_case keys); command-line options win.", valueName: "file.json"))
    var config: String?
    @Option(help: "Plant a known bug in the built-in model (the declared parametrization stays correct).")
    var inject: FaultChoice?
    @Flag(help: "Apply the suggested exponent corrections, re-run, and report before/after slopes.")
    var autofix = false
    @Option(help: ArgumentHelp("Run only part i of N (1 ≤ i ≤ N) of the jobs, or `auto`: this SLURM array task's / Kubernetes Indexed-Job pod's part; merge parts with `maxp-diagnose merge`.", valueName: "i/N|auto"))
    var shard: ShardSpecification?
    @Option(help: ArgumentHelp("User data for the MLP: a CSV of numeric features with an integer class label in the last column (input and output sizes come from the file).", valueName: "file.csv"))
    var data: String?
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
        if let widths { c.widths = widths.values }
        if let steps { c.steps = steps }
        if let seeds { c.seeds = seeds }
        if let axis { c.axis = axis }
        if let out { c.out = out }
        if let format { c.format = format.formats }
        if let inject { c.inject = inject }
        if autofix { c.autofix = true }
        if let shard { c.shard = try shard.resolved(environment: ProcessInfo.processInfo.environment) }
        if let data { c.data = data }
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
    @Option(help: ArgumentHelp("Learning rates (or lr prefactors), strictly increasing, at least 3, e.g. 1e-4,3e-4,1e-3,3e-3,1e-2.", valueName: "lr,lr,lr"))
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
    func resolvedParametrizations(fallback: ParametrizationChoice) throws(SweepOptionsError) -> [ParametrizationChoice] {
        guard let parametrizations else { return [fallback] }
        var result: [ParametrizationChoice] = []
        for name in parametrizations.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces).lowercased() }) {
            guard let choice = ParametrizationChoice(rawValue: name) else {
                throw .invalid(option: "--parametrizations", reason: "unknown `\(name)` (use sp, mup, ntk, mfp, maxp)")
            }
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
            ("--optimizer", optimizer != nil), ("--lr", lr != nil), ("--widths", widths != nil),
            ("--steps", steps != nil), ("--seeds", seeds != nil), ("--axis", axis != nil), ("--out", out != nil),
            ("--format", format != nil), ("--config", config != nil), ("--inject", inject != nil),
            ("--autofix", autofix), ("--shard", shard != nil),
        ]
        return given.first { $0.1 }?.0
    }
}
