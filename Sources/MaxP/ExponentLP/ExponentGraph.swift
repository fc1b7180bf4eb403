/// A validated directed acyclic graph of ``ExponentNode``s: the data flow between parametrized ops that the exponent
/// LP constrains (spec §3.2, §6.4).
///
/// Creating one checks that names are unique, every predecessor exists, there is at least one source and one sink,
/// and there is no cycle. Roles (source, interior, sink) come from graph position.
public struct ExponentGraph: Sendable {
    /// The nodes in the order given.
    public let nodes: [ExponentNode]
    /// Node names in topological order: Kahn's algorithm, taking the alphabetically first ready node each time.
    public let topologicalOrder: [String]

    /// Position of each node in ``nodes`` by name.
    let indexByName: [String: Int]
    /// Predecessor positions per node (same order as `predecessors`).
    let predecessorIndices: [[Int]]
    /// Successor positions per node, ascending.
    let successorIndices: [[Int]]
    /// Node positions in topological order.
    let order: [Int]
    /// Role per node position.
    let roles: [NodeRole]

    /// Builds and validates a graph; predecessors are given on each node.
    public init(nodes: [ExponentNode]) throws(ExponentLPError) {
        guard !nodes.isEmpty else { throw .emptyGraph }
        var indexByName: [String: Int] = [:]
        indexByName.reserveCapacity(nodes.count)
        for (index, node) in nodes.enumerated() {
            guard indexByName.updateValue(index, forKey: node.name) == nil else { throw .duplicateNode(node.name) }
        }
        var predecessorIndices: [[Int]] = []
        predecessorIndices.reserveCapacity(nodes.count)
        var successorIndices = [[Int]](repeating: [], count: nodes.count)
        for (index, node) in nodes.enumerated() {
            var list: [Int] = []
            list.reserveCapacity(node.predecessors.count)
            for predecessor in node.predecessors {
                guard let p = indexByName[predecessor] else {
                    throw .unknownNode(predecessor, referencedBy: "the predecessors of '\(node.name)'")
                }
                guard p != index else {
                    throw .invalidEdge(node: node.name, predecessor: predecessor, reason: "a node cannot feed itself")
                }
                guard !list.contains(p) else {
                    throw .invalidEdge(
                        node: node.name, predecessor: predecessor, reason: "predecessor listed more than once")
                }
                list.append(p)
                successorIndices[p].append(index)
            }
            predecessorIndices.append(list)
        }
        guard predecessorIndices.contains(where: { $0.isEmpty }) else { throw .noSource }
        guard successorIndices.contains(where: { $0.isEmpty }) else { throw .noSink }

        // Kahn's algorithm; the ready set is kept sorted by name (descending, so the first name pops from the end).
        var inDegree = predecessorIndices.map { $0.count }
        var ready = (0..<nodes.count).filter { inDegree[$0] == 0 }.sorted { nodes[$0].name > nodes[$1].name }
        var order: [Int] = []
        order.reserveCapacity(nodes.count)
        while let next = ready.popLast() {
            order.append(next)
            var added = false
            for s in successorIndices[next] {
                inDegree[s] -= 1
                if inDegree[s] == 0 {
                    ready.append(s)
                    added = true
                }
            }
            if added { ready.sort { nodes[$0].name > nodes[$1].name } }
        }
        guard order.count == nodes.count else {
            throw .cycle(nodes: (0..<nodes.count).filter { inDegree[$0] > 0 }.map { nodes[$0].name })
        }

        self.nodes = nodes
        self.indexByName = indexByName
        self.predecessorIndices = predecessorIndices
        self.successorIndices = successorIndices
        self.order = order
        self.topologicalOrder = order.map { nodes[$0].name }
        self.roles = (0..<nodes.count).map { index in
            if predecessorIndices[index].isEmpty { return .source }
            return successorIndices[index].isEmpty ? .sink : .interior
        }
    }

    /// A chain graph: each node's only predecessor is the node before it (the first is the source, the last the sink).
    /// Predecessors already set on the nodes are replaced.
    public static func chain(_ nodes: [ExponentNode]) throws(ExponentLPError) -> ExponentGraph {
        var wired = nodes
        for index in wired.indices {
            wired[index].predecessors = index == 0 ? [] : [wired[index - 1].name]
        }
        return try ExponentGraph(nodes: wired)
    }

    /// The node with the given name, or `nil`.
    public func node(named name: String) -> ExponentNode? {
        indexByName[name].map { nodes[$0] }
    }

    /// Names of the nodes that list `name` as a predecessor, in node order (empty for an unknown name).
    public func successors(of name: String) -> [String] {
        guard let index = indexByName[name] else { return [] }
        return successorIndices[index].map { nodes[$0].name }
    }

    /// Names of the nodes without predecessors, in node order.
    public var sources: [String] {
        nodes.indices.filter { predecessorIndices[$0].isEmpty }.map { nodes[$0].name }
    }

    /// Names of the nodes without successors, in node order.
    public var sinks: [String] {
        nodes.indices.filter { successorIndices[$0].isEmpty }.map { nodes[$0].name }
    }

    /// The role of the named node by graph position. The name must belong to the graph.
    public func role(of name: String) -> NodeRole {
        guard let index = indexByName[name] else { preconditionFailure("ExponentGraph.role(of:): no node '\(name)'") }
        return roles[index]
    }

    /// Names of the nodes that carry a weight (and so a learning-rate exponent c), in node order.
    public var weightedNodeNames: [String] {
        nodes.filter(\.hasWeight).map(\.name)
    }
}
