/// Which exponents ``Theory`` predicts from.
public enum TheoryMode: String, Codable, Sendable {
    /// The exponents declared on each op (the model's own parametrization).
    case declared
    /// The µP target: each parametrized op gets µP's exponents for its role (input `a+b = 0`, hidden `a+b = ½`,
    /// readout `a+b = 1`, `q·kᵀ` `a = 1`, and `r = 0` for all), so a plain SP model is compared with what µP would give.
    case muPTarget = "mup_target"
}

/// Expected coord-check slopes per op from the op graph (see `diagnostics-theory.md`).
///
/// At t = 0 (sizes): source `−(a+b)`, contracting `½ − (a+b)`, parameter-free contraction `½ − a`, each plus the slopes
/// of its data inputs (0 when they are Θ(1)); elementwise = input; residual sum = max of inputs; products/fixed-size
/// contractions (probs·V) = sum of inputs; LayerNorm/RMSNorm 0; softmax 0; zero-initialized ops exact zeros.
/// After training (t ≥ 1): change since init (`delta_rms`) `≤ −r` for parametrized ops (one-sided); elementwise follow
/// the input's change; residual sums the max; norms `slope(Δx) − slope(x)`; softmax `min(slope(Δlogits), 0)`.
/// Total size at t ≥ 1 of a parametrized op lies in `[min(s₀, −r), max(s₀, −r)]`; unparametrized ops propagate.
public struct Theory: Sendable {
    /// The op graph, topological order.
    public let ops: [OpDescriptor]
    /// Declared exponents or the µP target.
    public let mode: TheoryMode
    private let index: [String: Int]
    /// Unconditional expectations already derived (see ``ExpectationMemo``): keeps the recursion linear in depth.
    let memo = ExpectationMemo()

    /// Creates the theory for a graph. Ops must be in topological order (inputs before users); inputs that are not
    /// ops of the graph count as data (slope 0, no change).
    public init(ops: [OpDescriptor], mode: TheoryMode = .declared) {
        self.ops = ops
        self.mode = mode
        var index: [String: Int] = [:]
        for (position, op) in ops.enumerated() where index[op.op] == nil { index[op.op] = position }
        self.index = index
    }

    /// The descriptor of `op`, if it is in the graph.
    public func descriptor(of op: String) -> OpDescriptor? { index[op].map { ops[$0] } }

    /// The exponents theory uses for `op`: declared ones, or µP's for its role in ``TheoryMode/muPTarget``.
    public func effectiveExponents(of op: String) -> ParametrizedExponents? {
        guard let descriptor = descriptor(of: op), let declared = descriptor.exponents else { return nil }
        switch mode {
        case .declared: return declared
        case .muPTarget: return OpRole(descriptor: descriptor, exponents: declared).muPExponents(like: declared)
        }
    }

    /// The position of `op` in topological order (`nil` when not in the graph).
    public func topologicalIndex(of op: String) -> Int? { index[op] }

    /// What theory expects for `statistic` of `op` at step `t`, assuming every input behaves as theory says;
    /// `nil` when the op is unknown or has no rule.
    public func expectedSlope(of op: String, t: Int, statistic: CoordStatistic) -> ExpectedSlope? {
        expectation(of: op, t: t, change: statistic.measuresChange, measured: nil)
    }

    /// What theory expects for `op` given the **measured** slopes of its inputs (`measured(input, t, statistic)`,
    /// falling back to theory when it returns `nil`): the part of a deviation not explained by the inputs is the op's
    /// own. Used for blame attribution.
    public func conditionalExpectedSlope(of op: String, t: Int, statistic: CoordStatistic,
                                         measured: (String, Int, CoordStatistic) -> Double?) -> ExpectedSlope? {
        withoutActuallyEscaping(measured) { measured in
            expectation(of: op, t: t, change: statistic.measuresChange,
                        measured: { input, change in measured(input, t, change ? .deltaRMS : statistic) })
        }
    }

    // MARK: - Rules

    private typealias Measured = (String, Bool) -> Double?

    /// Interval of an input: measured (a point) when available at the top level, else theory's.
    private func inputExpectation(_ input: String, t: Int, change: Bool, measured: Measured?) -> ExpectedSlope? {
        if let value = measured?(input, change), value.isFinite {
            return .point(value, rule: "measured slope of `\(input)`")
        }
        guard index[input] != nil else {
            return change ? .exactZero(rule: "data input `\(input)` does not change")
                          : .point(0, rule: "data input `\(input)`")
        }
        return expectation(of: input, t: t, change: change, measured: nil)
    }

    private func expectation(of op: String, t: Int, change: Bool, measured: Measured?) -> ExpectedSlope? {
        guard measured == nil, let position = index[op] else {
            return derivedExpectation(of: op, t: t, change: change, measured: measured)
        }
        return memo.value(for: .init(op: position, atInit: t == 0, change: change)) {
            derivedExpectation(of: op, t: t, change: change, measured: nil)
        }
    }

