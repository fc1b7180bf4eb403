import MaxP
import Testing
@testable import MaxPDiagnostics

/// Issue 12 item 4: autofix's verification re-run uses the seeds the corrected ops' intervals need, and says so
/// when even those are not enough.
@Suite("AutoFix: verification with the seeds it needs")
struct AutoFixVerificationTests {
    /// MLP at batch 8 over widths 32…256: the readout's t = 0 interval is ±0.20 with 3 seeds, just too wide for `ok`.
    static let noisyReadout: SweepPlan = {
        var plan = EngineFixtures.mlpPlan(lr: 3e-3, steps: 1, widths: [32, 64, 128, 256], fault: .missingReadoutMultiplier)
        plan.model.batch = 8
        return plan
    }()

    @Test("a correct fix of a noisy readout is verified with more seeds")
    func noisyReadoutFixIsVerified() throws {
        let outcome = try AutoFix.run(Self.noisyReadout)
        #expect(outcome.corrections.deltaA == ["readout": 0.5])
        #expect(outcome.verification == .verified, "\(outcome.comparisons.map { "\($0.op): \($0.after?.message ?? "-")" })")
        #expect((outcome.after?.plan.seeds.count ?? 0) > Self.noisyReadout.seeds.count)
    }

    @Test("when the seed budget is too small the verification says how many seeds it needs")
    func cappedSeedsReportTheIntervalAsTheReason() throws {
        var policy = VerdictPolicy.standard
        policy.maxVerificationSeeds = 3
        let outcome = try AutoFix.run(Self.noisyReadout, policy: policy)
        guard case let .intervalTooWide(ops, seedsNeeded) = outcome.verification else {
            Issue.record("expected intervalTooWide, got \(outcome.verification)")
            return
        }
        #expect(ops == ["readout"])
        #expect((seedsNeeded ?? 0) > 3)
        #expect(!outcome.isVerified)
    }

    @Test func seedsGrowWithTheSquareOfTheIntervalExcess() {
        let policy = VerdictPolicy.standard  // t = 0: ok needs ±0.2, the verification aims at ±0.16
        #expect(policy.verificationSeeds(now: 3, halfWidth: 0.1, at: 0) == 3)
        #expect(policy.verificationSeeds(now: 3, halfWidth: 0.2, at: 0) == 5)    // 3 · 1.25² = 4.7
        #expect(policy.verificationSeeds(now: 3, halfWidth: 0.3, at: 0) == 11)   // 3 · 1.875² = 10.5
        #expect(policy.verificationSeeds(now: 3, halfWidth: 1.0, at: 0) == 16)   // capped
        #expect(policy.verificationSeeds(now: 3, halfWidth: .infinity, at: 0) == 3)
    }
}
