import Foundation
import MaxPDiagnostics
import _MaxPSupport

/// The saved data of a run, as files in one folder, and reading it back.
///
/// | file | content |
/// |---|---|
/// | `coord_data.csv` | the coordinate table (contract header `axis_value,seed,t,op,kind,l1,rms,delta_rms`) |
/// | `coord_moments.csv` | mup's mean and std and the gradient sizes per row (``CoordTable/momentsCSVHeader``) — optional |
/// | `coord_metadata.json` | its ``CoordTableMetadata`` (axis, op graph, loss series) — optional |
/// | `coord_data.json` | the whole table as JSON (``CoordTable/jsonData()``) — optional alternative to the two above |
/// | `slopes.json` | the ``SlopeReport`` contract |
/// | `run.json` | the ``RunDescription`` (command, settings, per-layer table) — optional |
/// | `lr_transfer.csv` / `lr_transfer.json` | LR-transfer trials and ``LRTransferReport`` |
/// | `history.csv` | dynamic-alignment history (``AlignmentHistoryRow``) — optional |
public struct RunFolder: Sendable {
    /// File names.
    public enum FileName {
        /// `coord_data.csv`.
        public static let coordData = "coord_data.csv"
        /// `coord_moments.csv` (mup's mean and std, gradient sizes; optional).
        public static let coordMoments = "coord_moments.csv"
        /// `coord_metadata.json`.
        public static let coordMetadata = "coord_metadata.json"
        /// `coord_data.json`.
        public static let coordDataJSON = "coord_data.json"
        /// `slopes.json`.
        public static let slopes = "slopes.json"
        /// `run.json`.
        public static let run = "run.json"
        /// `lr_transfer.csv`.
        public static let lrTransferCSV = "lr_transfer.csv"
        /// `lr_transfer.json`.
        public static let lrTransferJSON = "lr_transfer.json"
        /// `history.csv`.
        public static let alignmentHistory = "history.csv"
        /// `report.md`.
        public static let report = "report.md"
        /// `state.json` (the `train` command's controller checkpoint).
        public static let trainingState = "state.json"
        /// `lr_transfer.md` (the LR-transfer report beside a coordinate check's `report.md`).
        public static let lrTransferReport = "lr_transfer.md"

        /// The files only a run writes: a folder holding one of them is an earlier run's.
        public static let markers: Set<String> = [report, run, slopes, coordData, coordMoments, coordDataJSON, coordMetadata,
                                                   lrTransferCSV, lrTransferJSON, alignmentHistory, trainingState,
                                                   lrTransferReport]
        /// Extensions of the files a run writes (figures, reports, data, JUnit XML).
        public static let artifactExtensions: Set<String> = ["png", "svg", "md", "csv", "json", "xml"]
        /// Sub-folders a run writes (`autofix/`: the corrected re-run of `coord-check --autofix`).
        public static let subfolders: Set<String> = ["autofix"]
    }

    /// The first entry of `folder` that shows it is NOT an earlier run's folder — a file no run writes, a folder
    /// other than `autofix/`, a hidden file other than a temporary one, or, in a folder holding none of the
    /// ``FileName/markers``, any entry — or `nil` when the folder is missing, empty or an earlier run's, and may
    /// therefore be replaced as a whole.
    public static func foreignEntry(in folder: URL) -> String? {
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        guard manager.fileExists(atPath: folder.path, isDirectory: &isDirectory) else { return nil }
        guard isDirectory.boolValue else { return folder.lastPathComponent }
        guard let entries = try? manager.contentsOfDirectory(atPath: folder.path) else {
            return "(a folder whose content cannot be listed)"
        }
        var hasMarker = false
        var firstArtifact: String?
        for entry in entries.sorted() {
            if entry.hasPrefix(".") {
                if entry.hasSuffix(".tmp") || entry.contains(".tmp-") { continue }
                return entry
            }
            let url = folder.appendingPathComponent(entry)
            var entryIsDirectory: ObjCBool = false
            _ = manager.fileExists(atPath: url.path, isDirectory: &entryIsDirectory)
            if entryIsDirectory.boolValue {
                if FileName.subfolders.contains(entry), foreignEntry(in: url) == nil { continue }
                return entry + "/"
            }
            if FileName.markers.contains(entry) { hasMarker = true; continue }
            guard FileName.artifactExtensions.contains(url.pathExtension.lowercased()) else { return entry }
            firstArtifact = firstArtifact ?? entry
        }
        return hasMarker ? nil : firstArtifact
    }