    private func derivedExpectation(of op: String, t: Int, change: Bool, measured: Measured?) -> ExpectedSlope? {
        guard let descriptor = descriptor(of: op) else { return nil }
        if t == 0 && change { return .exactZero(rule: "no change at initialization") }
        guard let multiplier = descriptor.multiplierA, descriptor.exponents == nil,
              var result = ruleExpectation(descriptor, t: t, change: change, measured: measured) else {
            return ruleExpectation(descriptor, t: t, change: change, measured: measured)
        }
        // An output multiplier width^-a on an unparametrized op shifts its size and its change by −a.
        guard !result.isExactZero else { return result }
        result.lower -= multiplier
        result.upper -= multiplier
        result.rule += ", times width^\(Theory.format(-multiplier))"
        return result
    }

    private func ruleExpectation(_ descriptor: OpDescriptor, t: Int, change: Bool, measured: Measured?) -> ExpectedSlope? {
        let inputs = descriptor.inputs
        func input(_ name: String, change: Bool) -> ExpectedSlope? {
            inputExpectation(name, t: t, change: change, measured: measured)
        }
        func allInputs(change: Bool) -> [ExpectedSlope]? {
            var result: [ExpectedSlope] = []
            for name in inputs {
                guard let expectation = input(name, change: change) else { return nil }
                result.append(expectation)
            }
            return result
        }

        switch descriptor.rule {
        case .parametrized:
            return parametrizedExpectation(descriptor, t: t, change: change, inputs: { allInputs(change: $0) })
        case .data:
            return change ? .exactZero(rule: "data does not change") : .point(0, rule: "data: slope 0")
        case .elementwise:
            guard let first = inputs.first else {
                return change ? .exactZero(rule: "no input") : .point(0, rule: "no input")
            }
            guard var result = input(first, change: change) else { return nil }
            result.rule = "elementwise: follows `\(first)`"
            return result
        case .residualSum:
            guard let values = allInputs(change: change), !values.isEmpty else { return nil }
            let nonZero = values.filter { !$0.isExactZero }
            guard !nonZero.isEmpty else { return .exactZero(rule: "sum of exact zeros") }
            return ExpectedSlope(lower: nonZero.map(\.lower).max()!, upper: nonZero.map(\.upper).max()!,
                                 isExactZero: false, rule: "residual sum: max of input slopes")
        case .product:
            if change {
                guard let deltas = allInputs(change: true), let totals = allInputs(change: false),
                      !deltas.isEmpty else { return nil }
                var lower = -Double.infinity, upper = -Double.infinity, any = false
                for (position, delta) in deltas.enumerated() where !delta.isExactZero {
                    any = true
                    var termLower = delta.lower, termUpper = delta.upper
                    for (other, total) in totals.enumerated() where other != position {
                        termLower += total.lower; termUpper += total.upper
                    }
                    lower = max(lower, termLower); upper = max(upper, termUpper)
                }
                guard any else { return .exactZero(rule: "product of unchanged inputs") }
                return ExpectedSlope(lower: lower, upper: upper, isExactZero: false,
                                     rule: "product: max over inputs of Δ(input) + other inputs' slopes")
            }
            guard let values = allInputs(change: false), !values.isEmpty else { return nil }
            if values.contains(where: \.isExactZero) { return .exactZero(rule: "product with an exact zero") }
            return ExpectedSlope(lower: values.map(\.lower).reduce(0, +), upper: values.map(\.upper).reduce(0, +),
                                 isExactZero: false, rule: "product / fixed-size contraction: sum of input slopes")
        case .quotient:
            guard !change, inputs.count == 2, let numerator = input(inputs[0], change: false),
                  let denominator = input(inputs[1], change: false) else { return nil }
            return ExpectedSlope(lower: numerator.lower - denominator.upper, upper: numerator.upper - denominator.lower,
                                 isExactZero: false, rule: "quotient: numerator minus denominator slope")
        case .normalization:
            guard change else { return .point(0, rule: "normalization output: 0") }
            guard let first = inputs.first, let delta = input(first, change: true),
                  let total = input(first, change: false) else { return nil }
            if delta.isExactZero { return .exactZero(rule: "normalized input does not change") }
            return ExpectedSlope(lower: delta.lower - total.upper, upper: delta.upper - total.lower,
                                 isExactZero: false, rule: "normalization: slope(Δx) − slope(x) of `\(first)`")
        case .softmax:
            guard change else { return .point(0, rule: "softmax over a fixed axis: 0") }
            guard let first = inputs.first, let delta = input(first, change: true) else { return nil }
            if delta.isExactZero { return .exactZero(rule: "logits do not change") }
            return ExpectedSlope(lower: min(delta.lower, 0), upper: min(delta.upper, 0), isExactZero: false,
                                 rule: "softmax: min(slope(Δlogits), 0)")
        case .thetaOne:
            return t == 0 ? .point(0, rule: "mup's rule: Θ(1) at every width at init")
                : .atMost(0, rule: "mup's rule: no growth with width after training")
        case .unknown:
            return nil
        }
    }

