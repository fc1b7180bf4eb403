import Foundation
import MaxP

/// Where a sweep's batches come from.
public enum DataSource: Sendable, Equatable {
    /// Built-in synthetic data generated from `seed`: teacher–student classification (MLP) or a random Markov source
    /// (GPT).
    case synthetic(seed: UInt64)
    /// User data for the MLP (features + label).
    case csv(CSVDataset)
}

/// One unit of work: the model at one swept value with one seed.
public struct SweepJob: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The swept value.
    public var axisValue: Int
    /// The seed.
    public var seed: Int
    /// `width=… seed=…`-style label.
    public var description: String { "value \(axisValue), seed \(seed)" }
}

/// Which part of a sweep's job list to run: jobs are numbered in canonical order (axis value, then seed) and job `j`
/// belongs to part `j mod count` (0-based `index`). The parts' tables merge with ``CoordTable/merged(_:)``.
public struct SweepShard: Sendable, Equatable, Codable, CustomStringConvertible {
    /// 0-based part number, `0 ≤ index < count`.
    public var index: Int
    /// Number of parts.
    public var count: Int

    /// Creates a shard; throws unless `0 ≤ index < count`.
    public init(index: Int, count: Int) throws(ModelBuildError) {
        guard count >= 1, (0..<count).contains(index) else {
            throw .invalid(setting: .shard, reason: "\(index)/\(count) is not i/N with 0 ≤ i < N")
        }
        self.index = index
        self.count = count
    }

    /// Whether job number `job` belongs to this part.
    public func contains(job: Int) -> Bool { job % count == index }

    /// `i/N`.
    public var description: String { "\(index)/\(count)" }
}

/// A coordinate-check sweep: which model family at which swept values, seeds, steps, optimizer and learning rate,
/// on which data — everything needed to run it reproducibly.
///
/// Convention (as `mup` / maxP): one fixed batch per seed; t = 0 is measured at initialization, then T optimizer
/// steps on that batch, each followed by a measurement forward, so rows exist for t = 0…T. The forward pass of
/// training step t+1 is exactly the measurement at t (same weights, same batch), so it is recorded there; only the
/// last measurement needs an extra forward.
public struct SweepPlan: Sendable, Equatable {
    /// The model family and its fixed sizes.
    public var model: ModelOptions
    /// Declared parametrization, optimizer, learning-rate prefactor.
    public var training: TrainingOptions
    /// The swept axis.
    public var axis: SweepAxis
    /// The swept values, strictly increasing.
    public var values: [Int]
    /// The seeds.
    public var seeds: [Int]
    /// Optimizer steps T.
    public var steps: Int
    /// The faults planted in every model, in order (the declared parametrization stays correct).
    public var faults: [Fault]
    /// Deviations planted in every model after the faults (``PlantedDeviations``: the actual model differs from the
    /// declaration).
    public var plants: [OpAssignment]
    /// The first planted fault; setting it replaces all of them.
    public var fault: Fault? {
        get { faults.first }
        set { faults = newValue.map { [$0] } ?? [] }
    }
    /// Corrections applied to every model (``AutoFix``).
    public var corrections: ExponentCorrections
    /// Where batches come from.
    public var data: DataSource
    /// Run only part of the jobs.
    public var shard: SweepShard?
    /// Also record each op's gradient size (``CoordCheck/recordsGradients``).
    public var recordsGradients = false

    /// Creates a plan; seeds default to `0..<3`.
    public init(model: ModelOptions = ModelOptions(), training: TrainingOptions = TrainingOptions(),
                axis: SweepAxis = .width, values: [Int], seeds: [Int] = [0, 1, 2], steps: Int = 3,
                fault: Fault? = nil, faults: [Fault] = [], plants: [OpAssignment] = [],
                corrections: ExponentCorrections = ExponentCorrections(),
                data: DataSource = .synthetic(seed: 0), shard: SweepShard? = nil) {
        self.model = model
        self.training = training
        self.axis = axis
        self.values = values
        self.seeds = seeds
        self.steps = steps
        self.faults = (fault.map { [$0] } ?? []) + faults
        self.plants = plants
        self.corrections = corrections
        self.data = data
        self.shard = shard
    }

    /// Every job in canonical order (axis value, then seed).
    public var allJobs: [SweepJob] { values.flatMap { value in seeds.map { SweepJob(axisValue: value, seed: $0) } } }

    /// The jobs of this plan's shard (all jobs without a shard).
    public var jobs: [SweepJob] {
        guard let shard else { return allJobs }
        return allJobs.enumerated().filter { shard.contains(job: $0.offset) }.map(\.element)
    }

    /// Theory mode: the µP target for plain SP (no declared width scaling), the declared exponents otherwise.
    public var theoryMode: TheoryMode { training.parametrization == .sp ? .muPTarget : .declared }

    /// A one-line description of the model and of how it is declared and trained beyond the parametrization's name
    /// (declared overrides, a fixed init std, weight decay, gradient clipping), so runs that differ there are not
    /// compared as the same model.
    public var modelDescription: String { model.description(axis: axis) + training.ablationDescription }

