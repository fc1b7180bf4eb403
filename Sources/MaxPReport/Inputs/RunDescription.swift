import MaxPDiagnostics

/// What a run was: the model, parametrization, optimizer and learning rate, seeds and steps, the exact command that
/// reproduces it, every configuration value, and the per-layer abc table. Reports and figure titles are written
/// from it; it is saved next to the data as `run.json` so that `maxp-diagnose report` can re-render later.
public struct RunDescription: Codable, Sendable, Equatable {
    /// One configuration value as shown in the report (`widths` = `64,128,256`).
    public struct Setting: Codable, Sendable, Equatable {
        /// Option name without dashes (`widths`).
        public var name: String
        /// Value as text.
        public var value: String
        /// Creates a setting.
        public init(name: String, value: String) { self.name = name; self.value = value }
    }

    /// Short model description (`MLP 3072→w→w→w→10`).
    public var model: String
    /// Parametrization label (`sp`, `mup`, `ntk`, `mfp`, `maxp`), if any.
    public var parametrization: String?
    /// Optimizer name (`adam`, `sgd`), if known.
    public var optimizer: String?
    /// Base learning rate, if known.
    public var learningRate: Double?
    /// Number of seeds.
    public var seedCount: Int?
    /// Number of training steps T.
    public var steps: Int?
    /// The exact command line that reproduces the run (`maxp-diagnose coord-check --model mlp …`).
    public var command: String
    /// Every configuration value, in a stable order.
    public var settings: [Setting]
    /// The per-layer abc/LP table, empty when unknown.
    public var layers: [LayerExponentRow]
    /// Free-text notes shown under the configuration (e.g. "the GPT model sweeps width at a fixed head count").
    public var notes: [String]
    /// The coord-check figure choices (statistic, op globs, coloured-op limit) the run was drawn with, so that
    /// re-rendering draws the same figures; nil when the defaults were used.
    public var coordCheckFigures: CoordCheckFigureChoices?

    /// Creates a run description.
    public init(model: String, parametrization: String? = nil, optimizer: String? = nil, learningRate: Double? = nil,
                seedCount: Int? = nil, steps: Int? = nil, command: String = "", settings: [Setting] = [],
                layers: [LayerExponentRow] = [], notes: [String] = []) {
        self.model = model; self.parametrization = parametrization; self.optimizer = optimizer
        self.learningRate = learningRate; self.seedCount = seedCount; self.steps = steps; self.command = command
        self.settings = settings; self.layers = layers; self.notes = notes
    }

    /// Fills what a coordinate table knows (model, parametrization, optimizer, lr from its metadata; seeds and
    /// steps from the metadata or, when it lacks them, from the rows).
    public init(table: CoordTable, command: String = "") {
        let metadata = table.metadata
        let seeds = metadata.seeds.isEmpty ? table.seeds : metadata.seeds
        self.init(model: metadata.modelDescription, parametrization: metadata.parametrization,
                  optimizer: metadata.optimizer, learningRate: metadata.learningRate,
                  seedCount: seeds.isEmpty ? nil : seeds.count,
                  steps: metadata.steps > 0 ? metadata.steps : table.steps.max(), command: command)
    }

    /// `µP MLP 3072→w→10, Adam lr = 10^-3, 3 seeds` — the head of every figure title (`^` marks a superscript).
    public var headline: String {
        var parts: [String] = []
        let name = [parametrization.map(FigureText.parametrizationName), model.isEmpty ? nil : model]
            .compactMap { $0 }.joined(separator: " ")
        if !name.isEmpty { parts.append(name) }
        var training: [String] = []
        if let optimizer { training.append(FigureText.optimizerName(optimizer)) }
        if let learningRate { training.append("lr = \(FigureText.power(learningRate))") }
        if !training.isEmpty { parts.append(training.joined(separator: " ")) }
        if let seedCount { parts.append("\(seedCount) seed\(seedCount == 1 ? "" : "s")") }
        return parts.joined(separator: ", ")
    }
}
