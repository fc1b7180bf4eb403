import ArgumentParser
import Foundation
import MaxP
import MaxPDiagnostics
import MaxPReport

/// `maxp-diagnose coord-check` (alias `sweep`): a width (or depth / heads) sweep of a built-in model with slope
/// verdicts per op, figures and a report.
struct CoordCheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "coord-check",
        abstract: "Sweep width, fit log-log slopes per op, and say which ops scale wrongly and how to fix them.",
        discussion: """
        Builds the model at every swept value and seed, measures every op call site at initialization (t = 0) and \
        after each of --steps optimizer steps on one fixed batch, fits the slope of log2(size) against \
        log2(width) with a 95% interval across seeds, and compares it with what the declared parametrization \
        predicts (plain SP is compared with the µP target). Jobs run in parallel on all cores.

        The GPT model sweeps width at a FIXED head count (--heads), so the head dimension d_head = width/heads grows \
        with width: with a fixed head size the 1/√d attention bug would be invisible to any coord check.

        Writes to --out: coord_check.png, coord_check.svg, report.md, coord_data.csv \
        (axis_value,seed,t,op,kind,l1,rms,delta_rms), coord_moments.csv (mup's mean, std), slopes.json (and more figures and metadata). With \
        --autofix the corrected re-run goes to <out>/autofix/.

        Examples:
          maxp-diagnose coord-check --model mlp --input-dim 3072 --depth 3 --output-dim 10 --batch 64 \\
            --widths 64,128,256,512,1024,2048 --seeds 3 --steps 3 --optimizer adam --parametrization mup --out out
          maxp-diagnose coord-check --model gpt --heads 4 --widths 64,128,256,512 --parametrization mup \\
            --inject attention-sqrt-d --autofix --out out-bug
          maxp-diagnose sweep --model mlp --parametrization sp --lr 0.01 --out out-sp
        """,
        aliases: ["sweep"])

    @OptionGroup var sweep: SweepOptions
    @OptionGroup(title: "Figure options") var figures: FigureOptions
    @OptionGroup var ablation: AblationOptions<SweepDefaults>
    @OptionGroup(title: "Depth-µP") var depthScaling: DepthOptions<SweepDefaults>

    /// Refuses what the engine cannot run (one line naming the flag, exit 2): the whole plan is built and checked
    /// by the library's rules; the sweep options check what the command line adds themselves.
    func validate() throws {
        _ = try Self.validatedPlan(sweep, ablation: ablation, depth: depthScaling)
    }

    func run() throws {
        let config = try sweep.resolved()
        let ablation = try self.ablation.resolved(headsGiven: sweep.shape.heads != nil)
        // Bad patterns or exponents → exit 2 before the output folder is touched.
        let plan = try Self.plan(from: config, ablation: ablation, depth: depthScaling)
        // A figure op glob that matches no op of the planned model → exit 2 before the sweep (t = 0 names only).
        if let globs = figures.globs {
            let names = try plan.measuredOpNames()
            do { try CoordCheckFigureChoices(ops: globs).checkOps(against: names) } catch {
                throw CLIExit.usage(error.commandLineMessage)
            }
        }
        // Unwritable or busy → exit 2 before any work; the folder stays locked until the run is in place.
        let output = try StagedRunFolder(target: URL(fileURLWithPath: config.out))
        let result = try Self.runSweep(plan, quiet: sweep.quiet, label: "coord-check")
        let report = result.slopeReport()
        let depthSettings = depthScaling.settings.map { RunDescription.Setting(name: $0.name, value: $0.value) }
        let figureOptions = try Self.figureOptions(figures, table: result.table)
        let options = ArtifactOptions(formats: config.format, coordCheck: figureOptions)
        var run = Self.runDescription(result, config: config, ablation: ablation)
        run.settings += depthSettings + figures.settings
        run.coordCheckFigures = figures.choices.isEmpty ? nil : figures.choices
        if config.autofix {
            let outcome = try AutoFix.fix(result, progress: Self.progress(total: plan.jobs.count, quiet: sweep.quiet,
                                                                           label: "autofix re-run"))
            if let after = outcome.after, let afterReport = outcome.afterReport {
                let seeds = after.plan.seeds.count
                run.notes.append("--autofix applied \(Self.describe(outcome.corrections)) and re-ran the sweep: "
                    + (outcome.isVerified ? "every corrected op is now ok"
                                          : VerdictProse.verification(outcome.verification, seeds: seeds))
                    + " (see autofix/report.md).")
                var afterRun = Self.runDescription(after, config: config, ablation: ablation)
                afterRun.settings += depthSettings + figures.settings
                afterRun.coordCheckFigures = run.coordCheckFigures
                afterRun.notes.append("Re-run of the sweep with the autofix corrections \(Self.describe(outcome.corrections))"
                    + (seeds == plan.seeds.count ? "." : ", with \(seeds) seeds (the corrected ops' intervals needed them)."))
                try RunArtifacts.writeCoordCheck(table: after.table, slopes: afterReport, run: afterRun,
                                                 into: output, subfolder: "autofix",
                                                 options: ArtifactOptions(formats: config.format,
                                                                          coordCheck: try Self.figureOptions(figures, table: after.table)))
            } else {
                run.notes.append("--autofix: no exponent correction was suggested, nothing re-run.")
            }
            print(Self.autofixSummary(outcome))
        }
        let written = try RunArtifacts.writeCoordCheck(table: result.table, slopes: report, run: run, into: output,
                                                       options: options)
        try output.commit()
        print(Self.summary(report, seconds: result.seconds, output: config.out))
        print(OutputSummary.line(written, folder: config.out))
    }

    /// The figure options for the swept ops; a `--ops` glob that matches none of them → exit 2 naming it.
    static func figureOptions(_ figures: FigureOptions, table: CoordTable) throws -> CoordCheckFigureOptions {
        do { return try figures.choices.figureOptions(for: table) } catch {
            throw CLIExit.usage(error.commandLineMessage)
        }
    }

    // MARK: - Shared with other commands (e.g. a gate that runs its own sweep)

    /// The plan of the sweep the options describe, validated: `validate()`'s check of a command that runs a sweep
    /// (coord-check, the gate), one line naming the flag on any error.
    static func validatedPlan(_ sweep: SweepOptions, ablation: AblationOptions<SweepDefaults>,
                              depth: DepthOptions<SweepDefaults>) throws -> SweepPlan {
        do {
            let config = try sweep.resolved()
            return try plan(from: config, ablation: try ablation.resolved(headsGiven: sweep.shape.heads != nil), depth: depth)
        } catch let error as SweepOptionsError {
            throw ValidationError(error.description)
        } catch let error as ModelBuildError {
            throw ValidationError(error.commandLineMessage)
        }
    }

    /// The engine plan for resolved sweep and ablation options (the CLI's `--shard i/N` is 1-based, the engine's
    /// 0-based), validated by the library. With `depth`, depth-µP's values join the training options.
    static func plan(from config: SweepConfiguration, ablation: AblationConfiguration = AblationConfiguration(),
                     depth: DepthOptions<SweepDefaults>? = nil) throws(ModelBuildError) -> SweepPlan {
        try RunLimits.check(seeds: config.seeds, steps: config.steps)  // before the seed list is allocated
        let (data, model) = try dataSource(for: config)
        let ablated = ablation.applied(to: config.training)
        let training = depth.map { $0.applied(to: ablated) } ?? ablated
        var plan = SweepPlan(model: ablation.applied(to: model), training: training,
                             axis: config.axis, values: config.widths, seeds: Array(0..<max(config.seeds, 0)), steps: config.steps,
                             faults: config.inject, plants: ablation.plants, data: data,
                             shard: try engineShard(config.shard))
        plan.recordsGradients = true  // coord_moments.csv holds them beside mup's mean and std
        try plan.validate()
        return plan
    }

    /// The engine's 0-based shard of the CLI's 1-based `--shard i/N`.
    static func engineShard(_ shard: Shard?) throws(ModelBuildError) -> SweepShard? {
        try shard.map { s throws(ModelBuildError) in try SweepShard(index: s.index - 1, count: s.count) }
    }

    /// The batches of a sweep and its model's shape: the file given with `--data` (which also fixes the input and
    /// output sizes) or the built-in synthetic task.
    static func dataSource(for config: SweepConfiguration) throws(ModelBuildError) -> (DataSource, ModelOptions) {
        guard let path = config.data else { return (.synthetic(seed: 0), config.shape) }
        do {
            let dataset = try CSVDataset(contentsOf: URL(fileURLWithPath: path))
            var shape = config.shape
            (shape.inputDimension, shape.outputDimension) = (dataset.featureCount, max(dataset.classes, 2))
            return (.csv(dataset), shape)
        } catch {
            throw .invalid(setting: .data, reason: "\(error)")
        }
    }

    /// Runs the plan with progress on stderr.
    static func runSweep(_ plan: SweepPlan, quiet: Bool, label: String) throws(ModelBuildError) -> SweepResult {
        try SweepRunner.run(plan, progress: progress(total: plan.jobs.count, quiet: quiet, label: label))
    }

    /// A progress callback for the engine.
    static func progress(total: Int, quiet: Bool, label: String) -> @Sendable (SweepProgress) -> Void {
        Progress(total: total, label: label, quiet: quiet).sweepCallback
    }

    /// The run description of a sweep (settings, command, per-layer exponents, notes).
    static func runDescription(_ result: SweepResult, config: SweepConfiguration,
                               ablation: AblationConfiguration = AblationConfiguration()) -> RunDescription {
        var run = RunDescription(coordCheck: result.coordCheck, command: ReproduceCommand.current())
        run.settings = (config.settings + ablation.settings).map { RunDescription.Setting(name: $0.name, value: $0.value) }
        var notes: [String] = []
        if result.plan.model.family == .gpt, result.plan.axis == .depth {
            let model = result.plan.model
            notes.append("The GPT model keeps its width (\(model.width)) and heads (\(model.heads(atWidth: model.width)), "
                + "d_head = \(model.width / max(model.heads(atWidth: model.width), 1))) at every depth: only the number of blocks changes.")
        } else if result.plan.model.family == .gpt, let headSize = result.plan.model.headSize {
            notes.append("The GPT model keeps the head size fixed (\(headSize)): the head count grows with width and the head dimension does not, so the attention logits' 1/d_head is a constant (attention-logit scaling bugs do not show up).")
        } else if result.plan.model.family == .gpt {
            notes.append("The GPT model sweeps width at a fixed head count (\(config.heads)): the head dimension grows with width, so attention-logit scaling bugs show up.")
        }
        if !result.plan.training.overrides.isEmpty {
            notes.append("Declared overrides " + result.plan.training.overrides.map { "`\($0)`" }.joined(separator: ", ")
                + ": theory and the exponent LP use them.")
        }
        var planted = result.plan.faults.map { "injected fault `\($0.rawValue)`" }
        planted += result.plan.plants.map { "planted `\($0)`" }
        if !planted.isEmpty {
            let text = planted.joined(separator: ", ")
            run.notes.insert(text.prefix(1).uppercased() + text.dropFirst()
                + ": the declared parametrization is the intended one, the model silently is not.",
                             at: result.plan.theoryMode == .muPTarget ? min(1, run.notes.count) : 0)
        }
        run.notes.insert(contentsOf: notes, at: 0)
        return run
    }

    static func describe(_ corrections: ExponentCorrections) -> String {
        let a = corrections.deltaA.sorted { $0.key < $1.key }.map { "Δa(\($0.key)) = \(String(format: "%+.2f", $0.value))" }
        let c = corrections.deltaC.sorted { $0.key < $1.key }.map { "Δc(\($0.key)) = \(String(format: "%+.2f", $0.value))" }
        return (a + c).joined(separator: ", ")
    }

    static func summary(_ report: SlopeReport, seconds: Double, output: String) -> String {
        var counts: [Verdict: Int] = [:]
        for entry in report.ops { counts[entry.verdict, default: 0] += 1 }
        var lines = ["coord-check: \(report.ops.count) slopes in \(String(format: "%.2f", seconds)) s — "
            + Verdict.allCases.filter { counts[$0] != nil }.map { "\(counts[$0]!) \($0.rawValue)" }.joined(separator: ", ")]
        for entry in report.ops where entry.verdict.isDeviation && entry.inheritedFrom == nil && entry.statistic != .rms {
            lines.append("  \(entry.verdict.rawValue): \(entry.message)")
        }
        return lines.joined(separator: "\n")
    }

    static func autofixSummary(_ outcome: AutoFixOutcome) -> String {
        guard outcome.after != nil else { return "autofix: nothing to correct" }
        var lines = ["autofix: \(describe(outcome.corrections))"]
        for (op, before, after) in outcome.comparisons {
            func text(_ entry: SlopeReport.Entry?) -> String {
                guard let entry else { return "–" }
                return "\(entry.slope.map { String(format: "%+.3f", $0) } ?? "nan") (\(entry.verdict.rawValue))"
            }
            lines.append("  \(op): before \(text(before)) → after \(text(after))")
        }
        lines.append("autofix " + VerdictProse.verification(outcome.verification, seeds: outcome.after?.plan.seeds.count ?? 0)
            + (outcome.isVerified ? "" : " (see autofix/report.md)"))
        return lines.joined(separator: "\n")
    }
}
