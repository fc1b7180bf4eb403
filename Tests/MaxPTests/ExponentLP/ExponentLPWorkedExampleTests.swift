import Testing
@testable import MaxP

@Suite("Exponent LP: worked examples (spec §4)")
struct ExponentLPWorkedExampleTests {
    typealias F = ExponentLPFixtures

    @Test func mupChainAdamFull() throws {
        let graph = try F.chain(layers: 3)
        let solution = try ExponentLP.solve(graph, optimizer: .adam)
        #expect(isClose(F.orderedC(solution, graph), [0.5, 1, 0.5]))
        #expect(solution.r.values.allSatisfy { abs($0) < 1e-9 })
        #expect(abs(solution.objective - 2) < 1e-9)
    }

    @Test func mupChainAdamNoAndSGDFull() throws {
        let graph = try F.chain(layers: 3, alignment: .none)
        #expect(isClose(F.orderedC(try ExponentLP.solve(graph, optimizer: .adam), graph), [0.5, 0.5, 0]))
        let full = try F.chain(layers: 3)
        #expect(isClose(F.orderedC(try ExponentLP.solve(full, optimizer: .sgd), full), [0, 0, 0]))
        let four = try F.chain(layers: 4)
        #expect(isClose(F.orderedC(try ExponentLP.solve(four, optimizer: .adam), four), [0.5, 1, 1, 0.5]))
    }

    @Test func zeroAlignmentAndEmbeddingC() throws {
        let zero = Alignment(alpha: 0, omega: 0, u: 0)
        let graph = try F.chain(layers: 3, alignment: zero)
        let solution = try ExponentLP.solve(graph, optimizer: .adam)
        #expect(isClose(F.orderedC(solution, graph), [0.5, 0, -0.5]))
        #expect(abs(solution.c["emb"]! + graph.node(named: "emb")!.a) < 1e-9)  // c_emb = −a_emb
    }

    @Test func fiveLayerMixedAlignments() throws {
        let alignments = [
            Alignment.full, Alignment(alpha: 0.8, omega: 0.3, u: 0.6), .full, Alignment(alpha: 0.5, omega: 0.2, u: 0.3),
            .full,
        ]
        let graph = try F.chain(layers: 5, alignments: alignments)
        let solution = try ExponentLP.solve(graph, optimizer: .adam)
        #expect(isClose(F.orderedC(solution, graph), [0.5, 0.8, 1.0, 0.5, 0.5]))
    }

    /// emb → {gate, up} → down (SUM) → head.
    func swiglu(down: Alignment) throws -> ExponentGraph {
        try ExponentGraph(nodes: [
            ExponentNode(name: "emb", layerType: "embedding", a: -0.5, b: 0.5),
            ExponentNode(name: "gate", a: 0, b: 0.5, predecessors: ["emb"]),
            ExponentNode(name: "up", a: 0, b: 0.5, predecessors: ["emb"]),
            ExponentNode(
                name: "_mul_", layerType: "merge", a: 0, b: 0, hasWeight: false, predecessors: ["gate", "up"],
                mergeType: .sum),
            ExponentNode(name: "down", a: 0, b: 0.5, predecessors: ["_mul_"], alignment: down),
            ExponentNode(name: "head", layerType: "readout", a: 0.5, b: 0.5, predecessors: ["down"]),
        ])
    }

