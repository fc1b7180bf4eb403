import Foundation
import MaxPDiagnostics
import MaxPPlot
import _MaxPSupport

/// Choices for the files a run writes.
public struct ArtifactOptions: Sendable {
    /// Image formats of every figure (default PNG and SVG).
    public var formats: [ImageFormat]
    /// The coord-check figure options (statistic, op filter, shared y, …).
    public var coordCheck: CoordCheckFigureOptions
    /// Whether the data files (CSV/JSON) are written even when they exist; off when re-rendering in place (missing
    /// ones are always written so that the report's links resolve).
    public var writesData: Bool
    /// Whether the extra figures are drawn (transposed coord check, slope heat map); the contract files are always
    /// written.
    public var writesExtraFigures: Bool

    /// Creates options.
    public init(formats: [ImageFormat] = [.png, .svg], coordCheck: CoordCheckFigureOptions = CoordCheckFigureOptions(),
                writesData: Bool = true, writesExtraFigures: Bool = true) {
        self.formats = formats; self.coordCheck = coordCheck; self.writesData = writesData
        self.writesExtraFigures = writesExtraFigures
    }
}

/// The entry points that turn a run's data into its output folder: figures, `report.md`, data files, all written
/// through one ``ReportWriter`` (nothing half-written). The sweep engine and the CLI call these.
public enum RunArtifacts {
    /// Writes a coordinate check: `coord_check.{png,svg}` (one panel per t), `coord_check_by_op.*` (one panel per
    /// op), `slope_heatmap.*`, `alignment.*` (when `history` is not empty), `report.md`, and the data
    /// `coord_data.csv`, `coord_metadata.json`, `slopes.json`, `run.json` (and `history.csv`).
    /// Returns the written files.
    /// The folder is written as one unit (see ``StagedRunFolder``): the earlier run in it is replaced as a whole.
    @discardableResult
    public static func writeCoordCheck(table: CoordTable, slopes: SlopeReport, run: RunDescription,
                                       history: [AlignmentHistoryRow] = [], to directory: URL,
                                       options: ArtifactOptions = ArtifactOptions(),
                                       renderer: ReportRenderer? = nil) throws(ReportError) -> [URL] {
        let renderer = try renderer.orLocated()
        let writer = try ReportWriter(directory: directory)
        try stageCoordCheck(table: table, slopes: slopes, run: run, history: history, writer: writer, options: options,
                            renderer: renderer)
        return try writer.commit()
    }

    /// Writes the same files as ``writeCoordCheck(table:slopes:run:history:to:options:renderer:)`` into an open
    /// run folder (or its `subfolder`, e.g. `autofix`); they appear when the caller commits `folder`. Returns the
    /// files' final URLs.
    @discardableResult
    public static func writeCoordCheck(table: CoordTable, slopes: SlopeReport, run: RunDescription,
                                       history: [AlignmentHistoryRow] = [], into folder: StagedRunFolder,
                                       subfolder: String? = nil, options: ArtifactOptions = ArtifactOptions(),
                                       renderer: ReportRenderer? = nil) throws(ReportError) -> [URL] {
        let renderer = try renderer.orLocated()
        let writer = try ReportWriter(into: folder, subfolder: subfolder)
        try stageCoordCheck(table: table, slopes: slopes, run: run, history: history, writer: writer, options: options,
                            renderer: renderer)
        return try writer.commit()
    }

