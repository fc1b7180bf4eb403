import ArgumentParser
import MaxP
import MaxPDiagnostics

/// The options of the commands that build one model at one width rather than sweep (`train`, `solve --model`): its
/// width, the alignment preset before anything is measured, and the seed of initialization and data. Each value is
/// optional (a configuration file or the command's defaults, `D`, fill the rest); the validated type behind it is the
/// library's ``RunConfiguration``.
struct OneModelOptions<D: OptionDefaults>: ParsableArguments {
    @Option(parsing: .unconditional, help: D.help("Width of the model", .width, default: D.shapeDefault(\.width)))
    var width: Int?
    @Option(parsing: .unconditional, help: D.help("Alignment preset before measurement", .alignment, default: D.training.alignment.rawValue))
    var alignment: AlignmentPreset?
    @Option(parsing: .unconditional, help: D.help("Seed of initialization and data", .seed, default: "\(RunConfiguration().seed)"))
    var seed: Int?

    /// Every option as the setting it sets (unset ones with no value).
    var given: [GivenSetting] {
        [GivenSetting(setting: .width, value: width.map { .integer($0) }),
         GivenSetting(setting: .alignment, value: alignment.map { .string($0.rawValue) }),
         GivenSetting(setting: .seed, value: seed.map { .integer($0) })]
    }
}
