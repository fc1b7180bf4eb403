import Testing
@testable import MaxP

@Suite("Tracing")
struct DataFlowTraceTests {
    @Test func mlpTracesToAChain() throws {
        var g = SeededGenerator(seed: 1)
        let model = MLP<Double>(MLPConfiguration(inputDimension: 5, width: 16, depth: 3, outputDimension: 2), using: &g)
        model.markStandardRoles()
        let p = try Parametrization(model: model, configuration: .init(.mup)) { tape in
            _ = model(tape.input(Tensor(repeating: 0.5, shape: [2, 5])))
        }
        #expect(p.graph.nodes.map(\.name) == ["fc_1", "fc_2", "fc_3", "readout"])
        #expect(p.graph.nodes.map(\.predecessors) == [[], ["fc_1"], ["fc_2"], ["fc_3"]])
        #expect(p.c == ["fc_1": 0.5, "fc_2": 1, "fc_3": 1, "readout": 0.5])
    }

    @Test func residualBecomesAMinMergeAndProductASumMerge() throws {
        var g = SeededGenerator(seed: 2)
        let emb = Linear<Double>(inputFeatures: 3, outputFeatures: 8, bias: false, using: &g)
        let gate = Linear<Double>(inputFeatures: 8, outputFeatures: 8, bias: false, using: &g)
        let up = Linear<Double>(inputFeatures: 8, outputFeatures: 8, bias: false, using: &g)
        let head = Linear<Double>(inputFeatures: 8, outputFeatures: 2, bias: false, using: &g)
        for (layer, name, role) in [(emb, "emb", "embedding"), (gate, "gate", "hidden"), (up, "up", "hidden"), (head, "head", "readout")] {
            layer.path = name
            layer.role = role
        }
        let tape = Tape<Double>(recordsGradients: false)
        let x = tape.input(Tensor(repeating: 1, shape: [1, 3]))
        let h = emb(x)
        let mixed = gate(h).silu() * up(h)        // SwiGLU-like product
        let y = head(mixed + h)                  // residual
        _ = y
        let trace = DataFlowTrace(tape: tape) { ["emb", "gate", "up", "head"].contains($0) }
        #expect(trace.nodes.map(\.name) == ["emb", "gate", "up", "_mul_0", "_add_1", "head"])
        #expect(trace.node(named: "_mul_0")?.mergeType == .sum)
        #expect(trace.node(named: "_mul_0")?.predecessors == ["gate", "up"])
        #expect(trace.node(named: "_add_1")?.mergeType == .min)
        #expect(trace.node(named: "_add_1")?.predecessors == ["_mul_0", "emb"])
        #expect(trace.node(named: "head")?.predecessors == ["_add_1"])
    }

    @Test func gptTracesToTheTinyBlockShapeWithoutTheDeadEndMerge() throws {
        var g = SeededGenerator(seed: 3)
        let model = GPTModel<Double>(
            GPTConfiguration(vocabulary: 13, width: 16, depth: 1, heads: 2, sequenceLength: 4), using: &g)
        model.markStandardRoles(logitsA: 1)
        let p = try Parametrization(model: model, configuration: .init(.mup)) { tape in
            _ = model(tokens: [1, 2, 3, 4], batch: 1, seqLen: 4, on: tape)
        }
        let preds = Dictionary(uniqueKeysWithValues: p.graph.nodes.map { ($0.name, $0.predecessors) })
        // spec §6.6 / golden dag_tinyblock: emb sum → {q, k, v}; qk ← (k, q); (qk, v) → merge → o; residual merges.
        #expect(preds["_add_0"] == ["pos_emb", "tok_emb"])
        for name in ["q", "k", "v"] { #expect(preds["blocks.0.attn.\(name)"] == ["_add_0"]) }
        #expect(preds["blocks.0.attn.qk"] == ["blocks.0.attn.k", "blocks.0.attn.q"])
        let qkNode = p.graph.node(named: "blocks.0.attn.qk")!
        #expect(qkNode.hasWeight == false && qkNode.mergeType == .min && qkNode.width == 8 && qkNode.a == 1)
        let mix = preds["blocks.0.attn.o"]!.first!
        #expect(preds[mix] == ["blocks.0.attn.qk", "blocks.0.attn.v"])
        let residual1 = preds["blocks.0.mlp.fc_in"]!.first!
        #expect(preds[residual1] == ["_add_0", "blocks.0.attn.o"])
        #expect(preds["blocks.0.mlp.fc_out"] == ["blocks.0.mlp.fc_in"])
        let residual2 = preds["readout"]!.first!
        #expect(preds[residual2] == [residual1, "blocks.0.mlp.fc_out"].sorted())
        // Every merge node is consumed by someone: no dead-end sinks besides the readout.
        #expect(p.graph.sinks == ["readout"])
        #expect(p.graph.nodes.filter { $0.layerType == "merge" }.count == 4)
        // Adam, full alignment: emb 0.5, projections 1, readout 0.5 (spec §6.6), qk r = 0.5·... ≥ 0.
        #expect(abs(p.c["tok_emb"]! - 0.5) < 1e-9 && abs(p.c["readout"]! - 0.5) < 1e-9)
        #expect(abs(p.c["blocks.0.attn.q"]! - 1) < 1e-9 && abs(p.c["blocks.0.mlp.fc_out"]! - 1) < 1e-9)
    }
}
