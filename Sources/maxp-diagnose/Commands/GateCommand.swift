import ArgumentParser
import Foundation
import MaxPDiagnostics
import MaxPReport

/// `maxp-diagnose gate`: the CI gate on activation slopes.
struct GateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gate",
        abstract: "Fail CI when activation slopes regress against a committed baseline.",
        discussion: """
        Compares every (op, t, statistic) slope of the current slopes.json with the baseline: a slope that moved \
        by more than --tolerance, a verdict that went from ok to grows/shrinks, a slope that disappeared or can no \
        longer be fitted is a regression. Prints a table of regressions on stdout.

        Exit codes: 0 pass, 1 regression, 2 usage or input error (e.g. malformed baseline JSON).

        Examples:
          # Create the baseline once from a trusted run, commit it:
          maxp-diagnose gate --baseline ci/slopes.json --current out/slopes.json --write-baseline
          # In CI, after a coord-check run:
          maxp-diagnose gate --baseline ci/slopes.json --current out/slopes.json --tolerance 0.1 --junit gate.xml
          # Also write a Markdown summary (e.g. to $GITHUB_STEP_SUMMARY):
          maxp-diagnose gate --baseline ci/slopes.json --current out/slopes.json --markdown summary.md
        """)

    @Option(help: ArgumentHelp("The committed baseline slopes.json.", valueName: "file"))
    var baseline: String

    @Option(help: "Largest allowed |slope − baseline slope|.")
    var tolerance: Double = Gate.defaultTolerance

    @Option(help: ArgumentHelp("The current slopes.json (e.g. written by `coord-check --out DIR`).", valueName: "file"))
    var current: String?

    @Option(help: ArgumentHelp("Also write a JUnit-style XML report here.", valueName: "file.xml"))
    var junit: String?

    @Option(help: ArgumentHelp("Also write a Markdown summary here.", valueName: "file.md"))
    var markdown: String?

    @Flag(help: "Write the current slopes as the baseline file (creating or replacing it) instead of comparing.")
    var writeBaseline = false

    func validate() throws {
        guard tolerance >= 0, tolerance.isFinite else {
            throw ValidationError("--tolerance must be a non-negative number, got \(tolerance)")
        }
        guard current != nil else {
            throw ValidationError("give the current slopes with --current FILE (slopes.json from `maxp-diagnose coord-check --out DIR`)")
        }
    }

    func run() throws {
        guard let current else { throw CLIExit.usage("missing --current") }
        let currentReport = try SlopeReport.read(from: URL(fileURLWithPath: current))
        if writeBaseline {
            let url = URL(fileURLWithPath: baseline)
            try ensureFolder(of: url)
            try currentReport.write(to: url)
            print("wrote baseline \(baseline) (\(currentReport.ops.count) slopes)")
            return
        }
        let baselineReport = try SlopeReport.read(from: URL(fileURLWithPath: baseline))
        let result = Gate.compare(current: currentReport, baseline: baselineReport, tolerance: tolerance)
        print(result.regressionTable(), terminator: "")
        if let junit {
            let url = URL(fileURLWithPath: junit)
            try ensureFolder(of: url)
            try OutputFile.write(Data(result.junitXML().utf8), to: url)
        }
        if let markdown {
            let url = URL(fileURLWithPath: markdown)
            try ensureFolder(of: url)
            let model = GateReportModel(result: result, baseline: baseline, current: current,
                                        command: ReproduceCommand.current())
            try OutputFile.write(Data(try ReportRenderer().render(model).utf8), to: url)
        }
        if !result.passed { throw ExitCode(CLIExit.checkFailed) }
    }

    private func ensureFolder(of url: URL) throws {
        _ = try ReportWriter(directory: url.deletingLastPathComponent())
    }
}
