import Foundation
import _MaxPSupport

/// One experiment of a comparison: a name (`maxp`) and the runs of its folder. The folder is a grid's output
/// (`grid.csv` lists the runs, each in `runs/<name>/`), a folder of run folders or of grid folders, or one run
/// folder.
public struct ComparisonExperiment: Sendable, Equatable {
    /// The experiment's name, as it appears in figures and tables.
    public var name: String
    /// The folder it was read from.
    public var folder: URL
    /// Its runs, in the order of `grid.csv` (or of the folder names).
    public var runs: [ComparisonRun]

    /// Creates an experiment from values.
    public init(name: String, folder: URL, runs: [ComparisonRun]) {
        self.name = name; self.folder = folder; self.runs = runs
    }

    /// `NAME=DIR` split at the first `=`; both parts must be non-empty.
    public static func parseSpec(_ text: String) throws(ComparisonError) -> (name: String, path: String) {
        guard let equals = text.firstIndex(of: "=") else { throw .badExperimentSpec(text) }
        let name = text[..<equals].trimmingCharacters(in: .whitespaces)
        let path = String(text[text.index(after: equals)...])
        guard !name.isEmpty, !path.isEmpty else { throw .badExperimentSpec(text) }
        return (name, path)
    }

    /// The name of the grid index file.
    public static let gridIndex = "grid.csv"

    /// Reads the experiment `name` from `folder` (see the type's documentation).
    public static func read(name: String, folder: URL) throws(ComparisonError) -> ComparisonExperiment {
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        guard manager.fileExists(atPath: folder.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw .missingFolder(experiment: name, path: folder.path)
        }
        let index = folder.appendingPathComponent(gridIndex)
        if manager.fileExists(atPath: index.path) {
            return ComparisonExperiment(name: name, folder: folder, runs: try readGrid(index: index, folder: folder))
        }
        if manager.fileExists(atPath: folder.appendingPathComponent(ComparisonRun.FileName.config).path) {
            return ComparisonExperiment(name: name, folder: folder,
                                        runs: [try ComparisonRun.read(folder: folder, name: folder.lastPathComponent)])
        }
        var runs = try readChildren(of: folder)
        if runs.isEmpty { runs = try readChildren(of: folder.appendingPathComponent("runs")) }
        guard !runs.isEmpty else { throw .noRuns(experiment: name, path: folder.path) }
        return ComparisonExperiment(name: name, folder: folder, runs: runs)
    }

    /// The runs `grid.csv` lists (header `run,<sweep keys…>,status,…`), each read from `runs/<run>/`.
    static func readGrid(index: URL, folder: URL) throws(ComparisonError) -> [ComparisonRun] {
        let text: String
        do { text = try String(contentsOf: index, encoding: .utf8) } catch {
            throw .malformedFile(path: index.path, reason: FileIOError.reason(of: error))
        }
        let lines = TextLines.split(text)
        guard let headerLine = lines.first, let header = TextLines.csvFields(headerLine), header.first == "run" else {
            throw .malformedFile(path: index.path, reason: "line 1 must be a header starting with `run` (run,<sweep keys…>,status,…)")
        }
        let statusColumn = header.firstIndex(of: "status")
        var runs: [ComparisonRun] = []
        for (offset, line) in lines.enumerated().dropFirst() where !line.trimmingCharacters(in: .whitespaces).isEmpty {
            guard let fields = TextLines.csvFields(line), fields.count == header.count, !fields[0].isEmpty else {
                throw .malformedFile(path: index.path, reason: "line \(offset + 1): expected \(header.count) fields with a run name first")
            }
            let diverged = statusColumn.map { fields[$0].trimmingCharacters(in: .whitespaces) == "diverged" } ?? false
            let runFolder = folder.appendingPathComponent("runs").appendingPathComponent(fields[0])
            runs.append(try ComparisonRun.read(folder: runFolder, name: fields[0], markedDiverged: diverged))
        }
        return runs
    }

    /// The runs directly inside `folder`, by name: sub-folders holding `config.json` (run folders), and
    /// sub-folders holding `grid.csv` (grids, their runs named `<grid>/<run>`, e.g. one grid per model).
    static func readChildren(of folder: URL) throws(ComparisonError) -> [ComparisonRun] {
        let manager = FileManager.default
        guard let entries = try? manager.contentsOfDirectory(atPath: folder.path) else { return [] }
        var runs: [ComparisonRun] = []
        for entry in entries.sorted() where !entry.hasPrefix(".") {
            let child = folder.appendingPathComponent(entry)
            if manager.fileExists(atPath: child.appendingPathComponent(ComparisonRun.FileName.config).path) {
                runs.append(try ComparisonRun.read(folder: child, name: entry))
            } else if manager.fileExists(atPath: child.appendingPathComponent(gridIndex).path) {
                for var run in try readGrid(index: child.appendingPathComponent(gridIndex), folder: child) {
                    run.name = "\(entry)/\(run.name)"
                    runs.append(run)
                }
            }
        }
        return runs
    }
}
