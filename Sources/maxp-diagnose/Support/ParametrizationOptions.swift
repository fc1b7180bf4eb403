import ArgumentParser
import MaxP
import MaxPDiagnostics

/// How the built-in model is parametrized and trained, shared by every command that builds one (`coord-check`,
/// `lr-transfer`, `gate`, `train`, `solve --model`): the declared parametrization, the optimizer, the learning-rate
/// prefactor η and mup's base width. Each value is optional (a configuration file or the command's defaults, `D`,
/// fill the rest); the validated type behind it is the library's ``TrainingOptions``.
struct ParametrizationOptions<D: OptionDefaults>: ParsableArguments {
    @Option(parsing: .unconditional,
            help: D.help("Declared parametrization" + (D.sweeps ? "; maxp's per-step re-solve runs in `train --dynamic`, not in sweeps" : ""),
                         .parametrization, default: D.training.parametrization.rawValue))
    var parametrization: NamedParametrization?
    @Option(parsing: .unconditional, help: D.help("Optimizer", .optimizer, default: D.training.optimizer.rawValue))
    var optimizer: TrainableOptimizer?
    @Option(parsing: .unconditional, help: D.help("Learning-rate prefactor η in lr = η · width^-c; with a base width the learning rate at the base width",
                                                  .learningRate, default: "\(D.training.learningRate)"))
    var lr: Double?
    @Option(parsing: .unconditional, help: D.help("mup's base width: at this width µP equals SP; lr η · (width/base)^-c, init and multipliers relative to SP likewise",
                                                  .baseWidth, default: D.training.baseWidth.map { "\($0)" } ?? "none, lr = η · width^-c",
                                                  valueName: "n"))
    var baseWidth: Int?

    /// Every option as the setting it sets (unset ones with no value).
    var given: [GivenSetting] {
        [GivenSetting(setting: .parametrization, value: parametrization.map { .string($0.rawValue) }),
         GivenSetting(setting: .optimizer, value: optimizer.map { .string($0.kind.rawValue) }),
         GivenSetting(setting: .learningRate, value: lr.map { .number($0) }),
         GivenSetting(setting: .baseWidth, value: baseWidth.map { .integer($0) })]
    }

    /// `config` with every given option set.
    func apply(to config: inout SweepConfiguration) {
        if let parametrization { config.parametrization = parametrization }
        if let optimizer { config.optimizer = optimizer }
        if let lr { config.lr = lr }
        if let baseWidth { config.baseWidth = baseWidth }
    }
}
