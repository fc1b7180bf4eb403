import Foundation
import Mustache

/// The Mustache templates of the Markdown reports, found at run time.
///
/// The files in the top-level `Templates/` folder are the source of truth. They are looked up, in order: in the
/// folder named by the environment variable `MAXP_TEMPLATES`; in a `Templates` folder next to or above the running
/// executable; in a `Templates` folder above this source file (`#filePath`, for tests and `swift run`). An installed
/// binary far from its sources falls back to ``EmbeddedTemplates`` (a copy of the files compiled in; a test keeps
/// them equal). A found folder that lacks some template is completed from the embedded copy.
public struct ReportTemplates: Sendable {
    /// Where the templates came from.
    public enum Origin: Sendable, Equatable, CustomStringConvertible {
        /// A folder on disk.
        case directory(String)
        /// The copy compiled into the binary.
        case embedded
        /// `folder '…'` or `embedded copy`.
        public var description: String {
            switch self {
            case .directory(let path): "folder '\(path)'"
            case .embedded: "embedded copy"
            }
        }
    }

    /// Template names (file names without `.md.mustache`): the four reports, then the partials they include.
    public static let names = ["coord_check", "lr_transfer", "gate", "compare", "run_configuration", "figures", "data_files", "reproduce"]
    /// File extension of a template file.
    public static let fileExtension = ".md.mustache"

    /// Where the templates came from.
    public let origin: Origin
    /// Template text by name.
    public let texts: [String: String]

    /// Creates a set from texts (names as in ``names``).
    public init(origin: Origin, texts: [String: String]) {
        self.origin = origin
        self.texts = texts
    }

    /// The compiled-in copy.
    public static var embedded: ReportTemplates { ReportTemplates(origin: .embedded, texts: EmbeddedTemplates.texts) }

    /// Finds the templates (see the type's documentation). Throws only when `MAXP_TEMPLATES` is set to a folder
    /// without templates, since silently ignoring an explicit setting would hide a mistake.
    public static func locate(environment: [String: String] = ProcessInfo.processInfo.environment,
                              executablePath: String? = CommandLine.arguments.first,
                              sourceFile: String = #filePath) throws(ReportError) -> ReportTemplates {
        if let explicit = environment["MAXP_TEMPLATES"], !explicit.isEmpty {
            let folder = URL(fileURLWithPath: explicit)
            guard holdsTemplates(folder) else {
                throw .template(name: "coord_check", reason: "MAXP_TEMPLATES='\(explicit)' holds no coord_check\(fileExtension)")
            }
            return try load(directory: folder)
        }
        for folder in candidateFolders(executablePath: executablePath, sourceFile: sourceFile) where holdsTemplates(folder) {
            return try load(directory: folder)
        }
        return embedded
    }

    /// `Templates` folders next to the executable and its ancestors, then above the source file.
    public static func candidateFolders(executablePath: String?, sourceFile: String) -> [URL] {
        var starts: [URL] = []
        if let executablePath, !executablePath.isEmpty {
            let url = URL(fileURLWithPath: executablePath).resolvingSymlinksInPath()
            starts.append(url.deletingLastPathComponent())
        }
        starts.append(URL(fileURLWithPath: sourceFile).deletingLastPathComponent())
        var folders: [URL] = []
        for start in starts {
            var current = start.standardizedFileURL
            for _ in 0..<12 {
                folders.append(current.appendingPathComponent("Templates"))
                let parent = current.deletingLastPathComponent()
                if parent.path == current.path { break }
                current = parent
            }
        }
        return folders
    }

    /// Reads every template of ``names`` from `directory`; missing ones come from the embedded copy.
    public static func load(directory: URL) throws(ReportError) -> ReportTemplates {
        var texts = EmbeddedTemplates.texts
        for name in names {
            let url = directory.appendingPathComponent(name + fileExtension)
            guard FileManager.default.fileExists(atPath: url.path) else { continue }
            do { texts[name] = try String(contentsOf: url, encoding: .utf8) } catch {
                throw .template(name: name, reason: "cannot read '\(url.path)': \(error.localizedDescription)")
            }
        }
        return ReportTemplates(origin: .directory(directory.path), texts: texts)
    }

    static func holdsTemplates(_ folder: URL) -> Bool {
        FileManager.default.fileExists(atPath: folder.appendingPathComponent("coord_check" + fileExtension).path)
    }

    /// Parses every template into a Mustache library (partials resolve by name).
    func library() throws(ReportError) -> MustacheLibrary {
        var library = MustacheLibrary()
        for (name, text) in texts.sorted(by: { $0.key < $1.key }) {
            do { try library.register(text, named: name) } catch {
                throw .template(name: name, reason: "does not parse (\(origin)): \(error)")
            }
        }
        return library
    }
}
