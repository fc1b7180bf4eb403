import Foundation
import MaxP
import Testing
@testable import MaxPDiagnostics

/// A training session continues bit-identically from a saved checkpoint and controller state.
@Suite("Training session")
struct TrainingSessionTests {
    static func configuration(steps: Int, schedule: String = "") throws -> RunConfiguration {
        try RunConfiguration(document: ConfigDocument.parse("""
            model: {name: mlp, width: 16, depth: 2, input_dim: 8, output_dim: 3, batch: 8}
            optimizer: {type: adam, lr_prefactor: 0.05}
            maxp: {parametrization: mup, alignment: full, dynamic: true, warmup_steps: 2, solve_interval: 2, sample_size: 8}
            steps: \(steps)
            \(schedule)
            """, source: "test"))
    }

    @Test(arguments: ["", "schedule: {type: wsd, warmup: 2, stable: 4, decay: 4, chain: [{type: step_decay, every: 3, gamma: 0.5}]}"])
    func twelveStepsEqualSixPlusSixResumed(schedule: String) throws {
        let whole = try TrainingSession(try Self.configuration(steps: 12, schedule: schedule))
        try whole.start()
        #expect(whole.train() == .completed)

        let first = try TrainingSession(try Self.configuration(steps: 6, schedule: schedule))
        try first.start()
        #expect(first.train() == .completed)
        // Through the files, as `train --resume` reads them.
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("maxp-session-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try first.checkpoint.write(to: folder.appendingPathComponent("checkpoint.json"))
        try first.controller.save(to: folder.appendingPathComponent("state.json"))

        let second = try TrainingSession(try Self.configuration(steps: 12, schedule: schedule))
        try second.restore(checkpoint: try Checkpoint<Float>.read(from: folder.appendingPathComponent("checkpoint.json")),
                           controllerState: try AlignmentControllerState.read(from: folder.appendingPathComponent("state.json")))
        #expect(second.completedSteps == 6)
        #expect(second.train() == .completed)

        #expect(second.history.csv == whole.history.csv)
        #expect(MetricsTable(history: second.history).csv == MetricsTable(history: whole.history).csv)
        #expect(second.checkpoint == whole.checkpoint)
        #expect(second.controller.state == whole.controller.state)
        // The run really trained and re-solved: the loss moved (down, at the constant rate) and c left its preset.
        let losses = whole.losses
        #expect(losses.count == 12 && Set(losses).count > 1)
        if schedule.isEmpty { #expect(losses.last! < losses.first!) }
        #expect(whole.history.records.contains { $0.layer == "fc_2" && $0.c != 1 })
    }

    @Test func divergenceIsRecordedAsNaN() throws {
        var c = try Self.configuration(steps: 6)
        c.optimizer.lrPrefactor = 1e30
        let session = try TrainingSession(c)
        try session.start()
        guard case let .diverged(step, _) = session.train() else { Issue.record("did not diverge"); return }
        let metrics = MetricsTable(history: session.history)
        #expect(metrics.rows.last?.step == step && metrics.rows.last!.trainLoss.isNaN)
        #expect(MetricsTable(csv: metrics.csv) == metrics)
    }
}
