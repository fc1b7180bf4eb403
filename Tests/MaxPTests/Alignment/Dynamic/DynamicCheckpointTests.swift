import Foundation
import Testing
@testable import MaxP

/// Saving and restoring an ``AlignmentController`` with the model and optimizer continues bit-identically.
@Suite("Dynamic alignment: checkpoint")
struct DynamicCheckpointTests {
    static func temporaryURL(_ name: String) -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("maxp-dynamic-\(UUID().uuidString)-\(name)")
    }

    func continuation(options: AlignmentControllerOptions) throws {
        let options = options
        let schedule = try PrefactorSchedule.warmupStableDecay(warmup: 1, stable: 4, decay: 3, minFactor: 0.2)
        // Uninterrupted.
        let full = try DynamicRun<Float>()
        let reference = try full.controller(options, schedule: schedule)
        try full.run(reference, steps: 1...8)

        // Interrupted at step 3, restored into fresh objects (no captureInitial), continued.
        let first = try DynamicRun<Float>()
        let interrupted = try first.controller(options, schedule: schedule)
        try first.run(interrupted, steps: 1...3)
        let stateURL = Self.temporaryURL("state.json")
        let modelURL = Self.temporaryURL("model.json")
        defer {
            try? FileManager.default.removeItem(at: stateURL)
            try? FileManager.default.removeItem(at: modelURL)
        }
        try interrupted.save(to: stateURL)
        try Checkpoint(model: first.model, optimizer: first.optimizer, step: 3).write(to: modelURL)

        let second = try DynamicRun<Float>(seed: 0)
        second.model.hiddenLayers[1].weight.value.scale(by: 3)  // anything: the checkpoint overwrites it
        let restored = try AlignmentController(parametrization: second.parametrization, options: options, schedule: schedule)
        try Checkpoint<Float>.read(from: modelURL).restore(into: second.model, optimizer: second.optimizer)
        try restored.restore(from: stateURL, optimizer: second.optimizer)
        #expect(restored.completedSteps == 3)
        #expect(second.optimizerRates == first.optimizerRates)
        try second.run(restored, steps: 4...8)

        #expect(restored.history.records.count == reference.history.records.count)
        for (a, b) in zip(restored.history.records, reference.history.records) {
            #expect(a.lr.bitPattern == b.lr.bitPattern && a.c.bitPattern == b.c.bitPattern, "\(a.layer) at \(a.step)")
            #expect(a.alpha.bitPattern == b.alpha.bitPattern)
        }
        #expect(second.optimizerRates == full.optimizerRates)
        #expect(restored.state == reference.state)
    }

    @Test func restoredRunContinuesBitIdentically() throws {
        try continuation(options: .init(cEMA: 0.5, alignmentEMA: 0.3))
    }

    @Test func restoredResampledRunContinuesBitIdentically() throws {
        try continuation(options: .init(solveInterval: 2, resampleW0: true))
    }

    @Test func stateFromAnotherModelIsRefused() throws {
        let run = try DynamicRun<Double>(width: 32)
        let controller = try run.controller()
        try run.run(controller, steps: 1...2)
        let url = Self.temporaryURL("state.json")
        defer { try? FileManager.default.removeItem(at: url) }
        try controller.save(to: url)

        let wider = try DynamicRun<Double>(width: 48)
        let other = try wider.controller()
        let before = other.state
        do {
            try other.restore(from: url)
            Issue.record("restoring a state from another model must fail")
        } catch {
            guard case .stateMismatch(let reason) = error else {
                Issue.record("unexpected \(error)")
                return
            }
            #expect(reason.contains("fc_1") && reason.contains("width"))
        }
        #expect(other.state == before)

        let deeper = try DynamicRun<Double>(width: 32, depth: 3)
        #expect(throws: AlignmentControllerError.self) { try deeper.controller().restore(from: url) }
        let otherOptions = try DynamicRun<Double>(width: 32)
        #expect(throws: AlignmentControllerError.self) { try otherOptions.controller(.init(cEMA: 0.1)).restore(from: url) }
        let floats = try DynamicRun<Float>(width: 32)
        #expect(throws: AlignmentControllerError.self) { try floats.controller().restore(from: url) }
    }
}
