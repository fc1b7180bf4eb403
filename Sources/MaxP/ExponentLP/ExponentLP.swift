/// The exponent LP: chooses each weighted op's learning-rate exponent c (`lr = η · width^-c`) so that every op's output
/// change stays bounded (`r ≥ 0`) while learning rates are as large as possible (minimise Σ c) — spec §3.
///
/// Solved with GLPK as the pure-LP relaxation of spec §3.11 (every `r = min(…)` relaxed to `r ≤ each term`), which has
/// the same optimal c as the exact-min program; `r` is then recomputed exactly by the forward recursion. With
/// feature learning the relaxation is not exact, so the exact-min MILP is solved when the relaxed answer does not
/// already satisfy it.
public enum ExponentLP {
    /// Largest |α|, |ω|, |u| accepted; measured alignments lie in about [−0.5, 1.5], and values far outside only arise
    /// from bugs or broken measurements.
    public static let plausibleAlignmentBound = 10.0

    /// Tolerance on `r ≥ 0` and feature-learning `r = 0` when checking a recomputed solution.
    static let tolerance = 1e-7

    /// Solves the exponent LP for a graph.
    ///
    /// - Parameters:
    ///   - graph: the validated data-flow graph.
    ///   - optimizer: the optimizer family (decides the constraint form).
    ///   - fixedC: learning-rate exponents fixed by the user, by node name (weighted nodes only); constants in the
    ///     constraints, excluded from the objective.
    ///   - featureLearning: also require `r = 0` exactly for every predecessor of every sink (spec §3.7).
    /// - Returns: c for every weighted node, exact r for every node, and Σ of the free c.
    /// - Throws: ``ExponentLPError`` for invalid exponents (spec §3.6), implausible alignments, bad fixed c, or an
    ///   infeasible/unbounded program.
    public static func solve(
        _ graph: ExponentGraph, optimizer: OptimizerKind, fixedC: [String: Double] = [:], featureLearning: Bool = false
    ) throws(ExponentLPError) -> ExponentSolution {
        try validateFixedC(fixedC, in: graph)
        try validateValues(of: graph)
        try validateStability(of: graph)
        let program = ExponentProgram(graph: graph, optimizer: optimizer, fixedC: fixedC)
        return try solve(program, featureLearning: featureLearning)
    }

    /// Solves an optimizer given by name (`"adam"`, `"SGD"`, …; case-insensitive).
    ///
    /// - Throws: ``ExponentLPError/unknownOptimizer(_:)`` for any other name, else as
    ///   ``solve(_:optimizer:fixedC:featureLearning:)``.
    public static func solve(
        _ graph: ExponentGraph, optimizerNamed name: String, fixedC: [String: Double] = [:],
        featureLearning: Bool = false
    ) throws(ExponentLPError) -> ExponentSolution {
        guard let optimizer = OptimizerKind(parsing: name) else { throw .unknownOptimizer(name) }
        return try solve(graph, optimizer: optimizer, fixedC: fixedC, featureLearning: featureLearning)
    }

    /// The exponents a parametrization uses (spec §3.10): with fewer than two weighted nodes no LP is solved and each
    /// c is its fixed value or 0; with every weighted c fixed, the fixed values are returned without validation;
    /// otherwise ``solve(_:optimizer:fixedC:featureLearning:)``. `r` is always the exact forward recursion (it may be
    /// negative in the two no-LP cases, which the reference does not check either).
    public static func solveForParametrization(
        _ graph: ExponentGraph, optimizer: OptimizerKind, fixedC: [String: Double] = [:], featureLearning: Bool = false
    ) throws(ExponentLPError) -> ExponentSolution {
        try validateFixedC(fixedC, in: graph)
        let weighted = graph.nodes.filter(\.hasWeight)
        let allFixed = weighted.allSatisfy { fixedC[$0.name] != nil }
        guard weighted.count >= 2 && !allFixed else {
            var effective = fixedC
            for node in weighted where effective[node.name] == nil { effective[node.name] = 0 }
            let program = ExponentProgram(graph: graph, optimizer: optimizer, fixedC: effective)
            let freeC = [Double](repeating: 0, count: graph.nodes.count)
            return solution(of: program, freeC: freeC, exponents: program.forwardExponents(freeC: freeC).r)
        }
        return try solve(graph, optimizer: optimizer, fixedC: fixedC, featureLearning: featureLearning)
    }

