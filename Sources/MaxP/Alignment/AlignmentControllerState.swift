import Foundation
import _MaxPSupport

/// The whole state of an ``AlignmentController`` as a file: step counter, `c`, `c` targets, alignment (EMA state),
/// the parametrization's alignments, schedule position and freeze, captured `z⁰` and `W⁰` (or, with `resampleW0`,
/// only the seed), history and events — plus a signature of the model so a state is never restored into another.
///
/// Tensors are stored as their raw little-endian bits (base64) and numbers in shortest round-trip form, so a
/// restored run continues with bit-identical learning rates.
public struct AlignmentControllerState: Codable, Equatable, Sendable {
    /// One weighted op of the model the state was saved from.
    public struct OpSignature: Codable, Equatable, Sendable {
        /// Op name.
        public var name: String
        /// Width `n`.
        public var width: Int
        /// Shape of its weight.
        public var weightShape: [Int]
    }

    /// The captured initial state of one op.
    public struct SnapshotState: Codable, Equatable, Sendable {
        /// Op name.
        public var name: String
        /// `z⁰`, `[rows, fanIn]`.
        public var initialInputs: RawTensor
        /// `W⁰`, absent with `resampleW0`.
        public var initialWeight: RawTensor?
        /// `rms(W⁰)`.
        public var initialWeightRMS: Double
    }

    /// File format tag.
    public var format = "maxp-alignment-controller-1"
    /// `float32` or `float64`.
    public var scalarType: String
    /// The model's weighted ops, in order.
    public var ops: [OpSignature]
    /// The options the run used.
    public var options: AlignmentControllerOptions
    /// The schedule's summary (the schedule itself is code; it must match on restore).
    public var scheduleSummary: String
    /// The parametrization's initialization seed (regenerates `W⁰` with `resampleW0`).
    public var initializationSeed: UInt64
    /// `η` before the schedule.
    public var basePrefactor: Double
    /// Completed steps (the schedule position).
    public var completedSteps: Int
    /// Current `c`.
    public var c: [String: Double]
    /// LP targets for `c`.
    public var cTargets: [String: Double]
    /// The controller's (smoothed) alignments.
    public var alignments: [String: Alignment]
    /// The alignments the parametrization's LP uses.
    public var parametrizationAlignments: [String: Alignment]
    /// The step the rates froze at.
    public var frozenSince: Int?
    /// Captured initial inputs and weights.
    public var snapshots: [SnapshotState]
    /// Per-step history.
    public var history: AlignmentHistory
    /// Events so far.
    public var events: [AlignmentControllerEvent]

    /// Writes the state as JSON to `url` atomically (temporary file in the same folder, then rename).
    public func write(to url: URL) throws(AlignmentControllerError) {
        let data: Data
        do {
            data = try JSONFormat.encoder(.compact).encode(self)
        } catch {
            throw .stateFile(path: url.path, reason: "encoding failed: \(error)")
        }
        do { try AtomicFile.write(data, to: url) } catch {
            throw .stateFile(path: url.path, reason: error.reason)
        }
    }

    /// Reads a state written by ``write(to:)``.
    public static func read(from url: URL) throws(AlignmentControllerError) -> AlignmentControllerState {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw .stateFile(path: url.path, reason: "cannot read: \(error.localizedDescription)")
        }
        do {
            return try JSONFormat.decoder().decode(AlignmentControllerState.self, from: data)
        } catch {
            throw .stateFile(path: url.path, reason: "not an alignment controller state: \(error)")
        }
    }

}

/// A tensor as its shape and raw little-endian bits (base64 in JSON), so saving and loading is bit-exact.
public struct RawTensor: Codable, Equatable, Sendable {
    /// The shape.
    public var shape: [Int]
    /// The scalars' bytes.
    public var bits: Data

    /// Packs a tensor.
    public init<Scalar: TensorScalar>(_ tensor: Tensor<Scalar>) {
        shape = tensor.shape
        bits = tensor.scalars.withUnsafeBytes { Data($0) }
    }

    /// Unpacks as `Scalar`, or `nil` if the bytes do not fit the shape.
    public func tensor<Scalar: TensorScalar>(as _: Scalar.Type = Scalar.self) -> Tensor<Scalar>? {
        let count = shape.reduce(1, *)
        guard shape.allSatisfy({ $0 >= 0 }), bits.count == count * MemoryLayout<Scalar>.stride else { return nil }
        let scalars = [Scalar](unsafeUninitializedCapacity: count) { buffer, initialized in
            _ = bits.copyBytes(to: buffer)
            initialized = count
        }
        return Tensor(shape: shape, scalars: scalars)
    }
}

extension AlignmentController {
    /// The controller's whole state, for a checkpoint.
    public var state: AlignmentControllerState {
        AlignmentControllerState(
            scalarType: Self.scalarTypeName, ops: signature, options: options, scheduleSummary: schedule.summary,
            initializationSeed: parametrization.configuration.initializationSeed, basePrefactor: basePrefactor,
            completedSteps: completedSteps, c: c, cTargets: cTargets, alignments: alignments,
            parametrizationAlignments: parametrization.alignments, frozenSince: frozenSince,
            snapshots: snapshots.map {
                .init(
                    name: $0.name, initialInputs: RawTensor($0.initialInputs),
                    initialWeight: $0.initialWeight.map(RawTensor.init), initialWeightRMS: $0.initialWeightRMS)
            },
            history: history, events: events)
    }

