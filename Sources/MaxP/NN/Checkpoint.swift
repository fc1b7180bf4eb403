import Foundation
import _MaxPSupport

/// A snapshot of training: every parameter by dotted name, the optimizer state (if any) and the step count.
///
/// Files are JSON whose tensors hold their raw little-endian bits (base64), so restoring is bit-exact. Writing goes
/// to a temporary file in the same folder, then renames it (a crash never leaves a half-written checkpoint).
public struct Checkpoint<Scalar: TensorScalar>: Equatable, Sendable {
    /// Completed training steps when the snapshot was taken.
    public var step: Int
    /// Parameter values by dotted name.
    public var parameters: [String: Tensor<Scalar>]
    /// The optimizer state, if one was saved.
    public var optimizer: OptimizerState<Scalar>?

    /// Creates a checkpoint.
    public init(step: Int, parameters: [String: Tensor<Scalar>], optimizer: OptimizerState<Scalar>? = nil) {
        self.step = step
        self.parameters = parameters
        self.optimizer = optimizer
    }

    /// Snapshots `model` (and `optimizer`).
    public init(model: some Module<Scalar>, optimizer: (any Optimizer<Scalar>)? = nil, step: Int = 0) {
        self.init(step: step, parameters: model.stateDictionary(), optimizer: optimizer?.saveState())
    }

    /// Writes the checkpoint to `url` atomically.
    public func write(to url: URL) throws(CheckpointError) {
        let data: Data
        do {
            data = try JSONFormat.encoder(.compact).encode(CheckpointFile(self))
        } catch {
            throw .unreadable(path: url.path, reason: "encoding failed: \(error)")
        }
        do { try AtomicFile.write(data, to: url) } catch {
            throw .writeFailed(path: url.path, reason: error.reason)
        }
    }

    /// Reads a checkpoint written by ``write(to:)``.
    public static func read(from url: URL) throws(CheckpointError) -> Checkpoint {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw .unreadable(path: url.path, reason: "\(error)")
        }
        let file: CheckpointFile<Scalar>
        do {
            file = try JSONFormat.decoder().decode(CheckpointFile<Scalar>.self, from: data)
        } catch {
            throw .unreadable(path: url.path, reason: "not a checkpoint: \(error)")
        }
        return try file.checkpoint
    }

    /// Loads the parameters into `model` and the optimizer state into `optimizer`; nothing changes on error.
    /// Returns the saved step count.
    @discardableResult
    public func restore(into model: some Module<Scalar>, optimizer: (any Optimizer<Scalar>)? = nil) throws(CheckpointError) -> Int {
        var previous: OptimizerState<Scalar>?
        if let optimizer {
            guard let saved = self.optimizer else { throw .missingOptimizerState }
            previous = optimizer.saveState()
            do { try optimizer.loadState(saved) } catch { throw .optimizer(error) }
        }
        do {
            try model.load(parameters)
        } catch {
            if let optimizer, let previous { try? optimizer.loadState(previous) }
            throw .model(error)
        }
        return step
    }
}

/// Errors reading, writing or restoring a ``Checkpoint``.
public enum CheckpointError: Error, CustomStringConvertible {
    /// The file could not be written or renamed into place.
    case writeFailed(path: String, reason: String)
    /// The file could not be read or is not a checkpoint.
    case unreadable(path: String, reason: String)
    /// The file holds tensors of another scalar type.
    case scalarTypeMismatch(expected: String, found: String)
    /// A tensor's bytes do not match its shape.
    case corruptTensor(name: String, shape: [Int], byteCount: Int)
    /// An optimizer was given but the checkpoint has no optimizer state.
    case missingOptimizerState
    /// The parameters do not fit the model (names or shapes).
    case model(ModuleError)
    /// The optimizer state does not fit the optimizer.
    case optimizer(OptimizerError)

