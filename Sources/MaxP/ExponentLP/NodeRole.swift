/// The role of a node in the exponent graph, decided by graph position only (spec §3.2), never by layer type.
public enum NodeRole: String, Codable, Sendable, CaseIterable, CustomStringConvertible {
    /// No predecessors (a node with neither predecessors nor successors also counts as a source).
    case source
    /// Has predecessors and successors.
    case interior
    /// Has predecessors but no successors (the readout).
    case sink

    /// The role as a lowercase word (`source`, `interior`, `sink`).
    public var description: String { rawValue }
}
