/// One exponent-LP problem in the JSON format of the golden `lp_cases.json` (one case object): the optimizer, the
/// layers with their exponents, alignments and predecessors, and optional fixed c and feature-learning flag.
///
/// Unknown keys (`result`, `successors`, `id`, …) are ignored. Used by `maxp-diagnose solve --graph` and the tests.
public struct ExponentProblem: Decodable, Sendable {
    /// One layer entry.
    public struct Layer: Decodable, Sendable {
        /// Unique layer name.
        public var name: String
        /// Informational layer type (`embedding`, `hidden`, `readout`, `merge`, …).
        public var type: String
        /// Output-multiplier exponent (`width^-a`).
        public var a: Double
        /// Initialisation exponent (`width^-b`).
        public var b: Double
        /// Whether the layer has a weight and so a learning-rate exponent c.
        public var hasWeight: Bool
        /// The width the exponents refer to.
        public var widthDim: Int
        /// Names of the layers feeding this one.
        public var predecessors: [String]
        /// `min` (addition) or `sum` (elementwise product).
        public var mergeType: String
        /// α (`align_z0_dW`).
        public var alignZ0DW: Double
        /// ω (`align_dZ_w0`).
        public var alignDZW0: Double
        /// u (`align_dZ_dW`).
        public var alignDZDW: Double

        enum CodingKeys: String, CodingKey {
            case name, type, a, b, predecessors
            case hasWeight = "has_weight"
            case widthDim = "width_dim"
            case mergeType = "merge_type"
            case alignZ0DW = "align_z0_dW"
            case alignDZW0 = "align_dZ_w0"
            case alignDZDW = "align_dZ_dW"
        }

        /// Decodes a layer; `type`, `width_dim` and `merge_type` may be omitted (`""`, 0, `"min"`).
        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            name = try container.decode(String.self, forKey: .name)
            type = try container.decodeIfPresent(String.self, forKey: .type) ?? ""
            a = try container.decode(Double.self, forKey: .a)
            b = try container.decode(Double.self, forKey: .b)
            hasWeight = try container.decode(Bool.self, forKey: .hasWeight)
            widthDim = try container.decodeIfPresent(Int.self, forKey: .widthDim) ?? 0
            predecessors = try container.decode([String].self, forKey: .predecessors)
            mergeType = try container.decodeIfPresent(String.self, forKey: .mergeType) ?? "min"
            alignZ0DW = try container.decode(Double.self, forKey: .alignZ0DW)
            alignDZW0 = try container.decode(Double.self, forKey: .alignDZW0)
            alignDZDW = try container.decode(Double.self, forKey: .alignDZDW)
        }
    }

    /// Optimizer name as written (`adam`, `sgd`, `adafactor`, any case).
    public var optimizer: String
    /// The layers, in any order.
    public var layers: [Layer]
    /// Fixed learning-rate exponents by layer name.
    public var cFixed: [String: Double]
    /// Whether to require `r = 0` at every predecessor of every sink.
    public var featureLearning: Bool

    enum CodingKeys: String, CodingKey {
        case optimizer, layers
        case cFixed = "c_fixed"
        case featureLearning = "feature_learning"
    }

    /// Decodes a problem; `c_fixed` and `feature_learning` may be omitted (or null).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        optimizer = try container.decode(String.self, forKey: .optimizer)
        layers = try container.decode([Layer].self, forKey: .layers)
        cFixed = try container.decodeIfPresent([String: Double].self, forKey: .cFixed) ?? [:]
        featureLearning = try container.decodeIfPresent(Bool.self, forKey: .featureLearning) ?? false
    }

    /// The optimizer kind. Throws ``ExponentLPError/unknownOptimizer(_:)`` for an unknown name.
    public func optimizerKind() throws(ExponentLPError) -> OptimizerKind {
        guard let kind = OptimizerKind(parsing: optimizer) else { throw .unknownOptimizer(optimizer) }
        return kind
    }

    /// The validated graph. Throws for an unknown merge type or any structural problem (``ExponentGraph/init(nodes:)``).
    public func graph() throws(ExponentLPError) -> ExponentGraph {
        var nodes: [ExponentNode] = []
        nodes.reserveCapacity(layers.count)
        for layer in layers {
            guard let merge = MergeType(rawValue: layer.mergeType.lowercased()) else {
                throw .invalidEdge(
                    node: layer.name, predecessor: layer.predecessors.joined(separator: ", "),
                    reason: "unknown merge_type '\(layer.mergeType)' (must be 'min' or 'sum')")
            }
            nodes.append(
                ExponentNode(
                    name: layer.name, layerType: layer.type, a: layer.a, b: layer.b, hasWeight: layer.hasWeight,
                    width: layer.widthDim, predecessors: layer.predecessors, mergeType: merge,
                    alignment: Alignment(alpha: layer.alignZ0DW, omega: layer.alignDZW0, u: layer.alignDZDW)))
        }
        return try ExponentGraph(nodes: nodes)
    }

    /// Builds the graph and solves it (``ExponentLP/solve(_:optimizer:fixedC:featureLearning:)``).
    public func solve() throws(ExponentLPError) -> ExponentSolution {
        let kind = try optimizerKind()
        return try ExponentLP.solve(try graph(), optimizer: kind, fixedC: cFixed, featureLearning: featureLearning)
    }
}
