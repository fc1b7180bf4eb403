import Foundation

/// maxP's dynamic phase: measures the alignment `(α, ω, u)` of every parametrized op during training, re-solves the
/// exponent LP for the learning-rate exponents `c`, and writes the per-layer learning rates
/// `lr = η · factor(k) · width^-c` into the optimizer (spec §5.3–§5.5).
///
/// ```swift
/// let p = try Parametrization(model: model, configuration: .init(.mup, optimizer: .adam, lrPrefactor: 0.5))
/// let optimizer = Adam(groups: p.parameterGroups())
/// let controller = try AlignmentController(parametrization: p, options: .init(warmupSteps: 10))
/// try controller.captureInitial(sampleForward: { tape in _ = model(tape.input(sample)) }, optimizer: optimizer)
/// for step in 1...steps {
///     let loss = try trainer.step { tape in lossOf(batch(step), on: tape) }
///     try controller.step(sampleForward: { tape in _ = model(tape.input(sample)) }, optimizer: optimizer, loss: loss)
/// }
/// try controller.save(to: url)            // step counter, c, targets, alignment, EMA state, captures, history
/// ```
///
/// Every ``step(sampleForward:optimizer:loss:)`` (after each optimizer update `k`): counts `k`; at `k > warmupSteps`
/// with `k mod solveInterval == 0` measures every captured op that is not pinned (all of them with `measureOnly`),
/// smooths with `alignmentEMA`, re-solves the LP unless `measureOnly` (an infeasible re-solve keeps the previous `c`
/// and is recorded in ``events``), moves `c` toward the targets with `cEMA`, and writes the rates for update `k + 1`.
/// Embeddings (no data input) and parameter-free ops are never measured. After the schedule's freeze step the rates
/// are frozen and only scaled.
public final class AlignmentController<Scalar: TensorScalar> {
    /// The parametrization whose alignments, `c` and `lrPrefactor` this controller drives.
    public let parametrization: Parametrization<Scalar>
    /// Measurement and smoothing options.
    public let options: AlignmentControllerOptions
    /// The global factor per update and the freeze step.
    public let schedule: PrefactorSchedule
    /// `η` before the schedule's factor: the controller sets `parametrization.lrPrefactor = basePrefactor ·
    /// schedule.factor(at: k + 1)` after step `k` (change it here, not on the parametrization).
    public var basePrefactor: Double
    /// Re-solves the LP after new alignments were set; by default ``Parametrization/resolve()``. Replace it to use
    /// another solver; an error it throws is recorded as ``AlignmentControllerEvent/Kind/resolveFailed``.
    public var solver: (Parametrization<Scalar>) throws -> Void = { try $0.resolve() }

    /// Completed steps (optimizer updates seen).
    public internal(set) var completedSteps = 0
    /// Current learning-rate exponent per weighted op (what the rates use).
    public internal(set) var c: [String: Double]
    /// The LP's latest exponents, which `c` moves toward with `cEMA`.
    public internal(set) var cTargets: [String: Double]
    /// Current (smoothed) alignment per op: measured, or the preset / override until measured.
    public internal(set) var alignments: [String: Alignment]
    /// Every step's per-layer alignment, `c`, learning rate and loss.
    public internal(set) var history = AlignmentHistory()
    /// Failed re-solves and the freezing of the rates.
    public internal(set) var events: [AlignmentControllerEvent] = []
    /// The step at which the rates froze, if they have.
    public internal(set) var frozenSince: Int?
    /// The weighted ops, in model order: the layers of the history.
    public let layerNames: [String]

    var snapshots: [InitialSnapshot<Scalar>] = []
    private var trainingActivations: [String: Tensor<Scalar>] = [:]

    /// Creates a controller for `parametrization`, starting from its current `c`, alignments and `lrPrefactor`
    /// (which becomes ``basePrefactor``).
    public init(
        parametrization: Parametrization<Scalar>, options: AlignmentControllerOptions = .init(),
        schedule: PrefactorSchedule = .constant
    ) throws(AlignmentControllerError) {
        try options.validate()
        self.parametrization = parametrization
        self.options = options
        self.schedule = schedule
        basePrefactor = parametrization.lrPrefactor
        layerNames = parametrization.ops.filter { $0.scaledWeight != nil }.map(\.opName)
        c = parametrization.c
        cTargets = parametrization.c
        alignments = parametrization.alignments
        synchronize(optimizer: nil)
    }

    // MARK: Inspection

    /// Whether ``captureInitial(sampleForward:optimizer:)`` has run.
    public var isCaptured: Bool { !snapshots.isEmpty }

    /// The ops that are measured (weighted, with a data input, reached by the capture forward), in model order.
    public var capturedOps: [String] { snapshots.map(\.name) }

