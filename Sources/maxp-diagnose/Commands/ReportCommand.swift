import ArgumentParser
import Foundation
import MaxPDiagnostics
import MaxPReport

/// `maxp-diagnose report`: re-render figures and report.md from saved data.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Re-render figures and report.md from a run's saved data, without recomputing.",
        discussion: """
        Reads coord_data.csv + slopes.json (+ coord_metadata.json, run.json, history.csv when present) and/or \
        lr_transfer.csv / lr_transfer.json from --from, and writes the figures (coord_check.png/.svg, …) and \
        report.md to --out (default: the same folder). The data must be complete and consistent (a coord_data.csv \
        cut short, with only a header, or fitted differently from slopes.json is refused with exit 2); the output \
        folder is replaced as a whole, so figures of an earlier rendering in other formats go away. Templates come from $MAXP_TEMPLATES, a Templates folder \
        near the executable, or the copy built into the binary — edit the templates and re-run to restyle a report.

        Examples:
          maxp-diagnose report --from out
          maxp-diagnose report --from out --out out-svg --format svg
          MAXP_TEMPLATES=./my-templates maxp-diagnose report --from out
        """)

    @Option(help: ArgumentHelp("Folder with the saved run data.", valueName: "dir"))
    var from: String

    @Option(help: ArgumentHelp("Output folder (default: --from), created if missing.", valueName: "dir"))
    var out: String?

    @Option(help: ArgumentHelp("Image formats of the figures.", valueName: "png,svg"))
    var format: FormatList = FormatList([.png, .svg])

    @OptionGroup(title: "Figure options (default: those the run was made with)") var figures: FigureOptions

    @Flag(name: .shortAndLong, help: "Print nothing but errors.")
    var quiet = false

    func validate() throws {
        try PathOption.requireNonEmpty(from, "--from")
        try PathOption.requireNonEmpty(out, "--out")
    }

    func run() throws {
        let written: [URL]
        do {
            written = try RunArtifacts.rerender(from: URL(fileURLWithPath: from), to: out.map { URL(fileURLWithPath: $0) },
                                                formats: format.formats, figures: figures.choices)
        } catch {
            throw CLIExit.usage(error.commandLineMessage)
        }
        if !quiet { print(OutputSummary.line(written, folder: out ?? from)) }
    }
}
