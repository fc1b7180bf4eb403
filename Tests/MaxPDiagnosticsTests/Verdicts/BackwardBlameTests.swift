import MaxP
import Testing
@testable import MaxPDiagnostics

/// Issue 12 item 2: blame after training follows the backward graph (with SGD a wrong readout multiplier scales
/// every gradient flowing back) and the forward graph of a learning-rate culprit; autofix fixes `a` first and
/// judges `c` only on the re-run.
@Suite("Verdicts: backward-graph blame")
struct BackwardBlameTests {
    static func sgd(_ plan: SweepPlan) -> SweepPlan {
        var plan = plan
        plan.training.optimizer = .sgd
        return plan
    }

    static let gptMissingReadout = sgd(EngineFixtures.gptPlan(lr: 0.1, fault: .missingReadoutMultiplier))
    static let mlpMissingReadout = sgd(EngineFixtures.mlpPlan(lr: 0.1, fault: .missingReadoutMultiplier))

    @Test("SGD GPT: the embeddings' grown updates are inherited backward from the readout")
    func gptEmbeddingsInheritFromTheReadout() throws {
        let report = try SweepRunner.run(Self.gptMissingReadout).slopeReport()
        for op in ["tok_emb", "pos_emb"] {
            let change = try #require(report.entry(op: op, t: 1, statistic: .deltaRMS))
            #expect(change.inheritedFrom == "readout" && change.reason == .inheritedBackward,
                    "\(op): \(change.verdict.rawValue) \(change.message)")
        }
        #expect(report.entry(op: "readout", t: 0, statistic: .l1)?.verdict == .grows)
    }

    @Test("SGD GPT: autofix corrects only the readout's a")
    func gptAutofixFixesOnlyTheReadout() throws {
        let outcome = try AutoFix.run(Self.gptMissingReadout)
        #expect(outcome.corrections.deltaA == ["readout": 0.5])
        #expect(outcome.corrections.deltaC.isEmpty, "\(outcome.corrections.deltaC)")
        #expect(outcome.initFixed != nil)
        #expect(outcome.verification == .verified)
    }

    @Test("SGD MLP: autofix corrects only the readout's a")
    func mlpAutofixFixesOnlyTheReadout() throws {
        let outcome = try AutoFix.run(Self.mlpMissingReadout)
        #expect(outcome.corrections.deltaA == ["readout": 0.5])
        #expect(outcome.corrections.deltaC.isEmpty, "\(outcome.corrections.deltaC)")
    }

    @Test("an unscaled hidden learning rate is fixed at that op only, the readout's growth inherits it")
    func hiddenLearningRateIsFixedWhereItIs() throws {
        let before = try SweepRunner.run(EngineFixtures.mlpPlan(fault: .hiddenLRUnscaled))
        let report = before.slopeReport()
        let readout = try #require(report.entry(op: "readout", t: 1, statistic: .deltaRMS))
        #expect(readout.inheritedFrom == "fc_2", "\(readout.verdict.rawValue): \(readout.message)")
        let outcome = try AutoFix.fix(before)
        #expect(outcome.corrections.deltaA.isEmpty)
        #expect(outcome.corrections.deltaC == ["fc_2": 1.0])
    }

    @Test("with Adam the update size ignores the gradient's scale: nothing is inherited backward")
    func adamDoesNotInheritBackward() throws {
        let report = try SweepRunner.run(EngineFixtures.mlpPlan(fault: .missingReadoutMultiplier)).slopeReport()
        #expect(report.ops.allSatisfy { $0.reason != .inheritedBackward })
        #expect(Diagnosis.gradientScaleReachesUpstream("sgd") && !Diagnosis.gradientScaleReachesUpstream("adam")
                && !Diagnosis.gradientScaleReachesUpstream(nil))
    }

    @Test("a change growing faster than the learning-rate culprit upstream is its own (plain SP), a slower one inherits")
    func fasterGrowthDownstreamIsNotInherited() {
        func readoutChange(_ growth: Double) -> OpVerdict? {
            let table = Fixtures.table(ops: Fixtures.mlp(), steps: 1) { op, t, statistic in
                if statistic == .deltaRMS { return op == "fc_2" ? 1.0 : op == "readout" ? growth : 0 }
                return op == "readout" && t == 0 ? -0.5 : 0
            }
            return Diagnosis.judge(table).first { $0.op == "readout" && $0.t == 1 && $0.statistic == .deltaRMS }
        }
        let slower = readoutChange(0.8)
        #expect(slower?.verdict == .grows && slower?.inheritedFrom == "fc_2")
        #expect({ if case .downstreamOfLearningRateCulprit("fc_2", _) = slower?.explanation { true } else { false } }())
        let faster = readoutChange(1.5)
        #expect(faster?.verdict == .grows && faster?.inheritedFrom == nil)
        #expect({ if case .learningRateTooLarge = faster?.explanation { true } else { false } }())
    }
}
