import Foundation
import MaxPPlot
import _MaxPSupport

/// Writes the files of a run (PNG, SVG, Markdown, CSV, JSON) so that nothing is ever half-written and no run is
/// ever mixed with another: files are written into the hidden staging folder of a ``StagedRunFolder`` and appear
/// all at once, replacing the earlier run's folder as a whole, when the folder is committed.
///
/// A writer made with ``init(directory:)`` owns its run folder and ``commit()`` swaps it in. A writer made with
/// ``init(into:subfolder:)`` adds files to a run folder someone else commits (a coordinate check and its
/// `autofix/` re-run, or a coordinate check and an LR-transfer report re-rendered together). Uncommitted files are
/// removed by ``discard()`` or when the writer goes away.
///
/// A folder that cannot be created or written is reported at once as ``ReportError/unwritableFolder(path:reason:)``
/// naming it; one another process is writing as ``ReportError/busy(path:lock:)``.
public final class ReportWriter {
    /// The folder the files end up in.
    public let directory: URL
    /// Where the files are written until the run folder is committed.
    let stagingDirectory: URL
    /// The run folder, when this writer owns (and commits) it.
    private let ownedFolder: StagedRunFolder?
    /// Names staged so far, in order.
    private var staged: [String] = []

    /// Opens `directory` as a run folder of its own (creating it and its parents if needed): see
    /// ``StagedRunFolder/init(target:)``.
    public convenience init(directory: URL) throws(ReportError) {
        let folder = try StagedRunFolder(target: directory)
        try self.init(folder: folder, subfolder: nil, owns: true)
    }

    /// Writes into `folder` (or its `subfolder`), which the caller commits.
    public convenience init(into folder: StagedRunFolder, subfolder: String? = nil) throws(ReportError) {
        try self.init(folder: folder, subfolder: subfolder, owns: false)
    }

    private init(folder: StagedRunFolder, subfolder: String?, owns: Bool) throws(ReportError) {
        directory = subfolder.map { folder.target.appendingPathComponent($0, isDirectory: true) } ?? folder.target
        stagingDirectory = subfolder.map { folder.staging.appendingPathComponent($0, isDirectory: true) } ?? folder.staging
        ownedFolder = owns ? folder : nil
        if subfolder != nil {
            do { try FileManager.default.createDirectory(at: stagingDirectory, withIntermediateDirectories: true) } catch {
                throw .unwritableFolder(path: directory.path, reason: "cannot create it (\(FileIOError.reason(of: error)))")
            }
        }
    }

    deinit { ownedFolder?.discard() }

    /// The final URL of a file named `name` in the folder.
    public func url(for name: String) -> URL { directory.appendingPathComponent(name) }

    /// Whether the folder (the earlier run, until the commit) holds a file named `name`.
    public func exists(_ name: String) -> Bool { FileManager.default.fileExists(atPath: url(for: name).path) }

    /// Names of the files staged so far, in order.
    public var stagedNames: [String] { staged }

    /// Stages `data` to become the file `name`.
    public func stage(_ data: Data, as name: String) throws(ReportError) {
        do { try AtomicFile.write(data, to: stagingDirectory.appendingPathComponent(name)) } catch {
            throw .cannotWrite(path: url(for: name).path, reason: error.reason)
        }
        staged.removeAll { $0 == name }
        staged.append(name)
    }

    /// Stages UTF-8 text to become the file `name`.
    public func stage(_ text: String, as name: String) throws(ReportError) { try stage(Data(text.utf8), as: name) }

    /// Keeps the earlier run's file or sub-folder `name` in the new run (a copy; re-rendering a folder in place keeps
    /// its data files). Does nothing when `name` is already staged or the earlier run has no such entry.
    public func carryOver(_ name: String) throws(ReportError) {
        let source = url(for: name), destination = stagingDirectory.appendingPathComponent(name)
        guard !staged.contains(name), FileManager.default.fileExists(atPath: source.path),
              !FileManager.default.fileExists(atPath: destination.path) else { return }
        do { try FileManager.default.copyItem(at: source, to: destination) } catch {
            try? FileManager.default.removeItem(at: destination)
            throw .cannotWrite(path: source.path, reason: "cannot keep it in the new run (\(FileIOError.reason(of: error)))")
        }
        staged.append(name)
    }

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

    /// Returns the final URLs of the staged files in staging order; a writer that owns its run folder first swaps
    /// it in (the files of the earlier run go away as a whole).
    @discardableResult
    public func commit() throws(ReportError) -> [URL] {
        try ownedFolder?.commit()
        return staged.map(url(for:))
    }

    /// Removes every staged, uncommitted file (the whole staging folder, for a writer that owns it).
    public func discard() {
        if let ownedFolder {
            ownedFolder.discard()
        } else {
            for name in staged { try? FileManager.default.removeItem(at: stagingDirectory.appendingPathComponent(name)) }
        }
        staged.removeAll()
    }
}
