import Foundation
import Testing
@testable import MaxP

/// Global schedules acting through the prefactor of an ``AlignmentController``: WSD freezes the per-layer rates in its
/// decay phase; chained schedules scale every rate alike.
@Suite("Schedules: prefactor schedules")
struct PrefactorScheduleTests {
    @Test func wsdFreezesAfterTheStablePhase() throws {
        let wsd = try PrefactorSchedule.warmupStableDecay(warmup: 5, stable: 5, decay: 5, shape: .cosine, minFactor: 0.1)
        #expect(wsd.freezeStep == 10)
        #expect(!wsd.isFrozen(atUpdate: 10) && wsd.isFrozen(atUpdate: 11))
        #expect(abs(wsd.factor(at: 1) - 0.28) < 1e-12 && abs(wsd.factor(at: 11) - 0.914058) < 1e-6)
        #expect(!PrefactorSchedule.constant.isFrozen(atUpdate: 1_000_000))
    }

    @Test func badLengthsAreTypedErrors() {
        #expect(throws: ScheduleError.negativeLength(name: "warmup steps", value: -1)) {
            try PrefactorSchedule.warmupStableDecay(warmup: -1, stable: 5, decay: 5)
        }
        #expect(throws: ScheduleError.self) { try PrefactorSchedule.warmupStableDecay(warmup: 1, stable: 5, decay: 0) }
        #expect(throws: ScheduleError.self) { try PrefactorSchedule(.constant, freezeStep: -3) }
    }

    @Test func decayPhaseScalesTheEndOfStableRates() throws {
        let run = try DynamicRun<Double>()
        let wsd = try PrefactorSchedule.warmupStableDecay(warmup: 2, stable: 3, decay: 4, shape: .linear, minFactor: 0.1)
        let controller = try run.controller(schedule: wsd)
        // Update 1 runs at the warmup factor 0.1 + 0.9 · 1/2.
        #expect(abs(run.parametrization.lrPrefactor - 0.02 * 0.55) < 1e-15)
        let outcomes = try run.run(controller, steps: 1...9)
        #expect(outcomes[0..<4].allSatisfy { $0 == .solved })
        #expect(outcomes[4...].allSatisfy { $0 == .frozen })
        #expect(controller.frozenSince == 5 && controller.events.contains { $0.kind == .ratesFrozen && $0.step == 5 })
        for name in controller.layerNames {
            let rows = controller.history.records(of: name)
            let endOfStable = rows[3]  // set at step 4, used by update 5 = W + S (factor 1)
            #expect(wsd.factor(at: 5) == 1)
            for row in rows[4...] {
                #expect(row.c == endOfStable.c)
                let expected = endOfStable.lr * wsd.factor(at: row.step + 1)
                #expect(abs(row.lr - expected) <= 1e-15 * expected)
            }
            #expect(rows[8].lr < rows[4].lr)
        }
    }

    @Test func chainedScheduleKeepsPerLayerRatios() throws {
        let run = try DynamicRun<Double>()
        let cosine = try Schedule.cosine(steps: 6, minFactor: 0.05)
        let chained = PrefactorSchedule.constant.chained(with: try Schedule.linearWarmup(steps: 2)).chained(with: cosine)
        let controller = try run.controller(schedule: chained)
        try run.run(controller, steps: 1...6)
        for k in 1...6 {
            let factor = chained.factor(at: k + 1)
            let rows = controller.history.records.filter { $0.step == k }
            for row in rows {
                let width = Double(run.parametrization.exponents[row.layer]!.width)
                let expected = 0.02 * factor * Foundation.pow(width, -row.c)
                #expect(abs(row.lr - expected) <= 1e-14 * expected, "\(row.layer) at \(k)")
            }
            // Ratios between layers are those of width^-c alone: the global factor cancels.
            let ratio = rows[1].lr / rows[0].lr
            let expectedRatio = Foundation.pow(Double(run.parametrization.exponents[rows[1].layer]!.width), -rows[1].c)
                / Foundation.pow(Double(run.parametrization.exponents[rows[0].layer]!.width), -rows[0].c)
            #expect(abs(ratio - expectedRatio) <= 1e-12 * expectedRatio)
        }
        #expect(abs(run.parametrization.lrPrefactor - 0.02 * chained.factor(at: 7)) < 1e-15)
    }
}
