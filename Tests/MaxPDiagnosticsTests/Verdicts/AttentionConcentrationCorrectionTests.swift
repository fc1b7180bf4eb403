import Foundation
import Testing
import MaxP
import _MaxPTestSupport
@testable import MaxPDiagnostics

/// Attention at t = 0 with few tokens (issue 12, item 1): the softmax-weighted average shrinks with width because
/// the attention flattens as the head dimension grows; once divided by the measured concentration it agrees with
/// theory, and a wrong logit scaling is still caught.
@Suite struct AttentionConcentrationCorrectionTests {
    /// The grid's small GPT at init: 2 heads, 8 tokens, 32 ids, batch 4, widths 32…256, 3 seeds, base width 64 (the CLI's).
    static func plan(depth: Int = 1, fault: Fault? = nil) -> SweepPlan {
        SweepPlan(model: ModelOptions(family: .gpt, depth: depth, heads: 2, sequenceLength: 8, vocabulary: 32, batch: 4),
                  training: TrainingOptions(parametrization: .mup, optimizer: .adam, learningRate: 0.01, baseWidth: 64),
                  values: [32, 64, 128, 256], seeds: [0, 1, 2], steps: 0, fault: fault)
    }

    @Test func theAttentionOutputOfACorrectMuPGPTIsNotFlaggedAtInit() throws {
        let report = try SweepRunner.run(Self.plan()).slopeReport()
        let flagged = report.ops.filter { $0.t == 0 && $0.verdict.isDeviation }
        #expect(flagged.isEmpty, "\(EngineFixtures.listing(report) { $0.t == 0 && $0.verdict.isDeviation })")
        let matmul = try #require(report.entry(op: "blocks.0.attn.matmul", t: 0, statistic: .l1))
        // The uncorrected slope still reads the finite-width shrinkage; the reason names it.
        #expect((matmul.slope ?? 0) < -0.05)
        #expect(matmul.reason == .finiteWidthBias || matmul.reason == .finiteWidthUndecided, "\(matmul.message)")
        #expect(matmul.message.contains("concentration"))
    }

    @Test func aWrongLogitScalingIsStillCaughtAtTheLogits() throws {
        let report = try SweepRunner.run(Self.plan(depth: 2, fault: .attentionSqrtD)).slopeReport()
        for op in ["blocks.0.attn.qk", "blocks.1.attn.qk"] {
            let entry = try #require(report.entry(op: op, t: 0, statistic: .l1))
            #expect(entry.verdict == .grows && entry.inheritedFrom == nil, "\(entry.message)")
            #expect(abs((entry.suggestedDeltaA ?? 0) - 0.5) <= 0.05, "\(entry.message)")
        }
    }

    @Test func aShrinkingAverageWithFlatAttentionStaysADeviation() throws {
        // The same shrinkage of probs·V, but with a softmax whose concentration does not change with width: nothing
        // explains it, so it is still flagged.
        let ops = Fixtures.attention()
        let table = Fixtures.table(ops: ops, steps: 0, widths: [32, 64, 128, 256]) { op, _, _ in
            switch op {
            case "blocks.0.attn.qk": -0.5
            case "blocks.0.attn.pv": -0.3
            default: 0
            }
        }
        let verdicts = Diagnosis.judge(table)
        let pv = try #require(verdicts.first { $0.op == "blocks.0.attn.pv" && $0.statistic == .l1 })
        #expect(pv.verdict == .shrinks, "\(pv.message)")
    }
}
