import Foundation
import MaxP
import Testing
@testable import MaxPDiagnostics

/// Depth coord checks of the small GPT (width 32, depths 2…16): nanoGPT-mup's CompleteP reference behaviour —
/// α = 1 flat, α = 0 a residual stream growing like depth^½ at init — with ops matched by relative position and
/// depth units in every message.
@Suite("Depth diagnosis")
struct DepthDiagnosisTests {
    static func plan(alpha: Double?, steps: Int = 1) -> SweepPlan {
        var training = TrainingOptions(parametrization: .mup, optimizer: .adam, learningRate: 1e-2)
        training.depthAlpha = alpha
        return SweepPlan(model: ModelOptions(family: .gpt, width: 32, heads: 2, sequenceLength: 8, vocabulary: 64, batch: 4),
                         training: training, axis: .depth, values: [2, 4, 8, 16], seeds: [0, 1, 2], steps: steps)
    }

    static func slope(_ report: SlopeReport, _ op: String, t: Int = 0, _ statistic: CoordStatistic = .rms) -> Double? {
        report.entry(op: op, t: t, statistic: statistic)?.slope
    }

    @Test func completePIsFlat() throws {
        let result = try SweepRunner.run(Self.plan(alpha: 1))
        #expect(result.table.metadata.depthAlpha == 1)
        let report = result.slopeReport()
        let listing = EngineFixtures.listing(report)
        for op in ["first.add#1", "middle.add#1", "last.add#1", "norm_f.layerNorm", "readout", "tok_emb"] {
            let entry = try #require(report.entry(op: op, t: 0, statistic: .rms), "\(op)\n\(listing)")
            #expect(entry.verdict == .ok, "\(op)\n\(listing)")
            #expect(abs(entry.slope ?? .nan) < 0.1, "\(op)\n\(listing)")
        }
        // Branch outputs carry depth^-1.
        for op in ["middle.attn.o", "last.mlp.fc_out"] {
            let entry = try #require(report.entry(op: op, t: 0, statistic: .rms), "\(op)\n\(listing)")
            #expect(entry.verdict == .ok && abs((entry.slope ?? .nan) + 1) < 0.1, "\(op)\n\(listing)")
        }
        // Matched by position, not name: no raw block op is a series; no width advice anywhere.
        #expect(!report.ops.contains { $0.op.hasPrefix("blocks.") })
        #expect(report.ops.allSatisfy { $0.suggestedDeltaA == nil && !$0.message.contains("width^") }, "\(listing)")
        #expect(!report.ops.contains { $0.verdict.isDeviation }, "\(listing)")
    }

    @Test func plainStreamGrowsLikeRootDepthAtInit() throws {
        let result = try SweepRunner.run(Self.plan(alpha: 0, steps: 0))
        let report = result.slopeReport()
        let listing = EngineFixtures.listing(report)
        let last = try #require(report.entry(op: "last.add#1", t: 0, statistic: .rms))
        #expect(last.verdict == .ok, "\(listing)")
        #expect((last.slope ?? 0) > 0.2, "\(listing)")
        #expect(last.expectedRule?.contains("depth^0.5") == true, "\(last.expectedRule ?? "")")
        // What the blocks add to the embedding, sqrt(rms(stream)² − rms(embedding)²), grows like depth^½ (a little
        // faster: at α = 0 the tokens' streams become alike with depth, so the attention outputs grow too).
        var samples: [SlopeSample] = []
        for depth in [2, 4, 8, 16] {
            for seed in 0..<3 {
                let rows = result.table.rows.filter { $0.axisValue == depth && $0.seed == seed && $0.t == 0 }
                let stream = try #require(rows.first { $0.op == "blocks.\(depth - 1).add#1" }).rms
                let embedding = try #require(rows.first { $0.op == "add" }).rms
                samples.append(SlopeSample(axisValue: depth, seed: seed, value: (stream * stream - embedding * embedding).squareRoot()))
            }
        }
        let increment = try #require(SlopeFit.fit(samples).slope)
        #expect(increment > 0.45 && increment < 0.65, "increment slope \(increment)")
        // Branch outputs stay flat (α = 0).
        #expect(report.entry(op: "last.mlp.fc_out", t: 0, statistic: .rms)?.verdict == .ok, "\(listing)")
    }

