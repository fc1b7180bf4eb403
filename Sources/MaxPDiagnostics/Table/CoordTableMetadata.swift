/// The training loss of one run (axis value, seed) at each step t = 0, 1, …: `losses[t]` is the loss of the forward
/// pass at step t. Verdicts become `inconclusive` at a step where some run's loss jumps (see ``VerdictPolicy``).
public struct LossSeries: Codable, Sendable, Equatable {
    /// The swept value of the run.
    public var axisValue: Int
    /// The seed of the run.
    public var seed: Int
    /// The loss at t = 0, 1, … (NaN/±∞ allowed: a divergence).
    public var losses: [Double]

    /// Creates a loss series.
    public init(axisValue: Int, seed: Int, losses: [Double]) {
        self.axisValue = axisValue
        self.seed = seed
        self.losses = losses
    }

    enum CodingKeys: String, CodingKey { case axisValue = "axis_value", seed, losses }
}

/// What a ``CoordTable`` was measured on: the axis, its values, seeds, steps, the model, and the op graph that
/// ``Theory`` needs to predict each op's slope.
public struct CoordTableMetadata: Codable, Sendable, Equatable {
    /// The swept axis (`width`, `depth`, `heads`).
    public var axis: SweepAxis
    /// The swept values, ascending.
    public var axisValues: [Int]
    /// The seeds, ascending.
    public var seeds: [Int]
    /// Number of optimizer steps T (rows exist for t = 0…T).
    public var steps: Int
    /// A human-readable description of the model (architecture and options).
    public var modelDescription: String
    /// The declared parametrization's label (`sp`, `mup`, `maxp`, …), if any.
    public var parametrization: String?
    /// The optimizer's name (`adam`, `sgd`, …), if known.
    public var optimizer: String?
    /// The base learning rate (or lr prefactor), if known.
    public var learningRate: Double?
    /// The op graph in topological order (also the op order of reports); empty when unknown.
    public var ops: [OpDescriptor]
    /// Loss per run and step, when recorded.
    public var lossSeries: [LossSeries]
    /// Depth-µP's branch exponent α the models were built with (``DepthScaling``), when they were (key
    /// `depth_alpha`, absent otherwise): what the depth theory (``DepthTheory``) expects on a depth axis.
    public var depthAlpha: Double? = nil

    /// Creates metadata.
    public init(axis: SweepAxis = .width, axisValues: [Int] = [], seeds: [Int] = [], steps: Int = 0,
                modelDescription: String = "", parametrization: String? = nil, optimizer: String? = nil,
                learningRate: Double? = nil, ops: [OpDescriptor] = [], lossSeries: [LossSeries] = []) {
        self.axis = axis
        self.axisValues = axisValues
        self.seeds = seeds
        self.steps = steps
        self.modelDescription = modelDescription
        self.parametrization = parametrization
        self.optimizer = optimizer
        self.learningRate = learningRate
        self.ops = ops
        self.lossSeries = lossSeries
    }

    enum CodingKeys: String, CodingKey {
        case axis, axisValues = "axis_values", seeds, steps, modelDescription = "model_description",
             parametrization, optimizer, learningRate = "learning_rate", ops, lossSeries = "loss_series",
             depthAlpha = "depth_alpha"
    }

    /// Decodes, tolerating missing optional collections (ops, loss series).
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        axis = try c.decode(SweepAxis.self, forKey: .axis)
        axisValues = try c.decodeIfPresent([Int].self, forKey: .axisValues) ?? []
        seeds = try c.decodeIfPresent([Int].self, forKey: .seeds) ?? []
        steps = try c.decodeIfPresent(Int.self, forKey: .steps) ?? 0
        modelDescription = try c.decodeIfPresent(String.self, forKey: .modelDescription) ?? ""
        parametrization = try c.decodeIfPresent(String.self, forKey: .parametrization)
        optimizer = try c.decodeIfPresent(String.self, forKey: .optimizer)
        learningRate = try c.decodeIfPresent(Double.self, forKey: .learningRate)
        ops = try c.decodeIfPresent([OpDescriptor].self, forKey: .ops) ?? []
        lossSeries = try c.decodeIfPresent([LossSeries].self, forKey: .lossSeries) ?? []
        depthAlpha = try c.decodeIfPresent(Double.self, forKey: .depthAlpha)
    }
}
