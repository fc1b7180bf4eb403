import Foundation
import MaxP

/// Exponent-LP benchmark: graph construction plus GLPK solve (including the exact recomputation of r), median of 200
/// runs each, in milliseconds.
///
/// - Returns: `(label, median milliseconds)` for a 12-layer and a 48-layer µP Adam chain (full alignment) and a
///   transformer-like DAG (4 blocks, the traced shape of the golden tiny-block case).
func runLPBenchmark() -> [(String, Double)] {
    let repetitions = 200
    var results: [(String, Double)] = []
    for layers in [12, 48] {
        let nodes = lpBenchmarkChainNodes(layers: layers)
        results.append(
            ("lp_chain_\(layers)_adam_full_ms", medianMilliseconds(repetitions) {
                let graph = try ExponentGraph.chain(nodes)
                return try ExponentLP.solve(graph, optimizer: .adam).objective
            }))
    }
    let transformer = lpBenchmarkTransformerNodes(blocks: 4)
    results.append(
        ("lp_transformer_4blocks_adam_full_ms", medianMilliseconds(repetitions) {
            try ExponentLP.solve(try ExponentGraph(nodes: transformer), optimizer: .adam).objective
        }))
    results.append(
        ("lp_transformer_4blocks_sgd_full_ms", medianMilliseconds(repetitions) {
            try ExponentLP.solve(try ExponentGraph(nodes: transformer), optimizer: .sgd).objective
        }))
    // The graph traced from the real GPT-style model (4 blocks, q·kᵀ marked as a parameter-free readout).
    if let traced = tracedGPTGraph(blocks: 4) {
        results.append(
            ("lp_traced_gpt_4blocks_adam_full_ms", medianMilliseconds(repetitions) {
                try ExponentLP.solve(try ExponentGraph(nodes: traced.nodes), optimizer: .adam).objective
            }))
    }
    return results
}

/// The exponent graph a ``Parametrization`` traces from one forward pass of the GPT-style model.
private func tracedGPTGraph(blocks: Int) -> ExponentGraph? {
    var generator = SeededGenerator(seed: 0)
    let model = GPTModel<Float>(
        GPTConfiguration(vocabulary: 64, width: 64, depth: blocks, heads: 4, sequenceLength: 8), using: &generator)
    model.markStandardRoles(logitsA: 1)
    let parametrization = try? Parametrization(model: model, configuration: .init(.mup)) { tape in
        _ = model(tokens: Array(0..<8), batch: 1, seqLen: 8, on: tape)
    }
    return parametrization?.graph
}

/// Median wall time of `body` over `repetitions` runs (after one warm-up), in milliseconds; NaN if it throws.
private func medianMilliseconds(_ repetitions: Int, _ body: () throws -> Double) -> Double {
    var sink = 0.0
    guard let warmUp = try? body() else { return .nan }
    sink += warmUp
    var times: [Double] = []
    times.reserveCapacity(repetitions)
    let clock = ContinuousClock()
    for _ in 0..<repetitions {
        let start = clock.now
        guard let value = try? body() else { return .nan }
        let elapsed = start.duration(to: clock.now)
        sink += value
        times.append(Double(elapsed.components.attoseconds) * 1e-15 + Double(elapsed.components.seconds) * 1e3)
    }
    precondition(sink.isFinite)
    times.sort()
    return times[times.count / 2]
}

/// emb → h0 … → head with µP exponents and full alignment.
private func lpBenchmarkChainNodes(layers: Int) -> [ExponentNode] {
    (0..<layers).map { index in
        if index == 0 { return ExponentNode(name: "emb", layerType: "embedding", a: -0.5, b: 0.5, width: 256) }
        if index == layers - 1 { return ExponentNode(name: "head", layerType: "readout", a: 0.5, b: 0.5, width: 256) }
        return ExponentNode(name: "h\(index - 1)", a: 0, b: 0.5, width: 256)
    }
}

/// Token and position embeddings, `blocks` attention + MLP blocks with residual MIN merges and a weightless `q·kᵀ`
/// node, and a readout.
private func lpBenchmarkTransformerNodes(blocks: Int) -> [ExponentNode] {
    var nodes = [
        ExponentNode(name: "tok_emb", layerType: "embedding", a: -0.5, b: 0.5, width: 64),
        ExponentNode(name: "pos_emb", layerType: "embedding", a: -0.5, b: 0.5, width: 64),
        ExponentNode(name: "_add_emb", layerType: "merge", a: 0, b: 0, hasWeight: false, predecessors: ["tok_emb", "pos_emb"]),
    ]
    var stream = "_add_emb"
    for block in 0..<blocks {
        let p = "blocks.\(block)."
        nodes += [
            ExponentNode(name: p + "q", a: 0, b: 0.5, width: 64, predecessors: [stream]),
            ExponentNode(name: p + "k", a: 0, b: 0.5, width: 64, predecessors: [stream]),
            ExponentNode(name: p + "v", a: 0, b: 0.5, width: 64, predecessors: [stream]),
            ExponentNode(
                name: p + "qk", layerType: "readout", a: 0.5, b: 0.5, hasWeight: false, width: 16,
                predecessors: [p + "q", p + "k"]),
            ExponentNode(
                name: p + "_attn", layerType: "merge", a: 0, b: 0, hasWeight: false, predecessors: [p + "qk", p + "v"]),
            ExponentNode(name: p + "proj", a: 0, b: 0.5, width: 64, predecessors: [p + "_attn"]),
            ExponentNode(
                name: p + "_res1", layerType: "merge", a: 0, b: 0, hasWeight: false, predecessors: [stream, p + "proj"]),
            ExponentNode(name: p + "fc1", a: 0, b: 0.5, width: 64, predecessors: [p + "_res1"]),
            ExponentNode(name: p + "fc2", a: 0, b: 0.5, width: 256, predecessors: [p + "fc1"]),
            ExponentNode(
                name: p + "_res2", layerType: "merge", a: 0, b: 0, hasWeight: false, predecessors: [p + "_res1", p + "fc2"]),
        ]
        stream = p + "_res2"
    }
    nodes.append(ExponentNode(name: "head", layerType: "readout", a: 0.5, b: 0.5, width: 64, predecessors: [stream]))
    return nodes
}
