/// The data flow between parametrized ops, read off one forward pass on a ``Tape`` (spec §6.3).
///
/// Every value carries at most one provenance tag: the parametrized op or merge node it last came from. Ops that
/// are not parametrized (activations, norms, reshapes, softmax) pass their input's tag through. An op that combines
/// values from several distinct tags becomes a synthetic merge node: `_mul_k` (SUM merge, `r_in = Σ r`) for
/// elementwise products, `_add_k` (MIN merge, `r_in = min r`) for additions and everything else. Ops inside a
/// parametrized op's body are its implementation and never create merges (so `q·kᵀ` marked as one op leaves no
/// dead-end node behind).
public struct DataFlowTrace: Equatable, Sendable {
    /// One node of the traced graph: a parametrized op or a synthetic merge.
    public struct Node: Equatable, Sendable {
        /// The op name, or `_add_k` / `_mul_k` for merges.
        public var name: String
        /// Whether this is a synthetic merge node rather than a parametrized op.
        public var isMerge: Bool
        /// How several predecessors combine.
        public var mergeType: MergeType
        /// The nodes whose outputs flow into this one (sorted, distinct).
        public var predecessors: [String]
    }

    /// Nodes in the order they were first reached in the forward pass.
    public private(set) var nodes: [Node]

    /// Traces the ops recorded on `tape`. `parametrizedSites` maps each parametrized call site to its op name
    /// (sites of an op called twice, `name#1`, map to the same name).
    public init<Scalar>(tape: Tape<Scalar>, isParametrized: (String) -> Bool) {
        var tags = [String?](repeating: nil, count: tape.nodes.count)
        var order: [String] = []
        var byName: [String: Node] = [:]
        var mergeCounter = 0

        func distinctTags(_ ids: [Int]) -> [String] {
            var seen: [String] = []
            for id in ids { if let t = tags[id], !seen.contains(t) { seen.append(t) } }
            return seen
        }

        for (id, node) in tape.nodes.enumerated() {
            switch node.kind {
            case .input, .constant, .parameter:
                tags[id] = nil
            case .parametrized:
                let name = Self.opName(fromSite: node.site)
                guard isParametrized(name) else {
                    tags[id] = distinctTags(node.dataInputs).first
                    continue
                }
                let parents = distinctTags(node.dataInputs)
                if var existing = byName[name] {
                    existing.predecessors = Array(Set(existing.predecessors + parents)).sorted()
                    if existing.predecessors.count > 1 { existing.mergeType = .min }
                    byName[name] = existing
                } else {
                    byName[name] = Node(
                        name: name, isMerge: false, mergeType: .min, predecessors: parents.sorted())
                    order.append(name)
                }
                tags[id] = name
            default:
                let parents = distinctTags(node.inputs)
                if node.isInsideParametrizedOp || parents.count <= 1 {
                    tags[id] = parents.first
                    continue
                }
                let isProduct = node.kind == .mul
                let name = isProduct ? "_mul_\(mergeCounter)" : "_add_\(mergeCounter)"
                mergeCounter += 1
                byName[name] = Node(
                    name: name, isMerge: true, mergeType: isProduct ? .sum : .min,
                    predecessors: parents.sorted())
                order.append(name)
                tags[id] = name
            }
        }
        nodes = order.map { byName[$0]! }
    }

    /// The op name of a call site: `blocks.0.attn.q#1` → `blocks.0.attn.q`.
    public static func opName(fromSite site: String) -> String {
        guard let hash = site.lastIndex(of: "#") else { return site }
        return String(site[..<hash])
    }

    /// The node with this name.
    public func node(named name: String) -> Node? { nodes.first { $0.name == name } }
}
