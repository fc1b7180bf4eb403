import Dispatch
import Foundation
import MaxP

/// The outcome of one job: its rows, its loss per step, the op graph it traced.
public struct SweepJobResult: Sendable {
    /// The job.
    public var job: SweepJob
    /// Rows for t = 0…T in execution order.
    public var rows: [CoordRow]
    /// Loss of the forward pass at each t.
    public var losses: [Double]
    /// The op graph (topological order).
    public var graph: [OpDescriptor]
    /// Whether training hit NaN/Inf (rows after that step are NaN).
    public var diverged: Bool
}

/// Runs a ``CoordCheck``: one job per (axis value, seed), in parallel across cores, deterministic results.
///
/// Jobs run through ``ParallelJobs`` (OpenBLAS is set to 1 thread, one job per core; the largest jobs start first
/// for balance); results come back in job order and are sorted, so the table does not depend on scheduling. NaN/Inf in training never crash a job: its remaining rows are NaN and the verdicts say
/// diverged.
enum CoordCheckEngine {
    static func run(_ check: CoordCheck, parallel: Bool,
                    progress: (@Sendable (SweepProgress) -> Void)?) throws(ModelBuildError) -> CoordCheckResult {
        let start = Date()
        let previousThreads = BLASThreads.current
        BLASThreads.set(1)
        defer { BLASThreads.set(previousThreads) }
        let jobs = check.jobs
        // The probe (largest value, smallest seed) gives the LP table. When it is one of this run's jobs it is built
        // by its worker, in parallel with the others (it is also the first job started); otherwise (an empty shard)
        // it is built here. Configuration errors (fault not applicable, …) fail every job's build alike; the
        // probe's error is the one reported, so the message does not depend on scheduling.
        let probeJob = jobs.max { ($0.axisValue, -$0.seed) < ($1.axisValue, -$1.seed) } ?? check.allJobs.last!
        let probeTable = LockedBox<[ParametrizationTableRow]?>(nil)
        let probeRules = LockedBox<AppliedDepthRules?>(nil)
        if !jobs.contains(probeJob) {
            let probe = try check.buildModel(for: probeJob)
            probeTable.withLock { $0 = probe.parametrization.table }
            probeRules.withLock { $0 = probe.parametrization.appliedDepthRules }
        }
        // Largest first for load balance (``ParallelJobs``); the order does not affect any result.
        let totalCost = jobs.reduce(0.0) { $0 + check.cost($1.axisValue) }
        var completed = 0, doneCost = 0.0
        let outcomes = ParallelJobs.run(
            count: jobs.count, cost: { check.cost(jobs[$0].axisValue) }, parallel: parallel,
            finished: { (index: Int, outcome: Result<SweepJobResult, ModelBuildError>) in
                guard let progress, case .success(let result) = outcome else { return }
                completed += 1
                doneCost += check.cost(jobs[index].axisValue)
                let elapsed = Date().timeIntervalSince(start)
                let remaining = doneCost > 0 ? elapsed * (totalCost - doneCost) / doneCost : nil
                progress(SweepProgress(job: jobs[index], completed: completed, total: jobs.count, elapsed: elapsed,
                                       estimatedRemaining: remaining, diverged: result.diverged))
            }
        ) { (index: Int) throws(ModelBuildError) -> SweepJobResult in
            let job = jobs[index]
            let model = try check.buildModel(for: job)
            if job == probeJob {
                probeTable.withLock { $0 = model.parametrization.table }
                probeRules.withLock { $0 = model.parametrization.appliedDepthRules }
            }
            return try runJob(job, steps: check.steps, model: model, gradients: check.recordsGradients)
        }
        var results: [SweepJobResult] = [], errors: [SweepJob: ModelBuildError] = [:]
        for (job, outcome) in zip(jobs, outcomes) {
            switch outcome {
            case .success(let result): results.append(result)
            case .failure(let error): errors[job] = error
            }
        }
        if let error = errors[probeJob]
            ?? errors.max(by: { ($0.key.axisValue, -$0.key.seed) < ($1.key.axisValue, -$1.key.seed) })?.value {
            throw error
        }
        let parametrizationTable = probeTable.withLock { $0 } ?? []
        results.sort { ($0.job.axisValue, $0.job.seed) < ($1.job.axisValue, $1.job.seed) }
        let graphSource = results.last { $0.job.axisValue == results.last?.job.axisValue }
        var metadata = CoordTableMetadata(
            axis: check.axis, axisValues: check.widths, seeds: check.seeds, steps: check.steps,
            modelDescription: check.modelDescription + (check.corrections.isEmpty ? "" : " [autofix corrections applied]"),
            parametrization: check.training.parametrization.rawValue, optimizer: check.training.optimizer.rawValue,
            learningRate: check.training.learningRate, ops: graphSource?.graph ?? [],
            lossSeries: results.map { LossSeries(axisValue: $0.job.axisValue, seed: $0.job.seed, losses: $0.losses) })
        metadata.depthAlpha = check.training.depthAlpha
        let table = CoordTable(metadata: metadata, rows: results.flatMap(\.rows)).sorted()
        var result = CoordCheckResult(table: table, parametrizationTable: parametrizationTable,
                                      divergedJobs: results.filter(\.diverged).map(\.job),
                                      seconds: Date().timeIntervalSince(start), theoryMode: check.theoryMode,
                                      baseWidth: check.training.baseWidth)
        result.depthRules = probeRules.withLock { $0 }
        return result
    }

