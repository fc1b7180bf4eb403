import ArgumentParser
import Foundation
import MaxP
import MaxPDiagnostics

/// The ablation settings of a sweep, resolved and parsed: declared overrides and planted deviations
/// (`GLOB.FIELD=VALUE`), a fixed GPT head size, nanoGPT's fixed init std, weight decay, gradient clipping and Adam's
/// β₁, β₂ and ε (`nil`: torch's 0.9, 0.999, 1e-8).
struct AblationConfiguration: Sendable, Equatable {
    var overrides: [OpAssignment] = []
    var plants: [OpAssignment] = []
    var headSize: Int?
    var sigma: Double?
    var weightDecay = 0.0
    var gradClip: Double?
    var beta1: Double?
    var beta2: Double?
    var adamEpsilon: Double?

    /// The model with the fixed head size (if any).
    func applied(to model: ModelOptions) -> ModelOptions {
        var model = model
        model.headSize = headSize
        return model
    }

    /// The training options with the declared overrides, init std, weight decay, clipping and Adam's β and ε.
    func applied(to training: TrainingOptions) -> TrainingOptions {
        var training = training
        training.overrides = overrides
        training.initStd = sigma
        training.weightDecay = weightDecay
        training.gradientClip = gradClip
        training.beta1 = beta1
        training.beta2 = beta2
        training.adamEpsilon = adamEpsilon
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
        if let beta1 { list.append(("beta1", "\(beta1)")) }
        if let beta2 { list.append(("beta2", "\(beta2)")) }
        if let adamEpsilon { list.append(("adam-epsilon", "\(adamEpsilon)")) }
        return list
    }
}

/// The ablation options of `coord-check`, `lr-transfer`, `gate` and `train`: enough to write the steps of a published
/// coord-check ablation ladder (nanoGPT-mup's) as commands, and the optimizer's own constants (Adam's β₁, β₂, ε). Use with `@OptionGroup var ablation: AblationOptions<…>`,
/// then `try ablation.resolved(headsGiven:)`. Only parsing and the `--heads`/`--head-size` choice are checked here;
/// the values' ranges are the library's rules (``TrainingOptions``, ``ModelOptions``). `--plant` and `--head-size`
/// are sweep options: hidden (and refused) where `D` does not sweep.
struct AblationOptions<D: OptionDefaults>: ParsableArguments {
    @Option(name: .customLong("override"), parsing: .unconditionalSingleValue,
            help: D.help("Declared per-op exponent or σ (maxP's per-op a/b/c): GLOB over op names, FIELD a, b, c or sigma, e.g. 'readout.a=1' or 'blocks.*.attn.qk.a=0.5'; theory and the exponent LP use it (a declared c is fixed). Repeatable; later ones win" + (D.sweeps ? "" : "; replaces the file's list"),
                         .override, default: "none", valueName: "glob.field=value"))
    var overrides: [String] = []
    @Option(name: .customLong("plant"), parsing: .unconditionalSingleValue,
            help: D.help("Make the actual model differ from the declaration (a general --inject): a, b, c shift the op's exponent by the value (readout.a=-0.5: output × width^0.5, reported as Δa = +0.5), sigma sets its σ. Repeatable; coord-check and gate only",
                         .plant, default: nil, valueName: "glob.field=value", visible: D.sweeps))
    var plants: [String] = []
    @Option(parsing: .unconditional,
            help: D.help("GPT head size held fixed while width grows (head count = width / N, as nanoGPT's head_size 64); instead of --heads; every width must be divisible by N",
                         .headSize, default: nil, valueName: "N", visible: D.sweeps))
    var headSize: Int?
    @Option(parsing: .unconditional,
            help: D.help("Fixed init std σ (nanoGPT's init_std): every weight's std at the base width; under sp every weight is N(0, σ²) at every width, as GPT-2 and nanoGPT initialize",
                         .initStd, default: "none", valueName: "σ"))
    var sigma: Double?
    @Option(parsing: .unconditional,
            help: D.help("Weight decay λ: AdamW's decoupled decay for adam (p ← p − lr·λ·p), the same for adafactor, L2 for sgd",
                         .weightDecay, default: "0", valueName: "λ"))
    var weightDecay: Double?
    @Option(parsing: .unconditional,
            help: D.help("Clip the global gradient norm to at most N before every step (torch's clip_grad_norm_)",
                         .gradientClip, default: "none", valueName: "N"))
    var gradClip: Double?
    @Option(parsing: .unconditional,
            help: D.help("Adam's β₁, the first-moment decay (torch's betas[0]); adam only", .beta1, default: "0.9", valueName: "β"))
    var beta1: Double?
    @Option(parsing: .unconditional,
            help: D.help("Adam's β₂, the second-moment decay (torch's betas[1]); adam only", .beta2, default: "0.999", valueName: "β"))
    var beta2: Double?
    @Option(name: .customLong("adam-epsilon"), parsing: .unconditional,
            help: D.help("Adam's ε added to √v (torch's eps); with --depth-alpha the base of CompleteP's ε · (width/base-width)^-1 · (depth/base-depth)^-α inside the blocks; adam only",
                         .adamEpsilon, default: "1e-8", valueName: "ε"))
    var adamEpsilon: Double?

    /// The parsed settings; `headsGiven`: whether `--heads` was given (it excludes `--head-size`).
    func resolved(headsGiven: Bool) throws(SweepOptionsError) -> AblationConfiguration {
        var c = AblationConfiguration()
        do {
            c.overrides = try overrides.map { text throws(ModelBuildError) in try OpAssignment(parsing: text, setting: .override) }
            c.plants = try plants.map { text throws(ModelBuildError) in try OpAssignment(parsing: text, setting: .plant) }
        } catch {
            throw .engine(error)
        }
        if headSize != nil, headsGiven {
            throw .invalid(option: "--head-size", reason: "give either --heads (fixed head count) or --head-size (fixed head size), not both")
        }
        c.headSize = headSize
        c.sigma = sigma
        c.weightDecay = weightDecay ?? 0
        c.gradClip = gradClip
        (c.beta1, c.beta2, c.adamEpsilon) = (beta1, beta2, adamEpsilon)
        return c
    }

    /// Every option as the setting it sets (unset ones with no value).
    var given: [GivenSetting] {
        [GivenSetting(setting: .override, value: overrides.isEmpty ? nil : .list(overrides.map { .string($0) })),
         GivenSetting(setting: .plant, value: plants.isEmpty ? nil : .list(plants.map { .string($0) })),
         GivenSetting(setting: .headSize, value: headSize.map { .integer($0) }),
         GivenSetting(setting: .initStd, value: sigma.map { .number($0) }),
         GivenSetting(setting: .weightDecay, value: weightDecay.map { .number($0) }),
         GivenSetting(setting: .gradientClip, value: gradClip.map { .number($0) }),
         GivenSetting(setting: .beta1, value: beta1.map { .number($0) }),
         GivenSetting(setting: .beta2, value: beta2.map { .number($0) }),
         GivenSetting(setting: .adamEpsilon, value: adamEpsilon.map { .number($0) })]
    }
}
