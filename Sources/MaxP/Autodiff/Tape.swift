/// A record of the ops of one forward pass, for reverse-mode differentiation and for observation.
///
/// Create a tape per forward pass, feed data with ``input(_:)``, read parameters with ``parameter(_:)``, compose
/// ops on the returned ``Variable``s, then call ``backward(from:seed:)`` on the loss. Gradients of parameters are
/// accumulated into ``Parameter/gradient``; gradients of other variables can be read with ``gradient(of:)``.
///
/// A tape created with `recordsGradients: false` is a no-grad scope: ops compute values (and are observed) but keep
/// no backward closures, which is what measurement forwards use.
///
/// Every op reports an ``OpEvent`` to the ``observers``: this is how diagnostics record activation sizes per call
/// site and how alignment captures the inputs of parametrized ops; the core knows nothing of either.
public final class Tape<Scalar: TensorScalar> {
    /// A function from the gradient of an op's output to the gradients of its inputs (in input order; `nil` for an
    /// input that receives none).
    public typealias Pullback = (Tensor<Scalar>) -> [Tensor<Scalar>?]
    /// A pullback that adds its input gradients onto those that earlier pullbacks sent to the same inputs: on entry
    /// `slots[i]` holds input `i`'s gradient so far (`nil` if none), on return its total — the earlier gradient plus
    /// this op's contribution, bit for bit `earlier.adding(contribution)` (e.g. a GEMM with β = 1 onto it, or a
    /// kernel adding it in its last pass), or the earlier gradient untouched when the op adds nothing. The tape
    /// hands the earlier gradients over, so one no other node shares can be updated in place; likewise the output's
    /// gradient (the first argument), in whose storage the pullback may compute an input's gradient — without a
    /// copy when the tape does not retain op gradients (``retainsOpGradients``) and nothing else shares it.
    public typealias AccumulatingPullback = (inout Tensor<Scalar>, inout [Tensor<Scalar>?]) -> Void

    /// One recorded op.
    public struct Node {
        /// The op's output.
        public let value: Tensor<Scalar>
        /// The nodes the pullback sends gradients to.
        public let inputs: [Int]
        /// The kind of computation.
        public let kind: OpKind
        /// The unique call-site name.
        public let site: String
        /// The role of a parametrized op (e.g. `hidden`), `nil` otherwise.
        public let role: String?
        /// For a parametrized op, the inputs of the whole op (data flow for tracing); otherwise equal to `inputs`.
        public let dataInputs: [Int]
        /// Whether this op ran inside a parametrized op's body.
        public let isInsideParametrizedOp: Bool
        let pullback: Pullback?
        let accumulatingPullback: AccumulatingPullback?
        let parameter: Parameter<Scalar>?
        /// For a weight product: the input that is the weight, and its gradient as factors (the pullback gives `nil`
        /// for that input).
        let weightGradient: WeightGradientPullback?
    }

    /// The weight input of a product op and the factors of its gradient, from the gradient of the op's output.
    struct WeightGradientPullback {
        /// The weight's position among the op's inputs.
        let position: Int
        /// The weight gradient's factors.
        let factors: (Tensor<Scalar>) -> DeferredWeightGradient<Scalar>
    }

    /// Whether ops keep pullbacks so that ``backward(from:seed:)`` can run.
    public let recordsGradients: Bool
    /// Everything recorded so far, in execution order.
    public private(set) var nodes: [Node] = []
    /// Called once per op with what it produced. Add observers before the forward pass.
    public var observers: [(OpEvent<Scalar>) -> Void] = []

    private var scopes: [String] = [""]
    private var siteCounts: [String: Int] = [:]
    private var parameterNodes: [ObjectIdentifier: Int] = [:]
    private var parametrizedDepth = 0
    private var gradients: [Tensor<Scalar>?] = []
    /// Gradients of parameter leaves that are one weight product's, still as factors (see ``DeferredWeightGradient``).
    private var deferredGradients: [Int: DeferredWeightGradient<Scalar>] = [:]
    /// Per node: whether a gradient flowing into it is needed (see ``requiresGradient(_:)``).
    private var needsGradient: [Bool] = []

    /// Whether ``backward(from:seed:)`` keeps the gradient of every op's output for ``gradient(of:)`` (`true`) or
    /// drops each one as soon as its pullback has run (`false`: only data and parameters keep theirs), which halves
    /// the memory a backward pass holds and lets the allocator hand still-cached storage to the next gradient.
    public let retainsOpGradients: Bool

