import Testing
@testable import MaxP

@Suite("Schedules")
struct ScheduleTests {
    @Test func warmupStableDecayMatchesTheReferenceValues() throws {
        // spec §8.5 golden: W=5, S=5, D=5, f=0.1, cosine, k = 1…18
        let expected = [0.28, 0.46, 0.64, 0.82, 1, 1, 1, 1, 1, 1, 0.914058, 0.689058, 0.410942, 0.185942, 0.1, 0.1, 0.1, 0.1]
        let wsd = try Schedule.warmupStableDecay(warmup: 5, stable: 5, decay: 5, shape: .cosine, minFactor: 0.1)
        for (k, value) in expected.enumerated() {
            #expect(abs(wsd.factor(at: k + 1) - value) < 1e-6, "step \(k + 1)")
        }
    }

    @Test func linearDecayReachesTheMinimum() throws {
        let wsd = try Schedule.warmupStableDecay(warmup: 0, stable: 2, decay: 4, shape: .linear, minFactor: 0.2)
        #expect(wsd.factor(at: 1) == 1)
        #expect(abs(wsd.factor(at: 4) - 0.6) < 1e-12)
        #expect(abs(wsd.factor(at: 6) - 0.2) < 1e-12)
        #expect(abs(wsd.factor(at: 60) - 0.2) < 1e-12)
    }

    @Test func compositionMultipliesAndJoinRestarts() throws {
        let warm = try Schedule.linearWarmup(steps: 4)
        let cos = try Schedule.cosine(steps: 8, minFactor: 0)
        let product = warm.multiplied(by: cos)
        #expect(abs(product.factor(at: 2) - 0.5 * cos.factor(at: 2)) < 1e-12)
        let joined = try Schedule.joined([warm, cos], boundaries: [4])
        #expect(joined.factor(at: 4) == 1)
        #expect(abs(joined.factor(at: 5) - cos.factor(at: 1)) < 1e-12)
        #expect(abs(joined.factor(at: 12) - 0) < 1e-12)
        let decay = try Schedule.stepDecay(every: 3, gamma: 0.5)
        #expect(decay.factor(at: 2) == 1 && decay.factor(at: 3) == 0.5 && decay.factor(at: 7) == 0.25)
    }

    @Test func badLengthsAreTypedErrors() {
        #expect(throws: ScheduleError.negativeLength(name: "warmup steps", value: -1)) {
            try Schedule.warmupStableDecay(warmup: -1, stable: 1, decay: 1)
        }
        #expect(throws: ScheduleError.self) { try Schedule.joined([.constant], boundaries: [3]) }
        #expect(throws: ScheduleError.self) { try Schedule.joined([.constant, .constant, .constant], boundaries: [5, 2]) }
        #expect(throws: ScheduleError.invalidFactor(name: "minimum factor", value: -0.5)) {
            try Schedule.cosine(steps: 3, minFactor: -0.5)
        }
    }
}
