import Foundation
import MaxP

/// A learning-rate transfer sweep: a log-spaced grid of learning-rate prefactors × widths × seeds × parametrizations,
/// K training steps each on a built-in task (fresh batch every step, seeded), final loss = mean of the last few
/// steps' losses.
public struct LRTransferPlan: Sendable, Equatable {
    /// The model family and fixed sizes.
    public var model: ModelOptions
    /// The optimizer.
    public var optimizer: OptimizerKind
    /// The parametrizations compared in one run (e.g. sp, mup, maxp).
    public var parametrizations: [NamedParametrization]
    /// The widths.
    public var widths: [Int]
    /// The learning-rate prefactors, increasing (log-spaced).
    public var learningRates: [Double]
    /// The seeds.
    public var seeds: [Int]
    /// Training steps K per run.
    public var steps: Int
    /// How many of the last steps' losses are averaged into the final loss.
    public var averagedSteps: Int
    /// Where batches come from.
    public var data: DataSource
    /// mup's base width: the learning rates are the rates at this width (``TrainingOptions/baseWidth``).
    public var baseWidth: Int?
    /// Run only part of the grid: runs are numbered in canonical order (parametrization, width, lr, seed) and run
    /// `j` belongs to part `j mod count`; the parts' trials merge into the whole grid.
    public var shard: SweepShard?
    /// The rest of every run's training options — declared overrides, fixed init std, weight decay, gradient clip,
    /// depth-µP's α and base depth, per-op options; each run replaces its parametrization, optimizer, learning rate
    /// and base width.
    public var template: TrainingOptions = TrainingOptions()

    /// Creates a plan.
    public init(model: ModelOptions = ModelOptions(), optimizer: OptimizerKind = .adam,
                parametrizations: [NamedParametrization] = [.sp, .mup], widths: [Int],
                learningRates: [Double], seeds: [Int] = [0], steps: Int = 20, averagedSteps: Int = 3,
                data: DataSource = .synthetic(seed: 0), baseWidth: Int? = nil, shard: SweepShard? = nil) {
        self.model = model
        self.optimizer = optimizer
        self.parametrizations = parametrizations
        self.widths = widths
        self.learningRates = learningRates
        self.seeds = seeds
        self.steps = steps
        self.averagedSteps = averagedSteps
        self.data = data
        self.baseWidth = baseWidth
        self.shard = shard
    }

    /// Runs of the whole grid (every shard together).
    public var runCount: Int { parametrizations.count * widths.count * learningRates.count * seeds.count }

    /// Runs of this plan's shard (``runCount`` without a shard).
    public var shardRunCount: Int {
        guard let shard else { return runCount }
        return (0..<runCount).filter(shard.contains(job:)).count
    }

    /// The training options of one run.
    func training(_ parametrization: NamedParametrization, learningRate: Double) -> TrainingOptions {
        var options = template
        options.parametrization = parametrization
        options.optimizer = optimizer
        options.learningRate = learningRate
        options.baseWidth = baseWidth
        return options
    }

    /// `count` learning rates log-spaced from `lowest` to `highest` (inclusive).
    public static func logSpaced(from lowest: Double, to highest: Double, count: Int) -> [Double] {
        guard count > 1 else { return [lowest] }
        let a = log2(lowest), b = log2(highest)
        return (0..<count).map { exp2(a + (b - a) * Double($0) / Double(count - 1)) }
    }