    /// Creates an empty tape; `recordsGradients: false` makes a no-grad (measurement) tape, `retainsOpGradients:
    /// false` one whose backward pass forgets the gradients of op outputs once used (training steps, which read
    /// only parameter gradients).
    public init(recordsGradients: Bool = true, retainsOpGradients: Bool = true) {
        self.recordsGradients = recordsGradients
        self.retainsOpGradients = retainsOpGradients
        ComputeEnvironment.retainFreedTensorMemory()  // each step frees its graph: keep those pages for the next
    }

    // MARK: Leaves

    /// Feeds data into the computation. Data receives gradients too (read them with ``gradient(of:)``), unless
    /// `requiresGradient` is `false` (e.g. a batch of features): ops may then skip computing gradients that would
    /// only flow into it (``Variable/linear(weight:)`` skips the `g·W` product), and ``gradient(of:)`` may be `nil`.
    public func input(_ value: Tensor<Scalar>, name: String = "input", requiresGradient: Bool = true) -> Variable<Scalar> {
        let id = append(
            value: value, inputs: [], kind: .input, site: uniqueSite(name), role: nil, dataInputs: [],
            pullback: nil, parameter: nil, notify: false, requiresGradient: requiresGradient)
        return Variable(tape: self, id: id)
    }

    /// The variable standing for a parameter; reading the same parameter twice gives the same leaf, so its
    /// gradient is accumulated once per backward pass.
    public func parameter(_ parameter: Parameter<Scalar>) -> Variable<Scalar> {
        let key = ObjectIdentifier(parameter)
        if let id = parameterNodes[key] { return Variable(tape: self, id: id) }
        let id = append(
            value: parameter.value, inputs: [], kind: .parameter, site: uniqueSite("parameter"), role: nil,
            dataInputs: [], pullback: nil, parameter: parameter, notify: false, requiresGradient: true)
        parameterNodes[key] = id
        return Variable(tape: self, id: id)
    }

    // MARK: Recording ops

    /// Records an op: its output, its inputs and its pullback. Op implementations call this; users compose ops.
    ///
    /// The pullback is kept by the tape, so it must capture tensors and plain values only, never a ``Variable``
    /// (a variable holds its tape strongly: the cycle tape → pullback → variable → tape would keep the tape and its
    /// whole graph alive after the step; `TapeLifetimeTests` checks every op for this).
    @discardableResult
    public func record(
        _ kind: OpKind, inputs: [Variable<Scalar>], value: Tensor<Scalar>, pullback: @escaping Pullback
    ) -> Variable<Scalar> {
        record(kind, inputs: inputs, value: value, pullback: pullback, weightGradient: nil)
    }

    /// Records a product op whose weight input (at `weightPosition`) gets its gradient as factors: `pullback` gives
    /// `nil` for the weight, `weightGradient` the factors. A parameter leaf fed by this op alone keeps them
    /// unevaluated (``Parameter`` computes them when read, ``Adam`` block by block); anything else gets
    /// ``DeferredWeightGradient/materialized()``.
    func record(
        _ kind: OpKind, inputs: [Variable<Scalar>], value: Tensor<Scalar>, pullback: @escaping Pullback,
        weightPosition: Int, weightGradient: @escaping (Tensor<Scalar>) -> DeferredWeightGradient<Scalar>
    ) -> Variable<Scalar> {
        record(kind, inputs: inputs, value: value, pullback: pullback,
               weightGradient: WeightGradientPullback(position: weightPosition, factors: weightGradient))
    }

    private func record(
        _ kind: OpKind, inputs: [Variable<Scalar>], value: Tensor<Scalar>, pullback: @escaping Pullback,
        weightGradient: WeightGradientPullback?
    ) -> Variable<Scalar> {
        let ids = inputs.map(\.id)
        let id = append(
            value: value, inputs: ids, kind: kind, site: uniqueSite(kind.rawValue), role: nil, dataInputs: ids,
            pullback: recordsGradients ? pullback : nil, parameter: nil, notify: true,
            weightGradient: recordsGradients ? weightGradient : nil)
        return Variable(tape: self, id: id)
    }

    /// Records an op whose pullback adds its input gradients onto the earlier ones itself (see
    /// ``AccumulatingPullback``), saving the addition pass ``backward(from:seed:)`` makes for an input that several
    /// ops consume; otherwise the same as ``record(_:inputs:value:pullback:)`` (the same capture rule).
    @discardableResult
    public func record(
        _ kind: OpKind, inputs: [Variable<Scalar>], value: Tensor<Scalar>,
        accumulatingPullback: @escaping AccumulatingPullback
    ) -> Variable<Scalar> {
        let ids = inputs.map(\.id)
        let id = append(
            value: value, inputs: ids, kind: kind, site: uniqueSite(kind.rawValue), role: nil, dataInputs: ids,
            pullback: nil, accumulatingPullback: recordsGradients ? accumulatingPullback : nil, parameter: nil,
            notify: true)
        return Variable(tape: self, id: id)
    }