    static func stageCoordCheck(table: CoordTable, slopes: SlopeReport, run: RunDescription,
                                history: [AlignmentHistoryRow], writer: ReportWriter, options: ArtifactOptions,
                                renderer: ReportRenderer) throws(ReportError) {
        var figures: [ReportSections.FigureLink] = []
        let statistic = options.coordCheck.statistic
        let shown = DepthDiagnosis.seriesTable(table)  // depth axis: the position-matched series the verdicts judge
        try stage(CoordCheckFigures.byStep(table: shown, slopes: slopes, run: run, options: options.coordCheck),
                  baseName: "coord_check", writer: writer, options: options, into: &figures,
                  title: "Coordinate check: \(FigureText.statisticTitle(statistic)) against \(table.metadata.axis.rawValue)",
                  caption: coordCheckCaption(table: shown, slopes: slopes, options: options.coordCheck))
        if options.writesExtraFigures {
            try stage(CoordCheckFigures.byOp(table: shown, slopes: slopes, run: run, options: options.coordCheck),
                      baseName: "coord_check_by_op", writer: writer, options: options, into: &figures,
                      title: "The same data, one panel per op",
                      caption: "One small panel per op (read left to right, top to bottom, in graph order), each with its own y range; "
                        + "one line per step t (mean over seeds), from blue (early) to red (late), explained by the legend on the right. "
                        + "Each panel title gives the op's slope at the first and last step; thick lines are steps where the op disagrees "
                        + "with theory, named in the title. Lines that fan out show an op whose scaling changes during training.")
            if let judged = statistic.judged, slopes.ops.contains(where: { $0.statistic == judged }) {
                try stage(SlopeHeatMapFigure.make(slopes: slopes, statistic: judged, opOrder: options.coordCheck.ops ?? shown.opOrder, run: run),
                          baseName: "slope_heatmap", writer: writer, options: options, into: &figures,
                          title: "Slopes at a glance",
                          caption: "Left: measured slope per op and step; right: slope minus what theory expects. White is 0; red grows with \(slopes.axis.rawValue) faster than it should, blue shrinks faster.")
            }
        }
        if !history.isEmpty { try stageAlignment(history, run: run, writer: writer, options: options, into: &figures) }
        var dataFiles: [ReportSections.DataFile] = [
            .init(name: RunFolder.FileName.coordData, description: "the tidy table (axis_value, seed, t, op, kind, l1, rms, delta_rms)"),
            .init(name: RunFolder.FileName.slopes, description: "fitted slopes, intervals, expected slopes, verdicts and suggested Δa"),
            .init(name: RunFolder.FileName.coordMetadata, description: "axis, seeds, steps, op graph with declared exponents, losses"),
            .init(name: RunFolder.FileName.run, description: "the run configuration and per-layer exponents (used by `maxp-diagnose report`)"),
        ]
        let moments = table.momentsCSVString()
        if moments != nil {
            dataFiles.insert(.init(name: RunFolder.FileName.coordMoments, description: "mup's mean and std of each op's output and its gradient size (axis_value, seed, t, op, mean, std, grad_l1, grad_rms)"), at: 1)
        }
        if !history.isEmpty {
            dataFiles.append(.init(name: RunFolder.FileName.alignmentHistory, description: "alignment history (step, layer, alpha, omega, u, c, lr, loss)"))
        }
        let model = CoordCheckReportModel(slopes: slopes, run: run, figures: figures, dataFiles: dataFiles)
        try writer.stage(try renderer.render(model), as: RunFolder.FileName.report)
        func wanted(_ name: String) throws(ReportError) -> Bool {
            if options.writesData || !writer.exists(name) { return true }
            try writer.carryOver(name)  // re-rendering in place: keep the data file as it is
            return false
        }
        if try wanted(RunFolder.FileName.coordData) { try writer.stage(table.csvString(), as: RunFolder.FileName.coordData) }
        if let moments, try wanted(RunFolder.FileName.coordMoments) { try writer.stage(moments, as: RunFolder.FileName.coordMoments) }
        if try wanted(RunFolder.FileName.coordMetadata) {
            try writer.stage(try JSONCoding.encode(table.metadata), as: RunFolder.FileName.coordMetadata)
        }
        if try wanted(RunFolder.FileName.slopes) {
            let slopesData: Data
            do { slopesData = try slopes.jsonData() } catch {
                throw .cannotWrite(path: writer.url(for: RunFolder.FileName.slopes).path, reason: error.description)
            }
            try writer.stage(slopesData, as: RunFolder.FileName.slopes)
        }
        if try wanted(RunFolder.FileName.run) { try writer.stage(try JSONCoding.encode(run), as: RunFolder.FileName.run) }
        if !history.isEmpty, try wanted(RunFolder.FileName.alignmentHistory) {
            try writer.stage(historyCSV(history), as: RunFolder.FileName.alignmentHistory)
        }
    }

    /// The caption under `coord_check.png`: how to read the layout (grid, shared legend, shared y range, emphasis).
    static func coordCheckCaption(table: CoordTable, slopes: SlopeReport, options: CoordCheckFigureOptions) -> String {
        CoordCheckFigures.caption(table: table, slopes: slopes, options: options)
    }

    /// Writes an LR-transfer run: `lr_transfer.{png,svg}`, `alignment.*` (when `history` is not empty),
    /// `report.md` (or `reportName`), and the data `lr_transfer.csv`, `lr_transfer.json`, `run.json`.
    /// The folder is written as one unit (see ``StagedRunFolder``): the earlier run in it is replaced as a whole.
    @discardableResult
    public static func writeLRTransfer(trials: [LRTrial], report: LRTransferReport, run: RunDescription,
                                       history: [AlignmentHistoryRow] = [], to directory: URL,
                                       options: ArtifactOptions = ArtifactOptions(), reportName: String = RunFolder.FileName.report,
                                       renderer: ReportRenderer? = nil) throws(ReportError) -> [URL] {
        let renderer = try renderer.orLocated()
        let writer = try ReportWriter(directory: directory)
        try stageLRTransfer(trials: trials, report: report, run: run, history: history, writer: writer, options: options,
                            reportName: reportName, renderer: renderer)
        return try writer.commit()
    }

