import MaxP

/// The result of a ``CoordCheck``: the tidy table (rows sorted canonically, metadata with the op graph and loss
/// series), the theory mode, and the parametrization table of the largest model — what `RunArtifacts` writes.
public struct CoordCheckResult: Sendable {
    /// The table (rows sorted by axis value, seed, t, op order).
    public var table: CoordTable
    /// The per-op exponent table of the model at the largest swept value run (name, role, width, a, b, c, lr, r).
    public var parametrizationTable: [ParametrizationTableRow]
    /// The jobs that diverged.
    public var divergedJobs: [SweepJob]
    /// Wall-clock seconds.
    public var seconds: Double
    /// How the slopes are judged (declared exponents, or the µP target for plain SP).
    public var theoryMode: TheoryMode
    /// The base width the models were parametrized with (`nil`: base width 1).
    public var baseWidth: Int?
    /// With depth-µP: what CompleteP's rules came to in the model of the parametrization table (the largest swept
    /// value; on a depth axis the deepest model); `nil` without.
    public var depthRules: AppliedDepthRules? = nil

    /// Judges the table: declared exponents, or the µP target for plain SP.
    public func slopeReport(policy: VerdictPolicy = .standard) -> SlopeReport {
        SlopeReport(table: table, mode: theoryMode, policy: policy)
    }

    /// How much each op moved by the last step (``OpMovement``), at the largest width.
    public var movement: [OpMovement] { OpMovement.measure(table) }
}