    /// Checks the grid.
    public func validate() throws(ModelBuildError) {
        guard learningRates.count >= 3 else {
            throw .invalid(setting: .learningRates, reason: "needs at least 3 learning rates, got \(learningRates.count)")
        }
        guard learningRates.allSatisfy({ $0 > 0 && $0.isFinite }) else {
            throw .invalid(setting: .learningRates, reason: "learning rates must be positive")
        }
        guard zip(learningRates, learningRates.dropFirst()).allSatisfy({ $0 < $1 }) else {
            throw .invalid(setting: .learningRates, reason: "learning rates must be strictly increasing")
        }
        guard widths.count >= 2, zip(widths, widths.dropFirst()).allSatisfy({ $0 < $1 }) else {
            throw .invalid(setting: .values, reason: "needs at least 2 strictly increasing widths")
        }
        guard steps >= 1 else { throw .invalid(setting: .steps, reason: "needs at least 1 training step") }
        guard !parametrizations.isEmpty, !seeds.isEmpty else {
            throw .invalid(setting: .parametrizations, reason: "needs at least one parametrization and seed")
        }
        try RunLimits.check(seeds: seeds.count, steps: steps)
        if let shard, shard.count > runCount {
            throw .invalid(setting: .shard, reason: "\(shard.count) parts of a grid of \(runCount) runs would leave parts empty")
        }
        try training(parametrizations[0], learningRate: learningRates[0]).validate()
        try model.validate(axis: .width, values: widths, training: template)
        try memoryEstimate.check()
        if !template.overrides.isEmpty {
            // Unmatched patterns and impossible declared exponents: found on the smallest model before any run.
            for parametrization in parametrizations {
                _ = try ModelBuilder.build(options: model, training: training(parametrization, learningRate: learningRates[0]),
                                           axis: .width, axisValue: widths[0], seed: 0, trainable: false)
            }
        }
    }

    /// The memory the grid's runs need, with as many models at once as the runner trains in parallel.
    public var memoryEstimate: MemoryEstimate {
        var sized = model
        if case let .csv(dataset) = data {
            sized.inputDimension = dataset.featureCount
            sized.outputDimension = max(sized.outputDimension, dataset.classes)
        }
        return MemoryEstimate.run(sized, axis: .width, values: widths,
                                  jobsInFlight: MemoryEstimate.jobsInFlight(jobs: runCount))
    }
}

/// Runs an ``LRTransferPlan`` in parallel (one run per (parametrization, width, lr, seed)), deterministic.
public enum LRTransferRunner {
    /// One run's identity.
    struct Run: Sendable { var parametrization: NamedParametrization; var width: Int; var lr: Double; var seed: Int }

    /// A run diverged when its loss exceeds `blowUpFactor ×` its first loss `+ blowUpMargin` (or turns NaN/Inf):
    /// 3× the first loss plus 1 nat, so a loss near 0 at the start is not called diverged by noise.
    static let blowUpFactor = 3.0
    /// See ``blowUpFactor``.
    static let blowUpMargin = 1.0

    /// Runs every trial and returns them sorted by (parametrization order, width, lr, seed).
    /// A run whose loss turns NaN/Inf, or exceeds `3 ×` its initial loss `+ 1`, is marked diverged.
    public static func run(_ plan: LRTransferPlan, parallel: Bool = true,
                           progress: (@Sendable (Int, Int) -> Void)? = nil) throws(ModelBuildError) -> [LRTrial] {
        try plan.validate()
        let previousThreads = BLASThreads.current
        BLASThreads.set(1)
        defer { BLASThreads.set(previousThreads) }
        var grid: [Run] = []
        for p in plan.parametrizations {
            for width in plan.widths { for lr in plan.learningRates { for seed in plan.seeds {
                grid.append(Run(parametrization: p, width: width, lr: lr, seed: seed))
            } } }
        }
        let runs = grid.enumerated().filter { plan.shard?.contains(job: $0.offset) ?? true }.map(\.element)
        // Probe configuration errors once per parametrization.
        for p in plan.parametrizations {
            _ = try ModelBuilder.build(options: plan.model, training: plan.training(p, learningRate: plan.learningRates[0]),
                                       axis: .width, axisValue: plan.widths[0], seed: 0)
        }
        let sweepPlan = SweepPlan(model: plan.model, values: plan.widths, data: plan.data)
        // What does not depend on the learning rate is shared: one model per (parametrization, width, seed) is
        // built (its initialization drawn once) and each of its learning rates trains from a copy of those weights.
        var grouped: [[Int]] = []
        var familyOf: [String: Int] = [:]
        for (index, run) in runs.enumerated() {
            let key = "\(run.parametrization.rawValue) \(run.width) \(run.seed)"
            if let family = familyOf[key] { grouped[family].append(index) } else {
                familyOf[key] = grouped.count
                grouped.append([index])
            }
        }
        let families = grouped
        // Largest widths first (``ParallelJobs``), for load balance; the order does not affect any result.
        let trials = LockedBox([Int: LRTrial]())
        let outcomes = ParallelJobs.run(
            count: families.count, cost: { Double(families[$0].count) * pow(Double(runs[families[$0][0]].width), 2) },
            parallel: parallel
        ) { (family: Int) throws(ModelBuildError) in
            let members = families[family]
            try runFamily(members.map { runs[$0] }, plan: plan, batches: sweepPlan) { member, trial in
                trials.withLock { trials in
                    trials[members[member]] = trial
                    progress?(trials.count, runs.count)
                }
            }
        }
        for outcome in outcomes { if case .failure(let error) = outcome { throw error } }
        let all = trials.withLock { $0 }
        return runs.indices.map { all[$0]! }
    }