    public var description: String {
        switch self {
        case .writeFailed(let path, let reason): return "could not write checkpoint '\(path)': \(reason)"
        case .unreadable(let path, let reason): return "could not read checkpoint '\(path)': \(reason)"
        case .scalarTypeMismatch(let expected, let found):
            return "checkpoint holds \(found) tensors but the model uses \(expected)"
        case .corruptTensor(let name, let shape, let byteCount):
            return "checkpoint tensor '\(name)' of shape \(shape) has \(byteCount) bytes, which does not fit the shape"
        case .missingOptimizerState: return "the checkpoint has no optimizer state, but an optimizer was given to restore"
        case .model(let error): return "checkpoint does not fit the model: \(error)"
        case .optimizer(let error): return "checkpoint does not fit the optimizer: \(error)"
        }
    }
}

// MARK: - File format

/// A tensor as its shape and raw little-endian bits.
private struct PackedTensor: Codable {
    var shape: [Int]
    var bits: Data

    init<Scalar: TensorScalar>(_ tensor: Tensor<Scalar>) {
        shape = tensor.shape
        bits = tensor.scalars.withUnsafeBytes { Data($0) }
    }

    func tensor<Scalar: TensorScalar>(name: String, as _: Scalar.Type) throws(CheckpointError) -> Tensor<Scalar> {
        let count = shape.reduce(1, *)
        guard shape.allSatisfy({ $0 >= 0 }), bits.count == count * MemoryLayout<Scalar>.stride else {
            throw .corruptTensor(name: name, shape: shape, byteCount: bits.count)
        }
        let scalars = [Scalar](unsafeUninitializedCapacity: count) { buffer, initialized in
            _ = bits.copyBytes(to: buffer)
            initialized = count
        }
        return Tensor(shape: shape, scalars: scalars)
    }
}

private func scalarTypeName<Scalar: TensorScalar>(_: Scalar.Type) -> String {
    Scalar.self == Float.self ? "float32" : Scalar.self == Double.self ? "float64" : "\(Scalar.self)"
}

private struct CheckpointFile<Scalar: TensorScalar>: Codable {
    struct PackedParameterState: Codable {
        var step: Int
        var buffers: [String: PackedTensor]
    }
    struct PackedOptimizer: Codable {
        var algorithm: String
        var groups: [OptimizerState<Scalar>.GroupSnapshot]
        var parameters: [String: PackedParameterState]
    }

    var format = "maxp-checkpoint-1"
    var scalarType: String
    var step: Int
    var parameters: [String: PackedTensor]
    var optimizer: PackedOptimizer?

    init(_ checkpoint: Checkpoint<Scalar>) {
        scalarType = scalarTypeName(Scalar.self)
        step = checkpoint.step
        parameters = checkpoint.parameters.mapValues(PackedTensor.init)
        optimizer = checkpoint.optimizer.map { state in
            PackedOptimizer(
                algorithm: state.algorithm, groups: state.groups,
                parameters: state.parameters.mapValues {
                    PackedParameterState(step: $0.step, buffers: $0.buffers.mapValues(PackedTensor.init))
                })
        }
    }

    var checkpoint: Checkpoint<Scalar> {
        get throws(CheckpointError) {
            guard scalarType == scalarTypeName(Scalar.self) else {
                throw .scalarTypeMismatch(expected: scalarTypeName(Scalar.self), found: scalarType)
            }
            var values: [String: Tensor<Scalar>] = [:]
            for (name, packed) in parameters { values[name] = try packed.tensor(name: name, as: Scalar.self) }
            var state: OptimizerState<Scalar>?
            if let optimizer {
                var entries: [String: ParameterState<Scalar>] = [:]
                for (name, packed) in optimizer.parameters {
                    var buffers: [String: Tensor<Scalar>] = [:]
                    for (buffer, tensor) in packed.buffers {
                        buffers[buffer] = try tensor.tensor(name: "\(name).\(buffer)", as: Scalar.self)
                    }
                    entries[name] = ParameterState(step: packed.step, buffers: buffers)
                }
                state = OptimizerState(algorithm: optimizer.algorithm, groups: optimizer.groups, parameters: entries)
            }
            return Checkpoint(step: step, parameters: values, optimizer: state)
        }
    }
}