    /// Writes ``state`` to `url` atomically.
    public func save(to url: URL) throws(AlignmentControllerError) {
        try state.write(to: url)
    }

    /// Restores a state saved from a controller of the same model, options and schedule; then the rates for the next
    /// update are set (and written into `optimizer` if given). Nothing changes on error.
    public func restore(from url: URL, optimizer: (any Optimizer<Scalar>)? = nil) throws(AlignmentControllerError) {
        try restore(AlignmentControllerState.read(from: url), optimizer: optimizer)
    }

    /// Restores `saved` (see ``restore(from:optimizer:)``).
    public func restore(_ saved: AlignmentControllerState, optimizer: (any Optimizer<Scalar>)? = nil) throws(AlignmentControllerError) {
        guard saved.scalarType == Self.scalarTypeName else {
            throw .stateMismatch("it holds \(saved.scalarType) tensors but the model uses \(Self.scalarTypeName)")
        }
        let current = signature
        for (index, op) in current.enumerated() {
            guard index < saved.ops.count else {
                throw .stateMismatch("op '\(op.name)' of this model is not in the saved state (it has \(saved.ops.count) weighted ops, the model \(current.count))")
            }
            let other = saved.ops[index]
            guard other == op else {
                throw .stateMismatch(
                    "weighted op \(index + 1) is '\(other.name)' (width \(other.width), weight \(other.weightShape)) in the "
                        + "saved state but '\(op.name)' (width \(op.width), weight \(op.weightShape)) in this model")
            }
        }
        guard saved.ops.count == current.count else {
            throw .stateMismatch("the saved state has \(saved.ops.count) weighted ops, this model \(current.count)")
        }
        guard saved.options == options else {
            throw .stateMismatch("it was saved with options \(saved.options), this controller has \(options)")
        }
        guard saved.scheduleSummary == schedule.summary else {
            throw .stateMismatch("it was saved with schedule '\(saved.scheduleSummary)', this controller has '\(schedule.summary)'")
        }
        if options.resampleW0 && saved.initializationSeed != parametrization.configuration.initializationSeed {
            throw .stateMismatch(
                "W⁰ is regenerated from seed \(saved.initializationSeed), but the parametrization's seed is \(parametrization.configuration.initializationSeed)")
        }
        let names = Set(layerNames)
        for (label, dictionary) in [("c", saved.c), ("c targets", saved.cTargets)] {
            guard Set(dictionary.keys) == Set(c.keys) else {
                throw .stateMismatch("its \(label) are for ops \(dictionary.keys.sorted()), this model's are \(c.keys.sorted())")
            }
        }
        let weights = Dictionary(uniqueKeysWithValues: parametrization.ops.compactMap { op in
            op.scaledWeight.map { (op.opName, $0) }
        })
        var restored: [InitialSnapshot<Scalar>] = []
        for snapshot in saved.snapshots {
            guard names.contains(snapshot.name), let weight = weights[snapshot.name] else {
                throw .stateMismatch("captured op '\(snapshot.name)' is not a weighted op of this model")
            }
            guard let z0: Tensor<Scalar> = snapshot.initialInputs.tensor(), z0.rank == 2,
                z0.shape[1] == weight.shape[1]
            else {
                throw .stateMismatch("captured inputs of '\(snapshot.name)' (shape \(snapshot.initialInputs.shape)) do not fit its weight \(weight.shape)")
            }
            var w0: Tensor<Scalar>?
            if let packed = snapshot.initialWeight {
                guard let tensor: Tensor<Scalar> = packed.tensor(), tensor.shape == weight.shape else {
                    throw .stateMismatch("captured initial weight of '\(snapshot.name)' (shape \(packed.shape)) does not fit its weight \(weight.shape)")
                }
                w0 = tensor
            } else if !options.resampleW0 {
                throw .stateMismatch("captured op '\(snapshot.name)' has no initial weight and resampleW0 is off")
            }
            restored.append(
                InitialSnapshot(
                    name: snapshot.name, width: parametrization.exponents[snapshot.name]!.width, weight: weight,
                    initialInputs: z0, initialWeight: w0, initialWeightRMS: snapshot.initialWeightRMS))
        }
        guard !restored.isEmpty else { throw .stateMismatch("it holds no captured op (was it saved before captureInitial?)") }

        snapshots = restored
        basePrefactor = saved.basePrefactor
        completedSteps = saved.completedSteps
        c = saved.c
        cTargets = saved.cTargets
        alignments = saved.alignments
        frozenSince = saved.frozenSince
        history = saved.history
        events = saved.events
        parametrization.setAlignments(saved.parametrizationAlignments)
        synchronize(optimizer: optimizer)
    }

    var signature: [AlignmentControllerState.OpSignature] {
        parametrization.ops.compactMap { op in
            op.scaledWeight.map {
                .init(name: op.opName, width: parametrization.exponents[op.opName]!.width, weightShape: $0.shape)
            }
        }
    }

    static var scalarTypeName: String {
        Scalar.self == Float.self ? "float32" : Scalar.self == Double.self ? "float64" : "\(Scalar.self)"
    }
}
