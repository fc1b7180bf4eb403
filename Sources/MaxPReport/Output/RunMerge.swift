import Foundation
import MaxPDiagnostics

/// Merges the output folders of a sharded sweep (`--shard i/N`) into one run: the coordinate tables are united
/// (a row present in two shards is an error), the slopes are recomputed on the merged table with the same theory
/// mode and tolerances as the shards used, and the first shard's run description is kept.
public enum RunMerge {
    /// The merged run.
    public struct Result: Sendable {
        /// The merged table (canonical row order).
        public var table: CoordTable
        /// Slopes recomputed on it.
        public var slopes: SlopeReport
        /// The run description (first shard's, with a note), if any shard had one.
        public var run: RunDescription
    }

    /// Reads and merges `shards` (folders each holding at least `coord_data.csv` or `coord_data.json`).
    public static func merge(_ shards: [URL]) throws(ReportError) -> Result {
        guard !shards.isEmpty else { throw .missingInput(path: "(none)", hint: "give at least one shard folder") }
        var tables: [CoordTable] = []
        var firstSlopes: SlopeReport?
        var firstRun: RunDescription?
        for shard in shards {
            let folder = try RunFolder.read(shard)
            guard let table = folder.table else {
                throw .missingInput(path: shard.appendingPathComponent(RunFolder.FileName.coordData).path,
                                    hint: "a shard folder must hold coord_data.csv")
            }
            tables.append(table)
            firstSlopes = firstSlopes ?? folder.slopes
            firstRun = firstRun ?? folder.run
        }
        let merged: CoordTable
        do { merged = try CoordTable.merged(tables).sorted() } catch {
            throw .malformedInput(path: shards.map(\.path).joined(separator: ", "), reason: error.description)
        }
        let policy = VerdictPolicy(initTolerance: firstSlopes?.toleranceInit ?? VerdictPolicy.standard.initTolerance,
                                   trainedTolerance: firstSlopes?.toleranceTrained ?? VerdictPolicy.standard.trainedTolerance)
        let statistics = firstSlopes.map { Array(Set($0.ops.map(\.statistic))).sorted() } ?? CoordStatistic.allCases
        let slopes = SlopeReport(table: merged, mode: firstSlopes?.mode ?? .declared, policy: policy,
                                 statistics: statistics.isEmpty ? CoordStatistic.allCases : statistics)
        var run = firstRun ?? RunDescription(table: merged)
        run.seedCount = merged.seeds.count
        run.notes.append("Merged from \(shards.count) shard folder\(shards.count == 1 ? "" : "s") with `maxp-diagnose merge`.")
        return Result(table: merged, slopes: slopes, run: run)
    }
}