    @Test func swigluPerOpC() throws {
        let measured = try swiglu(down: Alignment(alpha: 0.5, omega: 0.5, u: 0.5))
        let solution = try ExponentLP.solve(measured, optimizer: .adam)
        let expected: [String: Double] = ["emb": 0.5, "gate": 1, "up": 1, "down": 0.5, "head": 0.5]
        for (name, c) in expected { #expect(abs(solution.c[name]! - c) < 1e-6, "\(name)") }
        #expect(abs(solution.c["down"]! - solution.c["gate"]!) > 0.1)
        let full = try ExponentLP.solve(try swiglu(down: .full), optimizer: .adam)
        #expect(full.r.values.allSatisfy { abs($0) < 1e-9 })
        for (name, c) in ["emb": 0.5, "gate": 1, "up": 1, "down": 1, "head": 0.5] {
            #expect(abs(full.c[name]! - c) < 1e-6, "\(name)")
        }
    }

    @Test func adafactorWorkedNumbers() throws {
        let graph = try F.chain(layers: 4)
        #expect(isClose(F.orderedC(try ExponentLP.solve(graph, optimizer: .adafactor), graph), [0, 0.5, 0.5, 0]))
        let none = try F.chain(layers: 4, alignment: .none)
        #expect(isClose(F.orderedC(try ExponentLP.solve(none, optimizer: .adafactor), none), [0, 0, 0, 0]))
        // Clamp active, not naive clipping: Σc = 0.
        let clamped = try F.chain(
            layers: 3,
            alignments: [
                Alignment(alpha: 0.5, omega: 0.5, u: 0.5), Alignment(alpha: 0.3, omega: 0.4, u: 0.3),
                Alignment(alpha: 0.5, omega: 0.6, u: 1.1),
            ])
        #expect(abs(try ExponentLP.solve(clamped, optimizer: .adafactor).objective) < 1e-9)
    }

    @Test func adafactorDiamond() throws {
        let graph = try ExponentGraph(nodes: [
            ExponentNode(name: "emb", layerType: "embedding", a: -0.5, b: 0.5),
            ExponentNode(name: "ha", a: 0, b: 0.5, predecessors: ["emb"], alignment: Alignment(alpha: 0.7, omega: 0.5, u: 0.6)),
            ExponentNode(name: "hb", a: 0, b: 0.5, predecessors: ["emb"], alignment: Alignment(alpha: 0.6, omega: 0.5, u: 0.5)),
            ExponentNode(name: "m", layerType: "merge", a: 0, b: 0, hasWeight: false, predecessors: ["ha", "hb"]),
            ExponentNode(
                name: "out", layerType: "readout", a: 0.5, b: 0.5, predecessors: ["m"],
                alignment: Alignment(alpha: 0.48, omega: 0.5, u: 0.73)),
        ])
        let solution = try ExponentLP.solve(graph, optimizer: .adafactor)
        for (name, c) in ["emb": 0.0, "ha": 0.2, "hb": 0.1, "out": 0.0] {
            #expect(abs(solution.c[name]! - c) < 1e-6, "\(name)")
        }
        #expect(abs(solution.r["out"]! - 0.27) < 1e-6)
    }

    @Test func forkAndResidual() throws {
        let fork = try ExponentGraph(nodes: [
            ExponentNode(name: "emb", a: -0.5, b: 0.5),
            ExponentNode(name: "a", a: 0, b: 0.5, predecessors: ["emb"]),
            ExponentNode(name: "b", a: 0, b: 0.5, predecessors: ["emb"]),
            ExponentNode(name: "_add_", a: 0, b: 0, hasWeight: false, predecessors: ["a", "b"]),
            ExponentNode(name: "head", a: 0.5, b: 0.5, predecessors: ["_add_"]),
        ])
        let forkSolution = try ExponentLP.solve(fork, optimizer: .adam)
        #expect(Set(forkSolution.c.keys) == ["emb", "a", "b", "head"])
        #expect(isClose(["emb", "a", "b", "head"].map { forkSolution.c[$0]! }, [0.5, 1, 1, 0.5]))
        for alignment in [Alignment.full, .none] {
            let residual = try ExponentGraph(nodes: [
                ExponentNode(name: "emb", a: -0.5, b: 0.5, alignment: alignment),
                ExponentNode(name: "linear", a: 0, b: 0.5, predecessors: ["emb"], alignment: alignment),
                ExponentNode(name: "_add_", a: 0, b: 0, hasWeight: false, predecessors: ["emb", "linear"]),
                ExponentNode(name: "head", a: 0.5, b: 0.5, predecessors: ["_add_"], alignment: alignment),
            ])
            let solution = try ExponentLP.solve(residual, optimizer: .adam)
            let expected: [Double] = alignment == .full ? [0.5, 1, 0.5] : [0.5, 0.5, 0]
            #expect(isClose(["emb", "linear", "head"].map { solution.c[$0]! }, expected))
        }
    }

    @Test func legacyMirrorInputs() throws {
        let zero = Alignment(alpha: 0, omega: 0, u: 0)
        let adam = try ExponentLP.solveChain(a: [0, 0.5, 0.5], b: [0, 0, 0], alignments: [zero, zero, zero], optimizer: .adam)
        #expect(isClose(adam.c, [0, -0.5, -0.5]))
        let sgd = try ExponentLP.solveChain(a: [0, 0.5, 0.5], b: [0, 0, 0], alignments: [zero, zero, zero], optimizer: .sgd)
        #expect(isClose(sgd.c, [-0.5, -1.5, -0.5]))
    }

    /// Spec §4.2 named parametrizations on the 4-layer chain (LP values; mfp-adam-no readout is −0.5).
    @Test(arguments: ["sp", "mup", "ntk", "mfp"])
    func namedParametrizationTable(parametrization: String) throws {
        let table: [String: [[Double]]] = [
            // adam full, adam no, sgd full, sgd no
            "sp": [[0, 1, 1, 1], [0, 0.5, 0.5, 0.5], [-0.5, 0.5, 0.5, 1], [-0.5, 0, 0, 0.5]],
            "mup": [[0.5, 1, 1, 0.5], [0.5, 0.5, 0.5, 0], [0, 0, 0, 0], [0, -0.5, -0.5, 0]],
            "ntk": [[0, 0.5, 0.5, 0.5], [0, 0, 0, 0], [-0.5, -0.5, -0.5, 0], [-0.5, -1, -1, -0.5]],
            "mfp": [[0, 0.5, 0.5, 0], [0, 0, 0, -0.5], [-1, -1, -1, -1], [-1, -1.5, -1.5, -1]],
        ]
        let settings: [(OptimizerKind, Alignment)] = [(.adam, .full), (.adam, .none), (.sgd, .full), (.sgd, .none)]
        for (index, (optimizer, alignment)) in settings.enumerated() {
            let graph = try F.chain(layers: 4, parametrization: parametrization, alignment: alignment)
            let c = F.orderedC(try ExponentLP.solve(graph, optimizer: optimizer), graph)
            #expect(isClose(c, table[parametrization]![index]), "\(parametrization) \(optimizer) \(alignment): \(c)")
        }
    }

    /// Spec §3.5 test oracle: closed-form optimal Σc for Adafactor chains, on 60 random chains.
    @Test func adafactorClosedFormOnRandomChains() throws {
        var generator = SeededGenerator(seed: 20_240_611)
        for trial in 0..<60 {
            let layers = 2 + trial % 5
            let alignments = (0..<layers).map { _ in
                Alignment(
                    alpha: 1.2 * generator.nextUnit() - 0.1, omega: 1.2 * generator.nextUnit() - 0.1,
                    u: 1.2 * generator.nextUnit() - 0.1)
            }
            let graph = try F.chain(layers: layers, alignments: alignments)
            let solution = try ExponentLP.solve(graph, optimizer: .adafactor)
            var (b, c, d) = (0.0, -1e18, 0.0)
            for l in stride(from: layers - 1, through: 1, by: -1) {
                let node = graph.nodes[l]
                let sumAB = node.a + node.b
                let al = alignments[l]
                let dPlus = max(d, 0)
                (b, c, d) = (
                    max(b, b + dPlus + al.alpha - sumAB, c + al.alpha - sumAB),
                    max(b + dPlus + al.u - sumAB, c + al.u - sumAB, c + al.omega - sumAB),
                    al.omega - sumAB + dPlus
                )
            }
            let expected = max(max(0, d) + b, c)
            #expect(abs(solution.objective - expected) < 1e-6, "trial \(trial): \(solution.objective) vs \(expected)")
            #expect(solution.c.values.allSatisfy { $0 >= -1e-9 })
            #expect(solution.r.values.allSatisfy { $0 >= -1e-9 })
        }
    }
}
