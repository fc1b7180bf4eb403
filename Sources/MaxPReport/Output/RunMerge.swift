import Foundation
import MaxPDiagnostics

/// Merges the output folders of a sharded sweep (`--shard i/N`) into one run. Only what belongs together merges:
/// every shard must record the same configuration (model, parametrization, optimizer, learning rate, swept values,
/// seeds, steps, … — everything in `run.json` and `coord_metadata.json` except the shard number), the shards must
/// be the complete set `1/N … N/N`, no row may be in two shards, and the merged table must hold every row of the
/// sweep. Coordinate checks merge their tables (slopes recomputed with the theory mode and tolerances the shards
/// used); LR-transfer runs merge their trials (the analysis recomputed).
public enum RunMerge {
    /// The merged coordinate check.
    public struct Result: Sendable {
        /// The merged table (canonical row order).
        public var table: CoordTable
        /// Slopes recomputed on it.
        public var slopes: SlopeReport
        /// The run description (first shard's, with a note), if any shard had one.
        public var run: RunDescription
    }

    /// The merged LR-transfer run.
    public struct LRTransferResult: Sendable {
        /// Every trial of every shard.
        public var trials: [LRTrial]
        /// The analysis recomputed on them.
        public var report: LRTransferReport
        /// The run description (first shard's, with a note).
        public var run: RunDescription
    }

    /// A merged run of either kind.
    public enum Merged: Sendable {
        /// Shards of a coordinate check.
        case coordCheck(Result)
        /// Shards of an LR-transfer sweep.
        case lrTransfer(LRTransferResult)
    }

    /// Reads `shards` and merges them as coordinate-check shards (each holding `coord_data.csv` or
    /// `coord_data.json`) or, when they hold LR-transfer trials and no coordinate table, as LR-transfer shards.
    public static func mergeRuns(_ shards: [URL]) throws(ReportError) -> Merged {
        guard !shards.isEmpty else { throw .missingInput(path: "(none)", hint: "give at least one shard folder") }
        var folders: [RunFolder] = []
        for shard in shards { folders.append(try RunFolder.read(shard)) }
        if folders.allSatisfy({ $0.table == nil && !$0.trials.isEmpty }) {
            return .lrTransfer(try mergeLRTransfer(folders, shards: shards))
        }
        return .coordCheck(try mergeCoordCheck(folders, shards: shards))
    }

    /// Reads and merges coordinate-check `shards` (folders each holding at least `coord_data.csv` or
    /// `coord_data.json`).
    public static func merge(_ shards: [URL]) throws(ReportError) -> Result {
        guard !shards.isEmpty else { throw .missingInput(path: "(none)", hint: "give at least one shard folder") }
        var folders: [RunFolder] = []
        for shard in shards { folders.append(try RunFolder.read(shard)) }
        return try mergeCoordCheck(folders, shards: shards)
    }

    static func mergeCoordCheck(_ folders: [RunFolder], shards: [URL]) throws(ReportError) -> Result {
        var tables: [CoordTable] = []
        for (folder, shard) in zip(folders, shards) {
            guard let table = folder.table else {
                throw .missingInput(path: shard.appendingPathComponent(RunFolder.FileName.coordData).path,
                                    hint: "a shard folder must hold coord_data.csv")
            }
            tables.append(table)
        }
        try checkSameConfiguration(folders, shards: shards)
        let merged: CoordTable
        do {
            merged = try CoordTable.merged(tables).sorted()
            try merged.validateComplete()
        } catch {
            throw .malformedInput(path: shards.map(\.path).joined(separator: ", "), reason: error.description)
        }
        let firstSlopes = folders.lazy.compactMap(\.slopes).first
        let policy = VerdictPolicy(initTolerance: firstSlopes?.toleranceInit ?? VerdictPolicy.standard.initTolerance,
                                   trainedTolerance: firstSlopes?.toleranceTrained ?? VerdictPolicy.standard.trainedTolerance)
        let statistics = firstSlopes.map { Array(Set($0.ops.map(\.statistic))).sorted() } ?? CoordStatistic.allCases
        let slopes = SlopeReport(table: merged, mode: firstSlopes?.mode ?? .declared, policy: policy,
                                 statistics: statistics.isEmpty ? CoordStatistic.allCases : statistics)
        var run = mergedRun(folders) ?? RunDescription(table: merged)
        run.seedCount = merged.seeds.count
        run.notes.append(note(shards))
        return Result(table: merged, slopes: slopes, run: run)
    }