    @Test func aWrongBranchMultiplierIsFixedInDepthUnits() throws {
        // Built plain (α = 0) but declared CompleteP (α = 1): every branch output is depth^1 too large.
        var table = try SweepRunner.run(Self.plan(alpha: 0, steps: 0)).table
        table.metadata.depthAlpha = 1
        let verdicts = DepthDiagnosis.judge(table)
        let branch = try #require(verdicts.first { $0.op == "last.mlp.fc_out" && $0.statistic == .rms })
        #expect(branch.verdict == .grows, "\(branch.message)")
        let fix = try #require(branch.depthFix)
        #expect(fix.target == .branchMultiplier)
        #expect(abs(fix.exponent + 1) < 0.15, "\(fix.exponent)")
        guard case let .depthDeviates(.grows, _, _, explained?, alpha) = branch.explanation else {
            Issue.record("not a depth deviation: \(branch.explanation)")
            return
        }
        #expect(explained == fix && alpha == 1 && branch.reason == nil)
        #expect(branch.suggestedDeltaA == nil)
        // The prose, verbatim: the fix in depth units, the branch multiplier spelled out.
        #expect(branch.message.hasSuffix(": the residual branches behave as α = \(Theory.format(1 - (fix.deltaAlpha ?? 0))) "
            + "instead of the declared α = 1: multiply the branch output by depth^\(Theory.format(fix.exponent)) "
            + "(branch multiplier depth^-1)"), "\(branch.message)")
        #expect(!branch.message.contains("width"), "\(branch.message)")
        // The stream's deviation is the branches' doing.
        let stream = try #require(verdicts.first { $0.op == "last.add#1" && $0.statistic == .rms })
        #expect(!stream.verdict.isDeviation || stream.inheritedFrom != nil, "\(stream.message)")
        if let culprit = stream.inheritedFrom {
            guard case let .inheritedFromBranch(branch, _, _) = stream.explanation else {
                Issue.record("inherited without saying so: \(stream.explanation)")
                return
            }
            #expect(branch == culprit && stream.depthFix == nil)
        }
    }

    @Test func aPlainModelsUpdatesOutgrowTheStream() throws {
        // No depth-µP: every block updates by Θ(1) in the same direction, so the stream's change outgrows the stream.
        let verdicts = DepthDiagnosis.judge(try SweepRunner.run(Self.plan(alpha: nil)).table)
        let entry = try #require(verdicts.first { $0.op == "last.add#1" && $0.t == 1 && $0.statistic == .deltaRMS })
        #expect(entry.verdict == .grows && (entry.fit.slope ?? 0) > 0.6, "\(entry.message)")
        // The stream deviates with the branches it sums (it inherits their deviation); its own explanation still
        // names the depth-unit fix: the hidden learning rates.
        var explanation = entry.explanation
        if case let .inheritedFromBranch(branch, _, then) = explanation {
            #expect(entry.inheritedFrom == branch && entry.depthFix == nil)
            explanation = then
        }
        guard case let .depthDeviates(.grows, _, _, fix?, 0) = explanation else {
            Issue.record("no depth-unit fix in the explanation: \(entry.explanation)")
            return
        }
        #expect(fix.target == .hiddenLearningRate && fix.exponent < 0, "\(entry.message)")
        #expect(entry.depthFix == nil || entry.depthFix == fix)
    }

    @Test func finiteDepthBiasFadesWithoutTheSmallestDepth() {
        // The last block reads the stream after L − 1 of L blocks: a share (L−1)/L, flat only asymptotically.
        func samples(_ value: (Double) -> Double) -> [SlopeSample] {
            [2, 4, 8, 16].flatMap { depth in
                (0..<3).map { SlopeSample(axisValue: depth, seed: $0, value: value(Double(depth)) * (1 + 0.01 * Double($0))) }
            }
        }
        let theory = DepthTheory(ops: DepthTheoryTests.graph(depth: 4), alpha: 1, optimizer: "adam")
        func judged(_ samples: [SlopeSample]) -> OpVerdict {
            let verdict = DepthDiagnosis.judgeOne(series: "last.attn.q", kind: "hidden", t: 1, statistic: .deltaRMS,
                                                  fit: SlopeFit.fit(samples),
                                                  expectation: theory.expectedSlope(of: "last.attn.q", t: 1, statistic: .deltaRMS),
                                                  theory: theory, policy: .standard, axisValues: [2, 4, 8, 16], jump: nil)
            return DepthDiagnosis.reviewedWithoutSmallestDepth(verdict, samples: samples, policy: .standard)
        }
        let share = judged(samples { ($0 - 1) / $0 })
        #expect(share.verdict == .ok && share.reason == .finiteWidthBias, "\(share.message)")
        guard case let .finiteDepthBias(smallestDepth, slope, _, tight, then) = share.explanation else {
            Issue.record("not a finite-depth bias: \(share.explanation)")
            return
        }
        #expect(smallestDepth == 2 && tight && share.depthFix == nil, "\(share.message)")
        #expect(slope < (share.fit.slope ?? -.infinity), "the refit without depth 2 is flatter: \(share.message)")
        guard case .depthDeviates(.grows, _, _, _, _) = then else {
            Issue.record("the reviewed deviation is lost: \(then)")
            return
        }
        #expect(share.message.hasPrefix("finite-depth bias: without depth 2 the slope is depth^"), "\(share.message)")
        let growth = judged(samples { $0.squareRoot() })
        #expect(growth.verdict == .grows && growth.depthFix?.target == .hiddenLearningRate, "\(growth.message)")
    }

    @Test func depthReasonsKeepTheSlopesContract() {
        // A noisy branch output with 3 seeds: an interval too wide to decide, said in depths.
        let theory = DepthTheory(ops: DepthTheoryTests.graph(depth: 4), alpha: 1, optimizer: "adam")
        // depth^-1 times a seed-dependent factor that flips at depth 8: the per-seed slopes disagree.
        let factors: [[Double]] = [[0.3, 1, 3], [0.3, 1, 3], [3, 1, 0.3], [0.3, 1, 3]]
        var noisy: [SlopeSample] = []
        for (index, depth) in [2, 4, 8, 16].enumerated() {
            for seed in 0..<3 {
                noisy.append(SlopeSample(axisValue: depth, seed: seed, value: factors[index][seed] / Double(depth)))
            }
        }
        let wide = DepthDiagnosis.judgeOne(series: "last.attn.o", kind: "hidden", t: 0, statistic: .rms,
                                           fit: SlopeFit.fit(noisy),
                                           expectation: theory.expectedSlope(of: "last.attn.o", t: 0, statistic: .rms),
                                           theory: theory, policy: .standard, axisValues: [2, 4, 8, 16], jump: nil)
        #expect(wide.verdict == .inconclusive && wide.reason == .wideInterval && wide.depthFix == nil, "\(wide.message)")
        guard case let .depthIntervalTooWide(_, _, seeds, seedsNeeded) = wide.explanation else {
            Issue.record("not a wide interval: \(wide.explanation)")
            return
        }
        #expect(seeds == 3 && seedsNeeded == wide.seedsNeeded && (seedsNeeded ?? 0) > 3, "\(wide.message)")
        // Wrappers keep the contract's reason values; an inherited deviation keeps its own (none).
        let deviates = VerdictExplanation.depthDeviates(direction: .grows, slope: 1, deviation: 1, fix: nil, alpha: 1)
        #expect(VerdictExplanation.unstableAtSmallestDepth(step: 1, run: "seed 0", then: deviates).reason == .unstableTraining)
        #expect(VerdictExplanation.finiteDepthBias(smallestDepth: 2, slope: 0, halfWidth: 1, tight: false, then: deviates).reason
                    == .finiteWidthUndecided)
        #expect(VerdictExplanation.inheritedFromBranch(branch: "last.attn.o", deviation: 1, then: deviates).reason == nil)
        #expect(VerdictExplanation.zeroNotFittedOnDepth.reason == nil)
    }

    @Test func theMLPHasNoResidualStream() {
        var plan = EngineFixtures.mlpPlan()
        plan.training.depthAlpha = 1
        #expect(throws: ModelBuildError.invalid(setting: .depthAlpha, reason: DepthTheory.noResidualStreamInMLP)) {
            try plan.validate()
        }
    }
}
