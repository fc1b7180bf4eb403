import ArgumentParser
import MaxP
import MaxPDiagnostics

/// Depth-µP's options (`coord-check`, `lr-transfer`, `gate`, `train`): the residual branch exponent α and the base
/// depth. With `--depth-alpha α` every residual branch of the GPT is multiplied by `(depth/base)^-α` and the hidden
/// learning rates by `(depth/base)^(α−1)` (Adam) or `(depth/base)^(2α−1)` (SGD), the blocks' norm gains and biases
/// likewise, and with Adam ε inside the blocks by `(width/base-width)^-1 · (depth/base)^-α` (CompleteP,
/// ``DepthScaling``); at `--base-depth` (and the base width) the model is exactly the plain one. The values' rules
/// (α ∈ {0, ½, 1}, a base depth only with α, the MLP has no residual stream) are the library's (``TrainingOptions``,
/// ``ModelOptions/validate(training:)``).
struct DepthOptions<D: OptionDefaults>: ParsableArguments {
    @Option(name: .customLong("depth-alpha"), parsing: .unconditional,
            help: D.help("Depth-µP for the gpt model: multiply every residual branch by (depth/base-depth)^-α and the hidden learning rates and the blocks' norm gains' by (depth/base-depth)^(α−1) with Adam, ^(2α−1) with SGD, and Adam's ε inside the blocks by (width/base-width)^-1 · (depth/base-depth)^-α; α is 0, 0.5 or 1 (CompleteP)",
                         .depthAlpha, default: "no depth scaling", valueName: "α"))
    var depthAlpha: Double?
    @Option(name: .customLong("base-depth"), parsing: .unconditional,
            help: D.help("Depth-µP's base depth: at this depth the model equals the plain one; needs --depth-alpha", .baseDepth,
                         default: "1", valueName: "L"))
    var baseDepth: Int?

    /// `training` with depth-µP's values set.
    func applied(to training: TrainingOptions) -> TrainingOptions {
        var result = training
        result.depthAlpha = depthAlpha
        result.baseDepth = baseDepth
        return result
    }

    /// Every option as the setting it sets (unset ones with no value).
    var given: [GivenSetting] {
        [GivenSetting(setting: .depthAlpha, value: depthAlpha.map { .number($0) }),
         GivenSetting(setting: .baseDepth, value: baseDepth.map { .integer($0) })]
    }

    /// The options given, as report settings.
    var settings: [(name: String, value: String)] {
        var list: [(name: String, value: String)] = []
        if let depthAlpha { list.append(("depth-alpha", "\(depthAlpha)")) }
        if let baseDepth { list.append(("base-depth", "\(baseDepth)")) }
        return list
    }
}
