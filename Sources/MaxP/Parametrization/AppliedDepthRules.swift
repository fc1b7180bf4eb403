/// What depth-µP (``DepthScaling``) applied to one parametrized model, for reports and `run.json`: the scaling, the
/// rules (``DepthParameterRule``, CompleteP's Table 1 rows) and the factors they came to in this model.
public struct AppliedDepthRules: Codable, Equatable, Sendable {
    /// α, the depth `L` and the base depth `L₀`.
    public var scaling: DepthScaling
    /// The optimizer the rules were applied for (ε is scaled for Adam only).
    public var optimizer: OptimizerKind
    /// The rules, one per parameter class.
    public var rules: [DepthParameterRule]
    /// Every residual branch output's multiplier `(L/L₀)^-α`.
    public var branchMultiplier: Double
    /// The factor `(L/L₀)^e` of the hidden weights' learning rates.
    public var hiddenLearningRateFactor: Double
    /// The learning rate of the `_blocks` group (the blocks' norm gains and biases), `nil` when there is none.
    public var blockLearningRate: Double?
    /// Adam's ε factor of the `_blocks` group (`m_N^-1 · (L/L₀)^-α`; 1 with another optimizer), `nil` when there is
    /// no such group.
    public var blockEpsilonMultiplier: Double?
    /// The dotted names of the `_blocks` group's parameters.
    public var blockParameters: [String]

    /// Creates the record.
    public init(scaling: DepthScaling, optimizer: OptimizerKind, rules: [DepthParameterRule], branchMultiplier: Double,
                hiddenLearningRateFactor: Double, blockLearningRate: Double?, blockEpsilonMultiplier: Double?,
                blockParameters: [String]) {
        self.scaling = scaling
        self.optimizer = optimizer
        self.rules = rules
        self.branchMultiplier = branchMultiplier
        self.hiddenLearningRateFactor = hiddenLearningRateFactor
        self.blockLearningRate = blockLearningRate
        self.blockEpsilonMultiplier = blockEpsilonMultiplier
        self.blockParameters = blockParameters
    }
}

extension Parametrization {
    /// What depth-µP applied to this model (`nil` without ``ParametrizationConfiguration/depth``).
    public var appliedDepthRules: AppliedDepthRules? {
        guard let depth = configuration.depth else { return nil }
        let optimizer = configuration.optimizer
        let names = blockParameterNames
        return AppliedDepthRules(
            scaling: depth, optimizer: optimizer, rules: depth.rules(optimizer: optimizer),
            branchMultiplier: depth.branchMultiplier, hiddenLearningRateFactor: depth.hiddenLearningRateFactor(optimizer: optimizer),
            blockLearningRate: names.isEmpty ? nil : blockLearningRate, blockEpsilonMultiplier: blockEpsilonMultiplier,
            blockParameters: names)
    }
}