    /// Trains `runs` — one parametrization, width and seed, several learning rates — from one initialization: the
    /// model is built once and, before each further learning rate, its weights are restored from a copy of the
    /// initial ones, its optimizer state is cleared and its learning rates are set as a fresh build would set them
    /// (``Parametrization/applyLearningRates(to:)``), so every trial equals ``runTrial(_:plan:batches:)``'s.
    static func runFamily(_ runs: [Run], plan: LRTransferPlan, batches: SweepPlan,
                          finished: (Int, LRTrial) -> Void) throws(ModelBuildError) {
        guard let first = runs.first else { return }
        let model = try ModelBuilder.build(
            options: plan.model, training: plan.training(first.parametrization, learningRate: first.lr),
            axis: .width, axisValue: first.width, seed: first.seed)
        let parameters = model.module.namedParameters().map(\.parameter)
        let initial = parameters.map(\.value)  // copy-on-write: the first update copies, these stay as drawn
        for (index, run) in runs.enumerated() {
            if index > 0 {
                for (parameter, value) in zip(parameters, initial) {
                    parameter.value = value
                    parameter.gradient = nil
                }
                model.optimizer.resetState()
                model.parametrization.lrPrefactor = run.lr
                model.parametrization.applyLearningRates(to: model.optimizer)
            }
            finished(index, train(model, run: run, plan: plan, batches: batches))
        }
    }

    static func runTrial(_ run: Run, plan: LRTransferPlan, batches: SweepPlan) throws(ModelBuildError) -> LRTrial {
        let model = try ModelBuilder.build(options: plan.model, training: plan.training(run.parametrization, learningRate: run.lr),
                                           axis: .width, axisValue: run.width, seed: run.seed)
        return train(model, run: run, plan: plan, batches: batches)
    }

    /// Trains a freshly built (or freshly restored) model for `run`.
    private static func train(_ model: BuiltModel, run: Run, plan: LRTransferPlan, batches: SweepPlan) -> LRTrial {
        var losses: [Double] = []
        var diverged = false
        for step in 0..<plan.steps {
            let batch = batches.batch(seed: run.seed * 100_003 + step)
            let loss = model.trainingStep(on: batch)
            losses.append(loss)
            if !loss.isFinite || (losses.first.map { loss > blowUpFactor * $0 + blowUpMargin } ?? false) {
                diverged = true
                break
            }
        }
        let tail = losses.suffix(max(1, plan.averagedSteps))
        let final = diverged ? nil : tail.reduce(0, +) / Double(tail.count)
        return LRTrial(parametrization: run.parametrization.rawValue, width: run.width, lr: run.lr, seed: run.seed,
                       finalLoss: final, diverged: diverged, lossCurve: losses)
    }
}
