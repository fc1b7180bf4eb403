extension CoordTable {
    /// One run of a sweep whose rows a table must hold: a swept value and a seed.
    public typealias Run = (axisValue: Int, seed: Int)

    /// The runs the metadata promises (every axis value × every seed; the rows' own values when the metadata lists
    /// none), or, for part `index` of `count` of a sharded sweep (0-based), that part's runs: runs are numbered in
    /// canonical order (axis value, then seed) and run `j` belongs to part `j mod count`.
    public func expectedRuns(shard: (index: Int, count: Int)? = nil) -> [Run] {
        let values = metadata.axisValues.isEmpty ? axisValues : metadata.axisValues
        let seedList = metadata.seeds.isEmpty ? seeds : metadata.seeds
        let all: [Run] = values.flatMap { value in seedList.map { (axisValue: value, seed: $0) } }
        guard let shard, shard.count > 0 else { return all }
        return all.enumerated().filter { $0.offset % shard.count == shard.index }.map(\.element)
    }

    /// Throws unless the table is a complete sweep: it has rows, no negative size, and every (run, t, op) for the
    /// `runs` (default
    /// ``expectedRuns(shard:)``), t = 0…`steps` (default the metadata's steps, or the largest t in the rows) and
    /// every op that has rows is present — a file cut short or missing a run is refused rather than fitted.
    public func validateComplete(runs: [Run]? = nil, steps: Int? = nil) throws(CoordTableError) {
        guard !rows.isEmpty else { throw .noRows }
        for row in rows {
            for (name, value) in [("l1", row.l1), ("rms", row.rms), ("delta_rms", row.deltaRMS)] where value < 0 {
                throw .negativeSize(key: row.key, statistic: name, value: value)
            }
        }
        let runs = runs ?? expectedRuns()
        let lastStep = steps ?? (metadata.steps > 0 ? metadata.steps : (self.steps.last ?? 0))
        let recorded = Set(rows.map(\.op))
        let ops = opOrder.filter(recorded.contains)
        var present = Set<CoordRowKey>()
        present.reserveCapacity(rows.count)
        for row in rows { present.insert(row.key) }
        var missing = 0
        var first: CoordRowKey?
        for run in runs {
            for t in 0...max(lastStep, 0) {
                for op in ops {
                    let key = CoordRowKey(axisValue: run.axisValue, seed: run.seed, t: t, op: op)
                    if !present.contains(key) {
                        missing += 1
                        if first == nil { first = key }
                    }
                }
            }
        }
        if let first { throw .incomplete(missing: missing, expected: runs.count * (max(lastStep, 0) + 1) * ops.count, first: first) }
    }
}
