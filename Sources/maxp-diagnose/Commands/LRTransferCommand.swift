import ArgumentParser
import Foundation
import MaxP
import MaxPDiagnostics
import MaxPReport

/// `maxp-diagnose lr-transfer`: does the best learning rate move with width?
struct LRTransferCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lr-transfer",
        abstract: "Train a grid of learning rates × widths × seeds and measure how the optimal learning rate drifts with width.",
        discussion: """
        Every (parametrization, width, lr, seed) run trains the built-in model for --steps steps on its synthetic \
        task (teacher–student classification for the MLP, a random Markov source for GPT; a fresh seeded batch per \
        step); the final loss is the mean of the last 3 steps; NaN/Inf or a blow-up marks a run diverged. Per width \
        the optimum lr* comes from a quadratic fit of loss against log2(lr); the drift exponent is the slope of \
        log2(lr*) against log2(width): SP with Adam drifts by about −1, µP stays near 0. The GPT model keeps the \
        head count fixed (d_head grows with width).

        --inject, --plant, --autofix, --axis and --lr belong to coord-check and are refused here (the grid is --lrs over \
        --widths). --shard i/N runs every N-th (parametrization, width, lr, seed) run; `maxp-diagnose merge` \
        unites the parts.

        Writes to --out: lr_transfer.png, lr_transfer.svg, report.md, lr_transfer.csv, lr_transfer.json.

        Examples:
          maxp-diagnose lr-transfer --model mlp --input-dim 64 --widths 64,128,256,512 --steps 30 \\
            --lrs 1e-3,3e-3,1e-2,3e-2,1e-1 --parametrizations sp,mup --out lr-out
        """)

    @OptionGroup var sweep: SweepOptions
    @OptionGroup var grid: LRGridOptions
    @OptionGroup var ablation: AblationOptions<SweepDefaults>
    @OptionGroup(title: "Depth-µP") var depthScaling: DepthOptions<SweepDefaults>

    /// Refuses what this command would otherwise ignore, and what the engine cannot run (one line, exit 2).
    func validate() throws {
        _ = try validatedPlan()
    }

    /// The grid the options describe, checked by the library (one line naming the flag on any error).
    private func validatedPlan() throws -> (SweepConfiguration, AblationConfiguration, LRTransferPlan) {
        do {
            let config = try sweep.resolved()
            let ablation = try self.ablation.resolved(headsGiven: sweep.shape.heads != nil)
            if let reason = Self.unsupported(config, lrGiven: sweep.training.lr != nil) { throw ValidationError(reason) }
            if !ablation.plants.isEmpty {
                throw ValidationError("--plant is a coord-check option; lr-transfer does not use it (plant the deviation in `maxp-diagnose coord-check`)")
            }
            return (config, ablation, try plan(config, ablation: ablation))
        } catch let error as SweepOptionsError {
            throw ValidationError(error.description)
        } catch let error as ModelBuildError {
            throw ValidationError(error.commandLineMessage)
        }
    }

    /// Why `config` asks for something lr-transfer does not do, or nil.
    static func unsupported(_ config: SweepConfiguration, lrGiven: Bool) -> String? {
        let coordCheckOnly = "is a coord-check option; lr-transfer does not use it"
        if !config.inject.isEmpty { return "--inject \(coordCheckOnly) (plant the fault in `maxp-diagnose coord-check`)" }
        if config.autofix { return "--autofix \(coordCheckOnly)" }
        if config.axis != .width { return "--axis \(config.axis.rawValue): lr-transfer sweeps width only (--widths are widths)" }
        if lrGiven || config.lr != SweepConfiguration().lr {
            return "--lr: lr-transfer sweeps the learning rates given with --lrs; drop --lr"
        }
        if config.steps < 1 { return "--steps: lr-transfer needs at least 1 training step, got \(config.steps)" }
        return nil
    }

    /// The engine's grid, validated by the library.
    private func plan(_ config: SweepConfiguration, ablation: AblationConfiguration) throws -> LRTransferPlan {
        let choices = try grid.resolvedParametrizations(fallback: config.parametrization)
        try RunLimits.check(seeds: config.seeds, steps: config.steps)  // before the seed list is allocated
        let (data, model) = try CoordCheckCommand.dataSource(for: config)
        var plan = LRTransferPlan(
            model: ablation.applied(to: model),
            optimizer: config.optimizer.kind, parametrizations: choices,
            widths: config.widths, learningRates: grid.resolvedLRs, seeds: Array(0..<max(config.seeds, 0)),
            steps: config.steps, data: data, baseWidth: config.baseWidth,
            shard: try CoordCheckCommand.engineShard(config.shard))
        plan.template = depthScaling.applied(to: ablation.applied(to: config.training))
        try plan.validate()  // bad patterns or exponents → exit 2 before the output folder is touched
        return plan
    }

    func run() throws {
        let (config, ablation, plan) = try validatedPlan()
        let output = try StagedRunFolder(target: URL(fileURLWithPath: config.out))  // locked until the run is in place
        let total = plan.shardRunCount
        let reporter = Progress(total: total, label: "lr-transfer", quiet: sweep.quiet)
        let trials = try LRTransferRunner.run(plan) { done, all in
            reporter.set(completed: done)
            if done == all { reporter.finish() }
        }
        let report = LRTransferAnalysis.analyze(trials, primary: plan.parametrizations.first?.rawValue)
        var run = RunDescription(model: plan.model.description(axis: .width),
                                 parametrization: plan.parametrizations.map(\.rawValue).joined(separator: ","),
                                 optimizer: plan.optimizer.rawValue, seedCount: plan.seeds.count, steps: plan.steps,
                                 command: ReproduceCommand.current(),
                                 settings: (config.settings + ablation.settings).map { RunDescription.Setting(name: $0.name, value: $0.value) }
                                    + [RunDescription.Setting(name: "lrs", value: plan.learningRates.map { "\($0)" }.joined(separator: ","))]
                                    + depthScaling.settings.map { RunDescription.Setting(name: $0.name, value: $0.value) })
        if let base = plan.baseWidth {
            run.notes.append("Base width \(base): the learning rates on the x axis are the rates at width \(base) (η · (width/\(base))^-c elsewhere).")
        }
        if plan.model.family == .gpt, let headSize = plan.model.headSize {
            run.notes.append("The GPT model keeps the head size fixed (\(headSize)), so the head count grows with width.")
        } else if plan.model.family == .gpt {
            run.notes.append("The GPT model keeps the head count fixed (\(config.heads)), so the head dimension grows with width.")
        }
        if plan.model.tiesEmbeddings, let primary = plan.parametrizations.first, let width = plan.widths.last {
            // The role conflict of the shared table, as the primary parametrization resolves it at the widest model.
            let probe = try ModelBuilder.build(options: plan.model, training: TrainingOptions(parametrization: primary, optimizer: plan.optimizer,
                                                                                             baseWidth: plan.baseWidth),
                                               axis: .width, axisValue: width, seed: 0, trainable: false)
            run.notes += probe.parametrization.tiedWeights.map { "\(primary.rawValue), width \(width): \($0.description)" }
        }
        let written = try RunArtifacts.writeLRTransfer(trials: trials, report: report, run: run, into: output,
                                         options: ArtifactOptions(formats: config.format))
        try output.commit()
        for name in report.parametrizations {
            guard let summary = report.byParametrization[name] else { continue }
            let drift = summary.driftExponent.map { String(format: "%+.2f", $0) } ?? "n/a"
            print("lr-transfer \(name): drift exponent \(drift); optimum per width: "
                + summary.widths.map { w in "\(w): \(summary.optimum[String(w)].map { String(format: "%.3g", $0) } ?? "–")" }.joined(separator: ", "))
        }
        print(OutputSummary.line(written, folder: config.out))
    }
}
