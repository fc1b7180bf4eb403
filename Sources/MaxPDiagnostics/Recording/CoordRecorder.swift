import MaxP

/// Records coordinate sizes per op **call site** from a ``Tape``'s observer events, and derives the op graph.
///
/// Attach ``observe(_:)`` to `tape.observers` for the model's forward pass only (not the loss), once per step t.
/// What is recorded (one entry per call site, so an op used twice gives two sites `relu`, `relu#1`):
/// parametrized ops (kind = role: `embedding`, `hidden`, `readout`, `attention_logits`), activations, norms,
/// residual sums, attention products, softmax, and the network output.
///
/// What is skipped (the filter): ops inside a parametrized op's body (its matmul / gather / bias add — the op's
/// output already stands for them); leaves (data, parameters); pure reshapes and transposes; the causal mask (its
/// `−1e9` fill would swamp the sizes — the softmax after it is recorded); losses. Skipped pass-through ops forward
/// their inputs, so the graph's data inputs skip them too (`o` takes `blocks.0.attn.matmul` as input).
///
/// Per site and step: `l1 = mean|h_t|`, `rms`, `delta_rms = rms(h_t − h_0)` with `h_0` kept from t = 0, and mup's `mean` and
/// `std` (see ``SizeStatistics``).
public final class CoordRecorder {
    /// One measured site at the current step.
    public struct Measurement: Sendable, Equatable {
        /// The call site.
        public var site: String
        /// Its kind string (role for parametrized ops, op kind otherwise, `output` for an otherwise unrecorded output).
        public var kind: String
        /// The sizes.
        public var statistics: SizeStatistics
        /// The tape node of the site's output (for reading its gradient after backward).
        public var node: Int
    }

    private let parametrizedKinds: [String: String]
    private let declaredExponents: [String: ParametrizedExponents]
    private var initial: [String: [Float]] = [:]
    private var nodeSites: [Int: [String]] = [:]
    private var buildingGraph = false
    /// The op graph of the first forward pass, topological (execution) order.
    public private(set) var graph: [OpDescriptor] = []
    /// The measurements of the current forward pass, in execution order.
    public private(set) var measurements: [Measurement] = []
    /// A parametrized op whose name was already the call site of another op in the first forward pass (a layer
    /// named `input` collides with the data leaf): the op and a description of the other site.
    public private(set) var collision: (op: String, other: String)?
    private var firstPassSites: [String: String] = [:]

    /// Creates a recorder for a model whose parametrized ops have the given kinds and declared exponents.
    public init(parametrizedKinds: [String: String], declaredExponents: [String: ParametrizedExponents]) {
        self.parametrizedKinds = parametrizedKinds
        self.declaredExponents = declaredExponents
    }

    /// Creates a recorder for a built-in model.
    public convenience init(model: BuiltModel) {
        self.init(parametrizedKinds: model.parametrizedKinds, declaredExponents: model.declaredExponents)
    }

    /// Starts a forward pass (clears the measurements; the first pass also builds ``graph`` and keeps `h_0`).
    public func beginForward() {
        measurements.removeAll(keepingCapacity: true)
        nodeSites.removeAll(keepingCapacity: true)
        buildingGraph = graph.isEmpty
    }

    /// Ends a forward pass whose network output is `output`: records it as kind `output` if no site stands for it.
    public func endForward(output: Variable<Float>) {
        if nodeSites[output.id] == nil || nodeSites[output.id]! != [output.site] {
            let inputs = nodeSites[output.id] ?? []
            record(site: output.site, kind: "output", value: output.value.scalars, node: output.id, inputs: inputs)
        }
        buildingGraph = false
    }

    /// The observer: add `recorder.observe` to `tape.observers` before the forward pass.
    public func observe(_ event: OpEvent<Float>) {
        if buildingGraph { noteSite(event) }
        if event.isInsideParametrizedOp { return }
        switch event.kind {
        case .input, .constant, .parameter, .crossEntropy, .meanSquaredError:
            return
        case .reshape, .transpose, .causalMask:
            var through: [String] = []
            for input in event.inputNodes { for site in nodeSites[input] ?? [] where !through.contains(site) { through.append(site) } }
            nodeSites[event.node] = through
            return
        default:
            break
        }
        let kind = event.kind == .parametrized
            ? parametrizedKinds[event.site] ?? event.role ?? "parametrized" : event.kind.rawValue
        var inputs: [String] = []
        if buildingGraph {
            for input in event.inputNodes { for site in nodeSites[input] ?? [] where !inputs.contains(site) { inputs.append(site) } }
        }
        record(site: event.site, kind: kind, value: event.value.scalars, node: event.node, inputs: inputs)
    }

    /// First pass: remembers every call site's kind and reports a parametrized op whose own name was taken.
    private func noteSite(_ event: OpEvent<Float>) {
        let site = event.site
        if event.kind == .parametrized, collision == nil, parametrizedKinds[site] == nil,
           let hash = site.lastIndex(of: "#") {
            let name = String(site[..<hash])
            // The op's own name went to an earlier site: an observed op, or a leaf (data, parameter), which the
            // tape does not report — `tape.input` is named `input`.
            if parametrizedKinds[name] != nil, firstPassSites[name] != OpKind.parametrized.rawValue {
                collision = (name, firstPassSites[name].map { "the \($0) call site `\(name)`" }
                    ?? "the data leaf `\(name)` (`tape.input` names its leaf `input`)")
            }
        }
        if firstPassSites[site] == nil { firstPassSites[site] = event.kind.rawValue }
    }

    private func record(site: String, kind: String, value: [Float], node: Int, inputs: [String]) {
        let reference = initial[site]
        if reference == nil { initial[site] = value }
        measurements.append(Measurement(site: site, kind: kind,
                                        statistics: SizeStatistics(value, initial: reference ?? value), node: node))
        nodeSites[node] = [site]
        if buildingGraph {
            graph.append(OpDescriptor(op: site, kind: kind, inputs: inputs,
                                      exponents: kind == "output" ? nil : declaredExponents[site]))
        }
    }
}