    /// The current learning rate per weighted op (`η · factor · width^-c`, for the next update).
    public var learningRates: [String: Double] {
        Dictionary(uniqueKeysWithValues: layerNames.map { ($0, parametrization.learningRate(for: $0)) })
    }

    /// Writes the current rates into `optimizer`'s groups (by group name; `_other` gets `η · factor`).
    public func applyLearningRates(to optimizer: any Optimizer<Scalar>) {
        parametrization.applyLearningRates(to: optimizer)
    }

    // MARK: Capture

    /// Runs one no-grad forward pass and captures, for every weighted parametrized op with a data input, its input
    /// `z⁰` (first `sampleSize` rows, as `[rows, fanIn]`) and its weight `W⁰` (a copy; with `resampleW0` only
    /// checked to be regenerable from the seed). Writes the rates for the first update into `optimizer`.
    public func captureInitial(
        sampleForward: (Tape<Scalar>) -> Void, optimizer: (any Optimizer<Scalar>)? = nil
    ) throws(AlignmentControllerError) {
        let inputs = forwardInputs(sampleForward)
        var captured: [InitialSnapshot<Scalar>] = []
        for op in parametrization.ops {
            guard let weight = op.scaledWeight, let z0 = inputs[op.opName] else { continue }
            let name = op.opName
            let w0 = weight.value
            guard w0.rank == 2, w0.shape[1] == z0.shape[1] else {
                throw .sampleShapeMismatch(op: name, captured: w0.shape, current: z0.shape)
            }
            if options.resampleW0 {
                guard let regenerated = parametrization.initialWeight(of: name),
                    Self.bitwiseEqual(regenerated, w0)
                else { throw .initialWeightNotRegenerable(op: name) }
            }
            captured.append(
                InitialSnapshot(
                    name: name, width: parametrization.exponents[name]!.width, weight: weight, initialInputs: z0,
                    initialWeight: options.resampleW0 ? nil : w0, initialWeightRMS: AlignmentKernel.rms(w0.scalars)))
        }
        guard !captured.isEmpty else { throw .nothingCaptured }
        snapshots = captured
        trainingActivations = [:]
        synchronize(optimizer: optimizer)
    }

    /// Records, during the training forward pass on `tape`, the inputs of every captured op (first `sampleSize`
    /// rows), for the next measuring step when `useTrainingActivations` is on. Call it before the forward pass.
    public func recordActivations(on tape: Tape<Scalar>) {
        trainingActivations = [:]
        installObserver(on: tape) { [weak self] name, value in self?.trainingActivations[name] = value }
    }

    // MARK: Step

    /// Call after every optimizer update: counts the step, measures and re-solves when due, moves `c`, and writes the
    /// rates for the next update into `optimizer` (when given). `loss` is recorded in the history.
    ///
    /// Throws (with nothing changed) when called before ``captureInitial(sampleForward:optimizer:)``, when a
    /// measuring step lacks its sample forward or training activations, or when the current inputs of an op do not
    /// match the captured ones. An infeasible re-solve is not thrown: it keeps the previous `c` and is recorded.
    @discardableResult
    public func step(
        sampleForward: ((Tape<Scalar>) -> Void)? = nil, optimizer: (any Optimizer<Scalar>)? = nil,
        loss: Double = .nan
    ) throws(AlignmentControllerError) -> AlignmentStepOutcome {
        guard isCaptured else { throw .stepBeforeCapture }
        let k = completedSteps + 1
        let frozen = frozenSince != nil || schedule.isFrozen(atUpdate: k + 1)
        let measuring = !frozen && k > options.warmupSteps && k % options.solveInterval == 0
        var outcome: AlignmentStepOutcome = frozen ? .frozen : (k <= options.warmupSteps ? .warmup : .skipped)
        var newAlignments = alignments
        var newTargets = cTargets
        var newEvents: [AlignmentControllerEvent] = []

        if measuring {
            let current = try currentInputs(sampleForward: sampleForward, step: k)
            var measured: [String: Alignment] = [:]
            let e = options.alignmentEMA
            for snapshot in snapshots where options.measureOnly || !parametrization.pinned.contains(snapshot.name) {
                let fresh = snapshot.measure(
                    currentInputs: current[snapshot.name]!, precision: options.precision,
                    regeneratedWeight: { parametrization.initialWeight(of: snapshot.name)! })
                let previous = newAlignments[snapshot.name] ?? fresh
                measured[snapshot.name] = e > 0
                    ? Alignment(
                        alpha: e * previous.alpha + (1 - e) * fresh.alpha,
                        omega: e * previous.omega + (1 - e) * fresh.omega, u: e * previous.u + (1 - e) * fresh.u)
                    : fresh
            }
            newAlignments.merge(measured) { $1 }
            trainingActivations = [:]
            outcome = .measured
            if !options.measureOnly {
                parametrization.setAlignments(measured)
                do {
                    try solver(parametrization)
                    for name in layerNames { newTargets[name] = parametrization.c[name] ?? newTargets[name] }
                    outcome = .solved
                } catch {
                    let message = "\(error)"
                    newEvents.append(
                        .init(step: k, kind: .resolveFailed, message: "re-solve failed, previous c kept: \(message)"))
                    outcome = .solveFailed(message)
                }
            }
        }

        var newC = c
        if !frozen {
            let e = options.cEMA
            for name in layerNames {
                guard let target = newTargets[name], let value = c[name] else { continue }
                newC[name] = e > 0 ? e * value + (1 - e) * target : target
            }
        } else if frozenSince == nil {
            frozenSince = k
            newEvents.append(
                .init(step: k, kind: .ratesFrozen, message: "per-layer rates frozen from update \(k + 1) on; only the global factor changes"))
        }

        completedSteps = k
        alignments = newAlignments
        cTargets = newTargets
        c = newC
        events += newEvents
        synchronize(optimizer: optimizer)
        for name in layerNames {
            let alignment = alignments[name] ?? Alignment(alpha: .nan, omega: .nan, u: .nan)
            history.records.append(
                .init(
                    step: k, layer: name, alpha: alignment.alpha, omega: alignment.omega, u: alignment.u,
                    c: c[name] ?? .nan, lr: parametrization.learningRate(for: name), loss: loss))
        }
        return outcome
    }

