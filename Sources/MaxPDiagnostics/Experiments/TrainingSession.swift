import Foundation
import MaxP

/// One training run of a ``RunConfiguration``: the built-in model on its task (or the configured data file), the
/// dynamic alignment controller and its schedule, trained step by step — from the start, or from a saved run's
/// checkpoint (``restore(checkpoint:controllerState:)``), continuing bit-identically: batches depend only on the
/// step number, and the model, optimizer and controller state are restored bit for bit.
///
/// A loss that becomes NaN/infinite or grows past ``divergenceFactor`` × the first step's loss ends the run as
/// diverged; the diverged step is recorded with `loss = nan`.
public final class TrainingSession {
    /// The configuration.
    public let configuration: RunConfiguration
    /// The model.
    public let model: BuiltModel
    /// The controller (history, `c`, learning rates).
    public let controller: AlignmentController<Float>
    private let plan: SweepPlan
    private let sample: TaskBatch

    /// How a run ended.
    public enum Outcome: Sendable, Equatable {
        /// All configured steps ran.
        case completed
        /// The loss diverged at `step` (its value `loss`).
        case diverged(step: Int, loss: Double)
        /// The controller failed at `step` (a measurement that could not run).
        case failed(step: Int, message: String)
    }

    /// A loss this many times the first step's loss (and above it by more than 1 nat) is divergence, like NaN:
    /// Adam at lr 10^6 takes the loss from about 1.4 to 10^22 without ever producing a NaN.
    public static let divergenceFactor = 1e4

    /// Whether `loss` at a later step means the run diverged (NaN/Inf, or ``divergenceFactor`` × `first`).
    public static func diverged(_ loss: Double, first: Double?) -> Bool {
        guard loss.isFinite else { return true }
        guard let first, first.isFinite else { return false }
        return loss > divergenceFactor * abs(first) + 1
    }

    /// Builds the model (batch 0 is the controller's measurement sample) and the controller; `dataset` is the
    /// configuration's data file, read by ``RunConfiguration/resolve(document:labels:)``.
    public init(_ configuration: RunConfiguration, dataset: CSVDataset? = nil) throws(TrainingSessionError) {
        self.configuration = configuration
        do { try configuration.validateModel() } catch { throw .model(error) }
        let data: DataSource = dataset.map { .csv($0) } ?? .synthetic(seed: UInt64(configuration.seed))
        plan = SweepPlan(model: configuration.modelOptions, values: [], data: data)
        sample = plan.batch(seed: 0)
        do {
            model = try ModelBuilder.build(options: configuration.modelOptions, training: configuration.trainingOptions, axis: .width,
                                           axisValue: configuration.model.width, seed: configuration.seed, batch: sample,
                                           trainable: true)
        } catch { throw .model(error) }
        let schedule: PrefactorSchedule
        do { schedule = try configuration.schedule.prefactorSchedule() } catch {
            throw .controller("schedule: \(error)")
        }
        do {
            controller = try AlignmentController(parametrization: model.parametrization, options: configuration.controllerOptions,
                                                 schedule: schedule)
        } catch { throw .controller("\(error)") }
    }

    /// The forward pass on the measurement sample.
    private var sampleForward: (Tape<Float>) -> Void {
        { [model, sample] tape in
            model.use(sample)
            model.sampleForward(tape)
        }
    }

    /// Captures the initial state for a run from step 0.
    public func start() throws(TrainingSessionError) {
        do { try controller.captureInitial(sampleForward: sampleForward, optimizer: model.optimizer) } catch {
            throw .controller("\(error)")
        }
    }

    /// Restores a saved run: the model's parameters and optimizer state from `checkpoint`, then the controller.
    /// Nothing is trained; ``completedSteps`` becomes the saved step count.
    public func restore(checkpoint: Checkpoint<Float>, controllerState: AlignmentControllerState) throws(TrainingSessionError) {
        guard checkpoint.step == controllerState.completedSteps else {
            throw .resume("the checkpoint is at step \(checkpoint.step) but the controller state at step \(controllerState.completedSteps)")
        }
        do { try checkpoint.restore(into: model.module, optimizer: model.optimizer) } catch { throw .resume(error.description) }
        do { try controller.restore(controllerState, optimizer: model.optimizer) } catch { throw .resume("\(error)") }
    }

    /// Completed steps.
    public var completedSteps: Int { controller.completedSteps }

    /// The loss of each completed step, in order (from the controller's history, so a restored run has them too).
    public var losses: [Double] { MetricsTable(history: controller.history).losses }

    /// Trains from ``completedSteps`` + 1 to the configured steps; `progress(step, loss)` after every step.
    public func train(progress: ((Int, Double) -> Void)? = nil) -> Outcome {
        var firstLoss = losses.first
        guard completedSteps < configuration.steps else { return .completed }
        for k in (completedSteps + 1)...configuration.steps {
            let loss = model.trainingStep(on: plan.batch(seed: k))
            if Self.diverged(loss, first: firstLoss) {
                recordDiverged(step: k)
                return .diverged(step: k, loss: loss)
            }
            firstLoss = firstLoss ?? loss
            do { try controller.step(sampleForward: sampleForward, optimizer: model.optimizer, loss: loss) } catch {
                return .failed(step: k, message: "\(error)")
            }
            progress?(k, loss)
        }
        return .completed
    }

    /// The history to write: the controller's, plus the diverged step's rows (`loss = nan`) once diverged.
    public var history: AlignmentHistory {
        var history = controller.history
        history.records += divergedRecords
        return history
    }

    /// The rows of the diverged step (empty unless the run diverged).
    private var divergedRecords: [AlignmentHistory.Record] = []

    private func recordDiverged(step: Int) {
        divergedRecords = controller.layerNames.map { name in
            let a = controller.alignments[name] ?? Alignment(alpha: .nan, omega: .nan, u: .nan)
            return .init(step: step, layer: name, alpha: a.alpha, omega: a.omega, u: a.u, c: controller.c[name] ?? .nan,
                         lr: controller.learningRates[name] ?? .nan, loss: .nan)
        }
    }

    /// The model's parameters and optimizer state now (what `--resume` restores).
    public var checkpoint: Checkpoint<Float> {
        Checkpoint(model: model.module, optimizer: model.optimizer, step: completedSteps)
    }
}

/// Why a training run could not be built or resumed.
public enum TrainingSessionError: Error, CustomStringConvertible {
    /// The engine refused the model (sizes, memory, optimizer).
    case model(ModelBuildError)
    /// The controller or its schedule could not be set up.
    case controller(String)
    /// A saved run could not be restored.
    case resume(String)

    /// A message a user can act on.
    public var description: String {
        switch self {
        case let .model(error): error.description
        case let .controller(message): message
        case let .resume(message): "cannot resume: \(message)"
        }
    }
}
