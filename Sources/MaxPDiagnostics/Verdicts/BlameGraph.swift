/// The op graph as blame walks it: forward along the inputs (a deviation travels downstream with the activations)
/// and backward along the consumers (with SGD, a deviation scales the gradient flowing back to every op it
/// depends on).
public struct BlameGraph: Sendable {
    /// Which way a culprit was found from the op it explains.
    public enum Direction: String, Codable, Sendable {
        /// The culprit is upstream in the forward graph: the op consumes its output, directly or not.
        case forward
        /// The culprit is downstream in the forward graph (upstream in the backward graph): the op's gradient flows
        /// back through it.
        case backward
    }

    private let inputs: [String: [String]]
    private let consumers: [String: [String]]
    private let order: [String: Int]

    /// The graph of `theory`'s op descriptors (inputs that are not call sites are ignored).
    public init(theory: Theory) {
        var inputs: [String: [String]] = [:]
        var consumers: [String: [String]] = [:]
        var order: [String: Int] = [:]
        for (index, descriptor) in theory.ops.enumerated() where order[descriptor.op] == nil {
            order[descriptor.op] = index
            inputs[descriptor.op] = descriptor.inputs
        }
        for descriptor in theory.ops {
            for input in descriptor.inputs where order[input] != nil { consumers[input, default: []].append(descriptor.op) }
        }
        self.inputs = inputs
        self.consumers = consumers
        self.order = order
    }

    /// The nearest op of `culprits` that `op` depends on (forward); failing that, when `backward`, the nearest op of
    /// `culprits` that depends on `op`. Nearest means fewest edges away; among equally near ones, the earliest in
    /// topological order. `nil` when none is reachable (an op is never its own culprit).
    public func nearestCulprit<Value>(of op: String, among culprits: [String: Value],
                                      backward: Bool) -> (op: String, direction: Direction)? {
        if let found = nearest(from: op, among: culprits, along: inputs) { return (found, .forward) }
        if backward, let found = nearest(from: op, among: culprits, along: consumers) { return (found, .backward) }
        return nil
    }

    /// Every op `op` depends on (upstream in the forward graph), in topological order (never `op` itself).
    public func dependencies(of op: String) -> [String] { sortedClosure(from: op, along: inputs) }

    /// Every op that depends on `op` (downstream in the forward graph: its gradient flows back through them), in
    /// topological order (never `op` itself).
    public func dependents(of op: String) -> [String] { sortedClosure(from: op, along: consumers) }

    private func sortedClosure(from op: String, along edges: [String: [String]]) -> [String] {
        var found = closure(from: op, along: edges)
        found.remove(op)
        return found.sorted { (order[$0] ?? .max, $0) < (order[$1] ?? .max, $1) }
    }

    private func closure(from op: String, along edges: [String: [String]]) -> Set<String> {
        var seen: Set<String> = []
        var frontier = edges[op] ?? []
        while let next = frontier.popLast() {
            guard seen.insert(next).inserted else { continue }
            frontier.append(contentsOf: edges[next] ?? [])
        }
        return seen
    }

    private func nearest<Value>(from op: String, among culprits: [String: Value],
                                along edges: [String: [String]]) -> String? {
        var frontier = edges[op] ?? []
        var seen: Set<String> = [op]
        while !frontier.isEmpty {
            let found = frontier.filter { culprits[$0] != nil }
            if let culprit = found.min(by: { (order[$0] ?? .max) < (order[$1] ?? .max) }) { return culprit }
            seen.formUnion(frontier)
            frontier = Array(Set(frontier.flatMap { edges[$0] ?? [] }).subtracting(seen))
        }
        return nil
    }
}
