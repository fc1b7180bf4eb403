import Foundation
import Testing
@testable import MaxPDiagnostics

@Suite struct VerdictTests {
    /// µP slopes: sizes as theory says at every t, Δ at −r = 0.
    static func muPSlope(_ op: String, _ t: Int, _ statistic: CoordStatistic) -> Double? {
        if statistic == .deltaRMS { return 0 }
        return op == "readout" && t == 0 ? -0.5 : 0
    }

    @Test func correctMuPIsOkEverywhere() {
        let table = Fixtures.table(ops: Fixtures.mlp(), steps: 2, slope: Self.muPSlope)
        let verdicts = Diagnosis.judge(table)
        #expect(verdicts.count == 5 * (2 + 2 * 3))
        for verdict in verdicts { #expect(verdict.verdict == .ok, "\(verdict.message)") }
    }

    @Test func aChangeDownstreamOfAnInitBugIsInheritedFromIt() {
        // 1/√d attention: q·kᵀ flat at init (δ = +½); after one step its own change stays within its bound, but the
        // softmax's change grows: that is the logits' doing, not a second bug.
        let table = Fixtures.table(ops: Fixtures.attention(), steps: 1) { op, t, statistic in
            if statistic == .deltaRMS { return op == "blocks.0.attn.softmax" ? 0.35 : 0 }
            return 0
        }
        let verdicts = Diagnosis.judge(table)
        let qk = verdicts.first { $0.op == "blocks.0.attn.qk" && $0.t == 0 && $0.statistic == .l1 }!
        #expect(qk.verdict == .grows && qk.inheritedFrom == nil && abs(qk.suggestedDeltaA! - 0.5) < 0.05)
        let softmax = verdicts.first { $0.op == "blocks.0.attn.softmax" && $0.t == 1 && $0.statistic == .deltaRMS }!
        #expect(softmax.verdict == .grows)
        #expect(softmax.inheritedFrom == "blocks.0.attn.qk")
        #expect(softmax.suggestedDeltaA == nil)
        #expect({ if case .downstreamOfInitCulprit("blocks.0.attn.qk", _, _) = softmax.explanation { true } else { false } }())
    }

    @Test func twoSeedsDoNotDecideASmallDeviation() {
        // Readout at −0.65 instead of −0.5 (δ = −0.15: beyond the 0.1 tolerance, within twice it).
        func slope(_ op: String, _ t: Int, _ statistic: CoordStatistic) -> Double? {
            op == "readout" ? -0.65 : Self.muPSlope(op, t, statistic)
        }
        let two = Fixtures.table(ops: Fixtures.mlp(), steps: 0, seeds: [0, 1], noise: 0.001, slope: slope)
        let fewSeeds = Diagnosis.judge(two).first { $0.op == "readout" && $0.statistic == .l1 }!
        #expect(fewSeeds.verdict == .inconclusive)
        #expect(fewSeeds.reason == .fewSeeds && fewSeeds.seedsNeeded == 3)
        let three = Fixtures.table(ops: Fixtures.mlp(), steps: 0, seeds: [0, 1, 2], noise: 0.001, slope: slope)
        #expect(Diagnosis.judge(three).first { $0.op == "readout" && $0.statistic == .l1 }!.verdict == .shrinks)
        // A large deviation is decided even with two seeds (a missing multiplier: δ = +0.5).
        let bug = Fixtures.table(ops: Fixtures.mlp(), steps: 0, seeds: [0, 1], noise: 0.001) { op, t, statistic in
            op == "readout" ? 0 : Self.muPSlope(op, t, statistic)
        }
        #expect(Diagnosis.judge(bug).first { $0.op == "readout" && $0.statistic == .l1 }!.verdict == .grows)
    }

    @Test func missingReadoutMultiplierIsBlamedWithDeltaA() {
        let table = Fixtures.table(ops: Fixtures.mlp(), steps: 0) { op, t, statistic in
            op == "readout" ? 0 : Self.muPSlope(op, t, statistic)
        }
        let readout = Diagnosis.judge(table).first { $0.op == "readout" && $0.statistic == .l1 }!
        #expect(readout.verdict == .grows)
        #expect(abs(readout.suggestedDeltaA! - 0.5) < 0.05)
        guard case let .blamed(own, declaredA, againstMuPTarget, hint) = readout.explanation else {
            Issue.record("not blamed: \(readout.message)")
            return
        }
        #expect(abs(own - 0.5) < 0.05 && declaredA == 0.5 && !againstMuPTarget && hint == .readoutMultiplier)
    }

    @Test func attentionSqrtDBugIsBlamedOnQKAndInheritedDownstream() {
        let table = Fixtures.table(ops: Fixtures.attention(), steps: 0) { op, _, _ in
            switch op {
            case "blocks.0.attn.qk", "blocks.0.attn.mask": 0  // 1/√d: flat instead of −½
            default: 0
            }
        }
        let verdicts = Diagnosis.judge(table)
        let qk = verdicts.first { $0.op == "blocks.0.attn.qk" && $0.statistic == .l1 }!
        #expect(qk.verdict == .grows)
        #expect(abs(qk.deviation! - 0.5) < 0.05)
        #expect(abs(qk.suggestedDeltaA! - 0.5) < 0.05)
        #expect(qk.inheritedFrom == nil)
        guard case let .blamed(own, declaredA, _, hint) = qk.explanation else {
            Issue.record("not blamed: \(qk.message)")
            return
        }
        #expect(abs(own - 0.5) < 0.05 && declaredA == 1 && hint == .attentionScaling)
        let mask = verdicts.first { $0.op == "blocks.0.attn.mask" && $0.statistic == .l1 }!
        #expect(mask.verdict == .grows)
        #expect(mask.inheritedFrom == "blocks.0.attn.qk")
        #expect(mask.suggestedDeltaA == nil)
        for op in ["blocks.0.attn.softmax", "blocks.0.attn.pv", "blocks.0.residual"] {
            #expect(verdicts.first { $0.op == op }!.verdict == .ok)
        }
    }

    @Test func upstreamBugIsInheritedThroughAChain() {
        // fc_1 behaves as if a were 0.5 too small: everything downstream carries +0.5.
        let table = Fixtures.table(ops: Fixtures.mlp(), steps: 0) { op, t, statistic in
            Self.muPSlope(op, t, statistic)! + 0.5
        }
        let verdicts = Diagnosis.judge(table).filter { $0.statistic == .rms }
        #expect(verdicts.map(\.verdict) == [.grows, .grows, .grows, .grows, .grows])
        #expect(verdicts.map(\.inheritedFrom) == [nil, "fc_1", "fc_1", "fc_1", "fc_1"])
        #expect(abs(verdicts[0].suggestedDeltaA! - 0.5) < 0.05)
        #expect(verdicts.dropFirst().allSatisfy { $0.suggestedDeltaA == nil })
    }

    @Test func unscaledHiddenLearningRatePointsAtC() {
        let table = Fixtures.table(ops: Fixtures.mlp(), steps: 1) { op, t, statistic in
            if t == 1 && op == "fc_2" { return 0.5 }
            return Self.muPSlope(op, t, statistic)
        }
        let delta = Diagnosis.judge(table).first { $0.op == "fc_2" && $0.t == 1 && $0.statistic == .deltaRMS }!
        #expect(delta.verdict == .grows)
        guard case let .learningRateTooLarge(_, r, excess) = delta.explanation else {
            Issue.record("no learning-rate advice: \(delta.message)")
            return
        }
        #expect(r == 0 && abs(excess - 0.5) < 0.05)
        #expect(delta.suggestedDeltaA == nil)
    }

    @Test func learningLessThanMaximallyIsNotABug() {
        let table = Fixtures.table(ops: Fixtures.mlp(), steps: 1) { op, t, statistic in
            statistic == .deltaRMS ? -0.6 : Self.muPSlope(op, t, statistic)
        }
        let delta = Diagnosis.judge(table).first { $0.op == "fc_2" && $0.statistic == .deltaRMS }!
        #expect(delta.verdict == .ok)
        #expect({ if case .agrees(_, _, learnsLessThanMaximally: true) = delta.explanation { true } else { false } }())
    }

    @Test func declaredSPIsUnstableAfterOneStep() {
        let sp = Fixtures.mlp(readoutA: 0, hiddenR: -1, r: -1)
        let table = Fixtures.table(ops: sp, steps: 1) { op, t, statistic in
            if t == 0 { return statistic == .deltaRMS ? 0 : 0 }
            return op == "fc_1" || op == "relu_1" ? 0 : (op == "readout" ? 1.7 : 0.9)
        }
        let verdicts = Diagnosis.judge(table)
        let hidden = verdicts.first { $0.op == "fc_2" && $0.t == 1 && $0.statistic == .deltaRMS }!
        #expect(hidden.verdict == .grows)
        #expect({ if case .unstableDeclared(r: -1, _) = hidden.explanation { true } else { false } }(), "\(hidden.message)")
        // Against the µP target the sizes grow too.
        let target = Diagnosis.judge(table, mode: .muPTarget)
        #expect(target.first { $0.op == "readout" && $0.t == 1 && $0.statistic == .l1 }!.verdict == .grows)
        #expect(target.first { $0.op == "readout" && $0.t == 0 && $0.statistic == .l1 }!.verdict == .grows)
    }

    @Test func wideIntervalIsInconclusiveAndSaysWhatWouldDecide() {
        let table = Fixtures.table(ops: Fixtures.mlp(), steps: 0, seeds: [0, 1, 2], widths: [64, 128, 256],
                                   noise: 0.6, randomSeed: 3) { op, t, statistic in Self.muPSlope(op, t, statistic) }
        let verdicts = Diagnosis.judge(table)
        let inconclusive = verdicts.filter { $0.verdict == .inconclusive }
        #expect(!inconclusive.isEmpty)
        for verdict in inconclusive {
            #expect(verdict.seedsNeeded! > 3)
            #expect(verdict.reason == .wideInterval)
            #expect({ if case .intervalTooWide(_, _, _, seeds: 3, _, _) = verdict.explanation { true } else { false } }())
        }
    }

    @Test func lossJumpsOnlyAtTheLargestWidthsAreTheInstabilityNotNoise() {
        // SP-like: the loss jumps at the two largest widths only, while fc_2 grows with width — the verdict stands.
        let largest = Set(Fixtures.widths.suffix(2))
        let series = Fixtures.widths.flatMap { w in
            (0..<3).map { LossSeries(axisValue: w, seed: $0, losses: [2.3, 2.0, largest.contains(w) ? 6.0 : 1.8]) }
        }
        let table = Fixtures.table(ops: Fixtures.mlp(), steps: 2, lossSeries: series) { op, t, statistic in
            t == 2 && op == "fc_2" ? 0.8 : Self.muPSlope(op, t, statistic)
        }
        let fc2 = Diagnosis.judge(table).first { $0.op == "fc_2" && $0.t == 2 && $0.statistic == .l1 }!
        #expect(fc2.verdict == .grows)
        #expect(!fc2.lossJumped)
        #expect(Diagnosis.lossJumps(series, ratio: 1.5, axisValues: Fixtures.widths).isEmpty)
        #expect(Diagnosis.lossJumps(series, ratio: 1.5)[2] != nil)  // without axis values every jump counts
    }

    @Test func lossJumpMakesDeviationsInconclusive() {
        let series = Fixtures.widths.flatMap { w in (0..<3).map { LossSeries(axisValue: w, seed: $0, losses: [2.3, 2.0, w == 64 ? 6.0 : 1.8]) } }
        let table = Fixtures.table(ops: Fixtures.mlp(), steps: 2, lossSeries: series) { op, t, statistic in
            t == 2 && op == "fc_2" ? 0.8 : Self.muPSlope(op, t, statistic)
        }
        let verdict = Diagnosis.judge(table).first { $0.op == "fc_2" && $0.t == 2 && $0.statistic == .l1 }!
        #expect(verdict.verdict == .inconclusive)
        #expect(verdict.lossJumped)
        #expect(verdict.reason == .lossJump)
        #expect({ if case .lossJump(step: 2, _, _) = verdict.explanation { true } else { false } }())
    }

    @Test func zeroInitializedAndDivergentOps() {
        var ops = Fixtures.mlp()
        ops[4].exponents?.isZeroInitialized = true
        var table = Fixtures.table(ops: ops, steps: 1) { op, t, statistic in
            op == "readout" && t == 0 ? nil : Self.muPSlope(op, t, statistic)
        }
        for index in table.rows.indices where table.rows[index].op == "fc_2" && table.rows[index].t == 1
            && table.rows[index].axisValue >= 1024 {
            table.rows[index].l1 = .nan
        }
        let verdicts = Diagnosis.judge(table)
        let zero = verdicts.first { $0.op == "readout" && $0.t == 0 && $0.statistic == .l1 }!
        #expect(zero.verdict == .zero)
        #expect(zero.explanation == .zeroAsExpected)
        let diverged = verdicts.first { $0.op == "fc_2" && $0.t == 1 && $0.statistic == .l1 }!
        #expect(diverged.verdict == .grows)
        #expect(diverged.fit.divergentAxisValues == [1024, 2048])
    }

    /// Golden maxP MLP runs: verdicts on the l1 seed values of the reference.
    @Test func goldenReferenceVerdicts() throws {
        let url = Fixtures.goldenDirectory().appendingPathComponent("coord_check_reference.json")
        let root = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        let widths = try #require((root["config"] as? [String: Any])?["widths"] as? [Int])
        let maxp = try #require(root["maxp"] as? [String: Any])
        let graph = [
            OpDescriptor(op: "fc_1", kind: "embedding", exponents: ParametrizedExponents(a: 0, b: 0, r: 0, contractsOverWidth: false)),
            OpDescriptor(op: "fc_2", kind: "hidden", inputs: ["fc_1"], exponents: ParametrizedExponents(a: 0, b: 0.5, r: 0, contractsOverWidth: true)),
            OpDescriptor(op: "fc_3", kind: "hidden", inputs: ["fc_2"], exponents: ParametrizedExponents(a: 0, b: 0.5, r: 0, contractsOverWidth: true)),
            OpDescriptor(op: "readout", kind: "readout", inputs: ["fc_3"], exponents: ParametrizedExponents(a: 0.5, b: 0.5, r: 0, contractsOverWidth: true)),
        ]
        func table(_ variant: String) throws -> CoordTable {
            let layers = try #require(maxp[variant] as? [String: Any])
            var rows: [CoordRow] = []
            for descriptor in graph {
                let perT = try #require((layers[descriptor.op] as? [String: Any])?["per_t"] as? [String: Any])
                for t in 0..<3 {
                    let values = try #require((perT["t\(t)"] as? [String: Any])?["l1_seed_values"] as? [[Double]])
                    for (w, seedValues) in zip(widths, values) {
                        for (seed, value) in seedValues.enumerated() {
                            rows.append(CoordRow(axisValue: w, seed: seed, t: t, op: descriptor.op, kind: descriptor.kind,
                                                 l1: value, rms: value, deltaRMS: 0))
                        }
                    }
                }
            }
            return CoordTable(metadata: CoordTableMetadata(axisValues: widths, seeds: [0, 1, 2], steps: 2, ops: graph), rows: rows)
        }
        func verdict(_ verdicts: [OpVerdict], _ op: String, _ t: Int) -> OpVerdict {
            verdicts.first { $0.op == op && $0.t == t }!
        }
        // Correct µP: every size verdict at init is ok, readout expected −½.
        let mup = Diagnosis.judge(try table("mup"), statistics: [.l1])
        for op in ["fc_1", "fc_2", "fc_3", "readout"] { #expect(verdict(mup, op, 0).verdict == .ok) }
        #expect(verdict(mup, "readout", 0).expected == -0.5)
        // Readout multiplier missing: caught at init on the readout with Δa ≈ ½.
        let readoutA0 = Diagnosis.judge(try table("misset_readout_a0"), statistics: [.l1])
        let readout = verdict(readoutA0, "readout", 0)
        #expect(readout.verdict == .grows)
        #expect(abs(readout.suggestedDeltaA! - 0.5) < 0.15)
        for op in ["fc_1", "fc_2", "fc_3"] { #expect(verdict(readoutA0, op, 0).verdict == .ok) }
        // Hidden LR not width-scaled: hidden sizes grow after one step; init is fine.
        let hiddenC0 = Diagnosis.judge(try table("misset_hidden_c0"), statistics: [.l1])
        #expect(verdict(hiddenC0, "fc_2", 1).verdict == .grows)
        #expect(verdict(hiddenC0, "fc_3", 1).verdict == .grows)
        #expect(verdict(hiddenC0, "fc_2", 0).verdict == .ok)
        // Plain SP against the µP target: hidden and readout grow after one step.
        let sp = Diagnosis.judge(try table("sp"), mode: .muPTarget, statistics: [.l1])
        #expect(verdict(sp, "fc_2", 1).verdict == .grows)
        #expect(verdict(sp, "fc_3", 1).verdict == .grows)
        #expect(verdict(sp, "readout", 1).verdict == .grows)
        #expect(verdict(sp, "fc_1", 1).verdict == .ok)
    }
}

@Suite struct SignedFormatTests {
    @Test func signedNumbersNeverReadPlusMinus() {
        #expect(Diagnosis.signed(0.5) == "+0.500")
        #expect(Diagnosis.signed(-0.25) == "-0.250")
        #expect(Diagnosis.signed(-1e-9) == "+0.000")
        #expect(Diagnosis.signed(0) == "+0.000")
    }
}
