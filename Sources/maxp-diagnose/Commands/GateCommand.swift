import ArgumentParser
import Foundation
import MaxPDiagnostics
import MaxPReport

/// `maxp-diagnose gate`: the CI gate on activation slopes.
struct GateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gate",
        abstract: "Fail CI when activation slopes regress against a committed baseline or disagree with theory.",
        discussion: """
        Gets the current slopes either from --current FILE (a slopes.json written by `coord-check --out DIR`) or, \
        without --current, by running the sweep described by the sweep options (--model, --widths, \
        --parametrization, --inject, --config, …, the ablation options --override, --plant, --head-size, --sigma, \
        --weight-decay, --grad-clip and depth-µP's --depth-alpha, --base-depth; the same options and defaults as \
        `coord-check`). With --out DIR \
        the run's files (coord_check.png, report.md, coord_data.csv, slopes.json, …) are written there too.

        Then compares every (op, t, statistic) slope with the baseline AND with theory:
          - baseline: a slope that moved by more than --tolerance, disappeared, or can no longer be fitted fails;
          - theory: a current verdict `grows` or `shrinks` fails, even if the baseline had the same verdict (a \
        baseline recorded from a buggy model must not hide the bug). --baseline-only turns this check off; then \
        only a verdict that went from ok to grows/shrinks fails.
        Prints a table of regressions on stdout (tab-separated: op, t, statistic, baseline, current, delta, \
        expected, verdict, reason).

        Exit codes: 0 pass, 1 regression, 2 usage or input error (e.g. malformed baseline JSON, bad sweep option).

        Examples:
          # Create the baseline once from a trusted run, commit it:
          maxp-diagnose gate --baseline ci/slopes.json --write-baseline --model mlp --widths 64,128,256 --steps 1
          # In CI: run the same sweep and compare (JUnit XML for the CI's test view):
          maxp-diagnose gate --baseline ci/slopes.json --model mlp --widths 64,128,256 --steps 1 --junit gate.xml
          # Or compare the slopes of an earlier coord-check run, and write a Markdown summary:
          maxp-diagnose gate --baseline ci/slopes.json --current out/slopes.json --markdown summary.md
          # Only compare with the baseline (accept known deviations it records):
          maxp-diagnose gate --baseline ci/slopes.json --current out/slopes.json --baseline-only
        """)

    @Option(help: ArgumentHelp("The committed baseline slopes.json.", valueName: "file"))
    var baseline: String

    @Option(help: "Largest allowed |slope − baseline slope|.")
    var tolerance: Double = Gate.defaultTolerance

    @Option(help: ArgumentHelp("The current slopes.json (e.g. written by `coord-check --out DIR`); without it the gate runs the sweep given by the sweep options.", valueName: "file"))
    var current: String?

    @Option(help: ArgumentHelp("Also write a JUnit-style XML report here.", valueName: "file.xml"))
    var junit: String?

    @Option(help: ArgumentHelp("Also write a Markdown summary here.", valueName: "file.md"))
    var markdown: String?

    @Flag(help: "Write the current slopes as the baseline file (creating or replacing it) instead of comparing.")
    var writeBaseline = false

    @Flag(help: "Compare with the baseline only: a grows/shrinks verdict the baseline already had does not fail.")
    var baselineOnly = false

    @OptionGroup(title: "Sweep options (used when --current is not given)")
    var sweep: SweepOptions

    @OptionGroup(title: "Ablation options of the sweep (used when --current is not given)")
    var ablation: AblationOptions<SweepDefaults>

    @OptionGroup(title: "Depth-µP of the sweep (used when --current is not given)")
    var depthScaling: DepthOptions<SweepDefaults>

    func validate() throws {
        try PathOption.requireNonEmpty(baseline, "--baseline")
        try PathOption.requireNonEmpty(current, "--current")
        try PathOption.requireNonEmpty(junit, "--junit")
        try PathOption.requireNonEmpty(markdown, "--markdown")
        guard tolerance >= 0, tolerance.isFinite else {
            throw ValidationError("--tolerance must be a non-negative number, got \(tolerance)")
        }
        if current != nil,
           let option = sweep.givenSweepOption ?? GivenSetting.firstFlag(ablation.given + depthScaling.given) {
            throw ValidationError("\(option) is a sweep option, but --current gives the slopes already: use one or the other")
        }
        if sweep.autofix { throw ValidationError("--autofix is not available in the gate (run `coord-check --autofix`)") }
        if sweep.shard != nil {
            throw ValidationError("--shard is not available in the gate: merge the shards first (`maxp-diagnose merge`), then pass --current")
        }
        if current == nil { _ = try CoordCheckCommand.validatedPlan(sweep, ablation: ablation, depth: depthScaling) }
    }

    func run() throws {
        // Read the baseline first: a malformed baseline must fail before minutes of sweeping.
        let baselineURL = URL(fileURLWithPath: baseline)
        let baselineReport = writeBaseline ? nil : try SlopeReport.read(from: baselineURL)
        let (currentReport, currentName) = try currentSlopes()
        if writeBaseline {
            try OutputFile.write(try currentReport.jsonData(), to: baselineURL)
            print("wrote baseline \(baseline) (\(currentReport.ops.count) slopes)")
            let deviations = currentReport.ops.filter(\.verdict.isDeviation)
            if !deviations.isEmpty {
                let ops = Array(Set(deviations.map(\.op))).sorted().joined(separator: ", ")
                FileHandle.standardError.write(Data(("warning: the baseline records \(deviations.count) grows/shrinks "
                    + "verdict(s) (\(ops)); the theory check will fail on them unless --baseline-only\n").utf8))
            }
            return
        }
        guard let baselineReport else { return }
        try Gate.checkComparable(current: currentReport, baseline: baselineReport)
        let result = Gate.compare(current: currentReport, baseline: baselineReport, tolerance: tolerance,
                                  checksTheory: !baselineOnly)
        print(result.regressionTable(), terminator: "")
        if let junit {
            try OutputFile.write(Data(result.junitXML(axis: currentReport.axis).utf8), to: URL(fileURLWithPath: junit))
        }
        if let markdown {
            let url = URL(fileURLWithPath: markdown)
            let model = GateReportModel(result: result, baseline: baseline, current: currentName,
                                        command: ReproduceCommand.current())
            try OutputFile.write(Data(try ReportRenderer().render(model).utf8), to: url)
        }
        if !result.passed { throw ExitCode(CLIExit.checkFailed) }
    }

    /// The current slopes and how to name them in reports: read from --current, or from a sweep run now (its files
    /// written to --out when given).
    private func currentSlopes() throws -> (SlopeReport, String) {
        if let current { return (try SlopeReport.read(from: URL(fileURLWithPath: current)), current) }
        let config = try sweep.resolved()
        // Unwritable or busy → exit 2 before any work; the folder stays locked until the run is in place.
        let output = try sweep.out.map { path throws(ReportError) in try StagedRunFolder(target: URL(fileURLWithPath: path)) }
        let ablation = try self.ablation.resolved(headsGiven: sweep.shape.heads != nil)
        let plan = try CoordCheckCommand.plan(from: config, ablation: ablation, depth: depthScaling)
        let result = try CoordCheckCommand.runSweep(plan, quiet: sweep.quiet, label: "gate sweep")
        let report = result.slopeReport()
        if let output {
            var run = CoordCheckCommand.runDescription(result, config: config, ablation: ablation)
            run.settings += depthScaling.settings.map { RunDescription.Setting(name: $0.name, value: $0.value) }
            try RunArtifacts.writeCoordCheck(table: result.table, slopes: report, run: run, into: output,
                                             options: ArtifactOptions(formats: config.format))
            try output.commit()
        }
        let name = "sweep run by the gate (\(config.model.rawValue), \(config.parametrization.rawValue)"
            + config.inject.map { ", --inject \($0.rawValue)" }.joined() + ablation.plants.map { ", --plant \($0)" }.joined() + ")"
        return (report, name)
    }
}
