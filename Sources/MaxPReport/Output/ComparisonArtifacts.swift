import Foundation
import MaxPDiagnostics
import MaxPPlot

/// The files of a comparison of experiments (`maxp-diagnose compare`).
extension RunArtifacts {
    /// `compare.csv`.
    public static let comparisonCSV = "compare.csv"
    /// `candidates.csv`.
    public static let comparisonCandidatesCSV = "candidates.csv"

    /// Writes a comparison into an open run folder (committed by the caller): per group `curves_<group>.{png,svg}`
    /// (the best run of each experiment), `lr_<group>.*` (final metric against the learning rate, when it varies)
    /// and `lr_traces_<group>.*` (per-layer learning rates of the best runs that recorded `history.csv`); then
    /// `report.md`, `compare.csv` (the table of best runs) and `candidates.csv` (every setting). Returns the files'
    /// final URLs.
    @discardableResult
    public static func writeComparison(_ comparison: Comparison, experiments: [ComparisonExperiment], command: String?,
                                       into folder: StagedRunFolder, options: ArtifactOptions = ArtifactOptions(),
                                       renderer: ReportRenderer? = nil) throws(ReportError) -> [URL] {
        let renderer = try renderer.orLocated()
        let writer = try ReportWriter(into: folder)
        let histories = try readHistories(comparison)
        var figures: [ReportSections.FigureLink] = []
        var used = Set<String>()
        for group in comparison.groups {
            let slug = uniqueSlug(comparison, group: group, used: &used)
            let label = comparison.label(of: group)
            try stage(ComparisonFigures.curves(comparison, group: group), baseName: "curves\(slug)", writer: writer,
                      options: options, into: &figures, title: "\(label): training curves of the best runs",
                      caption: "Each experiment's best setting: \(comparison.metric) against the training step, mean over seeds with the seeds' range shaded; one colour per experiment.")
            if ComparisonFigures.learningRateVaries(comparison, group: group) {
                try stage(ComparisonFigures.sweep(comparison, group: group), baseName: "lr\(slug)", writer: writer,
                          options: options, into: &figures, title: "\(label): final \(comparison.metric) against the learning rate",
                          caption: "Mean final value over seeds at each learning rate (log scale), one curve per experiment; the diamond marks each experiment's pick, gaps are diverged learning rates.")
            }
            if let traces = ComparisonFigures.learningRateTraces(comparison, group: group, histories: histories) {
                try stage(traces, baseName: "lr_traces\(slug)", writer: writer, options: options, into: &figures,
                          title: "\(label): per-layer learning rates over training",
                          caption: "From each best run's history.csv (its first seed): the learning rate of every layer at every step. A flat line is a fixed learning rate; a moving one was re-solved from measured alignment.")
            }
        }
        let dataFiles: [ReportSections.DataFile] = [
            .init(name: comparisonCSV, description: "the table of best runs: one row per group and experiment (status, picked settings, seeds, mean/min/max final \(comparison.metric), runs)"),
            .init(name: comparisonCandidatesCSV, description: "every setting of every experiment in every group: seeds, diverged seeds, mean final \(comparison.metric), whether it was picked"),
        ]
        let model = ComparisonReportModel(comparison: comparison, experiments: experiments, command: command,
                                          figures: figures, dataFiles: dataFiles)
        try writer.stage(try renderer.render(model), as: RunFolder.FileName.report)
        try writer.stage(comparison.bestCSV(), as: comparisonCSV)
        try writer.stage(comparison.candidatesCSV(), as: comparisonCandidatesCSV)
        return try writer.commit()
    }

    /// The histories of the best runs (first seed) that have one, by folder path.
    static func readHistories(_ comparison: Comparison) throws(ReportError) -> [String: [AlignmentHistoryRow]] {
        var histories: [String: [AlignmentHistoryRow]] = [:]
        for group in comparison.groups {
            for entry in group.entries {
                guard let run = entry.best?.runs.first, run.hasHistory, histories[run.folder.path] == nil else { continue }
                let url = run.folder.appendingPathComponent(ComparisonRun.FileName.history)
                let text: String
                do { text = try String(contentsOf: url, encoding: .utf8) } catch {
                    throw .malformedInput(path: url.path, reason: "cannot read it as UTF-8 text")
                }
                do { histories[run.folder.path] = try AlignmentHistoryRow.parseCSV(text) } catch {
                    if case let .malformedInput(_, reason) = error { throw .malformedInput(path: url.path, reason: reason) }
                    throw error
                }
            }
        }
        return histories
    }

    /// `_mlp_64` from a group's values (letters, digits, `.` and `-` kept, anything else `-`); empty without
    /// grouping keys; a numbered suffix when two groups would share it.
    static func uniqueSlug(_ comparison: Comparison, group: Comparison.Group, used: inout Set<String>) -> String {
        let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: ".-"))
        let parts = group.values.map { value in
            String(value.description.unicodeScalars.map { allowed.contains($0) && $0.isASCII ? Character($0) : "-" })
        }
        let base = parts.isEmpty ? "" : "_" + parts.joined(separator: "_")
        var slug = base, counter = 2
        while !used.insert(slug).inserted { slug = "\(base)_\(counter)"; counter += 1 }
        return slug
    }
}
