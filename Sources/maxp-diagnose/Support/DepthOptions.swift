import ArgumentParser
import MaxP
import MaxPDiagnostics

/// Depth-µP's options (`coord-check`, `lr-transfer`, `train`): the residual branch exponent α and the base depth.
/// With `--depth-alpha α` every residual branch of the GPT is multiplied by `(depth/base)^-α` and the hidden
/// learning rates by `(depth/base)^(α−1)` (Adam) or `(depth/base)^(2α−1)` (SGD), the blocks' norm gains and biases
/// likewise, and with Adam ε inside the blocks by `(width/base-width)^-1 · (depth/base)^-α` (CompleteP,
/// ``DepthScaling``); at `--base-depth` (and the base width) the model is exactly the plain one. The MLP has no
/// residual stream and refuses them.
struct DepthOptions: ParsableArguments {
    @Option(name: .customLong("depth-alpha"), parsing: .unconditional, help: ArgumentHelp("Depth-µP for the gpt model: multiply every residual branch by (depth/base-depth)^-α and the hidden learning rates and the blocks' norm gains' by (depth/base-depth)^(α−1) with Adam, ^(2α−1) with SGD, and Adam's ε inside the blocks by (width/base-width)^-1 · (depth/base-depth)^-α; α is 0, 0.5 or 1 (CompleteP) (default: no depth scaling).", valueName: "α"))
    var depthAlpha: Double?
    @Option(name: .customLong("base-depth"), parsing: .unconditional, help: ArgumentHelp("Depth-µP's base depth: at this depth the model equals the plain one (default 1; needs --depth-alpha).", valueName: "L"))
    var baseDepth: Int?

    /// Checks the values and that `family` has residual blocks (one line naming the flag).
    func check(family: ModelFamily) throws(SweepOptionsError) {
        if let depthAlpha, !DepthScaling.standardAlphas.contains(depthAlpha) {
            throw .invalid(option: "--depth-alpha", reason: "must be 0, 0.5 or 1 (plain, Depth-µP, CompleteP), got \(depthAlpha)")
        }
        if let baseDepth {
            guard depthAlpha != nil else { throw .invalid(option: "--base-depth", reason: "needs --depth-alpha (it is depth-µP's base depth)") }
            guard baseDepth >= 1 else { throw .invalid(option: "--base-depth", reason: "must be at least 1, got \(baseDepth)") }
        }
        if depthAlpha != nil && family == .mlp {
            throw .invalid(option: "--depth-alpha", reason: DepthTheory.noResidualStreamInMLP)
        }
    }

    /// `training` with depth-µP's values set.
    func applied(to training: TrainingOptions) -> TrainingOptions {
        var result = training
        result.depthAlpha = depthAlpha
        result.baseDepth = baseDepth
        return result
    }

    /// The options given, as report settings.
    var settings: [(name: String, value: String)] {
        var list: [(name: String, value: String)] = []
        if let depthAlpha { list.append(("depth-alpha", "\(depthAlpha)")) }
        if let baseDepth { list.append(("base-depth", "\(baseDepth)")) }
        return list
    }

    /// `, depth-µP α 1, base depth 2` for one-line summaries (empty without depth-µP).
    var summary: String {
        guard let depthAlpha else { return "" }
        return ", depth-µP α \(depthAlpha)" + (baseDepth.map { ", base depth \($0)" } ?? "")
    }
}