    /// Runs one job on a fresh (untrained) model: measure at t = 0, then T × (step, measure). The measurement at
    /// t < T is recorded in the forward pass of training step t+1 (same weights, same batch); t = T gets its own
    /// no-grad forward.
    static func runJob(_ job: SweepJob, steps: Int, model: BuiltModel,
                       gradients: Bool = false) throws(ModelBuildError) -> SweepJobResult {
        let recorder = CoordRecorder(model: model)
        var rows: [CoordRow] = []
        var losses: [Double] = []
        var diverged = false
        var sites: [(String, String)] = []
        for t in 0...steps {
            if diverged {
                for (site, kind) in sites {
                    rows.append(CoordRow(axisValue: job.axisValue, seed: job.seed, t: t, op: site, kind: kind,
                                         l1: .nan, rms: .nan, deltaRMS: .nan, mean: .nan, std: .nan))
                }
                losses.append(.nan)
                continue
            }
            let train = t < steps
            let (loss, gradientSizes) = measureAndDifferentiate(model: model, recorder: recorder, train: train,
                                                                gradients: gradients)
            if t == 0, let collision = recorder.collision { throw .nameCollision(op: collision.op, other: collision.other) }
            for (index, measurement) in recorder.measurements.enumerated() {
                rows.append(CoordRow(axisValue: job.axisValue, seed: job.seed, t: t, op: measurement.site,
                                     kind: measurement.kind, l1: measurement.statistics.l1,
                                     rms: measurement.statistics.rms, deltaRMS: measurement.statistics.deltaRMS,
                                     mean: measurement.statistics.mean, std: measurement.statistics.std,
                                     gradient: gradientSizes.isEmpty ? nil : gradientSizes[index]))
            }
            if t == 0 { sites = recorder.measurements.map { ($0.site, $0.kind) } }
            losses.append(loss)
            if !loss.isFinite {
                diverged = true
                continue
            }
            if train { model.optimizer.step() }  // the tape is released: no copies of the weights
        }
        return SweepJobResult(job: job, rows: rows, losses: losses, graph: recorder.graph, diverged: diverged)
    }

    /// Forward with the recorder attached, loss, and (when training and finite) backward; with `gradients`, the
    /// gradient sizes of every measured site (in measurement order; empty without a backward pass). The tape dies
    /// on return.
    private static func measureAndDifferentiate(model: BuiltModel, recorder: CoordRecorder, train: Bool,
                                                gradients: Bool) -> (Double, [GradientStatistics?]) {
        if train { model.module.zeroGradients() }
        let tape = Tape<Float>(recordsGradients: train)
        recorder.beginForward()
        tape.observers = [recorder.observe]
        let output = model.forward(on: tape)
        tape.observers = []
        recorder.endForward(output: output)
        let loss = model.loss(of: output)
        let value = Double(loss.value.scalars[0])
        guard train && value.isFinite else { return (value, []) }
        loss.backward()
        guard gradients else { return (value, []) }
        let sizes = recorder.measurements.map { measurement -> GradientStatistics? in
            guard let gradient = tape.gradient(of: Variable(tape: tape, id: measurement.node)) else { return nil }
            let statistics = SizeStatistics(gradient.scalars, initial: nil)
            return GradientStatistics(l1: statistics.l1, rms: statistics.rms)
        }
        return (value, sizes)
    }
}
