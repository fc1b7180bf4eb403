import Foundation
import MaxPPlot
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes all files of a run (PNG, SVG, Markdown, CSV, JSON) into one output folder so that nothing is ever
/// half-written: every file is first staged under a hidden temporary name in that folder, and ``commit()`` renames
/// them all into place. Uncommitted staged files are removed by ``discard()`` or when the writer goes away.
///
/// The folder is created if missing; a folder that cannot be created or written is reported at once as
/// ``ReportError/unwritableFolder(path:reason:)`` naming it.
public final class ReportWriter {
    /// The output folder.
    public let directory: URL
    /// (temporary file, final file) pairs staged so far.
    private var staged: [(temporary: URL, final: URL)] = []

    /// Opens `directory` for writing (creating it and its parents if needed) and checks it is writable.
    public init(directory: URL) throws(ReportError) {
        self.directory = directory.standardizedFileURL
        let path = self.directory.path
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else { throw .unwritableFolder(path: path, reason: "it is a file, not a folder") }
        } else {
            do { try FileManager.default.createDirectory(at: self.directory, withIntermediateDirectories: true) } catch {
                throw .unwritableFolder(path: path, reason: "cannot create it (\(Self.reason(error)))")
            }
        }
        guard access(path, W_OK | X_OK) == 0 else {
            throw .unwritableFolder(path: path, reason: String(cString: strerror(errno)))
        }
    }

    deinit { discard() }

    /// The final URL of a file named `name` in the folder.
    public func url(for name: String) -> URL { directory.appendingPathComponent(name) }

    /// Whether the folder already holds a file named `name`.
    public func exists(_ name: String) -> Bool { FileManager.default.fileExists(atPath: url(for: name).path) }

    /// Names of the files staged so far, in order.
    public var stagedNames: [String] { staged.map(\.final.lastPathComponent) }

    /// Stages `data` to become the file `name`.
    public func stage(_ data: Data, as name: String) throws(ReportError) {
        let final = url(for: name)
        let temporary = directory.appendingPathComponent(".\(name).\(UUID().uuidString).tmp")
        do { try data.write(to: temporary) } catch {
            throw .cannotWrite(path: final.path, reason: Self.reason(error))
        }
        staged.removeAll { entry in
            guard entry.final == final else { return false }
            try? FileManager.default.removeItem(at: entry.temporary)
            return true
        }
        staged.append((temporary, final))
    }

    /// Stages UTF-8 text to become the file `name`.
    public func stage(_ text: String, as name: String) throws(ReportError) { try stage(Data(text.utf8), as: name) }

    /// Renders `figure` once per format and stages `baseName.png` / `baseName.svg`; returns the layout (of the
    /// last format rendered; the layout is the same for every format).
    @discardableResult
    public func stage(_ figure: Figure, baseName: String, formats: [ImageFormat]) throws(ReportError) -> LayoutReport? {
        var layout: LayoutReport?
        for format in formats {
            let name = "\(baseName).\(format.rawValue)"
            let rendered: RenderedFigure
            do { rendered = try figure.render(format: format) } catch {
                throw .rendering(path: url(for: name).path, reason: error.description)
            }
            try stage(rendered.data, as: name)
            layout = rendered.layout
        }
        return layout
    }

    /// Moves every staged file into place (each rename is atomic) and returns the final URLs in staging order.
    @discardableResult
    public func commit() throws(ReportError) -> [URL] {
        var written: [URL] = []
        while !staged.isEmpty {
            let entry = staged.removeFirst()
            if rename(entry.temporary.path, entry.final.path) != 0 {
                let reason = String(cString: strerror(errno))
                try? FileManager.default.removeItem(at: entry.temporary)
                discard()
                throw .cannotWrite(path: entry.final.path, reason: reason)
            }
            written.append(entry.final)
        }
        return written
    }

    /// Removes every staged, uncommitted file.
    public func discard() {
        for entry in staged { try? FileManager.default.removeItem(at: entry.temporary) }
        staged.removeAll()
    }

    static func reason(_ error: any Error) -> String {
        let nsError = error as NSError
        if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(underlying.code)))
        }
        return nsError.localizedDescription
    }
}