    // MARK: - Validation

    static func validateFixedC(_ fixedC: [String: Double], in graph: ExponentGraph) throws(ExponentLPError) {
        for (name, value) in fixedC.sorted(by: { $0.key < $1.key }) {
            guard let node = graph.node(named: name) else { throw .unknownNode(name, referencedBy: "the fixed c") }
            guard node.hasWeight else {
                throw .invalidFixedC(node: name, reason: "the node has no weight, so it has no learning rate to fix")
            }
            guard value.isFinite else { throw .invalidFixedC(node: name, reason: "c = \(value) is not finite") }
        }
    }

    /// Every a, b finite; every alignment that enters a constraint finite and plausible.
    static func validateValues(of graph: ExponentGraph) throws(ExponentLPError) {
        for (index, node) in graph.nodes.enumerated() {
            guard node.a.isFinite else { throw .nonFiniteValue(node: node.name, field: "a", value: node.a) }
            guard node.b.isFinite else { throw .nonFiniteValue(node: node.name, field: "b", value: node.b) }
            guard node.hasWeight && graph.roles[index] != .source else { continue }
            let fields = [
                ("alpha (align_z0_dW)", node.alignment.alpha), ("omega (align_dZ_w0)", node.alignment.omega),
                ("u (align_dZ_dW)", node.alignment.u),
            ]
            for (field, value) in fields {
                guard value.isFinite else { throw .nonFiniteValue(node: node.name, field: field, value: value) }
                guard abs(value) <= plausibleAlignmentBound else {
                    throw .implausibleAlignment(node: node.name, field: field, value: value)
                }
            }
        }
    }

    /// Stability at initialisation (spec §3.6) for every weighted node, by role.
    static func validateStability(of graph: ExponentGraph) throws(ExponentLPError) {
        for (index, node) in graph.nodes.enumerated() where node.hasWeight {
            let sum = node.a + node.b
            let role = graph.roles[index]
            switch role {
            case .source:
                // numpy isclose(a+b, 0): |a+b| ≤ 1e-8.
                guard abs(sum) <= 1e-8 else {
                    throw .invalidExponents(
                        node: node.name, role: role,
                        condition: "a+b = \(sum), must be 0 so the input layer's output is Θ(1) at initialisation")
                }
            case .interior:
                guard abs(sum - 0.5) <= 1e-8 + 1e-5 * 0.5 else {
                    throw .invalidExponents(
                        node: node.name, role: role,
                        condition: "a+b = \(sum), must be 0.5 so hidden activations stay Θ(1) at initialisation")
                }
            case .sink:
                guard sum >= 0.5 - 1e-12 else {
                    throw .invalidExponents(
                        node: node.name, role: role,
                        condition: "a+b = \(sum), must be ≥ 0.5 so the readout does not blow up at initialisation")
                }
            }
        }
    }

    // MARK: - Solving

    static func solve(_ program: ExponentProgram, featureLearning: Bool) throws(ExponentLPError) -> ExponentSolution {
        let featureNodes = featureLearning ? featureLearningNodes(of: program.graph) : []
        let relaxed = ExponentFormulation(program: program, featureLearningNodes: featureNodes, exact: false)
        let freeC: [Double]
        switch relaxed.linearProgram.solve() {
        case .optimal(let values):
            freeC = relaxed.freeC(from: values)
        case .infeasible:
            throw .infeasible(reason: diagnoseInfeasibility(of: program, featureLearningNodes: featureNodes))
        case .unbounded:
            throw .unbounded(reason: "some free c can decrease without limit while every r stays ≥ 0")
        case .failed(let message):
            throw .solverFailure(message)
        }
        var exponents = program.forwardExponents(freeC: freeC).r
        if !featureNodes.isEmpty && featureNodes.contains(where: { abs(exponents[$0]) > tolerance }) {
            // The relaxation accepted r_p = 0 where the exact r_p > 0: solve the exact-min MILP.
            let exactC = try solveExactly(program, featureLearningNodes: featureNodes)
            exponents = program.forwardExponents(freeC: exactC).r
            guard !featureNodes.contains(where: { abs(exponents[$0]) > 1e-6 }) else {
                throw .solverFailure("the exact-min MILP returned c whose exact r is not 0 at the feature-learning nodes")
            }
            return solution(of: program, freeC: exactC, exponents: exponents)
        }
        if let bad = exponents.indices.first(where: { exponents[$0] < -tolerance }) {
            throw .solverFailure(
                "recomputed r = \(exponents[bad]) < 0 at '\(program.graph.nodes[bad].name)' (numerical trouble)")
        }
        return solution(of: program, freeC: freeC, exponents: exponents)
    }