    /// The total of an earlier gradient and a contribution: `earlier + contribution` (one pass into new storage),
    /// or whichever of them exists — for an ``AccumulatingPullback``'s inputs that it cannot add onto itself.
    public static func accumulated(_ earlier: Tensor<Scalar>?, _ contribution: Tensor<Scalar>?) -> Tensor<Scalar>? {
        guard let contribution else { return earlier }
        guard let earlier else { return contribution }
        return earlier.adding(contribution)
    }

    /// Whether a gradient flowing into `variable` is needed in ``backward(from:seed:)``: `false` for data fed with
    /// `requiresGradient: false` and for ops all of whose inputs are such, `true` otherwise (parameters, ordinary
    /// inputs, anything depending on them). Ops consult it when recording, to skip needless input gradients.
    public func requiresGradient(_ variable: Variable<Scalar>) -> Bool {
        precondition(variable.tape === self, "requiresGradient: variable belongs to another tape")
        return needsGradient[variable.id]
    }

    /// Runs `body` with `path` (a module's dotted path, e.g. `blocks.0.attn`) as the scope of the call sites it
    /// records, so that their names read `blocks.0.attn.softmax`.
    public func withScope<R>(_ path: String, _ body: () throws -> R) rethrows -> R {
        scopes.append(path)
        defer { scopes.removeLast() }
        return try body()
    }

    /// Records a parametrized op `h = multiplier · body()`, where `multiplier = width^-a`.
    ///
    /// The ops inside `body` are marked as internal to the parametrized op; the op's own output is reported under
    /// `site` (its module path) with kind ``OpKind/parametrized`` and the given role, and for tracing its data
    /// inputs are `inputs` (what flowed into the whole op), not the internals.
    public func parametrized(
        site: String, role: String, inputs: [Variable<Scalar>], multiplier: Scalar,
        body: () -> Variable<Scalar>
    ) -> Variable<Scalar> {
        parametrizedDepth += 1
        let inner = withScope(site, body)
        parametrizedDepth -= 1
        let value = multiplier == 1 ? inner.value : inner.value.scaled(by: multiplier)
        let pullback: Pullback = { g in [multiplier == 1 ? g : g.scaled(by: multiplier)] }
        let id = append(
            value: value, inputs: [inner.id], kind: .parametrized, site: uniqueSite(site, scoped: false),
            role: role, dataInputs: inputs.map(\.id), pullback: recordsGradients ? pullback : nil,
            parameter: nil, notify: true)
        return Variable(tape: self, id: id)
    }

    // MARK: Differentiation

    /// Back-propagates from `output`. Without a seed, `output` must hold one element and is seeded with 1.
    ///
    /// Parameter gradients are added to ``Parameter/gradient`` (call ``Module/zeroGradients()`` between steps).
    public func backward(from output: Variable<Scalar>, seed: Tensor<Scalar>? = nil) {
        precondition(recordsGradients, "backward: this tape was created with recordsGradients: false")
        precondition(output.tape === self, "backward: variable belongs to another tape")
        let start = seed ?? {
            precondition(output.value.count == 1, "backward: output of shape \(output.shape) needs a seed")
            return Tensor(repeating: 1, shape: output.shape)
        }()
        precondition(start.shape == output.shape, "backward: seed shape \(start.shape) ≠ output \(output.shape)")
        gradients = Array(repeating: nil, count: nodes.count)
        deferredGradients = [:]
        gradients[output.id] = start
        for id in stride(from: output.id, through: 0, by: -1) {
            if !deferredGradients.isEmpty, let deferred = deferredGradients[id] {
                nodes[id].parameter!.accumulateGradient(deferred)
                continue
            }
            guard var g = gradients[id] else { continue }
            let node = nodes[id]
            if let parameter = node.parameter {
                parameter.accumulateGradient(g)
                continue
            }
            if !retainsOpGradients && !node.inputs.isEmpty { gradients[id] = nil }
            if let accumulate = node.accumulatingPullback {
                accumulateGradients(of: node, gradient: &g, pullback: accumulate)
                continue
            }
            guard let pullback = node.pullback else { continue }
            let inputGradients = pullback(g)
            precondition(inputGradients.count == node.inputs.count, "pullback of \(node.site): wrong arity")
            for (input, grad) in zip(node.inputs, inputGradients) {
                guard let grad else { continue }
                checkShape(grad.shape, reaching: input, from: node)
                accumulate(grad, into: input)
            }
            if let weight = node.weightGradient {
                let input = node.inputs[weight.position]
                let factors = weight.factors(g)
                checkShape(factors.shape, reaching: input, from: node)
                if nodes[input].parameter != nil && gradients[input] == nil && deferredGradients[input] == nil {
                    deferredGradients[input] = factors
                } else {
                    accumulate(factors.materialized(), into: input)
                }
            }
        }
    }

