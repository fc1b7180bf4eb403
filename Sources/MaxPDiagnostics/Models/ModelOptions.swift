import MaxP

/// The built-in model families a sweep can build at any axis value.
public enum ModelFamily: String, CaseIterable, Codable, Sendable {
    /// MLP `inputDimension → width → … → width → outputDimension` (`depth` hidden layers, ReLU, no bias).
    case mlp
    /// GPT-style decoder with a **fixed head count**: sweeping width makes the head dimension `d_head = width/heads`
    /// grow with width (with a fixed head size a `1/√d` attention bug is invisible to any coord check).
    case gpt
}

/// The shape options of a built-in model (everything but the swept value).
public struct ModelOptions: Codable, Sendable, Equatable {
    /// The family.
    public var family: ModelFamily
    /// MLP input dimension.
    public var inputDimension: Int
    /// Hidden layers (MLP) or transformer blocks (GPT).
    public var depth: Int
    /// MLP output dimension (classes).
    public var outputDimension: Int
    /// Width when another axis (depth, heads) is swept.
    public var width: Int
    /// GPT attention heads (fixed while width grows).
    public var heads: Int
    /// GPT sequence length.
    public var sequenceLength: Int
    /// GPT vocabulary size.
    public var vocabulary: Int
    /// Examples per batch.
    public var batch: Int
    /// GPT: the readout multiplies by the token embedding's table (tied input/output embeddings, mup#55; the role
    /// conflict is reported as ``TiedWeight``).
    public var tiesEmbeddings = false
    /// GPT head size held fixed while width grows (nanoGPT's `head_size = 64`): the head count is `width / headSize`
    /// and grows with width; `nil` keeps ``heads`` fixed instead (the head dimension grows).
    public var headSize: Int?

    /// Creates options (defaults: the reference MLP 3072 → w → w → w → 10, batch 64; GPT 4 heads, 32 tokens, 256 ids).
    public init(family: ModelFamily = .mlp, inputDimension: Int = 3072, depth: Int = 3, outputDimension: Int = 10,
                width: Int = 128, heads: Int = 4, sequenceLength: Int = 32, vocabulary: Int = 256, batch: Int = 64,
                headSize: Int? = nil) {
        self.family = family
        self.inputDimension = inputDimension
        self.depth = depth
        self.outputDimension = outputDimension
        self.width = width
        self.heads = heads
        self.sequenceLength = sequenceLength
        self.vocabulary = vocabulary
        self.batch = batch
        self.headSize = headSize
    }

    /// The head count at `width` when the head count is not the swept value: `width / headSize` with a fixed head
    /// size, else ``heads``.
    public func heads(atWidth width: Int) -> Int { headSize.map { width / max($0, 1) } ?? heads }

    /// A one-line description of the architecture, with `w` for the swept value on the width axis.
    public func description(axis: SweepAxis) -> String {
        let w = axis == .width ? "w" : String(width)
        switch family {
        case .mlp:
            let depthText = axis == .depth ? "L × \(w)" : Array(repeating: w, count: depth).joined(separator: "→")
            return "MLP \(inputDimension)→\(depthText)→\(outputDimension) (ReLU, no bias, batch \(batch))"
        case .gpt:
            let headsText = axis == .heads ? "H heads"
                : axis == .depth ? (headSize.map { "head size \($0) (\(width / max($0, 1)) heads)" }
                                    ?? "\(heads) heads (d_head = \(width / max(heads, 1)))")
                : headSize.map { "head size \($0) (fixed: \(w)/\($0) heads grow with width)" }
                ?? "\(heads) heads (fixed: d_head = \(w)/\(heads) grows with width)"
            let depthText = axis == .depth ? "L blocks" : "\(depth) blocks"
            return "GPT width \(w), \(depthText), \(headsText), vocab \(vocabulary), seq-len \(sequenceLength), batch \(batch)"
        }
    }

    /// Checks that `training` can train this built-in model: depth-µP's branch exponent needs residual blocks, which
    /// the MLP does not have (the one place of that rule; the builder and every plan ask it).
    public func validate(training: TrainingOptions) throws(ModelBuildError) {
        if training.depthAlpha != nil && family == .mlp {
            throw .invalid(setting: .depthAlpha, reason: DepthTheory.noResidualStreamInMLP)
        }
    }

    /// Checks that this model can read user data (a CSV of features and an integer label): only the MLP can.
    public func validateUserData() throws(ModelBuildError) {
        guard family == .mlp else {
            throw .invalid(setting: .data, reason: "user data (features + label CSV) needs the mlp model")
        }
    }

