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

/// The result of a sweep: the tidy table (rows sorted canonically, metadata with the op graph and loss series),
/// the theory mode, and the parametrization table of the largest model.
public struct SweepResult: Sendable {
    /// The plan that was run.
    public var plan: SweepPlan
    /// The table (rows sorted by axis value, seed, t, op order).
    public var table: CoordTable
    /// The per-op exponent table of the model at the largest swept value run (name, role, width, a, b, c, lr, r).
    public var parametrizationTable: [ParametrizationTableRow]
    /// The jobs that diverged.
    public var divergedJobs: [SweepJob]
    /// Wall-clock seconds.
    public var seconds: Double

    /// Judges the table: declared exponents, or the µP target for plain SP.
    public func slopeReport(policy: VerdictPolicy = .standard) -> SlopeReport {
        SlopeReport(table: table, mode: plan.theoryMode, policy: policy)
    }
}

/// Runs a ``SweepPlan``: one job per (axis value, seed), in parallel across cores, deterministic results.
///
/// Jobs run through `DispatchQueue.concurrentPerform` (OpenBLAS is set to 1 thread, one job per core; the largest
/// jobs start first for balance); results are collected in a lock-protected box and sorted, so the table does not
/// depend on scheduling. NaN/Inf in training never crash a job: its remaining rows are NaN and the verdicts say
/// diverged.
public enum SweepRunner {
    /// Runs the plan. `parallel: false` runs the jobs one after another (same bytes). `progress` is called after
    /// each job (serialized, from worker threads).
    public static func run(_ plan: SweepPlan, parallel: Bool = true,
                           progress: (@Sendable (SweepProgress) -> Void)? = nil) throws(ModelBuildError) -> SweepResult {
        try plan.validate()
        let start = Date()
        let previousThreads = BLASThreads.current
        BLASThreads.set(1)
        defer { BLASThreads.set(previousThreads) }
        let jobs = plan.jobs
        // The probe (largest value, smallest seed) gives the LP table. When it is one of this run's jobs it is built
        // by its worker, in parallel with the others (it is also the first job started); otherwise (an empty shard)
        // it is built here. Configuration errors (fault not applicable, …) fail every job's build alike; the
        // probe's error is the one reported, so the message does not depend on scheduling.
        let probeJob = jobs.max { ($0.axisValue, -$0.seed) < ($1.axisValue, -$1.seed) } ?? plan.allJobs.last!
        let probeTable = LockedBox<[ParametrizationTableRow]?>(nil)
        if !jobs.contains(probeJob) {
            let probe = try plan.buildModel(for: probeJob)
            probeTable.withLock { $0 = probe.parametrization.table }
        }
        let batches = Dictionary(uniqueKeysWithValues: Set(jobs.map(\.seed)).map { ($0, plan.batch(seed: $0)) })
        // Largest first for load balance; the order does not affect any result.
        let order = jobs.sorted { cost($0, plan) > cost($1, plan) }
        let totalCost = order.reduce(0.0) { $0 + cost($1, plan) }
        struct Collected { var results: [SweepJobResult] = []; var errors: [SweepJob: ModelBuildError] = [:]; var doneCost = 0.0 }
        let box = LockedBox(Collected())
        let work: @Sendable (Int) -> Void = { index in
            let job = order[index]
            do throws(ModelBuildError) {
                let model = try plan.buildModel(for: job)
                if job == probeJob { probeTable.withLock { $0 = model.parametrization.table } }
                let result = try runJob(job, plan: plan, batch: batches[job.seed]!, model: model)
                box.withLock { collected in
                    collected.results.append(result)
                    collected.doneCost += cost(job, plan)
                    if let progress {
                        let elapsed = Date().timeIntervalSince(start)
                        let remaining = collected.doneCost > 0 ? elapsed * (totalCost - collected.doneCost) / collected.doneCost : nil
                        progress(SweepProgress(job: job, completed: collected.results.count, total: order.count,
                                               elapsed: elapsed, estimatedRemaining: remaining, diverged: result.diverged))
                    }
                }
            } catch {
                box.withLock { collected in collected.errors[job] = error }
            }
        }
        if parallel && order.count > 1 {
            DispatchQueue.concurrentPerform(iterations: order.count, execute: work)
        } else {
            for index in order.indices { work(index) }
        }
        let collected = box.withLock { $0 }
        if let error = collected.errors[probeJob]
            ?? collected.errors.max(by: { ($0.key.axisValue, -$0.key.seed) < ($1.key.axisValue, -$1.key.seed) })?.value {
            throw error
        }
        let parametrizationTable = probeTable.withLock { $0 } ?? []
        let results = collected.results.sorted { ($0.job.axisValue, $0.job.seed) < ($1.job.axisValue, $1.job.seed) }
        let graphSource = results.last { $0.job.axisValue == results.last?.job.axisValue }
        var metadata = CoordTableMetadata(
            axis: plan.axis, axisValues: plan.values, seeds: plan.seeds, steps: plan.steps,
            modelDescription: plan.modelDescription + (plan.fault.map { " [injected fault: \($0.rawValue)]" } ?? "")
                + (plan.corrections.isEmpty ? "" : " [autofix corrections applied]"),
            parametrization: plan.training.parametrization.rawValue, optimizer: plan.training.optimizer.rawValue,
            learningRate: plan.training.learningRate, ops: graphSource?.graph ?? [],
            lossSeries: results.map { LossSeries(axisValue: $0.job.axisValue, seed: $0.job.seed, losses: $0.losses) })
        if plan.shard != nil {
            metadata.axisValues = plan.values
        }
        let table = CoordTable(metadata: metadata, rows: results.flatMap(\.rows)).sorted()
        return SweepResult(plan: plan, table: table, parametrizationTable: parametrizationTable,
                           divergedJobs: results.filter(\.diverged).map(\.job),
                           seconds: Date().timeIntervalSince(start))
    }

