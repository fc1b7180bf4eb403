import Testing
@testable import MaxPDiagnostics

@Suite("OpRole: one typed role for theory, verdicts and the importer")
struct OpRoleTests {
    @Test("our own parametrized ops keep their µP roles (structure first, then the kind's name)")
    func builtInRoles() {
        func role(kind: String, contracts: Bool = true, weight: Bool = true) -> OpRole {
            let exponents = ParametrizedExponents(a: 0, b: 0.5, r: 0, contractsOverWidth: contracts, hasWeight: weight)
            return OpRole(descriptor: OpDescriptor(op: "x", kind: kind, exponents: exponents), exponents: exponents)
        }
        #expect(role(kind: "embedding", contracts: false) == .input)
        #expect(role(kind: "attention_logits", weight: false) == .attentionLogits)
        #expect(role(kind: "readout") == .readout)
        #expect(role(kind: "lm_head") == .readout)
        #expect(role(kind: "hidden") == .hidden)
        let readout = ParametrizedExponents(a: 0, b: 0.5, r: 0.3, contractsOverWidth: true)
        #expect(OpRole.readout.muPExponents(like: readout) == ParametrizedExponents(a: 0.5, b: 0.5, r: 0, contractsOverWidth: true))
        #expect(OpRole.norm.muPExponents(like: readout) == readout)
    }

    @Test("mup's rule: slope 0 at init, at most 0 after training; a declared multiplier shifts an unparametrized rule")
    func thetaOneAndMultiplier() throws {
        let theory = Theory(ops: [OpDescriptor(op: "a", kind: "theta_one"),
                                  OpDescriptor(op: "n", kind: "norm", inputs: ["a"], multiplierA: 0.5)])
        let initial = try #require(theory.expectedSlope(of: "a", t: 0, statistic: .l1))
        #expect(initial.isPoint && initial.upper == 0)
        let trained = try #require(theory.expectedSlope(of: "a", t: 2, statistic: .l1))
        #expect(trained.isUpperBoundOnly && trained.upper == 0)
        #expect(theory.expectedSlope(of: "n", t: 0, statistic: .l1)?.upper == -0.5)
        #expect(theory.expectedSlope(of: "n", t: 0, statistic: .deltaRMS)?.isExactZero == true)
    }

    @Test("an op of unknown kind is unjudged, never ok")
    func unknownKindIsUnjudged() {
        let table = Fixtures.table(ops: [OpDescriptor(op: "loss", kind: "crossEntropy")], steps: 0) { _, _, _ in 0 }
        let verdicts = Diagnosis.judge(table, statistics: [.l1])
        #expect(verdicts.map(\.verdict) == [.unjudged])
        #expect({ if case .noRule = verdicts[0].explanation { true } else { false } }())
    }
}
