/// How a node with several predecessors combines their output-change exponents `r` into its input exponent `r_in`
/// (spec §3.2).
public enum MergeType: String, Codable, Sendable, CaseIterable {
    /// Addition or residual connection: the largest change dominates, `r_in = min_p r_p`.
    case min
    /// Elementwise product: changes multiply, `r_in = Σ_p r_p`.
    case sum
}
