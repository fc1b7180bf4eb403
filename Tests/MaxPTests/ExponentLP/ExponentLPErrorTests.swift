import Testing
@testable import MaxP

@Suite("Exponent LP: validation and errors")
struct ExponentLPErrorTests {
    typealias F = ExponentLPFixtures

    func nodes(emb: (Double, Double) = (-0.5, 0.5), hidden: (Double, Double) = (0, 0.5), head: (Double, Double) = (0.5, 0.5))
        -> [ExponentNode]
    {
        [
            ExponentNode(name: "emb", a: emb.0, b: emb.1),
            ExponentNode(name: "h0", a: hidden.0, b: hidden.1),
            ExponentNode(name: "head", a: head.0, b: head.1),
        ]
    }

    @Test func sourceValidation() throws {
        let graph = try ExponentGraph.chain(nodes(emb: (0, 0.5)))
        #expect(throws: ExponentLPError.self) { try ExponentLP.solve(graph, optimizer: .adam) }
        do {
            _ = try ExponentLP.solve(graph, optimizer: .adam)
        } catch {
            guard case .invalidExponents(let node, let role, let condition) = error else {
                Issue.record("wrong error \(error)")
                return
            }
            #expect(node == "emb" && role == .source && condition.contains("must be 0"))
            #expect(error.description.contains("source 'emb'"))
        }
    }

