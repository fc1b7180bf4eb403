import ArgumentParser
import MaxP
import MaxPDiagnostics

/// `train`'s run options, each optional so that a given one overrides `--config RUN.yaml` (or the resumed run's
/// `config.json`) and a missing one leaves the file's value or the default. The model, parametrization, ablation and
/// depth-µP options are the groups every command shares (with `train`'s defaults, ``TrainDefaults``); the rest is the
/// dynamic alignment controller, logging and the run's length and data. Every option is the value of one key of
/// ``RunConfiguration``'s schema (``settings``): the flags and the file fill the same typed configuration.
struct TrainOptions: ParsableArguments {
    @OptionGroup var shape: ModelShapeOptions<TrainDefaults>
    @OptionGroup var oneModel: OneModelOptions<TrainDefaults>
    @OptionGroup var training: ParametrizationOptions<TrainDefaults>
    @OptionGroup var ablation: AblationOptions<TrainDefaults>
    @OptionGroup var depthScaling: DepthOptions<TrainDefaults>
    @Flag(inversion: .prefixedNo, help: "Re-solve learning-rate exponents from measured alignment; otherwise c stays constant (maxp.dynamic; default off).")
    var dynamic: Bool?
    @Option(name: .customLong("warmup-steps"), parsing: .unconditional, help: "Steps before the first measurement (maxp.warmup_steps; default 0).")
    var warmupSteps: Int?
    @Option(name: .customLong("solve-interval"), parsing: .unconditional, help: "Measure (and re-solve) every K steps (maxp.solve_interval; default 1).")
    var solveInterval: Int?
    @Option(name: .customLong("sample-size"), parsing: .unconditional, help: "Rows of each layer's input that are measured (maxp.sample_size; default 32).")
    var sampleSize: Int?
    @Option(name: .customLong("log-every"), parsing: .unconditional, help: "A progress line on stderr every N steps, 0 for none (logging.every; default 0).")
    var logEvery: Int?
    @Flag(inversion: .prefixedNo, help: "Draw the per-layer traces alignment.png and alignment.svg (logging.traces; default on).")
    var traces: Bool?
    @Option(parsing: .unconditional, help: "Training steps; with --resume the total to reach (steps; default 20).")
    var steps: Int?
    @Option(help: ArgumentHelp("User data for the MLP: a CSV of numeric features with an integer class label in the last column (data).", valueName: "file.csv"))
    var data: String?

    /// The schema key, flag and value of every option that can be given, given or not.
    var settings: [RunSetting] {
        RunSetting.of(shape.given + oneModel.given + training.given + ablation.given + depthScaling.given) + [
            RunSetting(key: "maxp.dynamic", flag: "--dynamic", value: dynamic.map { ConfigValue.bool($0) }),
            RunSetting(key: "maxp.warmup_steps", flag: "--warmup-steps", value: warmupSteps.map { ConfigValue.integer($0) }),
            RunSetting(key: "maxp.solve_interval", flag: "--solve-interval", value: solveInterval.map { ConfigValue.integer($0) }),
            RunSetting(key: "maxp.sample_size", flag: "--sample-size", value: sampleSize.map { ConfigValue.integer($0) }),
            RunSetting(key: "logging.every", flag: "--log-every", value: logEvery.map { ConfigValue.integer($0) }),
            RunSetting(key: "logging.traces", flag: "--traces", value: traces.map { ConfigValue.bool($0) }),
            RunSetting(key: "steps", flag: "--steps", value: steps.map { ConfigValue.integer($0) }),
            RunSetting(key: "data", flag: "--data", value: data.map { ConfigValue.string($0) }),
        ]
    }

    /// Refuses the sweep-only ablation options (`--plant`, `--head-size`: `train` builds one declared model).
    func validate() throws {
        if !ablation.plants.isEmpty {
            throw ValidationError("--plant is a coord-check option; train does not use it (plant the deviation in `maxp-diagnose coord-check`)")
        }
        if ablation.headSize != nil {
            throw ValidationError("--head-size is a sweep option; train builds one model: give its --heads")
        }
    }
}

/// One option of a run configuration: its dotted key in ``RunConfiguration``'s schema, its flag and its value
/// (`nil` when not given).
struct RunSetting {
    /// The dotted schema key (`model.input_dim`).
    var key: String
    /// The flag (`--input-dim`).
    var flag: String
    /// The value given on the command line.
    var value: ConfigValue?

    /// The run-configuration settings of shared options (those with a key; the sweep-only ones have none).
    static func of(_ given: [GivenSetting]) -> [RunSetting] {
        given.compactMap { option in
            RunConfiguration.key(for: option.setting).map { RunSetting(key: $0, flag: option.setting.flag, value: option.value) }
        }
    }

    /// `document` with every given setting set at its key, and the labels of messages: a key the options set, or
    /// one the document does not hold (a default), is named by its flag; a key of the file by itself.
    static func applied(_ settings: [RunSetting], to document: ConfigValue) -> (document: ConfigValue, labels: [String: String]) {
        var result = document
        var labels: [String: String] = [:]
        for setting in settings {
            if let value = setting.value {
                result = result.setting(value, at: setting.key)
                labels[setting.key] = setting.flag
            } else if document.value(at: setting.key) == nil {
                labels[setting.key] = setting.flag
            }
        }
        return (result, labels)
    }
}
