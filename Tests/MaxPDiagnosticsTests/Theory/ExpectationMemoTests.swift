import Testing
@testable import MaxPDiagnostics

/// Theory's recursion on deep graphs: every (op, phase, statistic kind) is derived once, so a depth-16 transformer's
/// theory is as cheap as a depth-2 one per op (it used to be exponential: depth 8 took more than 13 minutes).
@Suite struct ExpectationMemoTests {
    /// A µP GPT-like graph of `depth` blocks: pre-norm attention and MLP branches on a residual stream.
    static func transformer(depth: Int) -> [OpDescriptor] {
        func hidden(_ name: String, _ input: String) -> OpDescriptor {
            OpDescriptor(op: name, kind: "hidden", inputs: [input],
                         exponents: ParametrizedExponents(a: 0, b: 0.5, r: 0, contractsOverWidth: true))
        }
        var ops = [OpDescriptor(op: "tok_emb", kind: "embedding", inputs: [],
                                exponents: ParametrizedExponents(a: 0, b: 0, r: 0, contractsOverWidth: false))]
        var stream = "tok_emb"
        for block in 0..<depth {
            let p = "blocks.\(block)."
            ops += [
                OpDescriptor(op: p + "ln1", kind: "layerNorm", inputs: [stream]),
                hidden(p + "attn.q", p + "ln1"), hidden(p + "attn.k", p + "ln1"), hidden(p + "attn.v", p + "ln1"),
                OpDescriptor(op: p + "attn.qk", kind: "attention_logits", inputs: [p + "attn.q", p + "attn.k"],
                             exponents: ParametrizedExponents(a: 1, b: 0, r: 0, contractsOverWidth: true, hasWeight: false)),
                OpDescriptor(op: p + "attn.mask", kind: "causalMask", inputs: [p + "attn.qk"]),
                OpDescriptor(op: p + "attn.softmax", kind: "softmax", inputs: [p + "attn.mask"]),
                OpDescriptor(op: p + "attn.pv", kind: "matmul", inputs: [p + "attn.softmax", p + "attn.v"]),
                hidden(p + "attn.out", p + "attn.pv"),
                OpDescriptor(op: p + "residual1", kind: "add", inputs: [stream, p + "attn.out"]),
                OpDescriptor(op: p + "ln2", kind: "layerNorm", inputs: [p + "residual1"]),
                hidden(p + "mlp.fc", p + "ln2"),
                OpDescriptor(op: p + "mlp.gelu", kind: "gelu", inputs: [p + "mlp.fc"]),
                hidden(p + "mlp.proj", p + "mlp.gelu"),
                OpDescriptor(op: p + "residual2", kind: "add", inputs: [p + "residual1", p + "mlp.proj"]),
            ]
            stream = p + "residual2"
        }
        ops.append(OpDescriptor(op: "ln_f", kind: "layerNorm", inputs: [stream]))
        ops.append(OpDescriptor(op: "readout", kind: "readout", inputs: ["ln_f"],
                                exponents: ParametrizedExponents(a: 0.5, b: 0.5, r: 0, contractsOverWidth: true)))
        return ops
    }

    /// Asks theory for every op at t = 0 and t = 1, every statistic; returns the theory for inspection.
    static func askEverything(_ ops: [OpDescriptor]) -> Theory {
        let theory = Theory(ops: ops)
        for op in ops {
            for t in [0, 1, 2] {
                for statistic in CoordStatistic.allCases { _ = theory.expectedSlope(of: op.op, t: t, statistic: statistic) }
            }
        }
        return theory
    }

    @Test func aDepthSixteenTransformerDerivesEachExpectationOnce() throws {
        let ops = Self.transformer(depth: 16)
        let theory = Self.askEverything(ops)
        // Four keys per op (t = 0 or not, size or change); l1 and rms share theirs.
        #expect(theory.memo.derivationCount <= 4 * ops.count)
        let stream = try #require(theory.expectedSlope(of: "blocks.15.residual2", t: 1, statistic: .deltaRMS))
        #expect(stream.upper == 0)
        let readout = try #require(theory.expectedSlope(of: "readout", t: 0, statistic: .l1))
        #expect(readout.isPoint && readout.upper == -0.5)
    }

    @Test func memoizedAnswersMatchAFreshTheoryAsked() {
        // The memo changes no answer: a theory asked everything first agrees with one asked a single question.
        let ops = Self.transformer(depth: 8)
        let warm = Self.askEverything(ops)
        for op in ops.map(\.op) {
            for t in [0, 1] {
                for statistic in CoordStatistic.allCases {
                    let cold = Theory(ops: ops).expectedSlope(of: op, t: t, statistic: statistic)
                    #expect(warm.expectedSlope(of: op, t: t, statistic: statistic) == cold, "\(op) t=\(t) \(statistic)")
                }
            }
        }
    }

    @Test func conditionalExpectationsAreNotStored() throws {
        // Measured input slopes change the answer; they must not leak into later unconditional questions.
        let ops = Self.transformer(depth: 2)
        let theory = Theory(ops: ops)
        let conditional = try #require(theory.conditionalExpectedSlope(of: "blocks.1.mlp.fc", t: 0, statistic: .l1) { op, _, _ in
            op == "blocks.1.ln2" ? 0.7 : nil
        })
        #expect(abs(conditional.upper - 0.7) < 1e-12)
        #expect(theory.expectedSlope(of: "blocks.1.mlp.fc", t: 0, statistic: .l1)?.upper == 0)
    }
}
