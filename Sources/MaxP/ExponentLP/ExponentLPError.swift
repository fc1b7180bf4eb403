/// Everything that can go wrong when building or solving the exponent LP. Each message names the node, its role and
/// the violated condition, so the user knows which layer to fix.
public enum ExponentLPError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The graph has no nodes.
    case emptyGraph
    /// Two nodes share a name.
    case duplicateNode(String)
    /// A node name is referenced (as a predecessor, or in fixed c) but no node has it.
    case unknownNode(String, referencedBy: String)
    /// A node lists itself, or the same predecessor twice.
    case invalidEdge(node: String, predecessor: String, reason: String)
    /// The graph has a directed cycle through the listed nodes.
    case cycle(nodes: [String])
    /// No node lacks predecessors.
    case noSource
    /// No node lacks successors.
    case noSink
    /// A weighted node's `(a, b)` violate stability at initialisation (spec §3.6).
    case invalidExponents(node: String, role: NodeRole, condition: String)
    /// An exponent or alignment is NaN or infinite.
    case nonFiniteValue(node: String, field: String, value: Double)
    /// An alignment exponent far outside any measurable range (|value| > ``ExponentLP/plausibleAlignmentBound``).
    case implausibleAlignment(node: String, field: String, value: Double)
    /// A fixed c names an activation-only node or is not finite.
    case invalidFixedC(node: String, reason: String)
    /// An optimizer name that is not `adam`, `sgd` or `adafactor`.
    case unknownOptimizer(String)
    /// No choice of the free c keeps every node's output change bounded (`r ≥ 0`) under the constraints.
    case infeasible(reason: String)
    /// Σc can be lowered without limit (a c has no lower bound).
    case unbounded(reason: String)
    /// GLPK stopped without an optimal solution for another reason.
    case solverFailure(String)

    public var description: String {
        switch self {
        case .emptyGraph:
            return "Exponent graph is empty: add at least one parametrized op."
        case .duplicateNode(let name):
            return "Exponent graph has two nodes named '\(name)': node names must be unique."
        case .unknownNode(let name, let context):
            return "Unknown node '\(name)' referenced by \(context)."
        case .invalidEdge(let node, let predecessor, let reason):
            return "Invalid edge '\(predecessor)' → '\(node)': \(reason)."
        case .cycle(let nodes):
            return "Graph contains a cycle through \(nodes.map { "'\($0)'" }.joined(separator: ", "))."
        case .noSource:
            return "Graph has no source nodes (every node has a predecessor)."
        case .noSink:
            return "Graph has no sink nodes (every node has a successor)."
        case .invalidExponents(let node, let role, let condition):
            return "Invalid (a, b) for \(role) '\(node)': \(condition)."
        case .nonFiniteValue(let node, let field, let value):
            return "Node '\(node)': \(field) = \(value) is not a finite number."
        case .implausibleAlignment(let node, let field, let value):
            return "Node '\(node)': alignment \(field) = \(value) is implausible (|value| > "
                + "\(ExponentLP.plausibleAlignmentBound); measured alignments lie in about [-0.5, 1.5])."
        case .invalidFixedC(let node, let reason):
            return "Fixed c for '\(node)': \(reason)."
        case .unknownOptimizer(let name):
            return "Unknown optimizer '\(name)'. Must be 'adam', 'sgd' or 'adafactor'."
        case .infeasible(let reason):
            return "Exponent LP is infeasible: \(reason)."
        case .unbounded(let reason):
            return "Exponent LP is unbounded: \(reason)."
        case .solverFailure(let reason):
            return "LP solver did not find an optimal solution: \(reason)."
        }
    }
}
