import Foundation
import MaxP

/// The result of a built-in sweep: the ``CoordCheckResult`` and the plan that produced it.
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
    /// With depth-µP: CompleteP's rules as applied to the model of ``parametrizationTable``.
    public var depthRules: AppliedDepthRules?

    /// Wraps the result of running `plan`'s ``SweepPlan/coordCheck``.
    public init(plan: SweepPlan, result: CoordCheckResult) {
        self.plan = plan
        self.table = result.table
        self.parametrizationTable = result.parametrizationTable
        self.divergedJobs = result.divergedJobs
        self.seconds = result.seconds
        self.depthRules = result.depthRules
    }

    /// The same result as the runner's general form.
    public var coordCheck: CoordCheckResult {
        var result = CoordCheckResult(table: table, parametrizationTable: parametrizationTable, divergedJobs: divergedJobs,
                                      seconds: seconds, theoryMode: plan.theoryMode, baseWidth: plan.training.baseWidth)
        result.depthRules = depthRules
        return result
    }

    /// Judges the table: declared exponents, or the µP target for plain SP.
    public func slopeReport(policy: VerdictPolicy = .standard) -> SlopeReport {
        SlopeReport(table: table, mode: plan.theoryMode, policy: policy)
    }
}

/// Runs a built-in ``SweepPlan`` through the public ``CoordCheck`` runner (one path for built-in and custom models).
public enum SweepRunner {
    /// Runs the plan. `parallel: false` runs the jobs one after another (same bytes). `progress` is called after
    /// each job (serialized, from worker threads).
    public static func run(_ plan: SweepPlan, parallel: Bool = true,
                           progress: (@Sendable (SweepProgress) -> Void)? = nil) throws(ModelBuildError) -> SweepResult {
        try plan.validate()
        let result = try plan.coordCheck.run(parallel: parallel, progress: progress)
        return SweepResult(plan: plan, result: result)
    }

    /// Runs one job of `plan` on `batch` (a fresh model is built unless `model` is given, which must then be a
    /// fresh `plan.buildModel(for: job, batch: batch)`).
    public static func runJob(_ job: SweepJob, plan: SweepPlan, batch: TaskBatch,
                              model prebuilt: BuiltModel? = nil) throws(ModelBuildError) -> SweepJobResult {
        let model: BuiltModel
        if let prebuilt { model = prebuilt } else { model = try plan.buildModel(for: job, batch: batch) }
        return try CoordCheckEngine.runJob(job, steps: plan.steps, model: model)
    }
}
