import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The one write-to-a-temporary-name-then-rename writer of the package: readers never see half a file, and the
/// temporary file is removed on every error path (a full disk, a failed rename).
public enum AtomicFile {
    /// The hidden temporary name used next to `url` while it is written (`.name.<uuid>.tmp`).
    public static func temporaryURL(for url: URL) -> URL {
        url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString).tmp")
    }

    /// Writes `data` to `url` atomically; the folder must exist.
    public static func write(_ data: Data, to url: URL) throws(FileIOError) {
        let directory = url.deletingLastPathComponent()
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory) else {
            throw FileIOError(path: url.path, reason: "folder '\(directory.path)' does not exist")
        }
        guard isDirectory.boolValue else {
            throw FileIOError(path: url.path, reason: "'\(directory.path)' is a file, not a folder")
        }
        if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), isDirectory.boolValue {
            throw FileIOError(path: url.path, reason: "is a folder, not a file")
        }
        let temporary = temporaryURL(for: url)
        if let reason = writeNew(data, to: temporary.path) {
            unlink(temporary.path)
            throw FileIOError(path: url.path, reason: reason)
        }
        if rename(temporary.path, url.path) != 0 {
            let reason = FileIOError.lastPOSIXReason
            try? FileManager.default.removeItem(at: temporary)
            throw FileIOError(path: url.path, reason: reason)
        }
    }

    /// Creates `path` (it must not exist) and writes `data` to it with POSIX calls, so a failure gives its exact
    /// `errno` (`No space left on device`, `File too large`); returns the reason of a failure, `nil` on success.
    private static func writeNew(_ data: Data, to path: String) -> String? {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { return FileIOError.lastPOSIXReason }
        var failure: String?
        data.withUnsafeBytes { (buffer: UnsafeRawBufferPointer) in
            var offset = 0
            while offset < buffer.count {
                let written = posixWrite(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    failure = FileIOError.lastPOSIXReason
                    return
                }
                offset += written
            }
        }
        if close(descriptor) != 0, failure == nil { failure = FileIOError.lastPOSIXReason }
        return failure
    }

    /// Writes UTF-8 `text` to `url` atomically.
    public static func write(_ text: String, to url: URL) throws(FileIOError) { try write(Data(text.utf8), to: url) }
}

/// `write(2)` (named apart from ``AtomicFile/write(_:to:)``).
private func posixWrite(_ descriptor: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
    #if canImport(Glibc)
    Glibc.write(descriptor, bytes, count)
    #else
    Darwin.write(descriptor, bytes, count)
    #endif
}

/// Reading an input file with a plain-words error: a folder given where a file is expected says so, a missing
/// file says so, and any other failure gives the POSIX reason.
public enum InputFile {
    /// The bytes of the file at `url`.
    public static func read(_ url: URL) throws(FileIOError) -> Data {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
            throw FileIOError(path: url.path, reason: "no such file")
        }
        guard !isDirectory.boolValue else { throw FileIOError(path: url.path, reason: "is a folder, not a file") }
        do { return try Data(contentsOf: url) } catch {
            throw FileIOError(path: url.path, reason: FileIOError.reason(of: error))
        }
    }

    /// The file at `url` as UTF-8 text (invalid bytes are an error, not replaced).
    public static func readText(_ url: URL) throws(FileIOError) -> String {
        let data = try read(url)
        guard let text = String(data: data, encoding: .utf8) else {
            throw FileIOError(path: url.path, reason: "not readable as UTF-8 text")
        }
        return text
    }
}
