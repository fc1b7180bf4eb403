import Foundation
import MaxPDiagnostics

/// The saved data of a run, as files in one folder, and reading it back.
///
/// | file | content |
/// |---|---|
/// | `coord_data.csv` | the coordinate table (contract header `axis_value,seed,t,op,kind,l1,rms,delta_rms`) |
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
            do { return try Data(contentsOf: url) } catch {
                throw .malformedInput(path: url.path, reason: ReportWriter.reason(error))
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
        return folder
    }
}

/// JSON settings shared by the report files (sorted keys, pretty printed; non-finite numbers as `"nan"`/`"inf"`).
enum JSONCoding {
    static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return encoder
    }

    static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return decoder
    }

    static func encode<T: Encodable>(_ value: T) throws(ReportError) -> Data {
        do {
            var data = try encoder().encode(value)
            data.append(0x0A)
            return data
        } catch {
            throw .cannotWrite(path: String(describing: T.self), reason: "JSON encoding failed: \(error)")
        }
    }

    static func describe(_ error: any Error) -> String {
        guard let error = error as? DecodingError else { return String(describing: error) }
        func path(_ keys: [any CodingKey]) -> String {
            keys.isEmpty ? "top level" : keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
        }
        switch error {
        case let .keyNotFound(key, context): return "missing key `\(key.stringValue)` at \(path(context.codingPath))"
        case let .typeMismatch(_, context): return "wrong type at \(path(context.codingPath))"
        case let .valueNotFound(_, context): return "missing value at \(path(context.codingPath))"
        case let .dataCorrupted(context): return "invalid JSON at \(path(context.codingPath)): \(context.debugDescription)"
        @unknown default: return String(describing: error)
        }
    }
}
