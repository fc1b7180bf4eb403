import ArgumentParser
import Foundation
import MaxPDiagnostics

/// Why a single output file could not be written.
struct OutputFileError: Error, CustomStringConvertible {
    var path: String
    var reason: String
    var description: String { "cannot write '\(path)': \(reason)" }
}

/// Single-file output for commands (`--junit`, `--markdown`, a baseline): the package's one atomic writer
/// (``AtomicFile``), with its folder created when missing. Whole runs go through `StagedRunFolder` from MaxPReport.
enum OutputFile {
    static func write(_ data: Data, to url: URL) throws(OutputFileError) {
        let folder = url.deletingLastPathComponent()
        do { try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true) } catch {
            throw OutputFileError(path: url.path, reason: "cannot create its folder (\(FileIOError.reason(of: error)))")
        }
        do { try AtomicFile.write(data, to: url) } catch {
            throw OutputFileError(path: url.path, reason: error.reason)
        }
    }
}

/// The checks every path option gets before it is used: an empty path would silently mean the current folder.
enum PathOption {
    /// Throws a usage error naming `option` when `value` is empty or blank.
    static func requireNonEmpty(_ value: String?, _ option: String) throws {
        if let value, value.trimmingCharacters(in: .whitespaces).isEmpty {
            throw ValidationError("\(option) is empty: give a folder or file name")
        }
    }
}
