import MaxPDiagnostics

/// The coord-check figure choices a run was made with (the statistic plotted, which ops are drawn, how many in
/// colour), saved in `run.json` so that re-rendering draws the same figures. Unset fields take the defaults of
/// ``CoordCheckFigureOptions``.
public struct CoordCheckFigureChoices: Codable, Sendable, Equatable {
    /// The statistic on the y axis (default l1).
    public var statistic: PlottedStatistic?
    /// Op-name globs (`*` stands for any run of characters, e.g. `blocks.*.attn.qk`): only ops matching one of
    /// them are drawn. Nil draws every op.
    public var ops: [String]?
    /// Most ops drawn in colour (default 9).
    public var maxColoredOps: Int?

    /// Creates choices; nil fields keep the defaults.
    public init(statistic: PlottedStatistic? = nil, ops: [String]? = nil, maxColoredOps: Int? = nil) {
        self.statistic = statistic; self.ops = ops; self.maxColoredOps = maxColoredOps
    }

    /// Whether every field is unset (the defaults).
    public var isEmpty: Bool { statistic == nil && ops == nil && maxColoredOps == nil }

    /// These choices where set, `base`'s elsewhere (re-rendering with some options given again).
    public func overriding(_ base: CoordCheckFigureChoices?) -> CoordCheckFigureChoices {
        CoordCheckFigureChoices(statistic: statistic ?? base?.statistic, ops: ops ?? base?.ops,
                                maxColoredOps: maxColoredOps ?? base?.maxColoredOps)
    }

    /// Checks that every op glob matches one of `opNames` (a table's op order, or a planned sweep's
    /// ``SweepPlan/measuredOpNames()`` before it runs); the first that matches none is the error.
    public func checkOps(against opNames: [String]) throws(ReportError) {
        guard let ops else { return }
        if let unmatched = ops.first(where: { glob in !opNames.contains { Declaration.glob(glob, matches: $0) } }) {
            throw .noMatchingOp(pattern: unmatched, ops: opNames)
        }
    }

    /// The figure options for `table`: the ops matching the globs, in graph order. A glob that matches no op is an
    /// error naming it, never an empty figure; so is a statistic the table does not hold (`mean`/`std` of a run
    /// without `coord_moments.csv`).
    public func figureOptions(for table: CoordTable) throws(ReportError) -> CoordCheckFigureOptions {
        let opOrder = table.opOrder
        var options = CoordCheckFigureOptions()
        if let statistic {
            guard table.holds(statistic) else { throw .statisticNotRecorded(statistic: statistic.rawValue) }
            options.statistic = statistic
        }
        if let maxColoredOps { options.maxColoredOps = maxColoredOps }
        if let ops {
            try checkOps(against: opOrder)
            options.ops = opOrder.filter { op in ops.contains { Declaration.glob($0, matches: op) } }
        }
        return options
    }
}
