import ArgumentParser
import Foundation
import MaxPReport

/// `maxp-diagnose merge`: shards of a sweep → one table, slopes, figures and report.
struct MergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Merge the output folders of a sharded sweep into one run.",
        discussion: """
        Each shard folder holds coord_data.csv (and, if the sweep wrote them, coord_moments.csv, \
        coord_metadata.json, slopes.json, run.json). The rows are united — a row (axis value, seed, t, op) present in two shards is an error \
        (exit 2) — the slopes are recomputed on the merged table, and the figures and report.md are written to --out.
        Shards must belong together (exit 2 otherwise, naming the setting): the same recorded configuration \
        (model, parametrization, optimizer, lr, swept values, seeds, steps, …), the complete set 1/N … N/N, and \
        every row of the sweep. Folders of LR-transfer trials (lr_transfer.csv) merge the same way into one \
        LR-transfer run.

        Examples:
          # Two parts of one sweep (e.g. a batch job array of 2), merged into one run:
          maxp-diagnose coord-check --widths 64,128,256,512 --shard 1/2 --out part1
          maxp-diagnose coord-check --widths 64,128,256,512 --shard 2/2 --out part2
          maxp-diagnose merge part1 part2 --out merged
        """)

    @Argument(help: ArgumentHelp("Shard output folders.", valueName: "shard-dir"))
    var shards: [String]

    @Option(help: ArgumentHelp("Output folder, created if missing.", valueName: "dir"))
    var out: String

    @Option(help: ArgumentHelp("Image formats of the figures.", valueName: "png,svg"))
    var format: FormatList = FormatList([.png, .svg])

    @Flag(name: .shortAndLong, help: "Print nothing but errors.")
    var quiet = false

    func validate() throws {
        try PathOption.requireNonEmpty(out, "--out")
        for shard in shards { try PathOption.requireNonEmpty(shard, "a shard folder") }
        guard !shards.isEmpty else { throw ValidationError("give at least one shard folder") }
        if Set(shards.map { URL(fileURLWithPath: $0).standardizedFileURL.path }).count != shards.count {
            throw ValidationError("the same shard folder is given twice")
        }
    }

    func run() throws {
        let output = try StagedRunFolder(target: URL(fileURLWithPath: out))  // locked until the merged run is in place
        let options = ArtifactOptions(formats: format.formats)
        let written: [URL]
        let summary: String
        switch try RunMerge.mergeRuns(shards.map { URL(fileURLWithPath: $0) }) {
        case let .coordCheck(merged):
            var run = merged.run
            run.command = ReproduceCommand.current()
            var coordOptions = options  // the figures the shards were drawn with (run.json), on the merged table
            do { coordOptions.coordCheck = try (run.coordCheckFigures ?? CoordCheckFigureChoices()).figureOptions(for: merged.table) } catch {
                throw CLIExit.usage(error.commandLineMessage)
            }
            written = try RunArtifacts.writeCoordCheck(table: merged.table, slopes: merged.slopes, run: run, into: output,
                                                       options: coordOptions)
            summary = "merged \(shards.count) shards: \(merged.table.rows.count) rows, \(merged.slopes.ops.count) slopes"
        case let .lrTransfer(merged):
            var run = merged.run
            run.command = ReproduceCommand.current()
            written = try RunArtifacts.writeLRTransfer(trials: merged.trials, report: merged.report, run: run, into: output,
                                                       options: options)
            summary = "merged \(shards.count) shards: \(merged.trials.count) LR-transfer runs"
        }
        try output.commit()
        if !quiet {
            print(summary)
            print(OutputSummary.line(written, folder: out))
        }
    }
}