    private func parametrizedExpectation(_ descriptor: OpDescriptor, t: Int, change: Bool,
                                         inputs: (Bool) -> [ExpectedSlope]?) -> ExpectedSlope? {
        guard let exponents = effectiveExponents(of: descriptor.op) else { return nil }
        let base = exponents.baseInitSlope
        let baseRule = exponents.contractsOverWidth
            ? (exponents.hasWeight ? "½ − (a+b)" : "½ − a") : (exponents.hasWeight ? "−(a+b)" : "−a")
        let target = mode == .muPTarget ? " (µP target)" : ""
        // Init size: base + sum of the inputs' slopes.
        func initSize(at step: Int) -> ExpectedSlope? {
            guard let values = inputs(false) else { return nil }
            let lower = base + values.map(\.lower).reduce(0, +)
            // A readout tied to the input embedding sees that table's rows in its input: coherent, up to ½ more.
            let coherent = exponents.sharesInputWeight ? 0.5 : 0
            let upper = base + coherent + values.map(\.upper).reduce(0, +)
            return ExpectedSlope(lower: lower, upper: upper, isExactZero: false,
                                 rule: "\(baseRule) = \(Theory.format(base))"
                                    + (exponents.sharesInputWeight ? " up to \(Theory.format(base + coherent)) (weight tied to the input embedding: a coherent self-term)" : "")
                                    + target)
        }
        let minusR = -exponents.r
        let parameterFreeContraction = !exponents.hasWeight && exponents.contractsOverWidth
        if parameterFreeContraction {
            // h = n^-a · q·kᵀ: Δh = n^-a (Δq·k + q·Δk + Δq·Δk). After training q and k may align, so each term of
            // the contraction over n can grow like n^1 (full alignment) instead of n^½: the change is at most
            // 1 − a + max_i (Δ(input_i) + Σ_{j≠i} input_j). The LP's r = r_in + a assumes no such growth, so it is
            // not used here (µP's `1/d` logits, a = 1, give 0: a Θ(1) change).
            if t == 0 && change { return .exactZero(rule: "no change at initialization") }
            guard let deltas = inputs(true), let totals = inputs(false) else { return nil }
            let alignedBase = 1 - exponents.a
            var bound = -Double.infinity
            for (position, delta) in deltas.enumerated() where !delta.isExactZero {
                var term = alignedBase + delta.upper
                for (other, total) in totals.enumerated() where other != position { term += total.upper }
                bound = max(bound, term)
            }
            if change {
                guard bound > -Double.infinity else { return .exactZero(rule: "inputs do not change") }
                return .atMost(bound, rule: "aligned contraction: 1 − a + Δ(inputs) = \(Theory.format(bound))\(target)")
            }
            if t == 0 { return initSize(at: 0) }
            guard let initial = initSize(at: t) else { return nil }
            guard bound > -Double.infinity else { return initial }
            return ExpectedSlope(lower: initial.lower, upper: max(initial.upper, bound), isExactZero: false,
                                 rule: "between the init slope \(Theory.format(initial.upper)) and the aligned change \(Theory.format(bound))\(target)")
        }
        if change {
            // The op's own update gives −r; an input change propagated through the init weight gives base + Δ(input).
            var bound = minusR
            if let deltas = inputs(true) {
                for delta in deltas where !delta.isExactZero { bound = max(bound, base + delta.upper) }
            }
            let rule = bound == minusR ? "−r = \(Theory.format(minusR))\(target)"
                : "max(−r, \(baseRule) + Δ(input)) = \(Theory.format(bound))\(target)"
            return .atMost(bound, rule: rule)
        }
        if t == 0 {
            if exponents.isZeroInitialized { return .exactZero(rule: "zero-initialized") }
            return initSize(at: 0)
        }
        if exponents.isZeroInitialized { return .point(minusR, rule: "zero-initialized: total = Δ, −r = \(Theory.format(minusR))") }
        guard let initial = initSize(at: t) else { return nil }
        return ExpectedSlope(lower: min(initial.lower, minusR), upper: max(initial.upper, minusR), isExactZero: false,
                             rule: "between the init slope \(Theory.format(initial.upper)) and −r = \(Theory.format(minusR))\(target)")
    }

    /// Formats an exponent for messages, to two decimals (`-0.5`, `0`, `1`, `0.25`).
    static func format(_ value: Double) -> String {
        let rounded = (value * 100).rounded() / 100
        if rounded == 0 { return "0" }
        if rounded == rounded.rounded() { return String(Int(rounded)) }
        return String(rounded)
    }
}