    // MARK: Internals

    /// Sets the parametrization's `c` and prefactor for the next update and copies the rates into `optimizer`.
    func synchronize(optimizer: (any Optimizer<Scalar>)?) {
        parametrization.setLearningRateExponents(c)
        parametrization.lrPrefactor = basePrefactor * schedule.factor(at: completedSteps + 1)
        if let optimizer { parametrization.applyLearningRates(to: optimizer) }
    }

    /// The current inputs of every captured op, validated against the captured shapes.
    private func currentInputs(
        sampleForward: ((Tape<Scalar>) -> Void)?, step: Int
    ) throws(AlignmentControllerError) -> [String: Tensor<Scalar>] {
        let inputs: [String: Tensor<Scalar>]
        if options.useTrainingActivations {
            guard !trainingActivations.isEmpty else { throw .noTrainingActivations(step: step) }
            inputs = trainingActivations
        } else {
            guard let sampleForward else { throw .sampleForwardRequired(step: step) }
            inputs = forwardInputs(sampleForward)
        }
        for snapshot in snapshots where options.measureOnly || !parametrization.pinned.contains(snapshot.name) {
            guard let z = inputs[snapshot.name] else { throw .opNotReached(op: snapshot.name, step: step) }
            guard z.shape == snapshot.initialInputs.shape else {
                throw .sampleShapeMismatch(op: snapshot.name, captured: snapshot.initialInputs.shape, current: z.shape)
            }
        }
        return inputs
    }

    /// Runs `sampleForward` on a no-grad tape and returns the inputs of every weighted parametrized op it reached.
    private func forwardInputs(_ sampleForward: (Tape<Scalar>) -> Void) -> [String: Tensor<Scalar>] {
        let tape = Tape<Scalar>(recordsGradients: false)
        let store = InputStore<Scalar>()
        installObserver(on: tape) { name, value in store.values[name] = value }
        sampleForward(tape)
        return store.values
    }

    /// Adds an observer to `tape` that hands the first data input of every weighted parametrized op (first call of
    /// the op only), flattened to `[rows, fanIn]` and cut to `sampleSize` rows, to `sink`.
    private func installObserver(on tape: Tape<Scalar>, sink: @escaping (String, Tensor<Scalar>) -> Void) {
        let names = Set(layerNames)
        let sampleSize = options.sampleSize
        tape.observers.append { [unowned tape] event in
            guard event.kind == .parametrized, names.contains(event.site), let input = event.inputNodes.first else { return }
            let value = tape.nodes[input].value
            let rows = value.rank <= 1 ? 1 : value.rowCount
            sink(event.site, value.reshaped([rows, value.lastDimension]).leadingRows(sampleSize))
        }
    }

    static func bitwiseEqual(_ a: Tensor<Scalar>, _ b: Tensor<Scalar>) -> Bool {
        guard a.shape == b.shape else { return false }
        return a.scalars.withUnsafeBytes { x in b.scalars.withUnsafeBytes { y in x.elementsEqual(y) } }
    }
}

/// A reference box the capture observer writes into.
private final class InputStore<Scalar: TensorScalar> {
    var values: [String: Tensor<Scalar>] = [:]
}
