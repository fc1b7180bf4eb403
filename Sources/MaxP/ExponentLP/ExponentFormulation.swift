/// Turns an ``ExponentProgram`` into a GLPK ``LinearProgram``: either the pure-LP relaxation of spec §3.11
/// (`r ≤ every term`, `r ≥ 0`; MIN merge `r_in ≤ each r_p`; SGD `g_base ≤ each G-term`) or the exact-min MILP
/// (each `X = min(T₁…T_k)` as `X ≤ T_i`, `X ≥ T_i − M(1 − y_i)`, `Σ y_i = 1` with binary selectors `y_i`).
///
/// The big-M constant of the MILP only has to exceed the spread between the arguments of one min at the optimum; it
/// is derived from the magnitudes of all constants (at least 10, maxP's value) and can be scaled up on retry.
struct ExponentFormulation {
    /// The assembled program.
    private(set) var linearProgram: LinearProgram
    /// Column of each node's free c (`nil` where c is fixed or absent).
    private(set) var cColumns: [Int?]
    /// Column of each node's r.
    private(set) var rColumns: [Int]

    /// A linear expression `constant + Σ coefficient·column`.
    private struct Expression {
        var constant: Double
        var entries: [(column: Int, coefficient: Double)]
    }

    /// - Parameters:
    ///   - featureLearningNodes: node positions whose r is fixed at 0.
    ///   - exact: build the exact-min MILP instead of the relaxation.
    ///   - includedNodes: only add the constraints owned by these node positions (for diagnosing infeasibility).
    ///   - bigMScale: multiplies the derived big-M constant.
    init(
        program: ExponentProgram, featureLearningNodes: [Int], exact: Bool, includedNodes: Set<Int>? = nil,
        bigMScale: Double = 1
    ) {
        let graph = program.graph
        let count = graph.nodes.count
        var lp = LinearProgram(expectedColumns: 2 * count + 2, expectedRows: 4 * count)
        var cColumns = [Int?](repeating: nil, count: count)
        for index in 0..<count where program.hasFreeC[index] {
            // A term `k + c` alone (no r_in, no g_base) together with r ≥ 0 implies c ≥ −k. Stating it as a bound
            // changes no feasible point but starts the simplex at (often) the optimum.
            var lowerBound: Double? = program.optimizer == .adafactor ? 0 : nil
            if includedNodes?.contains(index) ?? true {
                for term in program.terms[index] where term.usesC && !term.usesInput && !term.usesGradientScale {
                    lowerBound = Swift.max(lowerBound ?? -.infinity, -term.constant)
                }
            }
            cColumns[index] = lp.addColumn(lowerBound.map { .atLeast($0) } ?? .free, cost: 1)
        }
        var featureLearning = [Bool](repeating: false, count: count)
        for index in featureLearningNodes { featureLearning[index] = true }
        let rColumns = (0..<count).map { lp.addColumn(featureLearning[$0] ? .exactly(0) : .atLeast(0)) }
        let gColumn = program.optimizer == .sgd ? lp.addColumn(.free) : nil

        let bigM = exact ? Self.bigM(for: program) * bigMScale : 0
        /// Adds `target = min(arguments)` (exact) or `target ≤ each argument` (relaxed). Each argument is
        /// `constant + [c of node] + [input] + [g_base]`.
        func constrain(_ target: Int, toMinimumOf arguments: [ExponentTerm], node: Int, input: Expression?) {
            /// Appends `target − (argument's variable part)`.
            func difference(_ term: ExponentTerm, _ append: (Int, Double) -> Void) {
                append(target, 1)
                if term.usesC, let column = cColumns[node] { append(column, -1) }
                if term.usesInput, let input { for entry in input.entries { append(entry.column, -entry.coefficient) } }
                if term.usesGradientScale, let gColumn { append(gColumn, -1) }
            }
            func constant(_ term: ExponentTerm) -> Double {
                term.constant + (term.usesInput ? input?.constant ?? 0 : 0)
            }
            if exact && arguments.count == 1 {
                lp.addRow(.exactly(constant(arguments[0]))) { difference(arguments[0], $0) }
                return
            }
            var selectors: [(column: Int, coefficient: Double)] = []
            for term in arguments {
                lp.addRow(.atMost(constant(term))) { difference(term, $0) }
                if exact {
                    let selector = lp.addBinaryColumn()
                    selectors.append((selector, 1))
                    lp.addRow(.atLeast(constant(term) - bigM)) { append in
                        difference(term, append)
                        append(selector, -bigM)
                    }
                }
            }
            if exact { lp.addRow(selectors, .exactly(1)) }
        }

        if let gColumn {
            var arguments: [ExponentTerm] = []
            var owners: [Int] = []
            for (node, term) in program.gradientScaleTerms where includedNodes?.contains(node) ?? true {
                arguments.append(term)
                owners.append(node)
            }
            if exact && arguments.count > 1 {
                // Each G-term may carry a different sink's c: expand per argument.
                var selectors: [(column: Int, coefficient: Double)] = []
                for (term, owner) in zip(arguments, owners) {
                    let selector = lp.addBinaryColumn()
                    selectors.append((selector, 1))
                    lp.addRow(.atMost(term.constant)) { append in
                        append(gColumn, 1)
                        if term.usesC, let column = cColumns[owner] { append(column, -1) }
                    }
                    lp.addRow(.atLeast(term.constant - bigM)) { append in
                        append(gColumn, 1)
                        if term.usesC, let column = cColumns[owner] { append(column, -1) }
                        append(selector, -bigM)
                    }
                }
                lp.addRow(selectors, .exactly(1))
            } else {
                for (term, owner) in zip(arguments, owners) {
                    lp.addRow(exact ? .exactly(term.constant) : .atMost(term.constant)) { append in
                        append(gColumn, 1)
                        if term.usesC, let column = cColumns[owner] { append(column, -1) }
                    }
                }
            }
        }

        for index in graph.order where includedNodes?.contains(index) ?? true {
            let predecessors = graph.predecessorIndices[index]
            var input: Expression?
            if predecessors.count == 1 {
                input = Expression(constant: 0, entries: [(rColumns[predecessors[0]], 1)])
            } else if predecessors.count > 1 {
                if graph.nodes[index].mergeType == .min {
                    // r_in = min r_p ≥ 0, so the bound loses no solution.
                    let column = lp.addColumn(.atLeast(0))
                    Self.addMinimum(
                        of: predecessors.map { rColumns[$0] }, into: column, exact: exact, bigM: bigM, program: &lp)
                    input = Expression(constant: 0, entries: [(column, 1)])
                } else {
                    input = Expression(constant: 0, entries: predecessors.map { (rColumns[$0], 1) })
                }
            }
            constrain(rColumns[index], toMinimumOf: program.activeTerms[index], node: index, input: input)
        }

        self.linearProgram = lp
        self.cColumns = cColumns
        self.rColumns = rColumns
    }

