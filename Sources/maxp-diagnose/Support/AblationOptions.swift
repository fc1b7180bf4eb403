import ArgumentParser
import Foundation
import MaxP
import MaxPDiagnostics

/// The ablation settings of a sweep, resolved and parsed: declared overrides and planted deviations
/// (`GLOB.FIELD=VALUE`), a fixed GPT head size, nanoGPT's fixed init std, weight decay and gradient clipping.
struct AblationConfiguration: Sendable, Equatable {
    var overrides: [OpAssignment] = []
    var plants: [OpAssignment] = []
    var headSize: Int?
    var sigma: Double?
    var weightDecay = 0.0
    var gradClip: Double?

    /// The model with the fixed head size (if any).
    func applied(to model: ModelOptions) -> ModelOptions {
        var model = model
        model.headSize = headSize
        return model
    }

    /// The training options with the declared overrides, init std, weight decay and clipping.
    func applied(to training: TrainingOptions) -> TrainingOptions {
        var training = training
        training.overrides = overrides
        training.initStd = sigma
        training.weightDecay = weightDecay
        training.gradientClip = gradClip
        return training
    }

    /// The settings as `name = value` pairs for `run.json` and the report (what `merge` compares), option order.
    var settings: [(name: String, value: String)] {
        var list: [(String, String)] = []
        if !overrides.isEmpty { list.append(("override", overrides.map(\.description).joined(separator: " "))) }
        if !plants.isEmpty { list.append(("plant", plants.map(\.description).joined(separator: " "))) }
        if let headSize { list.append(("head-size", "\(headSize)")) }
        if let sigma { list.append(("sigma", "\(sigma)")) }
        if weightDecay > 0 { list.append(("weight-decay", "\(weightDecay)")) }
        if let gradClip { list.append(("grad-clip", "\(gradClip)")) }
        return list
    }
}

/// The ablation options of `coord-check` and `lr-transfer`: enough to write the steps of a published coord-check
/// ablation ladder (nanoGPT-mup's) as commands. Use with `@OptionGroup var ablation: AblationOptions`, then
/// `try ablation.resolved(with: sweep)`.
struct AblationOptions: ParsableArguments {
    @Option(name: .customLong("override"), parsing: .unconditionalSingleValue,
            help: ArgumentHelp("Declared per-op exponent or σ (maxP's per-op a/b/c): GLOB over op names, FIELD a, b, c or sigma, e.g. 'readout.a=1' or 'blocks.*.attn.qk.a=0.5'; theory and the exponent LP use it (a declared c is fixed). Repeatable; later ones win.", valueName: "glob.field=value"))
    var overrides: [String] = []
    @Option(name: .customLong("plant"), parsing: .unconditionalSingleValue,
            help: ArgumentHelp("Make the actual model differ from the declaration (a general --inject): a, b, c shift the op's exponent by the value (readout.a=-0.5: output × width^0.5, reported as Δa = +0.5), sigma sets its σ. Repeatable; coord-check only.", valueName: "glob.field=value"))
    var plants: [String] = []
    @Option(parsing: .unconditional, help: ArgumentHelp("GPT head size held fixed while width grows (head count = width / N, as nanoGPT's head_size 64); instead of --heads; every width must be divisible by N.", valueName: "N"))
    var headSize: Int?
    @Option(parsing: .unconditional, help: ArgumentHelp("Fixed init std σ (nanoGPT's init_std): every weight's std at the base width; under sp every weight is N(0, σ²) at every width, as GPT-2 and nanoGPT initialize.", valueName: "σ"))
    var sigma: Double?
    @Option(parsing: .unconditional, help: ArgumentHelp("Weight decay λ (default 0): AdamW's decoupled decay for adam (p ← p − lr·λ·p), the same for adafactor, L2 for sgd.", valueName: "λ"))
    var weightDecay: Double?
    @Option(parsing: .unconditional, help: ArgumentHelp("Clip the global gradient norm to at most N before every step (torch's clip_grad_norm_).", valueName: "N"))
    var gradClip: Double?

    /// The parsed settings; `sweep` is checked for the options these exclude (`--heads` with `--head-size`).
    func resolved(with sweep: SweepOptions) throws(SweepOptionsError) -> AblationConfiguration {
        try resolved(headsGiven: sweep.heads != nil)
    }

    /// The parsed settings; `headsGiven`: whether `--heads` was given (it excludes `--head-size`).
    func resolved(headsGiven: Bool) throws(SweepOptionsError) -> AblationConfiguration {
        var c = AblationConfiguration()
        do {
            c.overrides = try overrides.map { text throws(ModelBuildError) in try OpAssignment(parsing: text, setting: .override) }
            c.plants = try plants.map { text throws(ModelBuildError) in try OpAssignment(parsing: text, setting: .plant) }
        } catch {
            throw .engine(error)
        }
        if let headSize {
            guard !headsGiven else {
                throw .invalid(option: "--head-size", reason: "give either --heads (fixed head count) or --head-size (fixed head size), not both")
            }
            guard headSize >= 1 else { throw .invalid(option: "--head-size", reason: "must be at least 1, got \(headSize)") }
        }
        if let sigma, !(sigma > 0 && sigma.isFinite) {
            throw .invalid(option: "--sigma", reason: "must be a positive finite standard deviation, got \(sigma)")
        }
        if let weightDecay, !(weightDecay >= 0 && weightDecay.isFinite) {
            throw .invalid(option: "--weight-decay", reason: "must be a finite number ≥ 0, got \(weightDecay)")
        }
        if let gradClip, !(gradClip > 0 && gradClip.isFinite) {
            throw .invalid(option: "--grad-clip", reason: "must be a positive finite gradient norm, got \(gradClip)")
        }
        c.headSize = headSize
        c.sigma = sigma
        c.weightDecay = weightDecay ?? 0
        c.gradClip = gradClip
        return c
    }

    /// The first ablation option given, for commands that refuse them in some mode.
    var givenOption: String? {
        let given: [(String, Bool)] = [("--override", !overrides.isEmpty), ("--plant", !plants.isEmpty),
                                       ("--head-size", headSize != nil), ("--sigma", sigma != nil),
                                       ("--weight-decay", weightDecay != nil), ("--grad-clip", gradClip != nil)]
        return given.first { $0.1 }?.0
    }
}
