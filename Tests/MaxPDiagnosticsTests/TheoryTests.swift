import Testing
@testable import MaxPDiagnostics

@Suite struct TheoryTests {
    @Test func muPMLPAtInitHasReadoutMinusHalf() {
        let theory = Theory(ops: Fixtures.mlp())
        #expect(theory.expectedSlope(of: "fc_1", t: 0, statistic: .l1) == .point(0, rule: "−(a+b) = 0"))
        #expect(theory.expectedSlope(of: "relu_1", t: 0, statistic: .l1)?.upper == 0)
        #expect(theory.expectedSlope(of: "fc_2", t: 0, statistic: .rms)?.upper == 0)
        let readout = theory.expectedSlope(of: "readout", t: 0, statistic: .l1)
        #expect(readout?.isPoint == true && readout?.upper == -0.5)
        #expect(theory.expectedSlope(of: "readout", t: 0, statistic: .deltaRMS)?.isExactZero == true)
    }

    @Test func muPMLPAfterTraining() {
        let theory = Theory(ops: Fixtures.mlp())
        let delta = theory.expectedSlope(of: "readout", t: 1, statistic: .deltaRMS)!
        #expect(delta.isUpperBoundOnly && delta.upper == 0)
        let total = theory.expectedSlope(of: "readout", t: 2, statistic: .l1)!
        #expect(total.lower == -0.5 && total.upper == 0)
        #expect(theory.expectedSlope(of: "relu_2", t: 1, statistic: .deltaRMS)?.upper == 0)
    }

    @Test func standardParametrizationDeclaredAndMuPTarget() {
        // SP with Adam: readout a = 0, b = ½ → init slope 0; hidden r = −1 → Δ up to +1.
        let sp = Fixtures.mlp(readoutA: 0, hiddenR: -1, r: -1)
        let declared = Theory(ops: sp)
        #expect(declared.expectedSlope(of: "readout", t: 0, statistic: .l1)?.upper == 0)
        #expect(declared.expectedSlope(of: "fc_2", t: 1, statistic: .deltaRMS)?.upper == 1)
        let total = declared.expectedSlope(of: "fc_2", t: 1, statistic: .l1)!
        #expect(total.lower == 0 && total.upper == 1)
        let target = Theory(ops: sp, mode: .muPTarget)
        #expect(target.expectedSlope(of: "readout", t: 0, statistic: .l1)?.upper == -0.5)
        #expect(target.expectedSlope(of: "fc_2", t: 1, statistic: .deltaRMS)?.upper == 0)
        #expect(target.effectiveExponents(of: "readout")?.a == 0.5)
    }

    @Test func attentionRules() {
        let theory = Theory(ops: Fixtures.attention())
        #expect(theory.expectedSlope(of: "blocks.0.attn.qk", t: 0, statistic: .l1)?.upper == -0.5)
        #expect(theory.expectedSlope(of: "blocks.0.attn.mask", t: 0, statistic: .l1)?.upper == -0.5)
        #expect(theory.expectedSlope(of: "blocks.0.attn.softmax", t: 0, statistic: .l1)?.upper == 0)
        #expect(theory.expectedSlope(of: "blocks.0.attn.pv", t: 0, statistic: .l1)?.upper == 0)
        #expect(theory.expectedSlope(of: "blocks.0.ln", t: 0, statistic: .rms)?.upper == 0)
        #expect(theory.expectedSlope(of: "blocks.0.residual", t: 0, statistic: .l1)?.upper == 0)
        // A 1/√d bug is a = ½: the logits would be flat.
        var buggy = Fixtures.attention()
        buggy[5].exponents?.a = 0.5
        #expect(Theory(ops: buggy).expectedSlope(of: "blocks.0.attn.qk", t: 0, statistic: .l1)?.upper == 0)
    }

    @Test func attentionLogitsChangeIsBoundedByTheAlignedContraction() throws {
        // Δ(q·kᵀ) = n^-a (Δq·k + q·Δk + …): after training q and k may align, so the bound is 1 − a + Δ(inputs).
        let theory = Theory(ops: Fixtures.attention())
        let change = try #require(theory.expectedSlope(of: "blocks.0.attn.qk", t: 1, statistic: .deltaRMS))
        #expect(change.upper == 0 && change.lower == -.infinity)          // µP's 1/d: a Θ(1) change at most
        let softmax = try #require(theory.expectedSlope(of: "blocks.0.attn.softmax", t: 1, statistic: .deltaRMS))
        #expect(softmax.upper == 0)
        let total = try #require(theory.expectedSlope(of: "blocks.0.attn.qk", t: 1, statistic: .l1))
        #expect(total.lower == -0.5 && total.upper == 0)                  // between init (−½) and the change (0)
        var buggy = Fixtures.attention()
        buggy[5].exponents?.a = 0.5                                        // 1/√d: the change may grow like width^½
        #expect(Theory(ops: buggy).expectedSlope(of: "blocks.0.attn.qk", t: 1, statistic: .deltaRMS)?.upper == 0.5)
        #expect(Theory(ops: buggy).expectedSlope(of: "blocks.0.attn.qk", t: 0, statistic: .deltaRMS)?.isExactZero == true)
    }

    @Test func residualTakesMaxAndNormDeltaIsRelative() {
        let ops = [
            OpDescriptor(op: "x", kind: "input", exponents: ParametrizedExponents(a: -0.5, b: 0, r: -0.25, contractsOverWidth: false)),
            OpDescriptor(op: "y", kind: "input", exponents: ParametrizedExponents(a: 0.5, b: 0, r: 0, contractsOverWidth: false)),
            OpDescriptor(op: "sum", kind: "add", inputs: ["x", "y"]),
            OpDescriptor(op: "norm", kind: "rmsNorm", inputs: ["x"]),
            OpDescriptor(op: "zero", kind: "readout", inputs: ["sum"],
                         exponents: ParametrizedExponents(a: 0, b: 1, r: 0.5, contractsOverWidth: true, isZeroInitialized: true)),
            OpDescriptor(op: "loss", kind: "crossEntropy", inputs: ["zero"]),
        ]
        let theory = Theory(ops: ops)
        #expect(theory.expectedSlope(of: "sum", t: 0, statistic: .l1)?.upper == 0.5)
        #expect(theory.expectedSlope(of: "sum", t: 1, statistic: .deltaRMS)?.upper == 0.25)
        // norm Δ: slope(Δx) − slope(x) with Δx ≤ 0.25 and x ∈ [0.25, 0.5] at t = 1.
        let normDelta = theory.expectedSlope(of: "norm", t: 1, statistic: .deltaRMS)!
        #expect(normDelta.upper == 0.0 && normDelta.isUpperBoundOnly)
        #expect(theory.expectedSlope(of: "zero", t: 0, statistic: .l1)?.isExactZero == true)
        #expect(theory.expectedSlope(of: "zero", t: 1, statistic: .l1) == .point(-0.5, rule: "zero-initialized: total = Δ, −r = -0.5"))
        #expect(theory.expectedSlope(of: "loss", t: 0, statistic: .l1) == nil)
        #expect(theory.expectedSlope(of: "unknown-op", t: 0, statistic: .l1) == nil)
    }

    @Test func conditionalExpectationUsesMeasuredInputs() {
        let theory = Theory(ops: Fixtures.mlp())
        let conditional = theory.conditionalExpectedSlope(of: "fc_2", t: 0, statistic: .l1) { op, _, _ in
            op == "relu_1" ? 0.5 : nil
        }
        #expect(conditional?.upper == 0.5)
    }
}