    /// Checks sizes for the swept `values` on `axis`, and (given `training`) that the training fits this model
    /// (``validate(training:)``).
    public func validate(axis: SweepAxis, values: [Int], training: TrainingOptions? = nil) throws(ModelBuildError) {
        if let training { try validate(training: training) }
        for (setting, value) in [(SweepSetting.inputDimension, inputDimension), (.depth, depth), (.outputDimension, outputDimension),
                                 (.batch, batch), (.heads, heads), (.sequenceLength, sequenceLength), (.width, width)]
        where value < 1 {
            throw .invalid(setting: setting, reason: "must be at least 1, got \(value)")
        }
        if family == .gpt && vocabulary < 2 { throw .invalid(setting: .vocabulary, reason: "must be at least 2") }
        if family != .gpt && tiesEmbeddings {
            throw .invalid(setting: .tieEmbeddings, reason: "tied input/output embeddings need the gpt model (the MLP's input features and classes are different tables)")
        }
        if family == .mlp && outputDimension < 2 {
            throw .invalid(setting: .outputDimension, reason: "classification needs at least 2 classes")
        }
        guard [SweepAxis.width, .depth, .heads].contains(axis) else {
            throw .invalid(setting: .axis, reason: "unknown axis `\(axis)` (use width, depth or heads)")
        }
        if axis == .heads && family != .gpt {
            throw .invalid(setting: .axis, reason: "the heads axis needs the gpt model")
        }
        if axis == .depth && family == .mlp, let deepest = values.last(where: { $0 > RunLimits.maximumSweptDepth }) {
            throw .invalid(setting: .values, reason: "on the depth axis the values are depths (hidden layers); \(deepest) is more than \(RunLimits.maximumSweptDepth)")
        }
        if let headSize {
            guard family == .gpt else { throw .invalid(setting: .headSize, reason: "a head size needs the gpt model") }
            guard headSize >= 1 else { throw .invalid(setting: .headSize, reason: "must be at least 1, got \(headSize)") }
            guard axis != .heads else {
                throw .invalid(setting: .headSize, reason: "the heads axis sweeps the head count; a fixed head size would contradict it")
            }
        }
        for value in values {
            guard value >= 1 else { throw .invalid(setting: .values, reason: "swept values must be positive, got \(value)") }
            if family == .gpt, let headSize {
                let w = axis == .width ? value : width
                guard w % headSize == 0 else {
                    throw .invalid(setting: .values, reason: "width \(w) is not divisible by the head size \(headSize) (the head count is width / head size)")
                }
            } else if family == .gpt {
                let w = axis == .width ? value : width, h = axis == .heads ? value : heads
                guard w % h == 0 else {
                    throw .invalid(setting: .values, reason: "width \(w) is not divisible by \(h) heads (GPT keeps the head count fixed)")
                }
            }
        }
    }
}