    /// Adds `grad` to the gradient reaching node `input` (computing a deferred one first: the same sum, in the
    /// same order, as if it had been a tensor from the start).
    private func accumulate(_ grad: Tensor<Scalar>, into input: Int) {
        if !deferredGradients.isEmpty, let deferred = deferredGradients.removeValue(forKey: input) {
            gradients[input] = deferred.materialized()
        }
        if let existing = gradients[input] {
            // One pass into new storage: adding in place would first copy a gradient still shared with
            // another input (a sum's pullback hands the same tensor to both).
            gradients[input] = existing.adding(grad)
        } else {
            gradients[input] = grad
        }
    }

    /// Runs an accumulating pullback: hands it the inputs' gradients so far (an input listed twice gets its gradient
    /// in its first slot only; the second slot's total is added to the first's), then stores the totals.
    private func accumulateGradients(
        of node: Node, gradient g: inout Tensor<Scalar>, pullback: AccumulatingPullback
    ) {
        var slots: [Tensor<Scalar>?] = []
        slots.reserveCapacity(node.inputs.count)
        for (k, input) in node.inputs.enumerated() {
            if node.inputs[..<k].contains(input) {
                slots.append(nil)
            } else {
                // A deferred weight gradient becomes a tensor first, so the pullback adds onto it.
                if !deferredGradients.isEmpty, let deferred = deferredGradients.removeValue(forKey: input) {
                    gradients[input] = deferred.materialized()
                }
                slots.append(gradients[input])
                gradients[input] = nil
            }
        }
        pullback(&g, &slots)
        precondition(slots.count == node.inputs.count, "pullback of \(node.site): wrong arity")
        for (input, total) in zip(node.inputs, slots) {
            guard let total else { continue }
            checkShape(total.shape, reaching: input, from: node)
            gradients[input] = Self.accumulated(gradients[input], total)
        }
    }

    /// Programmer-error check: the gradient a pullback gives `input` has that input's shape.
    private func checkShape(_ shape: [Int], reaching input: Int, from node: Node) {
        precondition(
            shape == nodes[input].value.shape,
            "pullback of \(node.site) gave gradient \(shape) for input \(nodes[input].value.shape)")
    }

    /// The gradient reaching `variable` in the last ``backward(from:seed:)``, or `nil` if none did.
    public func gradient(of variable: Variable<Scalar>) -> Tensor<Scalar>? {
        if let deferred = deferredGradients.removeValue(forKey: variable.id) {
            gradients[variable.id] = deferred.materialized()
        }
        return variable.id < gradients.count ? gradients[variable.id] : nil
    }

    // MARK: Internals

    private func uniqueSite(_ name: String, scoped: Bool = true) -> String {
        let scope = scopes.last ?? ""
        let base = (!scoped || scope.isEmpty) ? name : "\(scope).\(name)"
        let n = siteCounts[base, default: 0]
        siteCounts[base] = n + 1
        return n == 0 ? base : "\(base)#\(n)"
    }

    private func append(
        value: Tensor<Scalar>, inputs: [Int], kind: OpKind, site: String, role: String?, dataInputs: [Int],
        pullback: Pullback?, accumulatingPullback: AccumulatingPullback? = nil, parameter: Parameter<Scalar>?,
        notify: Bool, requiresGradient: Bool? = nil, weightGradient: WeightGradientPullback? = nil
    ) -> Int {
        let id = nodes.count
        needsGradient.append(requiresGradient ?? inputs.contains { needsGradient[$0] })
        let inside = parametrizedDepth > 0
        nodes.append(
            Node(
                value: value, inputs: inputs, kind: kind, site: site, role: role, dataInputs: dataInputs,
                isInsideParametrizedOp: inside, pullback: pullback, accumulatingPullback: accumulatingPullback,
                parameter: parameter, weightGradient: weightGradient))
        if notify && !observers.isEmpty {
            let event = OpEvent(
                site: site, kind: kind, role: role, value: value, node: id, inputNodes: dataInputs,
                isInsideParametrizedOp: inside)
            for observer in observers { observer(event) }
        }
        return id
    }
}
