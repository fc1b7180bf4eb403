import Dispatch
import Foundation
import MaxP
import MaxPDiagnostics

/// Learning-rate transfer throughput: trainings per second of ``LRTransferRunner`` (one initialization per
/// (parametrization, width, seed), copied for each learning rate) against the same trainings each built afresh —
/// its initialization drawn again — with the same job parallelism, measured in the same run (best of 3 each,
/// alternating).
enum LRTransferBenchmark {
    /// The grid: MLP 3072 → w → w → 10, widths 128…1024, 5 learning rates, sp and µP, 1 seed, 8 Adam steps, batch 64.
    static let plan = LRTransferPlan(
        model: ModelOptions(family: .mlp, inputDimension: 3072, depth: 2, outputDimension: 10, batch: 64),
        parametrizations: [.sp, .mup], widths: [128, 256, 512, 1024],
        learningRates: LRTransferPlan.logSpaced(from: 1e-4, to: 1e-2, count: 5), seeds: [0], steps: 8)

    /// The printable result.
    static func report(repetitions: Int = 3) throws -> String {
        var shared = Double.infinity, fresh = Double.infinity
        for _ in 0..<repetitions {
            let start = Date()
            _ = try LRTransferRunner.run(plan)
            shared = min(shared, Date().timeIntervalSince(start))
            fresh = min(fresh, try freshBuildSeconds())
        }
        let trainings = Double(plan.runCount)
        return String(
            format: "%d trainings (MLP 3072→w→w→10, widths %@, %d lrs, sp+µP, %d Adam steps): %.2f s, %.1f trainings/s; "
                + "each built afresh (same run): %.2f s, %.1f trainings/s; shared init %.2f× the throughput",
            plan.runCount, plan.widths.map(String.init).joined(separator: ","), plan.learningRates.count, plan.steps,
            shared, trainings / shared, fresh, trainings / fresh, fresh / shared)
    }

    /// The grid's trainings with a fresh model per training (public API only), largest widths first on every core.
    static func freshBuildSeconds() throws -> Double {
        var grid: [(NamedParametrization, Int, Double)] = []
        for p in plan.parametrizations { for width in plan.widths { for lr in plan.learningRates { grid.append((p, width, lr)) } } }
        let runs = grid.sorted { $0.1 > $1.1 }
        let batches = SweepPlan(model: plan.model, values: plan.widths, data: plan.data)
        let previous = BLASThreads.current
        BLASThreads.set(1)
        defer { BLASThreads.set(previous) }
        let failure = Failure()
        let start = Date()
        DispatchQueue.concurrentPerform(iterations: runs.count) { index in
            let (parametrization, width, lr) = runs[index]
            do throws(ModelBuildError) {
                let model = try ModelBuilder.build(
                    options: plan.model,
                    training: TrainingOptions(parametrization: parametrization, optimizer: plan.optimizer, learningRate: lr),
                    axis: .width, axisValue: width, seed: 0)
                for step in 0..<plan.steps { _ = model.trainingStep(on: batches.batch(seed: step)) }
            } catch {
                failure.record(error)
            }
        }
        if let error = failure.first { throw error }
        return Date().timeIntervalSince(start)
    }
}

/// The first error of parallel jobs.
private final class Failure: @unchecked Sendable {
    private let lock = NSLock()
    private var error: ModelBuildError?

    func record(_ error: ModelBuildError) { lock.withLock { if self.error == nil { self.error = error } } }
    var first: ModelBuildError? { lock.withLock { error } }
}
