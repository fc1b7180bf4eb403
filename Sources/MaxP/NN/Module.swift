/// A layer or model: something with named parameters and named submodules.
///
/// Names are stable dotted paths (`blocks.0.attn.q.weight`) built from the local names each module reports, so
/// later layers (parametrization, optimizers, checkpoints, diagnostics) can find, re-initialize and group them.
/// Forward passes are ordinary methods on the concrete types (`callAsFunction`); they are not part of this protocol
/// because layers take different inputs (token ids, activations, pairs of activations).
public protocol Module<Scalar>: AnyObject {
    /// The scalar type of the parameters.
    associatedtype Scalar: TensorScalar
    /// This module's dotted path inside the model it belongs to (`""` for the root); set by ``assignPaths(prefix:)``.
    var path: String { get set }
    /// Parameters owned directly by this module, with local names (`weight`, `bias`).
    var localParameters: [(name: String, parameter: Parameter<Scalar>)] { get }
    /// Direct submodules with local names (`q`, `mlp`, `0`).
    var submodules: [(name: String, module: any Module<Scalar>)] { get }
}

/// Errors about looking up or loading parameters by name.
public enum ModuleError: Error, Equatable, CustomStringConvertible {
    /// No parameter has this dotted name.
    case unknownParameter(name: String, known: [String])
    /// A loaded tensor has the wrong shape.
    case shapeMismatch(name: String, expected: [Int], found: [Int])
    /// A state to load lacks a parameter the model has.
    case missingParameter(name: String)

    public var description: String {
        switch self {
        case .unknownParameter(let name, let known):
            return "unknown parameter '\(name)'; the model has: \(known.prefix(12).joined(separator: ", "))\(known.count > 12 ? ", …" : "")"
        case .shapeMismatch(let name, let expected, let found):
            return "parameter '\(name)' has shape \(expected), but the saved tensor has shape \(found)"
        case .missingParameter(let name):
            return "the saved state has no tensor for parameter '\(name)'"
        }
    }
}

extension Module {
    /// No parameters by default.
    public var localParameters: [(name: String, parameter: Parameter<Scalar>)] { [] }
    /// No submodules by default.
    public var submodules: [(name: String, module: any Module<Scalar>)] { [] }

    /// Every parameter of this module and its submodules, with dotted names, in registration order (pre-order).
    public func namedParameters() -> [(name: String, parameter: Parameter<Scalar>)] {
        var result = localParameters.map { (name: $0.name, parameter: $0.parameter) }
        for (childName, child) in submodules {
            for (name, parameter) in child.namedParameters() {
                result.append((name: "\(childName).\(name)", parameter: parameter))
            }
        }
        return result
    }

    /// This module and every descendant with dotted names, in pre-order (`""` for `self`).
    public func namedModules() -> [(name: String, module: any Module<Scalar>)] {
        var result: [(name: String, module: any Module<Scalar>)] = [(name: "", module: self)]
        for (childName, child) in submodules {
            for (name, module) in child.namedModules() {
                result.append((name: name.isEmpty ? childName : "\(childName).\(name)", module: module))
            }
        }
        return result
    }

    /// Sets ``path`` on this module and every descendant from their local names.
    public func assignPaths(prefix: String = "") {
        path = prefix
        for (childName, child) in submodules {
            child.assignPaths(prefix: prefix.isEmpty ? childName : "\(prefix).\(childName)")
        }
    }

    /// The parameter with this dotted name.
    public func parameter(named name: String) throws(ModuleError) -> Parameter<Scalar> {
        let all = namedParameters()
        guard let found = all.first(where: { $0.name == name }) else {
            throw .unknownParameter(name: name, known: all.map(\.name))
        }
        return found.parameter
    }

    /// Forgets every parameter's accumulated gradient.
    public func zeroGradients() {
        for (_, p) in namedParameters() { p.zeroGradient() }
    }

    /// Total number of scalars in all parameters.
    public var parameterCount: Int { namedParameters().reduce(0) { $0 + $1.parameter.value.count } }

    /// A copy of every parameter value by dotted name.
    public func stateDictionary() -> [String: Tensor<Scalar>] {
        Dictionary(uniqueKeysWithValues: namedParameters().map { ($0.name, $0.parameter.value) })
    }

    /// Replaces every parameter value from a state made by ``stateDictionary()``; nothing changes on error.
    public func load(_ state: [String: Tensor<Scalar>]) throws(ModuleError) {
        let all = namedParameters()
        for (name, parameter) in all {
            guard let tensor = state[name] else { throw .missingParameter(name: name) }
            guard tensor.shape == parameter.shape else {
                throw .shapeMismatch(name: name, expected: parameter.shape, found: tensor.shape)
            }
        }
        if let extra = state.keys.sorted().first(where: { key in !all.contains { $0.name == key } }) {
            throw .unknownParameter(name: extra, known: all.map(\.name))
        }
        for (name, parameter) in all { parameter.value = state[name]! }
    }
}
