import Testing
@testable import MaxPDiagnostics

/// The one renderer of verdict prose, checked verbatim (the other tests assert explanation and reason values).
@Suite("Verdicts: prose renderer")
struct VerdictProseTests {
    static func readoutAtInit() throws -> OpVerdict {
        let table = Fixtures.table(ops: Fixtures.mlp(), steps: 0) { _, _, _ in 0 }
        return try #require(Diagnosis.judge(table).first { $0.op == "readout" && $0.statistic == .l1 })
    }

    @Test("messages, verbatim")
    func messagesVerbatim() throws {
        let readout = try Self.readoutAtInit()
        #expect(readout.message == "effective a of `readout` is 0.5 below its declared 0.5: multiply its output by "
            + "width^-0.5 (set a = 0.5 in code, or restore the readout multiplier)")
        let rule = try #require(readout.expectation?.rule)
        var verdict = readout
        verdict.explanation = .lossJump(step: 0, jump: "axis value 64, seed 1: 2.3 → 6",
                                        then: .deviates(direction: .grows, slope: 0.02, deviation: 0.52))
        #expect(verdict.message == "the loss jumps at step 0 (axis value 64, seed 1: 2.3 → 6): the `readout` (l1, t = 0) "
            + "deviation is not trusted; lower the learning rate or judge an earlier step (`readout` (l1, t = 0) grows as "
            + "width^+0.020, expected -0.5 (\(rule)): δ = +0.520)")
        verdict.explanation = .intervalTooWide(slope: -0.4, halfWidth: 0.3, target: 0.2, seeds: 3, seedsNeeded: 7,
                                               widthDoublingsNeeded: 1)
        #expect(verdict.message == "`readout` (l1, t = 0) slope -0.400 ± 0.3, expected -0.5 (\(rule)): the interval is "
            + "too wide to decide (±0.3, needs ±0.2): about 7 seeds (now 3) or 1 more width doubling would decide it")
        verdict.explanation = .upstreamOfInitCulprit(culprit: "head", deltaA: 0.5, then: .updatesBlowUp(slope: 0.45))
        #expect(verdict.message == "upstream of `head` in the backward pass, whose init slope is already off (Δa = +0.500): "
            + "with SGD its wrong multiplier scales every gradient flowing back, so this op's updates deviate too: fix `head` "
            + "first (`readout` (l1, t = 0): updates blow up with width (Δ slope +0.450 > 0))")
        #expect(verdict.reason == .inheritedBackward)
    }

    @Test("autofix verification, verbatim")
    func verificationVerbatim() {
        #expect(VerdictProse.verification(.verified, seeds: 5) == "verified with 5 seeds: every corrected op is ok")
        #expect(VerdictProse.verification(.intervalTooWide(ops: ["readout"], seedsNeeded: 7), seeds: 5)
                == "not verified: interval too wide at `readout` with 5 seeds, needs 7 seeds")
        #expect(VerdictProse.verification(.stillDeviates(ops: ["fc_1", "fc_2"]), seeds: 3)
                == "not verified: `fc_1`, `fc_2` still deviate after the fix")
    }
}