    static func mergeLRTransfer(_ folders: [RunFolder], shards: [URL]) throws(ReportError) -> LRTransferResult {
        try checkSameConfiguration(folders, shards: shards)
        var owner: [String: Int] = [:]
        var trials: [LRTrial] = []
        func key(_ trial: LRTrial) -> String { "\(trial.parametrization) width \(trial.width) lr \(trial.lr) seed \(trial.seed)" }
        for (index, folder) in folders.enumerated() {
            for trial in folder.trials {
                if let previous = owner[key(trial)] {
                    throw .malformedInput(path: shards[index].path, reason: "the run \(key(trial)) is also in shard '\(shards[previous].path)': shards must be disjoint")
                }
                owner[key(trial)] = index
                trials.append(trial)
            }
        }
        let parametrizations = Array(Set(trials.map(\.parametrization))).sorted()
        let widths = Array(Set(trials.map(\.width))).sorted(), lrs = Array(Set(trials.map(\.lr))).sorted()
        let seeds = Array(Set(trials.map(\.seed))).sorted()
        for p in parametrizations { for w in widths { for lr in lrs { for seed in seeds {
            let trial = LRTrial(parametrization: p, width: w, lr: lr, seed: seed, finalLoss: nil)
            guard owner[key(trial)] != nil else {
                throw .malformedInput(path: shards.map(\.path).joined(separator: ", "),
                                      reason: "the merged LR-transfer grid lacks the run \(key(trial)): a shard is missing")
            }
        } } } }
        trials.sort { ($0.parametrization, $0.width, $0.lr, $0.seed) < ($1.parametrization, $1.width, $1.lr, $1.seed) }
        var run = mergedRun(folders) ?? RunDescription(model: "")
        run.notes.append(note(shards))
        let primary = run.parametrization?.split(separator: ",").first.map(String.init)
        return LRTransferResult(trials: trials, report: LRTransferAnalysis.analyze(trials, primary: primary), run: run)
    }

    /// The first shard's run description, without its shard number.
    static func mergedRun(_ folders: [RunFolder]) -> RunDescription? {
        guard var run = folders.lazy.compactMap(\.run).first else { return nil }
        run.settings.removeAll { $0.name == shardSetting }
        return run
    }

    /// The report note of a merged run.
    static func note(_ shards: [URL]) -> String {
        "Merged from \(shards.count) shard folder\(shards.count == 1 ? "" : "s") with `maxp-diagnose merge`."
    }

    /// The `run.json` setting that numbers a shard (`i/N`).
    static let shardSetting = "shard"

    /// The configuration a shard records, as (name, value) pairs: its `run.json` settings (but the shard number) and
    /// headline fields, and its coordinate table's metadata.
    static func recordedConfiguration(_ folder: RunFolder) -> [(String, String)] {
        var pairs: [(String, String)] = []
        if let run = folder.run {
            pairs += run.settings.filter { $0.name != shardSetting }.map { ($0.name, $0.value) }
            if !run.model.isEmpty { pairs.append(("model description", run.model)) }
            pairs += [("parametrization", run.parametrization), ("optimizer", run.optimizer),
                      ("lr", run.learningRate.map { "\($0)" }), ("seeds", run.seedCount.map(String.init)),
                      ("steps", run.steps.map(String.init))].compactMap { name, value in value.map { (name, $0) } }
        }
        // The table's own metadata: what coord_metadata.json records (a table read from coord_data.csv alone only
        // knows its own rows, which differ between shards by design, so the swept values and seeds are not compared).
        if let metadata = folder.table?.metadata {
            pairs.append(("axis", metadata.axis.rawValue))
            if !metadata.modelDescription.isEmpty { pairs.append(("model description", metadata.modelDescription)) }
            pairs += [("parametrization", metadata.parametrization), ("optimizer", metadata.optimizer),
                      ("lr", metadata.learningRate.map { "\($0)" })].compactMap { name, value in value.map { (name, $0) } }
            if !metadata.ops.isEmpty { pairs.append(("op graph", metadata.ops.map(\.op).joined(separator: ","))) }
        }
        return pairs
    }

    /// Throws unless every shard records the same configuration as the first one that records one, and the shards
    /// that carry a shard number `i/N` are exactly `1/N … N/N`.
    static func checkSameConfiguration(_ folders: [RunFolder], shards: [URL]) throws(ReportError) {
        var reference: (index: Int, values: [String: String])?
        for (index, folder) in folders.enumerated() {
            let pairs = recordedConfiguration(folder)
            var values: [String: String] = [:]
            for (name, value) in pairs where values[name] == nil { values[name] = value }
            guard let (first, expected) = reference else {
                if !values.isEmpty { reference = (index, values) }
                continue
            }
            for name in Set(expected.keys).union(values.keys).sorted() {
                let a = expected[name], b = values[name]
                // A key only one side records (an older writer, no coord_metadata.json) is not a disagreement.
                guard let a, let b, a != b else { continue }
                throw .shardMismatch(setting: name, first: shards[first].path, firstValue: a,
                                     other: shards[index].path, otherValue: b)
            }
        }
        let parts = folders.map { $0.run?.shardPart }
        let numbered = parts.compactMap { $0 }
        guard !numbered.isEmpty else { return }
        if let unnumbered = parts.firstIndex(where: { $0 == nil }) {
            throw .shardMismatch(setting: "shard", first: shards[parts.firstIndex { $0 != nil }!].path,
                                 firstValue: "\(numbered[0].index + 1)/\(numbered[0].count)",
                                 other: shards[unnumbered].path, otherValue: "(not a shard)")
        }
        let count = numbered[0].count
        if let odd = parts.firstIndex(where: { $0?.count != count }) {
            throw .shardMismatch(setting: "shard count", first: shards[0].path, firstValue: "\(count)",
                                 other: shards[odd].path, otherValue: "\(parts[odd]!.count)")
        }
        let present = Set(numbered.map(\.index))
        let missing = (0..<count).filter { !present.contains($0) }.map { "\($0 + 1)/\(count)" }
        if !missing.isEmpty { throw .missingShards(missing: missing, count: count) }
    }
}
