import MaxP
import Testing
@testable import MaxPDiagnostics

/// Proof on known bugs: correct µP is ok everywhere; SP with Adam grows; each planted bug is found on the right op
/// with the right Δa; autofix verifies the fix.
@Suite("Engine: proof on known bugs")
struct KnownBugTests {
    static let mlpWidths = [64, 128, 256, 512, 1024]

    static func mlp(_ p: NamedParametrization = .mup, lr: Double = 1e-2, fault: Fault? = nil) -> SweepPlan {
        var plan = EngineFixtures.mlpPlan(p, lr: lr, steps: 2, widths: mlpWidths, fault: fault)
        plan.model.batch = 64
        return plan
    }

    @Test func correctMuPMLPIsOkEverywhere() throws {
        // 4 seeds: with 3, whether the widest t = 0 interval (relu#2, ±0.20 vs the ±0.2 needed) decides depends on
        // the particular random draws; the engine itself asks for 4 seeds there.
        var plan = Self.mlp()
        plan.seeds = [0, 1, 2, 3]
        let report = try SweepRunner.run(plan).slopeReport()
        let bad = report.ops.filter { $0.verdict != .ok }
        #expect(bad.isEmpty, "\(EngineFixtures.listing(report) { $0.verdict != .ok })")
        let readout = try #require(report.entry(op: "readout", t: 0, statistic: .l1)?.slope)
        #expect(abs(readout + 0.5) < 0.1)  // maxP µP reference: −0.523
    }

    @Test func spWithAdamGrowsInHiddenAndReadoutAfterOneStep() throws {
        let report = try SweepRunner.run(Self.mlp(.sp, lr: 1e-3)).slopeReport()
        #expect(report.mode == .muPTarget)
        for op in ["fc_2", "fc_3", "readout"] {
            let entry = try #require(report.entry(op: op, t: 1, statistic: .deltaRMS))
            #expect(entry.verdict == .grows, "\(op): \(entry.message)")
            #expect((entry.slope ?? 0) > 0.4)
        }
        let readout = try #require(report.entry(op: "readout", t: 1, statistic: .l1)?.slope)
        #expect(readout > 0.5)
    }

    @Test func missingReadoutMultiplierIsFoundWithDeltaAOneHalf() throws {
        let report = try SweepRunner.run(Self.mlp(fault: .missingReadoutMultiplier)).slopeReport()
        let entry = try #require(report.entry(op: "readout", t: 0, statistic: .l1))
        #expect(entry.verdict == .grows)
        #expect(abs((entry.suggestedDeltaA ?? 0) - 0.5) < 0.15)
        #expect(report.ops.filter { $0.t == 0 && $0.statistic == .l1 && $0.suggestedDeltaA != nil }.map(\.op) == ["readout"])
    }

    @Test func embeddingMultiplierOffIsFoundWithDeltaAMinusOneHalf() throws {
        let report = try SweepRunner.run(Self.mlp(fault: .embeddingMultiplier)).slopeReport()
        let entry = try #require(report.entry(op: "fc_1", t: 0, statistic: .l1))
        #expect(entry.verdict == .shrinks)
        #expect(abs((entry.suggestedDeltaA ?? 0) + 0.5) < 0.15)
        // Downstream ops inherit it instead of being separate bugs.
        #expect(report.entry(op: "fc_2", t: 0, statistic: .l1)?.inheritedFrom != nil)
    }

    @Test func unscaledHiddenLearningRateShowsInTheChangeOfThatOp() throws {
        let result = try SweepRunner.run(Self.mlp(fault: .hiddenLRUnscaled))
        let report = result.slopeReport()
        let entry = try #require(report.entry(op: "fc_2", t: 1, statistic: .deltaRMS))
        #expect(entry.verdict == .grows)
        #expect(entry.inheritedFrom == nil)
        let verdict = try #require(Diagnosis.judge(result.table, mode: result.plan.theoryMode)
            .first { $0.op == "fc_2" && $0.t == 1 && $0.statistic == .deltaRMS })
        #expect({ if case .learningRateTooLarge = verdict.explanation { true } else { false } }(), "\(verdict.message)")
        #expect(report.entry(op: "fc_2", t: 0, statistic: .l1)?.verdict == .ok)
        #expect(report.entry(op: "fc_1", t: 1, statistic: .deltaRMS)?.verdict == .ok)
    }

    @Test func autofixTurnsThePlantedBugOk() throws {
        let plan = Self.mlp(fault: .missingReadoutMultiplier)
        let outcome = try AutoFix.run(plan)
        #expect(outcome.corrections.deltaA == ["readout": 0.5])
        #expect(outcome.comparisons.first?.before?.verdict == .grows)
        #expect(outcome.comparisons.first?.after?.verdict == .ok)
        #expect(outcome.isVerified)
    }

    @Test func gptMuPIsOkAtInitAndBugsAreFound() throws {
        let correct = try SweepRunner.run(EngineFixtures.gptPlan(lr: 3e-3)).slopeReport()
        // Every op, including the attention logits' change after training (bounded by the aligned contraction
        // 1 − a + Δ(inputs) = 0 for µP's 1/d logits) and the softmax downstream of it, agrees with theory.
        #expect(correct.ops.allSatisfy { $0.verdict == .ok }, "\(EngineFixtures.listing(correct) { $0.verdict != .ok })")
        let qkChange = try #require(correct.entry(op: "blocks.0.attn.qk", t: 1, statistic: .deltaRMS))
        #expect(qkChange.expectedUpper.map { abs($0) < 1e-9 } == true, "\(qkChange.expectedRule ?? "no rule")")
        #expect(qkChange.verdict == .ok)
        let attentionRun = try SweepRunner.run(EngineFixtures.gptPlan(lr: 3e-3, fault: .attentionSqrtD))
        let attention = attentionRun.slopeReport()
        let judged = Diagnosis.judge(attentionRun.table, mode: attentionRun.plan.theoryMode)
        for block in 0..<2 {
            let entry = try #require(attention.entry(op: "blocks.\(block).attn.qk", t: 0, statistic: .l1))
            #expect(entry.verdict == .grows)
            #expect(abs((entry.suggestedDeltaA ?? 0) - 0.5) < 0.15)
            let verdict = try #require(judged.first { $0.op == entry.op && $0.t == 0 && $0.statistic == .l1 })
            #expect({ if case .blamed(_, _, _, hint: .attentionScaling) = verdict.explanation { true } else { false } }())
        }
        let embedding = try SweepRunner.run(EngineFixtures.gptPlan(lr: 3e-3, fault: .embeddingMultiplier)).slopeReport()
        let entry = try #require(embedding.entry(op: "tok_emb", t: 0, statistic: .l1))
        #expect(abs((entry.suggestedDeltaA ?? 0) + 0.5) < 0.15)
    }

    @Test func gptSPFlagsTheReadoutAndAttentionAgainstTheMuPTarget() throws {
        let report = try SweepRunner.run(EngineFixtures.gptPlan(.sp, lr: 3e-3)).slopeReport()
        #expect(report.entry(op: "readout", t: 1, statistic: .deltaRMS)?.verdict == .grows)
        #expect(abs((report.entry(op: "blocks.0.attn.qk", t: 0, statistic: .l1)?.suggestedDeltaA ?? 0) - 0.5) < 0.15)
    }
}