/// How a model is parametrized and trained: the declared parametrization, optimizer, alignment assumption,
/// learning-rate and initialization prefactors, and mup's base width.
public struct TrainingOptions: Codable, Sendable, Equatable {
    /// The declared parametrization (`sp` is a plain torch-like model: no multipliers, `1/√fan_in` init, one global
    /// learning rate, attention logits `1/√d_head`).
    public var parametrization: NamedParametrization
    /// The optimizer (`adam`, AdamW with a ``weightDecay``; `sgd`; `adafactor`).
    public var optimizer: OptimizerKind
    /// The learning-rate prefactor η (`lr = η · width^-c`, with a base width `η · (width/base)^-c`; under `sp`
    /// the global learning rate).
    public var learningRate: Double
    /// The alignment assumed before any is measured.
    public var alignment: AlignmentPreset
    /// mup's base width: at this width the parametrization equals SP (multipliers `(width/base)^-a`, init
    /// `σ · (width/base)^-b` relative to SP, learning rates `η · (width/base)^-c`); `nil` is base width 1.
    public var baseWidth: Int?
    /// The initialization prefactor σ in `std = σ · width^-b`.
    public var initScale: Double
    /// Per-op options (zero initialization, σ and multiplier constants), by op name or leaf name (`q`).
    public var ops: [String: OpOptions]
    /// Declared per-op exponents and σ (maxP's per-op `a`, `b`, `c` overrides), applied in order after ``ops``:
    /// theory and the exponent LP use them (a declared `c` is fixed, not solved for).
    public var overrides: [OpAssignment]
    /// nanoGPT's `init_std`: every weight without its own σ starts at this standard deviation at the base width
    /// (`initStd · (width/base)^-b` elsewhere); under `sp` every weight's `b` is declared 0, so every weight starts
    /// at `initStd` at every width (GPT-2's `N(0, 0.02²)`). `nil`: σ = ``initScale`` in `σ · width^-b`.
    public var initStd: Double?
    /// Weight decay of every group: decoupled for Adam (AdamW, `p ← p − lr · λ · p`) and Adafactor, coupled L2 for
    /// SGD.
    public var weightDecay: Double
    /// Clip the global gradient norm (all parameters together) to at most this value before each step
    /// (`torch.nn.utils.clip_grad_norm_`); `nil` does not clip.
    public var gradientClip: Double?
    /// Depth-µP's branch exponent α (``DepthScaling``): residual branches × `(L/L₀)^-α`, hidden learning rates ×
    /// `(L/L₀)^(α−1)` (Adam) or `(L/L₀)^(2α−1)` (SGD); `nil`: nothing scales with depth. Needs residual blocks.
    public var depthAlpha: Double? = nil
    /// Depth-µP's base depth `L₀`, where the model equals the plain one (`nil`: 1). Only with ``depthAlpha``.
    public var baseDepth: Int? = nil
    /// Adam's β₁, the first-moment decay (torch's `betas[0]`); `nil`: 0.9. Adam only (``validate(training:)``
    /// refuses it with another optimizer).
    public var beta1: Double? = nil
    /// Adam's β₂, the second-moment decay (torch's `betas[1]`); `nil`: 0.999. Adam only.
    public var beta2: Double? = nil
    /// Adam's ε (torch's `eps`) added to `√v̂`; `nil`: 1e-8. With depth-µP it is the base ε of CompleteP's rule
    /// `ε · m_N^-1 · (L/L₀)^-α` inside the residual blocks (``DepthScaling``). Adam only.
    public var adamEpsilon: Double? = nil

    /// torch's defaults: `betas = (0.9, 0.999)`, `eps = 1e-8`.
    public static let defaultAdam = (beta1: 0.9, beta2: 0.999, epsilon: 1e-8)

    /// The Adam hyperparameters the engine trains with: the given ones, else torch's defaults.
    public var adamHyperparameters: (beta1: Double, beta2: Double, epsilon: Double) {
        (beta1 ?? Self.defaultAdam.beta1, beta2 ?? Self.defaultAdam.beta2, adamEpsilon ?? Self.defaultAdam.epsilon)
    }

    /// Creates options.
    public init(parametrization: NamedParametrization = .mup, optimizer: OptimizerKind = .adam, learningRate: Double = 1e-3,
                alignment: AlignmentPreset = .full, baseWidth: Int? = nil, initScale: Double = 1,
                ops: [String: OpOptions] = [:], overrides: [OpAssignment] = [], initStd: Double? = nil,
                weightDecay: Double = 0, gradientClip: Double? = nil) {
        self.parametrization = parametrization
        self.optimizer = optimizer
        self.learningRate = learningRate
        self.alignment = alignment
        self.baseWidth = baseWidth
        self.initScale = initScale
        self.ops = ops
        self.overrides = overrides
        self.initStd = initStd
        self.weightDecay = weightDecay
        self.gradientClip = gradientClip
    }

    /// `; declared readout.a=0, init std 0.02, weight decay 0.1, gradient clip 1.0` — what is set beyond the
    /// parametrization's name and the optimizer (empty when nothing is; Adam's β₁, β₂ and ε when given).
    public var ablationDescription: String {
        var parts: [String] = []
        if !overrides.isEmpty { parts.append("declared " + overrides.map(\.description).joined(separator: ", ")) }
        if let initStd { parts.append("init std \(initStd)") }
        if weightDecay > 0 { parts.append("weight decay \(weightDecay)") }
        if let gradientClip { parts.append("gradient clip \(gradientClip)") }
        if let beta1 { parts.append("Adam β₁ \(beta1)") }
        if let beta2 { parts.append("Adam β₂ \(beta2)") }
        if let adamEpsilon { parts.append("Adam ε \(adamEpsilon)") }
        return parts.isEmpty ? "" : "; " + parts.joined(separator: "; ")
    }

    /// The optimizers the engine trains with.
    public static let trainableOptimizers: [OptimizerKind] = [.adam, .sgd, .adafactor]

