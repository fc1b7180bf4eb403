import Foundation
import _MaxPSupport

/// One training run read back from its folder (written by `maxp-diagnose train`): its resolved configuration as
/// dotted keys (`config.json`), its logged metrics (`metrics.csv`, header `step,<metric>,…`), and whether it
/// diverged (a non-finite metric value, or `diverged` in the grid index that lists it).
public struct ComparisonRun: Sendable, Equatable {
    /// The run's name: its row in `grid.csv`, or its folder's name.
    public var name: String
    /// The run folder.
    public var folder: URL
    /// `config.json` under dotted keys (`model.width`, `optimizer.lr_prefactor`, `seed`).
    public var config: [String: ComparisonConfigValue]
    /// The logged steps (the `step` column), in file order.
    public var steps: [Double]
    /// Every other column of `metrics.csv` by its header name, aligned with ``steps``.
    public var metrics: [String: [Double]]
    /// The metric columns in file order.
    public var metricNames: [String]
    /// Whether the grid index marked the run `diverged`.
    public var markedDiverged: Bool
    /// Whether the folder holds `history.csv` (per-layer alignment and learning rates over the steps).
    public var hasHistory: Bool

    /// The file names of a run folder.
    public enum FileName {
        /// `config.json`: the fully resolved configuration.
        public static let config = "config.json"
        /// `metrics.csv`: `step,train_loss,…`.
        public static let metrics = "metrics.csv"
        /// `history.csv`: `step,layer,alpha,omega,u,c,lr,loss`.
        public static let history = "history.csv"
    }

    /// Creates a run from values (tests, other readers).
    public init(name: String, folder: URL, config: [String: ComparisonConfigValue], steps: [Double],
                metrics: [String: [Double]], metricNames: [String]? = nil, markedDiverged: Bool = false,
                hasHistory: Bool = false) {
        self.name = name; self.folder = folder; self.config = config; self.steps = steps; self.metrics = metrics
        self.metricNames = metricNames ?? metrics.keys.sorted()
        self.markedDiverged = markedDiverged; self.hasHistory = hasHistory
    }

    /// Whether `metric` diverged in this run: the grid marked it, or some logged value is NaN or infinite.
    public func diverged(_ metric: String) -> Bool {
        markedDiverged || (metrics[metric] ?? []).contains { !$0.isFinite }
    }

    /// Reads the run in `folder`; errors name the file and the line.
    public static func read(folder: URL, name: String, markedDiverged: Bool = false) throws(ComparisonError) -> ComparisonRun {
        let configURL = folder.appendingPathComponent(FileName.config)
        let metricsURL = folder.appendingPathComponent(FileName.metrics)
        let config: [String: ComparisonConfigValue]
        do {
            let data = try Data(contentsOf: configURL)
            do { config = try ComparisonConfigValue.flatten(json: data) } catch {
                throw ComparisonError.malformedFile(path: configURL.path, reason: "not a JSON object (\(DecodingErrorText.describe(error)))")
            }
        } catch let error as ComparisonError {
            throw error
        } catch {
            throw ComparisonError.missingFile(path: configURL.path)
        }
        let text: String
        do { text = try String(contentsOf: metricsURL, encoding: .utf8) } catch {
            if FileManager.default.fileExists(atPath: metricsURL.path) {
                throw .malformedFile(path: metricsURL.path, reason: "not UTF-8 text (\(FileIOError.reason(of: error)))")
            }
            throw .missingFile(path: metricsURL.path)
        }
        let (steps, columns, names) = try parseMetrics(text, path: metricsURL.path)
        let hasHistory = FileManager.default.fileExists(atPath: folder.appendingPathComponent(FileName.history).path)
        return ComparisonRun(name: name, folder: folder, config: config, steps: steps, metrics: columns,
                             metricNames: names, markedDiverged: markedDiverged, hasHistory: hasHistory)
    }

    /// Parses `metrics.csv`: a header starting with `step`, then one row of numbers per logged step (`nan` and
    /// `inf` allowed: they mark a diverged run).
    static func parseMetrics(_ text: String, path: String) throws(ComparisonError)
        -> (steps: [Double], columns: [String: [Double]], names: [String]) {
        let lines = TextLines.split(text)
        guard let headerLine = lines.first, let header = TextLines.csvFields(headerLine)?.map({ $0.trimmingCharacters(in: .whitespaces) }),
              header.first == "step", header.count >= 2 else {
            throw .malformedFile(path: path, reason: "line 1 must be a header starting with `step` (e.g. `step,train_loss`)")
        }
        let names = Array(header.dropFirst())
        var steps: [Double] = []
        var columns = [[Double]](repeating: [], count: names.count)
        for (offset, line) in lines.enumerated().dropFirst() where !line.trimmingCharacters(in: .whitespaces).isEmpty {
            guard let fields = TextLines.csvFields(line), fields.count == header.count else {
                throw .malformedFile(path: path, reason: "line \(offset + 1): expected \(header.count) fields (\(header.joined(separator: ",")))")
            }
            var row: [Double] = []
            for (index, field) in fields.enumerated() {
                guard let value = number(field) else {
                    throw .malformedFile(path: path, reason: "line \(offset + 1): `\(field)` (\(header[index])) is not a number")
                }
                row.append(value)
            }
            guard row[0].isFinite else { throw .malformedFile(path: path, reason: "line \(offset + 1): the step is not a finite number") }
            steps.append(row[0])
            for index in names.indices { columns[index].append(row[index + 1]) }
        }
        var byName: [String: [Double]] = [:]
        for (index, name) in names.enumerated() { byName[name] = columns[index] }
        return (steps, byName, names)
    }

    /// A number as logged (also `nan`, `inf`, `-inf`).
    static func number(_ field: String) -> Double? {
        let trimmed = field.trimmingCharacters(in: .whitespaces)
        switch trimmed.lowercased() {
        case "nan", "-nan", "+nan": return .nan
        case "inf", "+inf", "infinity": return .infinity
        case "-inf", "-infinity": return -.infinity
        default: return Double(trimmed)
        }
    }
}