    /// Writes the same files as ``writeLRTransfer(trials:report:run:history:to:options:reportName:renderer:)`` into
    /// an open run folder; they appear when the caller commits `folder`. Returns the files' final URLs.
    @discardableResult
    public static func writeLRTransfer(trials: [LRTrial], report: LRTransferReport, run: RunDescription,
                                       history: [AlignmentHistoryRow] = [], into folder: StagedRunFolder,
                                       options: ArtifactOptions = ArtifactOptions(), reportName: String = RunFolder.FileName.report,
                                       renderer: ReportRenderer? = nil) throws(ReportError) -> [URL] {
        let renderer = try renderer.orLocated()
        let writer = try ReportWriter(into: folder)
        try stageLRTransfer(trials: trials, report: report, run: run, history: history, writer: writer, options: options,
                            reportName: reportName, renderer: renderer)
        return try writer.commit()
    }

    static func stageLRTransfer(trials: [LRTrial], report: LRTransferReport, run: RunDescription,
                                history: [AlignmentHistoryRow], writer: ReportWriter, options: ArtifactOptions,
                                reportName: String, renderer: ReportRenderer) throws(ReportError) {
        var figures: [ReportSections.FigureLink] = []
        try stage(LRTransferFigure.make(report: report, trials: trials, run: run), baseName: "lr_transfer", writer: writer,
                  options: options, into: &figures, title: "Final loss against learning rate, per width",
                  caption: "One curve per width (darker = wider), mean over seeds with the seeds' range shaded. Diamonds joined by the dashed "
                    + "line mark the optimum lr* of each width: a vertical dashed line means the learning rate transfers across width.")
        if !history.isEmpty { try stageAlignment(history, run: run, writer: writer, options: options, into: &figures) }
        var dataFiles: [ReportSections.DataFile] = [
            .init(name: RunFolder.FileName.lrTransferCSV, description: "one row per run (parametrization, width, lr, seed, final_loss, diverged)"),
            .init(name: RunFolder.FileName.lrTransferJSON, description: "optimum per width, its interval, the drift exponent and the mean-loss grid"),
            .init(name: RunFolder.FileName.run, description: "the run configuration (used by `maxp-diagnose report`)"),
        ]
        if !history.isEmpty {
            dataFiles.append(.init(name: RunFolder.FileName.alignmentHistory, description: "alignment history (step, layer, alpha, omega, u, c, lr, loss)"))
        }
        let model = LRTransferReportModel(report: report, run: run, figures: figures, dataFiles: dataFiles)
        try writer.stage(try renderer.render(model), as: reportName)
        func wanted(_ name: String) throws(ReportError) -> Bool {
            if options.writesData || !writer.exists(name) { return true }
            try writer.carryOver(name)  // re-rendering in place: keep the data file as it is
            return false
        }
        if try wanted(RunFolder.FileName.lrTransferCSV) {
            try writer.stage(LRTrialCSV.csvString(trials), as: RunFolder.FileName.lrTransferCSV)
        }
        if try wanted(RunFolder.FileName.lrTransferJSON) {
            let reportData: Data
            do { reportData = try report.jsonData() } catch {
                throw .cannotWrite(path: writer.url(for: RunFolder.FileName.lrTransferJSON).path, reason: error.description)
            }
            try writer.stage(reportData, as: RunFolder.FileName.lrTransferJSON)
        }
        if try wanted(RunFolder.FileName.run) { try writer.stage(try JSONCoding.encode(run), as: RunFolder.FileName.run) }
        if !history.isEmpty, try wanted(RunFolder.FileName.alignmentHistory) {
            try writer.stage(historyCSV(history), as: RunFolder.FileName.alignmentHistory)
        }
    }

