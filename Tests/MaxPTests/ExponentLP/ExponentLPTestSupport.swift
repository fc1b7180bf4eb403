@testable import MaxP

/// Builders shared by the exponent-LP tests.
enum ExponentLPFixtures {
    /// `(a, b)` for embedding, hidden and readout under a named parametrization (spec §8.3).
    static func abTable(_ name: String) -> [(a: Double, b: Double)] {
        switch name {
        case "sp": return [(0, 0), (0, 0.5), (0, 0.5)]
        case "mup": return [(-0.5, 0.5), (0, 0.5), (0.5, 0.5)]
        case "ntk": return [(0, 0), (0.5, 0), (0.5, 0)]
        case "mfp": return [(0, 0), (0.5, 0), (1, 0)]
        default: preconditionFailure("unknown parametrization \(name)")
        }
    }

    /// A chain emb → h0 → … → head with `layers` weighted nodes under a named parametrization; `alignments` per
    /// layer (defaults to `alignment` everywhere).
    static func chain(
        layers: Int, parametrization: String = "mup", alignment: Alignment = .full, alignments: [Alignment]? = nil
    ) throws -> ExponentGraph {
        let table = abTable(parametrization)
        let nodes = (0..<layers).map { index -> ExponentNode in
            let (name, type, ab): (String, String, (a: Double, b: Double)) =
                index == 0
                ? ("emb", "embedding", table[0])
                : index == layers - 1 ? ("head", "readout", table[2]) : ("h\(index - 1)", "hidden", table[1])
            return ExponentNode(
                name: name, layerType: type, a: ab.a, b: ab.b, width: 64,
                alignment: alignments?[index] ?? alignment)
        }
        return try ExponentGraph.chain(nodes)
    }

    /// c in chain order (emb, h0, …, head).
    static func orderedC(_ solution: ExponentSolution, _ graph: ExponentGraph) -> [Double] {
        graph.nodes.map { solution.c[$0.name]! }
    }
}

/// Element-wise closeness of two arrays.
func isClose(_ lhs: [Double], _ rhs: [Double], tolerance: Double = 1e-6) -> Bool {
    lhs.count == rhs.count && zip(lhs, rhs).allSatisfy { abs($0 - $1) <= tolerance }
}
