import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A grid's `grid.csv`: one row per finished run, header `run,<swept keys in order>,status,steps,final_train_loss`,
/// rows in grid order. It is always rebuilt from the run folders (never appended to), so shards writing into the
/// same grid folder, a killed run or a re-run never leave a row half-counted.
public enum GridIndex {
    /// The sub-folder of the run folders.
    public static let runsFolder = "runs"
    /// The index file.
    public static let fileName = "grid.csv"

    /// A finished run as the index lists it.
    public struct Row: Sendable, Equatable {
        /// The run folder's name.
        public var run: String
        /// The swept values, in key order.
        public var values: [String]
        /// `done` or `diverged`.
        public var status: String
        /// The last step in `metrics.csv` (the diverged step for a diverged run).
        public var steps: Int
        /// The last step's loss (`nan` for a diverged run).
        public var finalTrainLoss: Double
    }

    /// The header for `keys`.
    public static func header(keys: [String]) -> String {
        (["run"] + keys + ["status", "steps", "final_train_loss"]).map(csvField).joined(separator: ",")
    }

    /// The folder of `run` in the grid folder `folder`.
    public static func folder(of run: GridRun, in folder: URL) -> URL {
        folder.appendingPathComponent(runsFolder).appendingPathComponent(run.name)
    }

    /// The row of `run` when its folder holds a finished run of exactly its configuration (`config.json` equal to
    /// the run's, a readable `metrics.csv`); `nil` otherwise (missing, killed before its commit, or another grid's).
    public static func row(of run: GridRun, in folder: URL) -> Row? {
        let runFolder = self.folder(of: run, in: folder)
        guard let config = try? String(contentsOf: runFolder.appendingPathComponent("config.json"), encoding: .utf8),
              config == run.configuration.value.jsonText(),
              let text = try? String(contentsOf: runFolder.appendingPathComponent("metrics.csv"), encoding: .utf8),
              let metrics = MetricsTable(csv: text), let last = metrics.rows.last
        else { return nil }
        return Row(run: run.name, values: run.settings.map { $0.value.description },
                   status: last.trainLoss.isFinite ? "done" : "diverged", steps: last.step, finalTrainLoss: last.trainLoss)
    }

    /// The index text of every finished run of `runs` in `folder`.
    public static func csv(runs: [GridRun], keys: [String], in folder: URL) -> String {
        var lines = [header(keys: keys)]
        for run in runs {
            guard let row = row(of: run, in: folder) else { continue }
            lines.append(([row.run] + row.values + [row.status, "\(row.steps)", MetricsTable.format(row.finalTrainLoss)])
                .map(csvField).joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Rebuilds `folder/grid.csv` from the run folders, atomically, under a lock (`folder/.grid.lock`) so that
    /// concurrent writers (shards, workers) never replace a newer index with an older one.
    public static func rewrite(runs: [GridRun], keys: [String], in folder: URL) throws(FileIOError) {
        let lockPath = folder.appendingPathComponent(".grid.lock").path
        let descriptor = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw FileIOError(path: lockPath, reason: FileIOError.lastPOSIXReason) }
        defer { close(descriptor) }
        while flock(descriptor, LOCK_EX) != 0 {
            guard errno == EINTR else { throw FileIOError(path: lockPath, reason: FileIOError.lastPOSIXReason) }
        }
        defer { flock(descriptor, LOCK_UN) }
        let text = csv(runs: runs, keys: keys, in: folder)
        try AtomicFile.write(Data(text.utf8), to: folder.appendingPathComponent(fileName))
    }

    /// `text`, quoted when it holds a comma, a quote or a line break.
    static func csvField(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