    @Test func interiorValidation() throws {
        let graph = try ExponentGraph.chain(nodes(hidden: (0.5, 0.5)))
        #expect(throws: ExponentLPError.invalidExponents(
            node: "h0", role: .interior,
            condition: "a+b = 1.0, must be 0.5 so hidden activations stay Θ(1) at initialisation")
        ) { try ExponentLP.solve(graph, optimizer: .sgd) }
        // Within numpy isclose tolerance passes.
        let close = try ExponentGraph.chain(nodes(hidden: (0, 0.5 + 1e-6)))
        _ = try ExponentLP.solve(close, optimizer: .adam)
    }

    @Test func sinkValidation() throws {
        let graph = try ExponentGraph.chain(nodes(head: (0.25, 0)))
        do {
            _ = try ExponentLP.solve(graph, optimizer: .adafactor)
            Issue.record("expected an error")
        } catch {
            guard case .invalidExponents("head", .sink, let condition) = error else {
                Issue.record("wrong error \(error)")
                return
            }
            #expect(condition.contains("≥ 0.5"))
        }
        // a+b > 0.5 is fine for a sink (mfp readout).
        _ = try ExponentLP.solve(try ExponentGraph.chain(nodes(head: (1, 0))), optimizer: .adam)
        // An embedding-typed node with a predecessor is interior by position and fails.
        let misplaced = try ExponentGraph.chain(
            [ExponentNode(name: "emb", a: -0.5, b: 0.5), ExponentNode(name: "emb2", a: -0.5, b: 0.5), ExponentNode(name: "head", a: 0.5, b: 0.5)])
        #expect(throws: ExponentLPError.self) { try ExponentLP.solve(misplaced, optimizer: .adam) }
    }

    @Test func activationOnlyNodesAreNotValidated() throws {
        let graph = try ExponentGraph(nodes: [
            ExponentNode(name: "emb", a: -0.5, b: 0.5),
            ExponentNode(name: "act", a: 0.3, b: 7, hasWeight: false, predecessors: ["emb"]),
            ExponentNode(name: "head", a: 0.5, b: 0.5, predecessors: ["act"]),
        ])
        let solution = try ExponentLP.solve(graph, optimizer: .adam)
        #expect(solution.c["act"] == nil && solution.r["act"] != nil)
    }

    @Test func infeasibleFixedCIsReported() throws {
        let graph = try F.chain(layers: 3)
        do {
            _ = try ExponentLP.solve(graph, optimizer: .adam, fixedC: ["emb": -1])
            Issue.record("expected infeasible")
        } catch {
            guard case .infeasible(let reason) = error else {
                Issue.record("wrong error \(error)")
                return
            }
            #expect(reason.contains("source 'emb'"))
            #expect(reason.contains("emb=-1.0"))
        }
        // A downstream node is named when the trouble is there: readout c fixed far too low.
        do {
            _ = try ExponentLP.solve(graph, optimizer: .adam, fixedC: ["head": -3])
            Issue.record("expected infeasible")
        } catch {
            guard case .infeasible(let reason) = error else {
                Issue.record("wrong error \(error)")
                return
            }
            #expect(reason.contains("sink 'head'"))
        }
    }

    @Test func featureLearningExactMinDetectsInfeasibility() throws {
        // Adafactor emb → h0 → head, h0 alignment (.3,.3,.3): r_h0 ≥ 0.2 always, so r_h0 = 0 is impossible even
        // though the relaxation would accept it (spec §3.11).
        let graph = try F.chain(
            layers: 3, alignments: [.full, Alignment(alpha: 0.3, omega: 0.3, u: 0.3), .full])
        let plain = try ExponentLP.solve(graph, optimizer: .adafactor)
        #expect(plain.r["h0"]! >= 0.2 - 1e-9)
        #expect {
            try ExponentLP.solve(graph, optimizer: .adafactor, featureLearning: true)
        } throws: { error in
            guard case ExponentLPError.infeasible(let reason) = error else { return false }
            return reason.contains("'h0'")
        }
    }

    @Test func exactMILPMatchesGoldenFeatureLearningCases() throws {
        let cases = try ExponentLPGolden.lpCases().filter { $0.problem.featureLearning }
        #expect(cases.count >= 4)
        for (problem, reference, _) in cases {
            let program = ExponentProgram(
                graph: try problem.graph(), optimizer: try problem.optimizerKind(), fixedC: problem.cFixed)
            let nodes = ExponentLP.featureLearningNodes(of: program.graph)
            let freeC = try ExponentLP.solveExactly(program, featureLearningNodes: nodes)
            let r = program.forwardExponents(freeC: freeC).r
            let objective = program.graph.nodes.indices.filter { program.hasFreeC[$0] }.map { freeC[$0] }.reduce(0, +)
            #expect(abs(objective - reference.result.objective) < 1e-6, "\(reference.id)")
            for index in nodes { #expect(abs(r[index]) < 1e-9, "\(reference.id)") }
            #expect(r.allSatisfy { $0 >= -1e-9 })
        }
    }

    @Test func implausibleAlignmentIsRefused() throws {
        let graph = try F.chain(layers: 3, alignment: Alignment(alpha: 100, omega: 100, u: 100))
        #expect {
            try ExponentLP.solve(graph, optimizer: .adam)
        } throws: { error in
            guard case ExponentLPError.implausibleAlignment(let node, _, 100) = error else { return false }
            return node == "h0" && "\(error)".contains("implausible")
        }
        let nan = try F.chain(layers: 3, alignment: Alignment(alpha: .nan, omega: 0.5, u: 1))
        #expect(throws: ExponentLPError.self) { try ExponentLP.solve(nan, optimizer: .adam) }
    }

    @Test func badFixedC() throws {
        let graph = try ExponentGraph(nodes: [
            ExponentNode(name: "emb", a: -0.5, b: 0.5),
            ExponentNode(name: "act", a: 0, b: 0, hasWeight: false, predecessors: ["emb"]),
            ExponentNode(name: "head", a: 0.5, b: 0.5, predecessors: ["act"]),
        ])
        #expect(throws: ExponentLPError.unknownNode("nope", referencedBy: "the fixed c")) {
            try ExponentLP.solve(graph, optimizer: .adam, fixedC: ["nope": 0])
        }
        #expect(throws: ExponentLPError.self) { try ExponentLP.solve(graph, optimizer: .adam, fixedC: ["act": 0]) }
        #expect(throws: ExponentLPError.self) { try ExponentLP.solve(graph, optimizer: .adam, fixedC: ["emb": .infinity]) }
    }

    @Test func optimizerNames() throws {
        #expect(OptimizerKind(parsing: "ADAM") == .adam)
        #expect(OptimizerKind(parsing: "Sgd") == .sgd)
        #expect(OptimizerKind(parsing: "AdaFactor") == .adafactor)
        #expect(OptimizerKind(parsing: "lion") == nil)
        let graph = try F.chain(layers: 3)
        #expect(throws: ExponentLPError.unknownOptimizer("lion")) { try ExponentLP.solve(graph, optimizerNamed: "lion") }
        #expect("\(ExponentLPError.unknownOptimizer("lion"))".contains("'adam', 'sgd' or 'adafactor'"))
        #expect(try ExponentLP.solve(graph, optimizerNamed: "Adam") == ExponentLP.solve(graph, optimizer: .adam))
    }

    @Test func graphStructureErrors() throws {
        #expect(throws: ExponentLPError.emptyGraph) { try ExponentGraph(nodes: []) }
        #expect(throws: ExponentLPError.noSource) {
            try ExponentGraph(nodes: [
                ExponentNode(name: "a", a: 0, b: 0.5, predecessors: ["b"]),
                ExponentNode(name: "b", a: 0, b: 0.5, predecessors: ["a"]),
            ])
        }
        #expect(throws: ExponentLPError.noSink) {
            try ExponentGraph(nodes: [
                ExponentNode(name: "emb", a: -0.5, b: 0.5),
                ExponentNode(name: "a", a: 0, b: 0.5, predecessors: ["emb", "b"]),
                ExponentNode(name: "b", a: 0, b: 0.5, predecessors: ["a"]),
            ])
        }
        #expect(throws: ExponentLPError.cycle(nodes: ["a", "b", "head"])) {
            try ExponentGraph(nodes: [
                ExponentNode(name: "emb", a: -0.5, b: 0.5),
                ExponentNode(name: "a", a: 0, b: 0.5, predecessors: ["emb", "b"]),
                ExponentNode(name: "b", a: 0, b: 0.5, predecessors: ["a"]),
                ExponentNode(name: "head", a: 0.5, b: 0.5, predecessors: ["b"]),
            ])
        }
        #expect(throws: ExponentLPError.duplicateNode("x")) {
            try ExponentGraph(nodes: [ExponentNode(name: "x", a: 0, b: 0), ExponentNode(name: "x", a: 0, b: 0)])
        }
        #expect(throws: ExponentLPError.self) {
            try ExponentGraph(nodes: [ExponentNode(name: "x", a: 0, b: 0), ExponentNode(name: "y", a: 0, b: 0, predecessors: ["z"])])
        }
        #expect(throws: ExponentLPError.self) {
            try ExponentGraph(nodes: [ExponentNode(name: "x", a: 0, b: 0), ExponentNode(name: "y", a: 0, b: 0, predecessors: ["x", "x"])])
        }
    }

    @Test func rolesAndTopologicalOrder() throws {
        let graph = try ExponentGraph(nodes: [
            ExponentNode(name: "head", a: 0.5, b: 0.5, predecessors: ["m"]),
            ExponentNode(name: "m", a: 0, b: 0, hasWeight: false, predecessors: ["zeta", "alpha"]),
            ExponentNode(name: "zeta", a: 0, b: 0.5, predecessors: ["emb"]),
            ExponentNode(name: "alpha", a: 0, b: 0.5, predecessors: ["emb"]),
            ExponentNode(name: "emb", a: -0.5, b: 0.5),
            ExponentNode(name: "lonely", a: 0, b: 0),
        ])
        #expect(graph.topologicalOrder == ["emb", "alpha", "lonely", "zeta", "m", "head"])
        #expect(graph.role(of: "emb") == .source && graph.role(of: "lonely") == .source)
        #expect(graph.role(of: "alpha") == .interior && graph.role(of: "m") == .interior)
        #expect(graph.role(of: "head") == .sink)
        #expect(graph.sources == ["emb", "lonely"] && graph.sinks == ["head", "lonely"])
        #expect(graph.successors(of: "emb") == ["zeta", "alpha"])
        // Every golden case lists its layers in the reference's topological order.
        for (problem, reference, _) in try ExponentLPGolden.lpCases() {
            #expect(try problem.graph().topologicalOrder == problem.layers.map(\.name), "\(reference.id)")
        }
    }

    @Test func solveForParametrizationShortcuts() throws {
        // One weighted node: no LP, c = fixed or 0.
        let single = try ExponentGraph(nodes: [
            ExponentNode(name: "emb", a: 0.7, b: 0.9),
            ExponentNode(name: "act", a: 0, b: 0, hasWeight: false, predecessors: ["emb"]),
        ])
        #expect(try ExponentLP.solveForParametrization(single, optimizer: .adam).c == ["emb": 0])
        #expect(try ExponentLP.solveForParametrization(single, optimizer: .adam, fixedC: ["emb": 0.25]).c == ["emb": 0.25])
        // All fixed: returned as is, without validation (head's a+b < 0.5 would otherwise fail).
        let graph = try ExponentGraph.chain(nodes(head: (0.1, 0)))
        let fixed = ["emb": 0.0, "h0": 0.5, "head": 1.0]
        let solution = try ExponentLP.solveForParametrization(graph, optimizer: .adam, fixedC: fixed)
        #expect(solution.c == fixed && solution.objective == 0)
        #expect(throws: ExponentLPError.self) { try ExponentLP.solve(graph, optimizer: .adam, fixedC: fixed) }
        // Otherwise the LP; fixed readout 0.5 as in spec §4.1.
        let mup = try F.chain(layers: 3)
        let mixed = try ExponentLP.solveForParametrization(mup, optimizer: .adam, fixedC: ["head": 0.5])
        #expect(mixed.c["head"] == 0.5 && abs(mixed.c["emb"]! - 0.5) < 1e-9 && abs(mixed.c["h0"]! - 1) < 1e-9)
        #expect(abs(mixed.objective - 1.5) < 1e-9)
    }

    @Test func chainSolverAgreesWithGraphSolver() throws {
        var generator = SeededGenerator(seed: 77)
        for trial in 0..<40 {
            let layers = 2 + trial % 5
            let optimizer: OptimizerKind = trial % 2 == 0 ? .adam : .sgd
            let alignments = (0..<layers).map { _ in
                Alignment(alpha: 0.3 + 0.8 * generator.nextUnit(), omega: 0.3 + 0.4 * generator.nextUnit(), u: 0.3 + 0.8 * generator.nextUnit())
            }
            let graph = try F.chain(layers: layers, alignments: alignments)
            let solution = try ExponentLP.solve(graph, optimizer: optimizer)
            let legacy = try ExponentLP.solveChain(
                a: graph.nodes.map(\.a), b: graph.nodes.map(\.b), alignments: alignments, optimizer: optimizer)
            #expect(abs(legacy.c.reduce(0, +) - solution.objective) < 1e-6, "trial \(trial)")
            // The legacy c is feasible for the graph program, with the same exact r.
            let program = ExponentProgram(graph: graph, optimizer: optimizer, fixedC: [:])
            let r = program.forwardExponents(freeC: legacy.c).r
            #expect(isClose(r, legacy.r, tolerance: 1e-12), "trial \(trial)")
            #expect(r.allSatisfy { $0 >= -1e-9 })
        }
        // On golden chain cases with a unique optimum, c and r agree exactly.
        var compared = 0
        for (problem, reference, _) in try ExponentLPGolden.lpCases()
        where reference.id.hasPrefix("chain_") && reference.result.cUnique && problem.cFixed.isEmpty
            && !problem.featureLearning && problem.optimizer != "adafactor"
        {
            let graph = try problem.graph()
            let legacy = try ExponentLP.solveChain(
                a: graph.nodes.map(\.a), b: graph.nodes.map(\.b), alignments: graph.nodes.map(\.alignment),
                optimizer: try problem.optimizerKind())
            let solution = try problem.solve()
            #expect(isClose(legacy.c, graph.nodes.map { solution.c[$0.name]! }), "\(reference.id)")
            #expect(isClose(legacy.r, graph.nodes.map { solution.r[$0.name]! }), "\(reference.id)")
            compared += 1
        }
        #expect(compared >= 8)
    }
}
