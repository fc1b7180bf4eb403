/// The constraint structure of the exponent program for one graph, optimizer and set of fixed c: for every node the
/// arguments of its `r = min(…)`, and for SGD the arguments of `g_base = min(…)` (spec §3.3–§3.5).
///
/// Free c appear symbolically in the terms; fixed c are folded into the constants. The same structure drives the LP
/// relaxation, the exact-min MILP and the exact forward recursion.
struct ExponentProgram: Sendable {
    let graph: ExponentGraph
    let optimizer: OptimizerKind
    /// Fixed c per node position (`nil` for a free c or an activation-only node).
    let fixedC: [Double?]
    /// Whether each node position has a free c (weighted and not fixed).
    let hasFreeC: [Bool]
    /// The arguments of each node's `r = min(…)`, per node position.
    let terms: [[ExponentTerm]]
    /// `terms` without arguments that can never be the strict minimum (see ``withoutDominatedTerms(_:)``); used to
    /// build the LP. The forward recursion uses all terms (same value).
    let activeTerms: [[ExponentTerm]]
    /// The arguments of `g_base = min(…)` (SGD only, else empty), each tagged with the sink that contributes it.
    let gradientScaleTerms: [(node: Int, term: ExponentTerm)]

    init(graph: ExponentGraph, optimizer: OptimizerKind, fixedC: [String: Double]) {
        self.graph = graph
        self.optimizer = optimizer
        var fixed = [Double?](repeating: nil, count: graph.nodes.count)
        for (name, value) in fixedC {
            if let index = graph.indexByName[name], graph.nodes[index].hasWeight { fixed[index] = value }
        }
        self.fixedC = fixed
        self.hasFreeC = graph.nodes.indices.map { graph.nodes[$0].hasWeight && fixed[$0] == nil }

        var terms: [[ExponentTerm]] = []
        terms.reserveCapacity(graph.nodes.count)
        for (index, node) in graph.nodes.enumerated() {
            terms.append(
                Self.terms(
                    for: node, role: graph.roles[index], optimizer: optimizer, fixedC: node.hasWeight ? fixed[index] : nil))
        }
        self.terms = terms
        self.activeTerms = terms.map(Self.withoutDominatedTerms)

        var gradientScaleTerms: [(node: Int, term: ExponentTerm)] = []
        if optimizer == .sgd {
            for index in graph.nodes.indices where graph.successorIndices[index].isEmpty {
                let node = graph.nodes[index]
                gradientScaleTerms.append((index, ExponentTerm(constant: node.a + node.b)))
                if node.hasWeight {
                    let c = fixed[index]
                    gradientScaleTerms.append(
                        (index, ExponentTerm(constant: 2 * node.a + (c ?? 0), usesC: c == nil)))
                }
            }
        }
        self.gradientScaleTerms = gradientScaleTerms
    }

    /// The arguments of `r = min(…)` for one node (a single term means `r` equals it).
    static func terms(for node: ExponentNode, role: NodeRole, optimizer: OptimizerKind, fixedC: Double?)
        -> [ExponentTerm]
    {
        let a = node.a
        let b = node.b
        let alignment = node.alignment
        guard node.hasWeight else {
            // Activation-only: r = a at a source, r = r_in + a otherwise (all optimizers).
            return role == .source ? [ExponentTerm(constant: a)] : [ExponentTerm(constant: a, usesInput: true)]
        }
        let free = fixedC == nil
        let c = fixedC ?? 0
        switch optimizer {
        case .adam, .adafactor:
            // Adafactor: every `a + c` becomes `a + b + c`.
            let update = optimizer == .adam ? a + c : a + b + c
            if role == .source { return [ExponentTerm(constant: update, usesC: free)] }
            return [
                ExponentTerm(constant: update - alignment.alpha, usesC: free),
                ExponentTerm(constant: update - alignment.u, usesC: free, usesInput: true),
                ExponentTerm(constant: a + b - alignment.omega, usesInput: true),
            ]
        case .sgd:
            switch role {
            case .source:
                return [ExponentTerm(constant: 2 * a + c, usesC: free, usesGradientScale: true)]
            case .interior:
                return [
                    ExponentTerm(constant: 2 * a + c - alignment.alpha, usesC: free, usesGradientScale: true),
                    ExponentTerm(
                        constant: 2 * a + c - alignment.u, usesC: free, usesInput: true, usesGradientScale: true),
                    ExponentTerm(constant: 0.5 - alignment.omega, usesInput: true),
                ]
            case .sink:
                return [
                    ExponentTerm(constant: a + b - alignment.omega, usesInput: true),
                    ExponentTerm(constant: 2 * a + c - alignment.alpha, usesC: free),
                    ExponentTerm(constant: 2 * a + c - alignment.u, usesC: free, usesInput: true),
                ]
            }
        }
    }

    /// Drops every argument `T₂` that is never below another argument `T₁`: same use of c and g_base (free signs),
    /// `T₂` uses `r_in` if `T₁` does (`r_in ≥ 0`), and `T₂`'s constant is at least `T₁`'s. Then `min` is unchanged
    /// and `r ≤ T₁` implies `r ≤ T₂`, so the row is redundant. Of two equal arguments the first is kept.
    static func withoutDominatedTerms(_ terms: [ExponentTerm]) -> [ExponentTerm] {
        guard terms.count > 1 else { return terms }
        func dominates(_ t1: ExponentTerm, _ t2: ExponentTerm) -> Bool {
            t1.usesC == t2.usesC && t1.usesGradientScale == t2.usesGradientScale && (t2.usesInput || !t1.usesInput)
                && t2.constant >= t1.constant
        }
        var kept: [ExponentTerm] = []
        for (index, term) in terms.enumerated() {
            let redundant = terms.indices.contains { other in
                other != index && dominates(terms[other], term) && (!dominates(term, terms[other]) || other < index)
            }
            if !redundant { kept.append(term) }
        }
        return kept
    }

    /// The exact exponents for given free c (per node position; ignored where c is fixed or absent): `g_base` and
    /// every node's `r`, by the forward recursion in topological order.
    func forwardExponents(freeC: [Double]) -> (r: [Double], gradientScale: Double) {
        var gradientScale = Double.infinity
        for (node, term) in gradientScaleTerms {
            gradientScale = Swift.min(gradientScale, term.value(c: freeC[node], input: 0, gradientScale: 0))
        }
        if gradientScaleTerms.isEmpty { gradientScale = 0 }
        var r = [Double](repeating: 0, count: graph.nodes.count)
        for index in graph.order {
            let predecessors = graph.predecessorIndices[index]
            var input = 0.0
            if predecessors.count == 1 {
                input = r[predecessors[0]]
            } else if predecessors.count > 1 {
                if graph.nodes[index].mergeType == .min {
                    input = .infinity
                    for p in predecessors { input = Swift.min(input, r[p]) }
                } else {
                    for p in predecessors { input += r[p] }
                }
            }
            var value = Double.infinity
            for term in terms[index] {
                value = Swift.min(value, term.value(c: freeC[index], input: input, gradientScale: gradientScale))
            }
            r[index] = value
        }
        return (r, gradientScale)
    }
}
