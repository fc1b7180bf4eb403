import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Why a single output file could not be written.
struct OutputFileError: Error, CustomStringConvertible {
    var path: String
    var reason: String
    var description: String { "cannot write '\(path)': \(reason)" }
}

/// Single-file atomic output for commands (temporary name in the same folder, then rename). For whole runs use
/// `ReportWriter` from MaxPReport.
enum OutputFile {
    static func write(_ data: Data, to url: URL) throws(OutputFileError) {
        let temporary = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString).tmp")
        do { try data.write(to: temporary) } catch {
            throw OutputFileError(path: url.path, reason: (error as NSError).localizedDescription)
        }
        if rename(temporary.path, url.path) != 0 {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: temporary)
            throw OutputFileError(path: url.path, reason: reason)
        }
    }
}
