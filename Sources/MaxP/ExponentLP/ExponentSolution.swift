/// The learning-rate exponents chosen by the LP and the resulting output-change exponents.
public struct ExponentSolution: Equatable, Sendable {
    /// Σ c over the weighted nodes whose c was free (fixed c excluded): the minimised objective.
    public var objective: Double
    /// Learning-rate exponent per weighted node (`lr = η · width^-c`), fixed ones included.
    public var c: [String: Double]
    /// Output-change exponent per node (coordinates of Δh are `Θ(width^-r)`), recomputed exactly from c by the
    /// forward recursion; `r = 0` means a maximal Θ(1) change.
    public var r: [String: Double]

    /// Creates a solution from its parts.
    public init(objective: Double, c: [String: Double], r: [String: Double]) {
        self.objective = objective
        self.c = c
        self.r = r
    }
}
