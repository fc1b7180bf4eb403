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
            cColumns[index] = lp.addColumn(program.optimizer == .adafactor ? .atLeast(0) : .free, cost: 1)
        }
        var featureLearning = [Bool](repeating: false, count: count)
        for index in featureLearningNodes { featureLearning[index] = true }
        let rColumns = (0..<count).map { lp.addColumn(featureLearning[$0] ? .exactly(0) : .atLeast(0)) }
        let gColumn = program.optimizer == .sgd ? lp.addColumn(.free) : nil

        let bigM = exact ? Self.bigM(for: program) * bigMScale : 0
        /// Adds `target = min(arguments)` (exact) or `target ≤ each argument` (relaxed).
        func constrain(_ target: Int, toMinimumOf arguments: [Expression]) {
            if exact && arguments.count == 1 {
                let argument = arguments[0]
                lp.addRow([(target, 1)] + argument.entries.map { ($0.column, -$0.coefficient) }, .exactly(argument.constant))
                return
            }
            var selectors: [(column: Int, coefficient: Double)] = []
            for argument in arguments {
                let difference = [(column: target, coefficient: 1.0)]
                    + argument.entries.map { (column: $0.column, coefficient: -$0.coefficient) }
                lp.addRow(difference, .atMost(argument.constant))
                if exact {
                    let selector = lp.addBinaryColumn()
                    selectors.append((selector, 1))
                    lp.addRow(difference + [(selector, -bigM)], .atLeast(argument.constant - bigM))
                }
            }
            if exact { lp.addRow(selectors, .exactly(1)) }
        }

        func expression(for term: ExponentTerm, node index: Int, input: Expression?) -> Expression {
            var expression = Expression(constant: term.constant, entries: [])
            if term.usesC, let column = cColumns[index] { expression.entries.append((column, 1)) }
            if term.usesInput, let input {
                expression.constant += input.constant
                expression.entries += input.entries
            }
            if term.usesGradientScale, let gColumn { expression.entries.append((gColumn, 1)) }
            return expression
        }

        if let gColumn {
            var arguments: [Expression] = []
            for (node, term) in program.gradientScaleTerms where includedNodes?.contains(node) ?? true {
                arguments.append(expression(for: term, node: node, input: nil))
            }
            if !arguments.isEmpty { constrain(gColumn, toMinimumOf: arguments) }
        }

        for index in graph.order where includedNodes?.contains(index) ?? true {
            let predecessors = graph.predecessorIndices[index]
            var input: Expression?
            if predecessors.count == 1 {
                input = Expression(constant: 0, entries: [(rColumns[predecessors[0]], 1)])
            } else if predecessors.count > 1 {
                if graph.nodes[index].mergeType == .min {
                    let column = lp.addColumn(.free)
                    constrain(column, toMinimumOf: predecessors.map { Expression(constant: 0, entries: [(rColumns[$0], 1)]) })
                    input = Expression(constant: 0, entries: [(column, 1)])
                } else {
                    input = Expression(constant: 0, entries: predecessors.map { (rColumns[$0], 1) })
                }
            }
            constrain(
                rColumns[index],
                toMinimumOf: program.terms[index].map { expression(for: $0, node: index, input: input) })
        }

        self.linearProgram = lp
        self.cColumns = cColumns
        self.rColumns = rColumns
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