    /// The coordinate table, if the folder has one.
    public var table: CoordTable?
    /// The slopes, if saved.
    public var slopes: SlopeReport?
    /// The run description, if saved.
    public var run: RunDescription?
    /// LR-transfer trials (empty if none).
    public var trials: [LRTrial]
    /// The LR-transfer analysis, if saved (or recomputed from the trials when only the CSV exists).
    public var lrTransfer: LRTransferReport?
    /// Alignment history (empty if none).
    public var history: [AlignmentHistoryRow]

    /// Creates a folder's content.
    public init(table: CoordTable? = nil, slopes: SlopeReport? = nil, run: RunDescription? = nil, trials: [LRTrial] = [],
                lrTransfer: LRTransferReport? = nil, history: [AlignmentHistoryRow] = []) {
        self.table = table; self.slopes = slopes; self.run = run; self.trials = trials
        self.lrTransfer = lrTransfer; self.history = history
    }

    /// Reads whatever run data `directory` holds; throws if it holds none, or if a file is malformed (naming it).
    public static func read(_ directory: URL) throws(ReportError) -> RunFolder {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw .missingInput(path: directory.path, hint: "no such folder")
        }
        func file(_ name: String) -> URL? {
            let url = directory.appendingPathComponent(name)
            return FileManager.default.fileExists(atPath: url.path) ? url : nil
        }
        func data(_ url: URL) throws(ReportError) -> Data {
            do { return try InputFile.read(url) } catch {
                throw .malformedInput(path: url.path, reason: error.reason)
            }
        }
        var folder = RunFolder()
        var metadata: CoordTableMetadata?
        if let url = file(FileName.coordMetadata) {
            let bytes = try data(url)
            do { metadata = try JSONCoding.decoder().decode(CoordTableMetadata.self, from: bytes) } catch {
                throw .malformedInput(path: url.path, reason: JSONCoding.describe(error))
            }
        }
        if let url = file(FileName.coordDataJSON) {
            let bytes = try data(url)
            do { folder.table = try CoordTable(json: bytes) } catch {
                throw .malformedInput(path: url.path, reason: error.description)
            }
            metadata = metadata ?? folder.table?.metadata
        }
        if let url = file(FileName.coordData) {
            do { folder.table = try CoordTable.readCSV(from: url, metadata: metadata ?? folder.table?.metadata ?? CoordTableMetadata()) } catch {
                throw .malformedInput(path: url.path, reason: error.description)
            }
        }
        if let url = file(FileName.coordMoments) {
            guard folder.table != nil else {
                throw .malformedInput(path: url.path, reason: "it needs the coord_data.csv it adds to, which the folder does not hold")
            }
            let text = String(decoding: try data(url), as: UTF8.self)
            do { try folder.table?.attachMoments(csv: text) } catch {
                throw .malformedInput(path: url.path, reason: error.description)
            }
        }
        if let url = file(FileName.slopes) {
            do { folder.slopes = try SlopeReport.read(from: url) } catch {
                throw .malformedInput(path: url.path, reason: error.description)
            }
        }
        if let url = file(FileName.run) {
            let bytes = try data(url)
            do { folder.run = try JSONCoding.decoder().decode(RunDescription.self, from: bytes) } catch {
                throw .malformedInput(path: url.path, reason: JSONCoding.describe(error))
            }
        }
        if let url = file(FileName.lrTransferCSV) {
            let text = String(decoding: try data(url), as: UTF8.self)
            do { folder.trials = try LRTrialCSV.parse(text) } catch {
                throw .malformedInput(path: url.path, reason: error.description)
            }
        }
        if let url = file(FileName.lrTransferJSON) {
            let bytes = try data(url)
            do { folder.lrTransfer = try JSONCoding.decoder().decode(LRTransferReport.self, from: bytes) } catch {
                throw .malformedInput(path: url.path, reason: JSONCoding.describe(error))
            }
        } else if !folder.trials.isEmpty {
            folder.lrTransfer = LRTransferAnalysis.analyze(folder.trials)
        }
        if let url = file(FileName.alignmentHistory) {
            do { folder.history = try AlignmentHistoryRow.parseCSV(String(decoding: try data(url), as: UTF8.self)) } catch {
                if case let .malformedInput(_, reason) = error { throw .malformedInput(path: url.path, reason: reason) }
                throw error
            }
        }
        if folder.table == nil && folder.lrTransfer == nil && folder.slopes == nil {
            throw .missingInput(path: directory.appendingPathComponent(FileName.coordData).path,
                                hint: "the folder holds neither coord_data.csv, slopes.json nor lr_transfer.csv/json")
        }
        try folder.checkConsistent(in: directory)
        return folder
    }

    /// Throws unless the saved data is complete and tells one story: the coordinate table holds every row of the
    /// runs its metadata and `run.json` describe (of its part only, for one shard of a sharded sweep), and
    /// `slopes.json` was fitted on this table (same axis and swept values, only ops and steps the table has).
    func checkConsistent(in directory: URL) throws(ReportError) {
        guard let table else { return }
        let tablePath = directory.appendingPathComponent(FileName.coordData).path
        let runs = table.expectedRuns(shard: run?.shardPart)
        do { try table.validateComplete(runs: runs, steps: run?.steps) } catch {
            throw .malformedInput(path: tablePath, reason: error.description)
        }
        let seeds = table.metadata.seeds.isEmpty ? table.seeds : table.metadata.seeds
        if let run, let count = run.seedCount, count != seeds.count {
            throw .malformedInput(path: directory.appendingPathComponent(FileName.run).path,
                                  reason: "it records \(count) seed(s), the coordinate table has \(seeds.count): the files are from different runs")
        }
        guard let slopes else { return }
        let slopesPath = directory.appendingPathComponent(FileName.slopes).path
        let values = table.metadata.axisValues.isEmpty ? table.axisValues : table.metadata.axisValues
        func list(_ values: [Int]) -> String { values.map(String.init).joined(separator: ",") }
        guard slopes.axis == table.metadata.axis, slopes.values == values else {
            throw .malformedInput(path: slopesPath, reason: "the slopes were fitted at \(slopes.axis.rawValue) \(list(slopes.values)), "
                + "the coordinate table holds \(table.metadata.axis.rawValue) \(list(values)): the files are from different runs")
        }
        let ops = Set(table.rows.map(\.op)), lastStep = table.steps.last ?? 0
        if let stray = slopes.ops.first(where: { !ops.contains($0.op) || $0.t > lastStep }) {
            throw .malformedInput(path: slopesPath, reason: "it has a slope for \(stray.key), which the coordinate table does not hold: the files are from different runs")
        }
    }
}

extension RunDescription {
    /// The part of a sharded sweep this run is, 0-based (`shard` setting `i/N` → `(i − 1, N)`), or `nil`.
    var shardPart: (index: Int, count: Int)? {
        guard let value = settings.first(where: { $0.name == "shard" })?.value else { return nil }
        let parts = value.split(separator: "/")
        guard parts.count == 2, let index = Int(parts[0]), let count = Int(parts[1]), count >= 1, (1...count).contains(index) else {
            return nil
        }
        return (index - 1, count)
    }
}

/// The report files' JSON: the package's one setup (``JSONFormat``), with errors as ``ReportError``.
enum JSONCoding {
    static func decoder() -> JSONDecoder { JSONFormat.decoder() }

    static func encode<T: Encodable>(_ value: T) throws(ReportError) -> Data {
        do { return try JSONFormat.encode(value) } catch {
            throw .cannotWrite(path: String(describing: T.self), reason: "JSON encoding failed: \(error)")
        }
    }

    static func describe(_ error: any Error) -> String { DecodingErrorText.describe(error) }
}
