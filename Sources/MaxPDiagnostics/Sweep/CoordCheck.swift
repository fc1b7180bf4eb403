import Foundation
import MaxP

/// A coordinate check of any model — mup's `get_coord_data`: you give a factory `(width, seed) → network` and get
/// the same parallel, deterministic, sharded sweep `maxp-diagnose coord-check` runs, with progress reports, and the
/// coord table, slopes and verdicts its report writer takes.
///
/// ```swift
/// let check = CoordCheck(widths: [64, 128, 256, 512], training: TrainingOptions(learningRate: 0.02, baseWidth: 64),
///                        description: "my model") { width, seed in
///     let model = MyModel(width: width)                         // layers marked with OpMarking
///     return CoordCheckNetwork(model, inputs: x, labels: y) { model($0) }
/// }
/// let result = try check.run { print("\($0.completed)/\($0.total)") }
/// let report = result.slopeReport()                             // slopes and verdicts per op and step
/// ```
///
/// Convention (as `mup` / maxP): one fixed batch per seed; t = 0 is measured at initialization, then T optimizer
/// steps on that batch, each followed by a measurement, so rows exist for t = 0…T. Declared exponents, kinds and
/// the op graph come from the network's markings and the traced tape. The built-in MLP and GPT families
/// (``SweepPlan``) run through this same runner.
public struct CoordCheck: Sendable {
    /// The swept values (widths), strictly increasing, at least 3.
    public var widths: [Int]
    /// The seeds.
    public var seeds: [Int]
    /// Optimizer steps T.
    public var steps: Int
    /// Parametrization, optimizer, learning rate, base width, per-op options.
    public var training: TrainingOptions
    /// A one-line description of the model (reports, figure titles).
    public var modelDescription: String
    /// Run only part of the jobs.
    public var shard: SweepShard?
    /// Corrections applied to every model (``AutoFix``).
    public var corrections: ExponentCorrections
    /// Also record each op's gradient size (``CoordRow/gradient``: `l1` and `rms` of the loss gradient with
    /// respect to the op's output) at every trained step t < T (t = T has no backward pass).
    public var recordsGradients = false

    /// What the sweep varies (built-in plans may sweep depth or heads).
    var axis: SweepAxis = .width
    /// The model's width at an axis value (the axis value itself on the width axis).
    var modelWidth: @Sendable (Int) -> Int = { $0 }
    /// Relative cost of a job at an axis value, for load balance and the ETA.
    var cost: @Sendable (Int) -> Double = { Double($0) * Double($0) }
    /// Builds the model of a job.
    var build: @Sendable (CoordCheck, SweepJob) throws(ModelBuildError) -> BuiltModel

    /// A coord check of the networks `network(width, seed)` builds (seeds default to `0..<3`, T = 3 steps).
    public init(widths: [Int], seeds: [Int] = [0, 1, 2], steps: Int = 3, training: TrainingOptions = TrainingOptions(),
                description: String, shard: SweepShard? = nil,
                network: @escaping @Sendable (_ width: Int, _ seed: Int) throws -> CoordCheckNetwork) {
        self.widths = widths
        self.seeds = seeds
        self.steps = steps
        self.training = training
        self.modelDescription = description
        self.shard = shard
        self.corrections = ExponentCorrections()
        self.build = { check, job throws(ModelBuildError) in
            let (initializationSeed, _) = ModelEngine.seeds(axisValue: job.axisValue, seed: job.seed)
            let made: CoordCheckNetwork
            do {
                made = try network(job.axisValue, job.seed)
            } catch let error as ModelBuildError {
                throw error
            } catch {
                throw .model("width \(job.axisValue), seed \(job.seed): \(error)")
            }
            let model = try ModelEngine.parametrize(made, training: check.training, axisValue: job.axisValue,
                                                    modelWidth: job.axisValue, initializationSeed: initializationSeed)
            try ModelEngine.apply(check.corrections, to: model)
            return model
        }
    }

    /// Every job in canonical order (axis value, then seed).
    public var allJobs: [SweepJob] { widths.flatMap { value in seeds.map { SweepJob(axisValue: value, seed: $0) } } }

    /// The jobs of this check's shard (all jobs without a shard).
    public var jobs: [SweepJob] {
        guard let shard else { return allJobs }
        return allJobs.enumerated().filter { shard.contains(job: $0.offset) }.map(\.element)
    }

    /// Theory mode: the µP target for plain SP (no declared width scaling), the declared exponents otherwise.
    public var theoryMode: TheoryMode { training.parametrization == .sp ? .muPTarget : .declared }

    /// Checks the sweep: at least 3 strictly increasing positive values, distinct seeds, steps ≥ 0, the training
    /// options.
    public func validate() throws(ModelBuildError) {
        guard widths.count >= 3 else {
            throw .invalid(setting: .values, reason: "needs at least 3 values to fit a slope, got \(widths.count)")
        }
        guard zip(widths, widths.dropFirst()).allSatisfy({ $0 < $1 }) else {
            throw .invalid(setting: .values, reason: "values must be strictly increasing, got \(widths.map(String.init).joined(separator: ","))")
        }
        guard widths.allSatisfy({ $0 >= 1 }) else {
            throw .invalid(setting: .values, reason: "swept values must be positive, got \(widths.map(String.init).joined(separator: ","))")
        }
        guard !seeds.isEmpty, Set(seeds).count == seeds.count else {
            throw .invalid(setting: .seeds, reason: "needs at least one seed, all distinct")
        }
        try RunLimits.check(seeds: seeds.count, steps: steps)
        guard steps >= 0 else { throw .invalid(setting: .steps, reason: "must be ≥ 0, got \(steps)") }
        try training.validate()
    }

    /// Runs the check: one job per (width, seed), in parallel across cores (`parallel: false`: one after another,
    /// same bytes). `progress` is called after each job (serialized, from worker threads).
    public func run(parallel: Bool = true,
                    progress: (@Sendable (SweepProgress) -> Void)? = nil) throws(ModelBuildError) -> CoordCheckResult {
        try validate()
        return try CoordCheckEngine.run(self, parallel: parallel, progress: progress)
    }

    /// Builds the (untrained) model of `job`.
    public func buildModel(for job: SweepJob) throws(ModelBuildError) -> BuiltModel { try build(self, job) }
}