    /// Solves the exact-min MILP (feature learning): branch and bound, then the LP with the selectors fixed to polish
    /// c to an exact vertex. An infeasible answer is re-checked with a 100× larger big-M before it is reported.
    static func solveExactly(_ program: ExponentProgram, featureLearningNodes: [Int]) throws(ExponentLPError)
        -> [Double]
    {
        for scale in [1.0, 100.0] {
            let exact = ExponentFormulation(
                program: program, featureLearningNodes: featureLearningNodes, exact: true, bigMScale: scale)
            switch exact.linearProgram.solve() {
            case .optimal(let values):
                if case .optimal(let polished) = exact.linearProgram.fixingBinaries(to: values).solve() {
                    return exact.freeC(from: polished)
                }
                return exact.freeC(from: values)
            case .infeasible:
                continue
            case .unbounded:
                throw .unbounded(reason: "some free c can decrease without limit under feature learning")
            case .failed(let message):
                throw .solverFailure(message)
            }
        }
        let names = featureLearningNodes.map { "'\(program.graph.nodes[$0].name)'" }.joined(separator: ", ")
        throw .infeasible(
            reason: "feature learning needs r = 0 exactly at \(names) (the predecessors of the sinks), "
                + "but no c reaches that while keeping r ≥ 0 everywhere")
    }

    /// Predecessors of every sink, in node order (spec §3.7).
    static func featureLearningNodes(of graph: ExponentGraph) -> [Int] {
        var marked = [Bool](repeating: false, count: graph.nodes.count)
        for index in graph.nodes.indices where graph.roles[index] == .sink {
            for p in graph.predecessorIndices[index] { marked[p] = true }
        }
        return graph.nodes.indices.filter { marked[$0] }
    }

    static func solution(of program: ExponentProgram, freeC: [Double], exponents: [Double]) -> ExponentSolution {
        let graph = program.graph
        var c: [String: Double] = [:]
        var r: [String: Double] = [:]
        c.reserveCapacity(graph.nodes.count)
        r.reserveCapacity(graph.nodes.count)
        var objective = 0.0
        for (index, node) in graph.nodes.enumerated() {
            r[node.name] = exponents[index]
            guard node.hasWeight else { continue }
            if program.hasFreeC[index] {
                c[node.name] = freeC[index]
                objective += freeC[index]
            } else {
                c[node.name] = program.fixedC[index] ?? 0
            }
        }
        return ExponentSolution(objective: objective, c: c, r: r)
    }

    /// Finds the first node in topological order whose constraints, together with those of the nodes before it,
    /// admit no c; describes it for the error message.
    static func diagnoseInfeasibility(of program: ExponentProgram, featureLearningNodes: [Int]) -> String {
        let graph = program.graph
        let fixedNote: String = {
            let fixed = graph.nodes.indices.compactMap { i in program.fixedC[i].map { "\(graph.nodes[i].name)=\($0)" } }
            return fixed.isEmpty ? "" : " (fixed c: \(fixed.joined(separator: ", ")))"
        }()
        for prefix in 1...graph.order.count {
            let included = Set(graph.order.prefix(prefix))
            let partial = ExponentFormulation(
                program: program, featureLearningNodes: featureLearningNodes, exact: false, includedNodes: included)
            if case .infeasible = partial.linearProgram.solve() {
                let index = graph.order[prefix - 1]
                let node = graph.nodes[index]
                let terms = program.terms[index].map(\.formula).joined(separator: ", ")
                return "no choice of the free c keeps r ≥ 0 at \(graph.roles[index]) '\(node.name)', "
                    + "where r = min(\(terms))\(fixedNote)"
            }
        }
        return "no choice of the free c keeps r ≥ 0 at every node\(fixedNote)"
    }
}
