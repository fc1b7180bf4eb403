import Foundation
import Testing
@testable import MaxPDiagnostics

/// Unstable training at the small widths (issue 12, item 3): after-training verdicts are `inconclusive` with the
/// reason, not width trends.
@Suite struct TrainingStabilityTests {
    static let widths = [64, 128, 256, 512]

    /// Loss series: `smallest` at the smallest width, a calm decrease elsewhere.
    static func losses(smallest: [Double], others: [Double]? = nil) -> [LossSeries] {
        widths.flatMap { width in
            (0..<3).map { seed in
                LossSeries(axisValue: width, seed: seed,
                           losses: width == widths[0] ? smallest : others ?? [2.3, 2.0, 1.8, 1.6])
            }
        }
    }

    @Test func aLossThatClimbsBackWithoutJumpingIsUnstable() {
        // 4.23 → 3.24 → 4.29: +32 % over the best, never +50 % in one step (µP GPT at η = 2.56).
        #expect(TrainingStability.firstUnstableStep([4.23, 3.24, 4.29, 3.84], ratio: 1.5, riseRatio: 1.2) == 2)
        #expect(TrainingStability.firstUnstableStep([2.3, 3.3, 4.8, 7.0], ratio: 1.5, riseRatio: 1.2) == 1)
        #expect(TrainingStability.firstUnstableStep([2.3, 2.0, 2.1, 1.6], ratio: 1.5, riseRatio: 1.2) == nil)
        #expect(TrainingStability.firstUnstableStep([2.3, .nan], ratio: 1.5, riseRatio: 1.2) == 1)
    }

    @Test func erraticTrainingAtTheSmallestWidthMakesDeviationsInconclusive() throws {
        // The readout's change grows with width at t = 2, but the smallest width's loss climbs back at t = 2.
        let series = Self.losses(smallest: [4.23, 3.24, 4.29])
        let table = Fixtures.table(ops: Fixtures.mlp(), steps: 2, widths: Self.widths, lossSeries: series) { op, t, statistic in
            if statistic == .deltaRMS { return op == "readout" && t == 2 ? 0.6 : 0 }
            return op == "readout" && t == 0 ? -0.5 : 0
        }
        let verdicts = Diagnosis.judge(table)
        let change = try #require(verdicts.first { $0.op == "readout" && $0.t == 2 && $0.statistic == .deltaRMS })
        #expect(change.verdict == .inconclusive, "\(change.message)")
        #expect(change.reason == .unstableTraining)
        #expect({ if case .unstableTraining(step: 2, _, then: .deviates(.grows, _, _)) = change.explanation { true } else { false } }())
        // The same trend with calm training everywhere is a finding.
        let calm = Fixtures.table(ops: Fixtures.mlp(), steps: 2, widths: Self.widths, lossSeries: Self.losses(smallest: [2.3, 2.0, 1.8])) { op, t, statistic in
            if statistic == .deltaRMS { return op == "readout" && t == 2 ? 0.6 : 0 }
            return op == "readout" && t == 0 ? -0.5 : 0
        }
        #expect(Diagnosis.judge(calm).first { $0.op == "readout" && $0.t == 2 && $0.statistic == .deltaRMS }?.verdict == .grows)
    }

    @Test func divergingWithWidthWhileTheSmallestWidthBlowsUpTooIsInconclusive() throws {
        // SGD at η = 10: NaN at the two largest widths at t = 2 (alone, a width instability), while the smallest width
        // climbs too, never by +50 % in one step.
        let series = Self.losses(smallest: [2.3, 3.3, 4.5], others: [2.3, 3.3, .nan])
        var table = Fixtures.table(ops: Fixtures.mlp(), steps: 2, widths: Self.widths, lossSeries: series) { op, t, _ in
            op == "readout" && t == 0 ? -0.5 : 0
        }
        for index in table.rows.indices where table.rows[index].t == 2 && table.rows[index].axisValue >= 256 {
            table.rows[index].l1 = .nan; table.rows[index].rms = .nan; table.rows[index].deltaRMS = .nan
        }
        let verdicts = Diagnosis.judge(table)
        let diverged = verdicts.filter { $0.t == 2 && $0.fit.status == .diverged }
        #expect(!diverged.isEmpty)
        for verdict in diverged {
            #expect(verdict.verdict == .inconclusive, "\(verdict.op): \(verdict.message)")
            #expect(verdict.reason == .unstableTraining)
        }
    }

    @Test func muPGPTAtALargeLearningRateFlagsNothingAfterTraining() throws {
        // Correct µP, η = 2.56, three Adam steps on one batch: the losses oscillate at every width.
        let report = try SweepRunner.run(EngineFixtures.gptPlan(lr: 2.56, steps: 3)).slopeReport()
        let flagged = report.ops.filter { $0.verdict.isDeviation }
        #expect(flagged.isEmpty, "\(EngineFixtures.listing(report) { $0.verdict.isDeviation })")
        #expect(report.ops.contains { $0.reason == .unstableTraining })
    }
}
