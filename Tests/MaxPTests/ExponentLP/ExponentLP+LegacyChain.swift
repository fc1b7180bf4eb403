@testable import MaxP

// Test support: the legacy chain solver is an independent oracle for ``ExponentLP/solve(_:optimizer:fixedC:featureLearning:)``
// on chain graphs, used by the LP tests only. It lives in this test target (not `_MaxPTestSupport`) because it builds
// its LP with the core's internal `LinearProgram`.
extension ExponentLP {
    /// The legacy index-based chain solver (spec §3.12a): layer 0 is the source (embedding), layers 1…L−2 hidden,
    /// layer L−1 the readout. Built directly from the per-index formulas, independently of ``ExponentGraph``; it
    /// agrees with ``solve(_:optimizer:fixedC:featureLearning:)`` on chain graphs.
    ///
    /// - Parameters:
    ///   - a: output-multiplier exponents per layer (`width^-a`), at least two layers.
    ///   - b: initialisation exponents per layer (`width^-b`).
    ///   - alignments: `(α, ω, u)` per layer (layer 0's is unused).
    ///   - optimizer: `.adam` or `.sgd` (the legacy solver has no Adafactor form).
    /// - Returns: c and the exact r per layer.
    static func solveChain(
        a: [Double], b: [Double], alignments: [Alignment], optimizer: OptimizerKind
    ) throws(ExponentLPError) -> (c: [Double], r: [Double]) {
        let count = a.count
        guard count >= 2, b.count == count, alignments.count == count else {
            throw .invalidEdge(
                node: "chain", predecessor: "-",
                reason: "need at least 2 layers and equally many a (\(a.count)), b (\(b.count)) and alignments "
                    + "(\(alignments.count))")
        }
        guard optimizer != .adafactor else { throw .unknownOptimizer("adafactor (legacy chain solver: adam or sgd)") }
        for i in 0..<count {
            let name = "layer \(i)"
            for (field, value) in [("a", a[i]), ("b", b[i])] where !value.isFinite {
                throw .nonFiniteValue(node: name, field: field, value: value)
            }
            if i > 0 {
                for (field, value) in [("alpha", alignments[i].alpha), ("omega", alignments[i].omega), ("u", alignments[i].u)] {
                    guard value.isFinite else { throw .nonFiniteValue(node: name, field: field, value: value) }
                    guard abs(value) <= plausibleAlignmentBound else {
                        throw .implausibleAlignment(node: name, field: field, value: value)
                    }
                }
            }
            let sum = a[i] + b[i]
            if i == 0 && abs(sum) > 1e-8 {
                throw .invalidExponents(node: name, role: .source, condition: "Invalid (a,b): a+b = \(sum), must be 0")
            } else if i > 0 && i < count - 1 && abs(sum - 0.5) > 1e-8 + 5e-6 {
                throw .invalidExponents(node: name, role: .interior, condition: "Invalid (a,b): a+b = \(sum), must be 0.5")
            } else if i == count - 1 && sum < 0.5 - 1e-12 {
                throw .invalidExponents(node: name, role: .sink, condition: "Invalid (a,b): a+b = \(sum), must be ≥ 0.5")
            }
        }

        // Columns: c_0…c_{L−1}, r_0…r_{L−1}, then g (SGD only).
        var lp = LinearProgram(expectedColumns: 2 * count + 1, expectedRows: 3 * count + 2)
        let c = (0..<count).map { _ in lp.addColumn(.free, cost: 1) }
        let r = (0..<count).map { _ in lp.addColumn(.atLeast(0)) }
        let last = count - 1
        let sgd = optimizer == .sgd
        let g = sgd ? lp.addColumn(.free) : -1
        if sgd {
            // g ≤ a_L + b_L, g ≤ 2a_L + c_L.
            lp.addRow([(g, 1)], .atMost(a[last] + b[last]))
            lp.addRow([(g, 1), (c[last], -1)], .atMost(2 * a[last]))
        }
        // Source: r_0 ≤ a_0 + c_0 (+ g + a_0 for SGD).
        lp.addRow(sgd ? [(r[0], 1), (c[0], -1), (g, -1)] : [(r[0], 1), (c[0], -1)], .atMost(sgd ? 2 * a[0] : a[0]))
        for i in 1..<count {
            let al = alignments[i]
            if i < last {
                let update = sgd ? 2 * a[i] : a[i]
                lp.addRow(sgd ? [(r[i], 1), (c[i], -1), (g, -1)] : [(r[i], 1), (c[i], -1)], .atMost(update - al.alpha))
                lp.addRow(
                    sgd ? [(r[i], 1), (c[i], -1), (r[i - 1], -1), (g, -1)] : [(r[i], 1), (c[i], -1), (r[i - 1], -1)],
                    .atMost(update - al.u))
                lp.addRow([(r[i], 1), (r[i - 1], -1)], .atMost(0.5 - al.omega))
            } else {
                let update = sgd ? 2 * a[i] : a[i]
                lp.addRow([(r[i], 1), (r[i - 1], -1)], .atMost(a[i] + b[i] - al.omega))
                lp.addRow([(r[i], 1), (c[i], -1)], .atMost(update - al.alpha))
                lp.addRow([(r[i], 1), (c[i], -1), (r[i - 1], -1)], .atMost(update - al.u))
            }
        }
        let values: [Double]
        switch lp.solve() {
        case .optimal(let solution): values = solution
        case .infeasible: throw .infeasible(reason: "no c keeps r ≥ 0 along the chain")
        case .unbounded: throw .unbounded(reason: "some c can decrease without limit along the chain")
        case .failed(let message): throw .solverFailure(message)
        }
        let cValues = c.map { values[$0] }
        // Exact forward recursion.
        let gBase = sgd ? Swift.min(a[last] + b[last], 2 * a[last] + cValues[last]) : 0
        var rValues = [Double](repeating: 0, count: count)
        rValues[0] = sgd ? gBase + 2 * a[0] + cValues[0] : a[0] + cValues[0]
        for i in 1..<count {
            let al = alignments[i]
            let previous = rValues[i - 1]
            if i < last {
                let update = (sgd ? gBase + 2 * a[i] : a[i]) + cValues[i]
                rValues[i] = Swift.min(update - al.alpha, update + previous - al.u, 0.5 + previous - al.omega)
            } else {
                let update = (sgd ? 2 * a[i] : a[i]) + cValues[i]
                rValues[i] = Swift.min(a[i] + b[i] + previous - al.omega, update - al.alpha, update + previous - al.u)
            }
        }
        return (cValues, rValues)
    }
}