    /// Re-renders the figures and report(s) of a saved run folder without recomputing anything: a coordinate check
    /// gives `report.md`; LR-transfer data gives `report.md` too, or `lr_transfer.md` when the folder also holds a
    /// coordinate check. Data files are rewritten only when `output` differs from `input` (so its links resolve);
    /// in place they are kept as they are, with the `autofix/` re-run. The output folder is written as one unit:
    /// figures of the earlier rendering that this one does not draw (PNGs after an SVG-only re-render) go away.
    /// The saved data must be complete and consistent (see ``RunFolder/read(_:)``).
    /// The coord-check figures are drawn with `figures` where set, else with the choices saved in `run.json`
    /// (``RunDescription/coordCheckFigures``); a `run.json` written to another folder records the choices used.
    @discardableResult
    public static func rerender(from input: URL, to output: URL? = nil, formats: [ImageFormat] = [.png, .svg],
                                figures: CoordCheckFigureChoices = CoordCheckFigureChoices(),
                                renderer: ReportRenderer? = nil) throws(ReportError) -> [URL] {
        let folder = try RunFolder.read(input)
        if folder.table == nil && folder.lrTransfer == nil {
            throw .missingInput(path: input.appendingPathComponent(RunFolder.FileName.coordData).path,
                                hint: "slopes.json alone cannot be re-rendered: the figures need coord_data.csv")
        }
        if folder.table == nil && !figures.isEmpty { throw .figureOptionsWithoutCoordCheck }
        let output = output ?? input
        let renderer = try renderer.orLocated()
        let inPlace = output.standardizedFileURL.resolvingSymlinksInPath().path
            == input.standardizedFileURL.resolvingSymlinksInPath().path
        let options = ArtifactOptions(formats: formats, writesData: !inPlace)
        let staged = try StagedRunFolder(target: output)
        var written: [URL] = []
        var wroteCoordCheck = false
        if let table = folder.table {
            let slopes = folder.slopes ?? SlopeReport(table: table)
            var run = folder.run ?? RunDescription(table: table)
            let choices = figures.overriding(run.coordCheckFigures)
            var coordOptions = options
            coordOptions.coordCheck = try choices.figureOptions(for: table)
            run.coordCheckFigures = choices.isEmpty ? nil : choices
            written += try writeCoordCheck(table: table, slopes: slopes, run: run, history: folder.history, into: staged,
                                           options: coordOptions, renderer: renderer)
            wroteCoordCheck = true
        }
        if let report = folder.lrTransfer {
            let run = folder.run ?? RunDescription(model: "")
            written += try writeLRTransfer(trials: folder.trials, report: report, run: run,
                                           history: wroteCoordCheck ? [] : folder.history, into: staged, options: options,
                                           reportName: wroteCoordCheck ? RunFolder.FileName.lrTransferReport : RunFolder.FileName.report,
                                           renderer: renderer)
        }
        if inPlace {  // keep the data this rendering does not rewrite, and the autofix re-run
            let keep = [RunFolder.FileName.coordDataJSON, RunFolder.FileName.trainingState] + RunFolder.FileName.subfolders.sorted()
            let writer = try ReportWriter(into: staged)
            for name in keep { try writer.carryOver(name) }
        }
        try staged.commit()
        return written
    }

    // MARK: - Pieces

    static func stage(_ figure: Figure, baseName: String, writer: ReportWriter, options: ArtifactOptions,
                      into links: inout [ReportSections.FigureLink], title: String, caption: String) throws(ReportError) {
        guard !options.formats.isEmpty else { return }
        try writer.stage(figure, baseName: baseName, formats: options.formats)
        let hasPNG = options.formats.contains(.png), hasSVG = options.formats.contains(.svg)
        links.append(ReportSections.FigureLink(title: title, file: "\(baseName).\(hasPNG ? "png" : "svg")",
                                               alt: figure.title ?? title, caption: caption,
                                               vector: hasPNG && hasSVG ? "\(baseName).svg" : nil))
    }

    static func stageAlignment(_ history: [AlignmentHistoryRow], run: RunDescription, writer: ReportWriter,
                               options: ArtifactOptions, into figures: inout [ReportSections.FigureLink]) throws(ReportError) {
        try stage(AlignmentFigure.make(history: history, run: run), baseName: "alignment", writer: writer, options: options,
                  into: &figures, title: "Alignment and learning rates over training",
                  caption: "Per layer: the measured alignment exponents α, ω, u, the learning-rate exponent c the controller chose, the learning rate and the loss, against the training step.")
    }

    /// `history.csv` text.
    public static func historyCSV(_ history: [AlignmentHistoryRow]) -> String {
        var lines = [AlignmentHistoryRow.csvHeader]
        for row in history {
            lines.append([String(row.step), row.layer, "\(row.alpha)", "\(row.omega)", "\(row.u)", "\(row.c)", "\(row.lr)", "\(row.loss)"]
                .joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }
}

extension Optional where Wrapped == ReportRenderer {
    /// The renderer, or one with the located templates.
    func orLocated() throws(ReportError) -> ReportRenderer {
        if let self { return self }
        return try ReportRenderer()
    }
}