    /// `target = min(columns)` (exact, with selectors) or `target ≤ each column` (relaxed).
    private static func addMinimum(
        of columns: [Int], into target: Int, exact: Bool, bigM: Double, program lp: inout LinearProgram
    ) {
        var selectors: [(column: Int, coefficient: Double)] = []
        for column in columns {
            lp.addRow([(target, 1), (column, -1)], .atMost(0))
            if exact {
                let selector = lp.addBinaryColumn()
                selectors.append((selector, 1))
                lp.addRow([(target, 1), (column, -1), (selector, -bigM)], .atLeast(-bigM))
            }
        }
        if exact { lp.addRow(selectors, .exactly(1)) }
    }

    /// The free c per node position (0 where c is fixed or absent) from GLPK's column values.
    func freeC(from values: [Double]) -> [Double] {
        cColumns.map { column in column.map { values[$0] } ?? 0 }
    }

    /// At least 10 (maxP's M), grown with the magnitudes of every constant so that the arguments of one min cannot
    /// differ by more than M at any optimum of a plausible program.
    static func bigM(for program: ExponentProgram) -> Double {
        var total = 0.0
        for node in program.graph.nodes {
            total += abs(node.a) + abs(node.b)
            total += abs(node.alignment.alpha) + abs(node.alignment.omega) + abs(node.alignment.u)
        }
        for value in program.fixedC { total += abs(value ?? 0) }
        return Swift.max(10, 2 * total + 10)
    }
}
