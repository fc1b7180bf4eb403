extension SweepPlan {
    /// The op names the plan's coord table will hold (in its op order), found without training: the t = 0
    /// measurement of the first seed at the three smallest swept values, named as the table names them (depth
    /// positions on the depth axis). What a filter over op names (a figure's op globs) is checked against before a
    /// long sweep.
    public func measuredOpNames() throws(ModelBuildError) -> [String] {
        var probe = self
        probe.values = Array(values.prefix(3))
        probe.seeds = [seeds.first ?? 0]
        probe.steps = 0
        probe.shard = nil
        probe.recordsGradients = false
        return try SweepRunner.run(probe, parallel: false).table.opOrder
    }
}
