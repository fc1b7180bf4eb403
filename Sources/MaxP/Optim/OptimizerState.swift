/// The saved state of an ``Optimizer``: its per-parameter buffers and step counts plus the groups' learning rates
/// and weight decays. Restoring it with ``Optimizer/loadState(_:)`` continues training bit-exactly.
public struct OptimizerState<Scalar: TensorScalar>: Codable, Equatable, Sendable {
    /// The algorithm that wrote the state (`sgd`, `adam`, `adamw`); loading into another algorithm is an error.
    public var algorithm: String
    /// The hyperparameters of each group at save time, in group order.
    public var groups: [GroupSnapshot]
    /// Per-parameter state keyed by dotted parameter name. Parameters that never received a gradient have none.
    public var parameters: [String: ParameterState<Scalar>]

    /// Creates a state.
    public init(algorithm: String, groups: [GroupSnapshot], parameters: [String: ParameterState<Scalar>]) {
        self.algorithm = algorithm
        self.groups = groups
        self.parameters = parameters
    }

    /// The per-group hyperparameters recorded in an ``OptimizerState``.
    public struct GroupSnapshot: Codable, Equatable, Sendable {
        /// The group's name.
        public var name: String
        /// Its learning rate when saved.
        public var learningRate: Double
        /// Its weight decay when saved.
        public var weightDecay: Double

        /// Creates a snapshot.
        public init(name: String, learningRate: Double, weightDecay: Double) {
            self.name = name
            self.learningRate = learningRate
            self.weightDecay = weightDecay
        }
    }
}

/// The optimizer state of one parameter: how many updates it has had and its named buffers
/// (`momentum` for SGD; `firstMoment`, `secondMoment` for Adam and AdamW).
public struct ParameterState<Scalar: TensorScalar>: Codable, Equatable, Sendable {
    /// The number of updates applied to this parameter (Adam's bias correction uses it).
    public var step: Int
    /// Buffers with the parameter's shape, by name.
    public var buffers: [String: Tensor<Scalar>]

    /// Creates a state.
    public init(step: Int = 0, buffers: [String: Tensor<Scalar>] = [:]) {
        self.step = step
        self.buffers = buffers
    }
}

/// Errors when restoring optimizer state.
public enum OptimizerError: Error, Equatable, CustomStringConvertible {
    /// The state was written by another algorithm.
    case algorithmMismatch(expected: String, found: String)
    /// The state holds a parameter none of the optimizer's groups has.
    case unknownParameter(name: String)
    /// The state holds a group the optimizer does not have.
    case unknownGroup(name: String, known: [String])
    /// A saved buffer's shape differs from the parameter's shape.
    case shapeMismatch(parameter: String, buffer: String, expected: [Int], found: [Int])
    /// A saved parameter state lacks a buffer the algorithm needs.
    case missingBuffer(parameter: String, buffer: String)

    public var description: String {
        switch self {
        case .algorithmMismatch(let expected, let found):
            return "optimizer state was saved by '\(found)' but is being loaded into '\(expected)'"
        case .unknownParameter(let name):
            return "optimizer state has an entry for parameter '\(name)', which is in none of the optimizer's groups"
        case .unknownGroup(let name, let known):
            return "optimizer state has group '\(name)'; the optimizer's groups are: \(known.joined(separator: ", "))"
        case .shapeMismatch(let parameter, let buffer, let expected, let found):
            return "optimizer buffer '\(buffer)' of parameter '\(parameter)' has shape \(found), expected \(expected)"
        case .missingBuffer(let parameter, let buffer):
            return "optimizer state of parameter '\(parameter)' lacks buffer '\(buffer)'"
        }
    }
}
