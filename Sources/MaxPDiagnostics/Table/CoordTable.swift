/// The tidy table of a coordinate check: one ``CoordRow`` per (axis value, seed, t, op), plus ``CoordTableMetadata``.
///
/// It is the contract between the sweep engine (which fills it), the slope fits, the renderer and the CI gate.
/// Export/import: CSV (``csvString()``, ``init(csv:metadata:)``), JSON (``jsonData()``, ``init(json:)``); shards of
/// one sweep combine with ``merged(_:)``.
public struct CoordTable: Codable, Sendable, Equatable {
    /// What was swept and on which model.
    public var metadata: CoordTableMetadata
    /// The rows, in the order they were recorded or read.
    public var rows: [CoordRow]

    /// Creates a table.
    public init(metadata: CoordTableMetadata, rows: [CoordRow] = []) {
        self.metadata = metadata
        self.rows = rows
    }

    /// The op call sites: the metadata's graph order first, then any other op in order of first appearance.
    public var opOrder: [String] {
        var seen = Set<String>()
        var order: [String] = []
        for op in metadata.ops.map(\.op) + rows.map(\.op) where seen.insert(op).inserted {
            order.append(op)
        }
        return order
    }

    /// The steps present in the rows, ascending.
    public var steps: [Int] { Array(Set(rows.map(\.t))).sorted() }

    /// The axis values present in the rows, ascending.
    public var axisValues: [Int] { Array(Set(rows.map(\.axisValue))).sorted() }

    /// The seeds present in the rows, ascending.
    public var seeds: [Int] { Array(Set(rows.map(\.seed))).sorted() }

    /// The kind recorded for `op` (first row), or the metadata's, or `""`.
    public func kind(of op: String) -> String {
        metadata.ops.first { $0.op == op }?.kind ?? rows.first { $0.op == op }?.kind ?? ""
    }

    /// The samples of one (op, t, statistic), ready for ``SlopeFit/fit(_:)``.
    public func samples(op: String, t: Int, statistic: CoordStatistic) -> [SlopeSample] {
        rows.lazy.filter { $0.op == op && $0.t == t }
            .map { SlopeSample(axisValue: $0.axisValue, seed: $0.seed, value: $0.value(of: statistic)) }
    }

    /// The rows in canonical order: axis value, seed, t, then op order.
    public func sorted() -> CoordTable {
        let rank = Dictionary(uniqueKeysWithValues: opOrder.enumerated().map { ($1, $0) })
        var copy = self
        copy.rows.sort {
            ($0.axisValue, $0.seed, $0.t, rank[$0.op] ?? 0) < ($1.axisValue, $1.seed, $1.t, rank[$1.op] ?? 0)
        }
        return copy
    }

    /// Throws ``CoordTableError/duplicateRow(key:firstShard:secondShard:)`` if two rows share a key.
    public func validateUniqueRows() throws(CoordTableError) {
        var seen = Set<CoordRowKey>()
        for row in rows where !seen.insert(row.key).inserted {
            throw .duplicateRow(key: row.key, firstShard: 0, secondShard: 0)
        }
    }

    /// Merges the shards of one sweep into one table (rows concatenated in shard order).
    ///
    /// Metadata: the axis must agree; axis values, seeds and loss series are united; steps is the maximum; the op
    /// graph is the first non-empty one (ops only other shards know are appended); descriptive fields come from the
    /// first shard that has them. A row key present twice throws ``CoordTableError/duplicateRow(key:firstShard:secondShard:)``.
    public static func merged(_ shards: [CoordTable]) throws(CoordTableError) -> CoordTable {
        guard let first = shards.first else { return CoordTable(metadata: CoordTableMetadata()) }
        var metadata = first.metadata
        var owner: [CoordRowKey: Int] = [:]
        var rows: [CoordRow] = []
        var lossKeys = Set<[Int]>()
        metadata.lossSeries = []
        for (index, shard) in shards.enumerated() {
            guard shard.metadata.axis == metadata.axis else {
                throw .axisMismatch(first: metadata.axis.rawValue, other: shard.metadata.axis.rawValue, shard: index)
            }
            for row in shard.rows {
                if let previous = owner[row.key] {
                    throw .duplicateRow(key: row.key, firstShard: previous, secondShard: index)
                }
                owner[row.key] = index
                rows.append(row)
            }
            metadata.axisValues = Array(Set(metadata.axisValues + shard.metadata.axisValues)).sorted()
            metadata.seeds = Array(Set(metadata.seeds + shard.metadata.seeds)).sorted()
            metadata.steps = max(metadata.steps, shard.metadata.steps)
            if metadata.modelDescription.isEmpty { metadata.modelDescription = shard.metadata.modelDescription }
            metadata.parametrization = metadata.parametrization ?? shard.metadata.parametrization
            metadata.optimizer = metadata.optimizer ?? shard.metadata.optimizer
            metadata.learningRate = metadata.learningRate ?? shard.metadata.learningRate
            let known = Set(metadata.ops.map(\.op))
            metadata.ops += shard.metadata.ops.filter { !known.contains($0.op) }
            for series in shard.metadata.lossSeries where lossKeys.insert([series.axisValue, series.seed]).inserted {
                metadata.lossSeries.append(series)
            }
        }
        return CoordTable(metadata: metadata, rows: rows)
    }
}
