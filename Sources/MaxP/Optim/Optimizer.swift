/// Something that updates parameters from their accumulated gradients, group by group.
///
/// Typical use per training step: ``zeroGradients()``, forward and backward on a ``Tape``, then ``step()``.
/// Learning rates and weight decays live on ``groups`` and may be changed between steps (schedules, per-layer
/// rates of a parametrization). Parameters without a gradient are skipped (their state is left unchanged).
public protocol Optimizer<Scalar>: AnyObject {
    /// The scalar type of the parameters.
    associatedtype Scalar: TensorScalar
    /// The parameter groups, each with its learning rate and weight decay.
    var groups: [ParameterGroup<Scalar>] { get set }
    /// Applies one update to every parameter that has a gradient.
    func step()
    /// A copy of the per-parameter state and the groups' hyperparameters.
    func saveState() -> OptimizerState<Scalar>
    /// Replaces the per-parameter state and the groups' hyperparameters with a saved state, bit-exactly;
    /// nothing changes on error.
    func loadState(_ state: OptimizerState<Scalar>) throws(OptimizerError)
    /// Forgets every per-parameter state (moments, momentum, step counts), as after rebuilding the groups.
    func resetState()
}

extension Optimizer {
    /// Forgets the accumulated gradient of every parameter in every group.
    public func zeroGradients() {
        for group in groups {
            for entry in group.parameters { entry.parameter.zeroGradient() }
        }
    }

    /// Sets the learning rate of the group named `name`; returns whether such a group exists.
    @discardableResult
    public func setLearningRate(_ learningRate: Double, forGroup name: String) -> Bool {
        guard let index = groups.firstIndex(where: { $0.name == name }) else { return false }
        groups[index].learningRate = learningRate
        return true
    }
}

/// The per-parameter state shared by the optimizers, with the save/load logic they have in common.
struct OptimizerStateStore<Scalar: TensorScalar> {
    var entries: [String: ParameterState<Scalar>] = [:]

    func save(algorithm: String, groups: [ParameterGroup<Scalar>]) -> OptimizerState<Scalar> {
        OptimizerState(
            algorithm: algorithm,
            groups: groups.map {
                .init(name: $0.name, learningRate: $0.learningRate, weightDecay: $0.weightDecay)
            },
            parameters: entries)
    }

    /// Validates `state` completely, then installs it and the saved group hyperparameters.
    mutating func load(
        _ state: OptimizerState<Scalar>, algorithm: String, bufferNames: [String],
        groups: inout [ParameterGroup<Scalar>]
    ) throws(OptimizerError) {
        guard state.algorithm == algorithm else {
            throw .algorithmMismatch(expected: algorithm, found: state.algorithm)
        }
        var shapes: [String: [Int]] = [:]
        for group in groups {
            for entry in group.parameters { shapes[entry.name] = entry.parameter.shape }
        }
        for name in state.parameters.keys.sorted() {
            guard let shape = shapes[name] else { throw .unknownParameter(name: name) }
            let saved = state.parameters[name]!
            for buffer in bufferNames {
                guard let tensor = saved.buffers[buffer] else {
                    // SGD without momentum keeps no buffer; only complain when the entry has buffers at all.
                    if saved.buffers.isEmpty { continue }
                    throw .missingBuffer(parameter: name, buffer: buffer)
                }
                guard tensor.shape == shape else {
                    throw .shapeMismatch(parameter: name, buffer: buffer, expected: shape, found: tensor.shape)
                }
            }
        }
        var groupIndex: [String: Int] = [:]
        for (i, group) in groups.enumerated() { groupIndex[group.name] = i }
        for snapshot in state.groups where groupIndex[snapshot.name] == nil {
            throw .unknownGroup(name: snapshot.name, known: groups.map(\.name))
        }
        for snapshot in state.groups {
            let i = groupIndex[snapshot.name]!
            groups[i].learningRate = snapshot.learningRate
            groups[i].weightDecay = snapshot.weightDecay
        }
        entries = state.parameters
    }
}

/// Validates that no parameter name appears twice across groups (the state is keyed by name).
func checkUniqueParameterNames<Scalar>(_ groups: [ParameterGroup<Scalar>], optimizer: String) {
    var seen = Set<String>()
    for group in groups {
        for entry in group.parameters {
            precondition(
                seen.insert(entry.name).inserted,
                "\(optimizer): parameter '\(entry.name)' appears in more than one group (group '\(group.name)')")
        }
    }
}