    /// Runs one job: build, measure at t = 0, then T × (step, measure). The measurement at t < T is recorded in the
    /// forward pass of training step t+1 (same weights, same batch); t = T gets its own no-grad forward.
    ///
    /// `model`, when given, must be a fresh `plan.buildModel(for: job)` (untrained); it is used instead of building.
    public static func runJob(_ job: SweepJob, plan: SweepPlan, batch: TaskBatch,
                              model prebuilt: BuiltModel? = nil) throws(ModelBuildError) -> SweepJobResult {
        let model: BuiltModel
        if let prebuilt { model = prebuilt } else { model = try plan.buildModel(for: job) }
        let recorder = CoordRecorder(model: model)
        var rows: [CoordRow] = []
        var losses: [Double] = []
        var diverged = false
        var sites: [(String, String)] = []
        for t in 0...plan.steps {
            if diverged {
                for (site, kind) in sites {
                    rows.append(CoordRow(axisValue: job.axisValue, seed: job.seed, t: t, op: site, kind: kind,
                                         l1: .nan, rms: .nan, deltaRMS: .nan))
                }
                losses.append(.nan)
                continue
            }
            let train = t < plan.steps
            let loss = measureAndDifferentiate(model: model, recorder: recorder, batch: batch, train: train)
            for measurement in recorder.measurements {
                rows.append(CoordRow(axisValue: job.axisValue, seed: job.seed, t: t, op: measurement.site,
                                     kind: measurement.kind, l1: measurement.statistics.l1,
                                     rms: measurement.statistics.rms, deltaRMS: measurement.statistics.deltaRMS))
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

    /// Forward with the recorder attached, loss, and (when training and finite) backward. The tape dies on return.
    private static func measureAndDifferentiate(model: BuiltModel, recorder: CoordRecorder, batch: TaskBatch,
                                                train: Bool) -> Double {
        if train { model.module.zeroGradients() }
        let tape = Tape<Float>(recordsGradients: train)
        recorder.beginForward()
        tape.observers = [recorder.observe]
        let output = model.forward(batch, on: tape)
        tape.observers = []
        recorder.endForward(output: output)
        let loss = model.loss(of: output, batch: batch)
        let value = Double(loss.value.scalars[0])
        if train && value.isFinite { loss.backward() }
        return value
    }

    /// Relative cost of a job (multiply-adds of one forward, roughly).
    static func cost(_ job: SweepJob, _ plan: SweepPlan) -> Double {
        let value = Double(job.axisValue)
        switch (plan.model.family, plan.axis) {
        case (.mlp, .width):
            return value * Double(plan.model.inputDimension + plan.model.outputDimension) + Double(max(plan.model.depth - 1, 0)) * value * value
        case (.gpt, .width): return value * value
        default: return value
        }
    }
}