    /// The markers of what the actual model does differently from its declaration (` [injected fault: …]`,
    /// ` [planted: …]`): the same model with a bug, which a gate compares with the correct one.
    public var markers: String {
        (faults.isEmpty ? "" : " [injected fault: \(faults.map(\.rawValue).joined(separator: ", "))]")
            + (plants.isEmpty ? "" : " [planted: \(plants.map(\.description).joined(separator: ", "))]")
    }

    /// Checks the plan: at least 3 strictly increasing positive values, seeds, steps ≥ 0, sizes, lr > 0, data, and
    /// that the models fit in the available memory (``MemoryEstimate``, checked before anything is allocated).
    public func validate() throws(ModelBuildError) {
        try model.validate(axis: axis, values: values, training: training)  // sizes first: the description needs them
        try coordCheck.validate()
        try memoryEstimate.check()
        if !faults.isEmpty || !plants.isEmpty || !training.overrides.isEmpty {
            // Unmatched patterns, inapplicable faults and impossible declared exponents fail every job alike: find
            // them on the smallest model before any job runs.
            _ = try ModelBuilder.build(options: model, training: training, axis: axis, axisValue: values[0],
                                       seed: seeds.first ?? 0, faults: faults, plants: plants, trainable: false)
        }
        if case let .csv(dataset) = data {
            try model.validateUserData()
            guard dataset.featureCount == model.inputDimension else {
                throw .data(setting: .inputDimension, reason: "the CSV has \(dataset.featureCount) feature columns but the input dimension is \(model.inputDimension)")
            }
            guard dataset.classes <= model.outputDimension else {
                throw .data(setting: .outputDimension, reason: "the CSV has labels up to \(dataset.classes - 1) but the output dimension is \(model.outputDimension)")
            }
        }
    }

    /// The plan as a public ``CoordCheck`` (the one runner): the built-in network of every job on the batch of
    /// its seed, the family's job costs, a planted fault.
    public var coordCheck: CoordCheck {
        let plan = self
        let batches = LockedBox<[Int: TaskBatch]>([:])
        var check = CoordCheck(widths: values, seeds: seeds, steps: steps, training: training,
                               description: modelDescription + markers,
                               shard: shard) { _, _ in preconditionFailure("built-in plans build through ModelBuilder") }
        check.corrections = corrections
        check.recordsGradients = recordsGradients
        check.axis = axis
        let fixedWidth = model.width
        check.modelWidth = { [axis] value in axis == .width ? value : fixedWidth }
        check.cost = { value in SweepPlan.cost(value, plan) }
        check.build = { check, job throws(ModelBuildError) in
            let batch = batches.withLock { cache in
                if let batch = cache[job.seed] { return batch }
                let batch = plan.batch(seed: job.seed)
                cache[job.seed] = batch
                return batch
            }
            return try ModelBuilder.build(options: plan.model, training: check.training, axis: plan.axis,
                                          axisValue: job.axisValue, seed: job.seed, batch: batch, faults: plan.faults,
                                          plants: plan.plants, corrections: check.corrections)
        }
        return check
    }

    /// The memory the plan's jobs need, with as many models at once as the engine runs in parallel.
    public var memoryEstimate: MemoryEstimate {
        var sized = model
        if case let .csv(dataset) = data {  // the sizes the data file fixes
            sized.inputDimension = dataset.featureCount
            sized.outputDimension = max(sized.outputDimension, dataset.classes)
        }
        return MemoryEstimate.run(sized, axis: axis, values: values,
                                  jobsInFlight: MemoryEstimate.jobsInFlight(jobs: jobs.count))
    }

    /// Relative cost of a job (multiply-adds of one forward, roughly).
    static func cost(_ value: Int, _ plan: SweepPlan) -> Double {
        let value = Double(value)
        switch (plan.model.family, plan.axis) {
        case (.mlp, .width):
            return value * Double(plan.model.inputDimension + plan.model.outputDimension) + Double(max(plan.model.depth - 1, 0)) * value * value
        case (.gpt, .width): return value * value
        default: return value
        }
    }

    /// The fixed batch of run `seed` (the same at every axis value, so widths see the same data).
    public func batch(seed: Int) -> TaskBatch {
        switch (data, model.family) {
        case let (.synthetic(dataSeed), .mlp):
            TeacherStudentTask(inputDimension: model.inputDimension, classes: model.outputDimension, seed: dataSeed)
                .batch(size: model.batch, index: seed)
        case let (.synthetic(dataSeed), .gpt):
            MarkovTask(vocabulary: model.vocabulary, seed: dataSeed)
                .batch(size: model.batch, sequenceLength: model.sequenceLength, index: seed)
        case let (.csv(dataset), _):
            dataset.batch(size: model.batch, seed: 0, index: seed)
        }
    }

    /// Builds the model of `job` on `batch` (default: the batch of its seed).
    public func buildModel(for job: SweepJob, batch: TaskBatch? = nil) throws(ModelBuildError) -> BuiltModel {
        try ModelBuilder.build(options: model, training: training, axis: axis, axisValue: job.axisValue, seed: job.seed,
                               batch: batch ?? self.batch(seed: job.seed), faults: faults, plants: plants,
                               corrections: corrections)
    }
}