    /// Checks the learning rate, σ, the base width and (when `training`) that the optimizer can train.
    public func validate(training: Bool = true) throws(ModelBuildError) {
        guard learningRate > 0, learningRate.isFinite else {
            throw .invalid(setting: .learningRate, reason: "must be a positive number, got \(learningRate)")
        }
        guard initScale >= 0, initScale.isFinite else {
            throw .invalid(setting: .initScale, reason: "must be a finite number ≥ 0, got \(initScale)")
        }
        if let baseWidth, baseWidth < 1 {
            throw .invalid(setting: .baseWidth, reason: "must be at least 1, got \(baseWidth)")
        }
        if let initStd, !(initStd > 0 && initStd.isFinite) {
            throw .invalid(setting: .initStd, reason: "must be a positive finite standard deviation, got \(initStd)")
        }
        guard weightDecay >= 0, weightDecay.isFinite else {
            throw .invalid(setting: .weightDecay, reason: "must be a finite number ≥ 0, got \(weightDecay)")
        }
        if let gradientClip, !(gradientClip > 0 && gradientClip.isFinite) {
            throw .invalid(setting: .gradientClip, reason: "must be a positive finite gradient norm, got \(gradientClip)")
        }
        if training && !Self.trainableOptimizers.contains(optimizer) { throw .unsupportedOptimizer(optimizer) }
        try validateDepthScaling()
        try validateAdamHyperparameters()
    }

    /// Checks Adam's β₁, β₂ (0 ≤ β < 1) and ε (> 0), all finite, and that they are only given with Adam.
    func validateAdamHyperparameters() throws(ModelBuildError) {
        for (setting, value, name) in [(SweepSetting.beta1, beta1, "β₁"), (.beta2, beta2, "β₂")] {
            guard let value else { continue }
            guard optimizer == .adam else {
                throw .invalid(setting: setting, reason: "Adam's \(name) means nothing to \(optimizer.rawValue); give it with adam only")
            }
            guard value.isFinite, value >= 0, value < 1 else {
                throw .invalid(setting: setting, reason: "\(name) must lie in [0, 1), got \(value)")
            }
        }
        if let adamEpsilon {
            guard optimizer == .adam else {
                throw .invalid(setting: .adamEpsilon, reason: "Adam's ε means nothing to \(optimizer.rawValue); give it with adam only")
            }
            guard adamEpsilon.isFinite, adamEpsilon > 0 else {
                throw .invalid(setting: .adamEpsilon, reason: "ε must be a positive finite number, got \(adamEpsilon)")
            }
        }
    }

    /// Checks depth-µP's values: α one of ``DepthScaling/standardAlphas`` (0, ½, 1: the exponents the depth theory
    /// predicts for), a base depth ≥ 1 and only together with α.
    func validateDepthScaling() throws(ModelBuildError) {
        if let depthAlpha, !DepthScaling.standardAlphas.contains(depthAlpha) {
            throw .invalid(setting: .depthAlpha, reason: "must be 0, 0.5 or 1 (plain, Depth-µP, CompleteP), got \(depthAlpha)")
        }
        if let baseDepth {
            guard depthAlpha != nil else {
                throw .requires(setting: .baseDepth, other: .depthAlpha, why: "it is depth-µP's base depth")
            }
            guard baseDepth >= 1 else { throw .invalid(setting: .baseDepth, reason: "must be at least 1, got \(baseDepth)") }
        }
    }

    /// Depth-µP for a model of `depth` residual blocks, or `nil` without ``depthAlpha``.
    public func depthScaling(depth: Int) -> DepthScaling? {
        depthAlpha.map { DepthScaling(alpha: $0, depth: depth, baseDepth: baseDepth ?? 1) }
    }
}

/// Corrections applied on top of a built model (what ``AutoFix`` verifies): per op, multiply its output by
/// `width^-Δa` and its learning rate by `width^-Δc` (`width` = the op's marked width).
public struct ExponentCorrections: Codable, Sendable, Equatable {
    /// Δa per op name.
    public var deltaA: [String: Double]
    /// Δc per op name (weighted ops only).
    public var deltaC: [String: Double]

    /// Creates corrections (none by default).
    public init(deltaA: [String: Double] = [:], deltaC: [String: Double] = [:]) {
        self.deltaA = deltaA
        self.deltaC = deltaC
    }

    /// Whether nothing is corrected.
    public var isEmpty: Bool { deltaA.isEmpty && deltaC.isEmpty }
}
