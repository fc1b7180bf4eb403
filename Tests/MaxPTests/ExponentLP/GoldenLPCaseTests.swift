import Testing
@testable import MaxP

@Suite("Exponent LP: golden cases")
struct GoldenLPCaseTests {
    @Test func everyGoldenCaseMatchesTheReference() throws {
        let cases = try ExponentLPGolden.lpCases()
        #expect(cases.count >= 70)
        var uniqueCount = 0
        for (problem, reference, _) in cases {
            let id = reference.id
            #expect(reference.result.status == "Optimal", "\(id)")
            let solution = try problem.solve()
            #expect(abs(solution.objective - reference.result.objective) < 1e-6, "\(id): objective \(solution.objective)")
            let weighted = problem.layers.filter(\.hasWeight).map(\.name)
            #expect(Set(solution.c.keys) == Set(weighted), "\(id)")
            #expect(Set(solution.r.keys) == Set(problem.layers.map(\.name)), "\(id)")
            for (name, r) in solution.r { #expect(r >= -1e-9, "\(id): r[\(name)] = \(r)") }
            // Σ free c equals the objective.
            let free = weighted.filter { problem.cFixed[$0] == nil }.map { solution.c[$0]! }.reduce(0, +)
            #expect(abs(free - solution.objective) < 1e-12, "\(id)")
            for (name, value) in problem.cFixed { #expect(solution.c[name] == value, "\(id)") }
            if problem.featureLearning {
                let graph = try problem.graph()
                for sink in graph.sinks {
                    for p in graph.node(named: sink)!.predecessors {
                        #expect(abs(solution.r[p]!) < 1e-9, "\(id): feature learning r[\(p)]")
                    }
                }
            }
            guard reference.result.cUnique else { continue }
            uniqueCount += 1
            for name in weighted {
                let expected = reference.result.c[name]!!
                #expect(abs(solution.c[name]! - expected) < 1e-6, "\(id): c[\(name)] \(solution.c[name]!) vs \(expected)")
            }
            for (name, expected) in reference.result.r {
                #expect(abs(solution.r[name]! - expected) < 1e-6, "\(id): r[\(name)] \(solution.r[name]!) vs \(expected)")
            }
        }
        #expect(uniqueCount >= 40)
    }

    /// Dropping the dead-end merge sink of the transformer SGD cases changes g_base and so Σc (spec §3.11).
    @Test func deadEndMergeSinkEntersGradientScale() throws {
        let cases = try ExponentLPGolden.lpCases()
        let (problem, reference, _) = try #require(cases.first { $0.reference.id == "dag_tinyblock_qk_a0.5_sgd_full" })
        let graph = try problem.graph()
        let pruned = try ExponentGraph(nodes: graph.nodes.filter { $0.name != "_add_1" })
        let solution = try ExponentLP.solve(pruned, optimizer: .sgd)
        #expect(abs(reference.result.objective - 8) < 1e-9)
        #expect(abs(solution.objective - 8) > 0.5)
    }
}
