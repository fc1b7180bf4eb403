import ArgumentParser
import MaxP
import MaxPDiagnostics

/// What legitimately differs between the commands that share an option group (``ModelShapeOptions``,
/// ``ParametrizationOptions``, ``OneModelOptions``, ``AblationOptions``): each setting's default and the key of the
/// configuration file that also sets it. One explicit value per command family — the sweeps (``SweepDefaults``),
/// `train` (``TrainDefaults``) and `solve --model` (``SolveDefaults``) — from which the groups' help states the real
/// default; the options themselves are declared once, in the groups.
protocol OptionDefaults {
    /// The family built when `--model` is not given; `nil` when the command needs `--model` to build one.
    static var family: ModelFamily? { get }
    /// The model the command builds for `family` before any option or file changes it.
    static func model(_ family: ModelFamily) -> ModelOptions
    /// The parametrization, optimizer, learning-rate prefactor η, alignment and base width before any option or
    /// file changes them.
    static var training: TrainingOptions { get }
    /// Whether the command runs a sweep (it takes `--plant` and `--head-size`; the others hide and refuse them).
    static var sweeps: Bool { get }
    /// Whether the command takes `--data` (a CSV that also fixes the MLP's input and output sizes).
    static var readsData: Bool { get }
    /// The configuration-file key that also sets `setting` (`nil`: the command's file has none, or it reads no file).
    static func fileKey(_ setting: SweepSetting) -> String?
}

extension OptionDefaults {
    /// `text (key; default value).` — the help of one option, with the file key and the command's default.
    static func help(_ text: String, _ setting: SweepSetting, default value: String?, valueName: String? = nil,
                     visible: Bool = true) -> ArgumentHelp {
        let notes = [fileKey(setting), value.map { "default \($0)" }].compactMap { $0 }
        return ArgumentHelp(text + (notes.isEmpty ? "" : " (\(notes.joined(separator: "; ")))") + ".", valueName: valueName,
                            visibility: visible ? .default : .hidden)
    }

    /// The default of a model size as help words it: `64` when both families agree, `64 for mlp, 32 for gpt` when not.
    static func shapeDefault(_ field: KeyPath<ModelOptions, Int>) -> String {
        let mlp = model(.mlp)[keyPath: field], gpt = model(.gpt)[keyPath: field]
        return mlp == gpt ? "\(mlp)" : "\(mlp) for mlp, \(gpt) for gpt"
    }
}

/// The sweeps' defaults (`coord-check`, `lr-transfer`, `gate`): ``SweepConfiguration``'s, the reference MLP
/// 3072 → w × 3 → 10 at batch 64 (mup's coord check) and η 0.001 at base width 64; file keys are `--config`'s
/// snake_case JSON keys.
enum SweepDefaults: OptionDefaults {
    static var family: ModelFamily? { SweepConfiguration().model }
    static func model(_ family: ModelFamily) -> ModelOptions {
        var shape = SweepConfiguration().shape
        shape.family = family
        return shape
    }
    static var training: TrainingOptions { SweepConfiguration().training }
    static var sweeps: Bool { true }
    static var readsData: Bool { true }
    static func fileKey(_ setting: SweepSetting) -> String? { SweepConfiguration.key(for: setting) }
}

/// `train`'s defaults: ``RunConfiguration``'s small quick run (MLP 16 → 64 × 3 → 4, batch 32; GPT width 32, 1 block,
/// batch 8; η 0.01, no base width); file keys are the run configuration's dotted keys (`model.input_dim`).
enum TrainDefaults: OptionDefaults {
    static var family: ModelFamily? { RunConfiguration().model.name }
    static func model(_ family: ModelFamily) -> ModelOptions { RunConfiguration.Model.defaults(for: family).options }
    static var training: TrainingOptions { RunConfiguration().trainingOptions }
    static var sweeps: Bool { false }
    static var readsData: Bool { true }
    static func fileKey(_ setting: SweepSetting) -> String? { RunConfiguration.key(for: setting) }
}

/// `solve --model`'s defaults: `train`'s model (it tabulates the model `train` would train), no configuration file
/// and no default family (without `--model` it solves a `--graph` file).
enum SolveDefaults: OptionDefaults {
    static var family: ModelFamily? { nil }
    static func model(_ family: ModelFamily) -> ModelOptions { TrainDefaults.model(family) }
    static var training: TrainingOptions { TrainDefaults.training }
    static var sweeps: Bool { false }
    static var readsData: Bool { false }
    static func fileKey(_ setting: SweepSetting) -> String? { nil }
}

/// One option as the setting it sets: the engine setting (its flag ``SweepSetting/flag``, its run-configuration key
/// ``RunConfiguration/key(for:)``) and the value given, `nil` when the option was not given.
struct GivenSetting {
    /// The setting.
    var setting: SweepSetting
    /// The value given on the command line.
    var value: ConfigValue?

    /// The flag of the first setting of `list` that was given.
    static func firstFlag(_ list: [GivenSetting]) -> String? { list.first { $0.value != nil }?.setting.flag }
}
