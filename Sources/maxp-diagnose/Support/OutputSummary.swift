import Foundation

/// The line every command that writes a run folder prints last, in one style: the folder and what is in it, e.g.
/// `wrote out/ref/ (11 files): report.md; figures coord_check, coord_check_by_op, slope_heatmap (.png, .svg); data
/// coord_data.csv, coord_metadata.json, slopes.json, run.json`.
enum OutputSummary {
    /// The summary of `written` (the files a command wrote) inside `folder` (as the user named it). Files in a
    /// subfolder are counted under it (`autofix/ (11 files)`).
    static func line(_ written: [URL], folder: String) -> String {
        let root = URL(fileURLWithPath: folder).standardizedFileURL.path
        var reports: [String] = [], data: [String] = [], subfolders: [(String, Int)] = []
        var figures: [(base: String, extensions: [String])] = []
        for url in written {
            let path = url.standardizedFileURL.path
            let relative = path.hasPrefix(root + "/") ? String(path.dropFirst(root.count + 1)) : url.lastPathComponent
            if let slash = relative.firstIndex(of: "/") {
                let sub = String(relative[..<slash]) + "/"
                if let k = subfolders.firstIndex(where: { $0.0 == sub }) { subfolders[k].1 += 1 } else { subfolders.append((sub, 1)) }
                continue
            }
            let name = URL(fileURLWithPath: relative)
            switch name.pathExtension.lowercased() {
            case "md": reports.append(relative)
            case "png", "svg":
                let base = name.deletingPathExtension().lastPathComponent, ext = "." + name.pathExtension.lowercased()
                if let k = figures.firstIndex(where: { $0.base == base }) { figures[k].extensions.append(ext) }
                else { figures.append((base, [ext])) }
            default: data.append(relative)
            }
        }
        var parts: [String] = []
        if !reports.isEmpty { parts.append(reports.joined(separator: ", ")) }
        if !figures.isEmpty {
            // Figures sharing the same formats are listed together: `coord_check, slope_heatmap (.png, .svg)`.
            var groups: [(extensions: [String], bases: [String])] = []
            for figure in figures {
                let extensions = figure.extensions.sorted()
                if let k = groups.firstIndex(where: { $0.extensions == extensions }) { groups[k].bases.append(figure.base) }
                else { groups.append((extensions, [figure.base])) }
            }
            let text = groups.map { "\($0.bases.joined(separator: ", ")) (\($0.extensions.joined(separator: ", ")))" }
            parts.append("figure\(figures.count == 1 ? "" : "s") " + text.joined(separator: "; "))
        }
        if !data.isEmpty { parts.append("data " + data.joined(separator: ", ")) }
        for (sub, count) in subfolders { parts.append("\(sub) (\(count) file\(count == 1 ? "" : "s"))") }
        let display = folder.hasSuffix("/") ? folder : folder + "/"
        return "wrote \(display) (\(written.count) file\(written.count == 1 ? "" : "s")): " + parts.joined(separator: "; ")
    }
}
