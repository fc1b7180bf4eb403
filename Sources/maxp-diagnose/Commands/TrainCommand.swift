import ArgumentParser
import Foundation
import MaxP
import MaxPDiagnostics
import MaxPPlot
import MaxPReport

/// `maxp-diagnose train`: trains a small built-in model on a built-in task (MLP: teacher–student classification of
/// Gaussian inputs, or a CSV file with `--data`; GPT: next-token prediction on a seeded Markov source) under a named
/// parametrization, with maxP's dynamic alignment controller, and writes a `train` run folder (see docs/formats.md):
/// `config.json` (the resolved configuration), `metrics.csv` (`step,train_loss`), `history.csv`
/// (`step,layer,alpha,omega,u,c,lr,loss`, one row per layer per step), `state.json` (the controller checkpoint),
/// `checkpoint.json` (model and optimizer) and the traces.
///
/// The run is configured by `--config RUN.yaml` (or JSON) and/or options (options win); `--resume DIR` continues a
/// run folder bit-identically up to `--steps`. The model, parametrization, ablation and depth-µP options are the
/// groups the sweeps share (``TrainOptions``), each a key of the same configuration (`--tie-embeddings` is
/// `model.tie_embeddings`, `--override` `maxp.overrides`, …); the sweep-only `--plant` and `--head-size` are refused. Exit codes: 0 done, 1 the loss
/// became NaN/infinite or grew past 10^4 × the first step's loss (what was computed so far is written, the diverged
/// step marked with `loss = nan`), 2 bad input (one line on stderr).
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a built-in model with maxP's dynamic learning rates; write a run folder (config.json, metrics.csv, history.csv, state.json).",
        discussion: """
            Example: maxp-diagnose train --model mlp --width 64 --parametrization mup --optimizer adam \
            --alignment full --dynamic --steps 20 --lr 0.05 --out run/
            Or: maxp-diagnose train --config run.yaml --out run/   (keys: model.*, optimizer.*, maxp.*, schedule.*, logging.*,
            steps, seed, data, base_width; options override the file). Continue: maxp-diagnose train --resume run/ --steps 40
            Exit codes: 0 done, 1 diverged (NaN loss, or 1e4 × the first step's loss; partial results written), 2 bad input.
            """)

    @Option(help: ArgumentHelp("Run configuration, YAML or JSON (sections model, optimizer, maxp, schedule, logging; steps, seed, data, base_width); options given here win.", valueName: "run.yaml"))
    var config: String?
    @Option(help: ArgumentHelp("Continue the run in this folder from its checkpoint up to --steps (writes into it unless --out is given); its configuration must not change except steps and logging.", valueName: "dir"))
    var resume: String?
    @Option(parsing: .unconditional, help: ArgumentHelp("Output folder (created if missing; default with --resume: the resumed folder).", valueName: "dir"))
    var out: String?
    @OptionGroup var options: TrainOptions

    func validate() throws {
        guard resume != nil || out != nil else { throw ValidationError("--out: give an output folder") }
        if let out, out.isEmpty { throw ValidationError("--out: give an output folder") }
    }

    /// The resolved configuration, its data, and the saved run to continue.
    private func resolved() throws -> (RunConfiguration, CSVDataset?, labels: [String: String],
                                       saved: (Checkpoint<Float>, AlignmentControllerState)?) {
        var base = ConfigValue.map([])
        var saved: (document: ConfigValue, checkpoint: Checkpoint<Float>, state: AlignmentControllerState)?
        if let resume {
            do { saved = try TrainRunFolder.saved(URL(fileURLWithPath: resume)) } catch {
                throw ValidationError("--resume '\(resume)': \(error)")
            }
            base = saved!.document
        }
        if let config {
            do { base = try ConfigDocument.read(URL(fileURLWithPath: config)) } catch {
                throw ValidationError("--config \(error)")
            }
        }
        let (document, labels) = RunSetting.applied(options.settings, to: base)
        let configuration: RunConfiguration, dataset: CSVDataset?
        do { (configuration, dataset) = try RunConfiguration.resolve(document: document, labels: labels) } catch {
            throw ValidationError(config.map { "--config '\($0)': \(error)" } ?? error.description)
        }
        guard let saved, let resume else { return (configuration, dataset, labels, nil) }
        let before: RunConfiguration
        do { before = try RunConfiguration(document: saved.document) } catch {
            throw ValidationError("--resume '\(resume)': its config.json: \(error)")
        }
        if let difference = before.firstDifference(from: configuration) {
            throw ValidationError("--resume '\(resume)': " + ConfigurationError.resumeMismatch(
                key: difference.key, saved: difference.this.description, given: difference.other.description).description)
        }
        let done = saved.state.completedSteps
        if let last = saved.state.history.records.last, !last.loss.isFinite {
            throw ValidationError("--resume '\(resume)': the run diverged at step \(last.step); nothing to continue")
        }
        guard configuration.steps > done else {
            throw ValidationError("--resume '\(resume)': the run already has \(done) steps; give --steps more than \(done)")
        }
        return (configuration, dataset, labels, (saved.checkpoint, saved.state))
    }

    func run() throws {
        let (configuration, dataset, labels, saved) = try resolved()
        let outputFolder = URL(fileURLWithPath: out ?? resume!)
        let session: TrainingSession
        do {
            session = try TrainingSession(configuration, dataset: dataset)
            if let saved {
                try session.restore(checkpoint: saved.0, controllerState: saved.1)
            } else {
                try session.start()
            }
        } catch {
            if case let .model(engine) = error {
                throw ValidationError((config.map { "--config '\($0)': " } ?? "") + Self.message(of: engine, labels: labels))
            }
            throw ValidationError(resume.map { "--resume '\($0)': \(error)" } ?? "\(error)")
        }
        let every = configuration.logging.every
        let outcome: TrainingSession.Outcome
        do {
            outcome = try TrainRunFolder.train(session, to: outputFolder, commitFailed: true, command: ReproduceCommand.current()) { step, loss in
                guard every > 0, step % every == 0 else { return }
                FileHandle.standardError.write(Data("step \(step)/\(configuration.steps): loss \(String(format: "%.4f", loss))\n".utf8))
            }
        } catch {
            throw BadInput(command: "train", message: error.description).exit()
        }
        let losses = session.losses
        switch outcome {
        case let .diverged(step, loss):
            let first = losses.first ?? .nan
            let what = loss.isFinite
                ? String(format: "%.3g, more than %.0e × the first step's %.3g", loss, TrainingSession.divergenceFactor, first)
                : (loss.isNaN ? "nan" : "\(loss)")
            FileHandle.standardError.write(Data(
                ("maxp-diagnose train: diverged: the loss is \(what) at step \(step) (lower --lr); history up to step \(step - 1) "
                    + "and the diverged step (loss = nan) written to \(outputFolder.path)\n").utf8))
            throw ExitCode(1)
        case let .failed(step, message):
            FileHandle.standardError.write(Data("maxp-diagnose train: step \(step): \(message)\n".utf8))
            throw ExitCode(1)
        case .completed:
            let controller = session.controller
            let table = controller.layerNames.map { name in
                String(format: "%@ c=%.4f lr=%.4g", name, controller.c[name] ?? .nan, controller.learningRates[name] ?? .nan)
            }
            let resumed = saved.map { " (resumed at step \($0.1.completedSteps))" } ?? ""
            print("trained \(configuration.steps) steps\(resumed) (\(configuration.summary)); loss \(String(format: "%.4f", losses.first ?? .nan)) → "
                + "\(String(format: "%.4f", losses.last ?? .nan)); \(table.joined(separator: "; "))")
            let traces = configuration.logging.traces ? " (traces: alignment.png, alignment.svg)" : ""
            print("wrote \(outputFolder.path)/: config.json, metrics.csv, history.csv, state.json, checkpoint.json\(traces)")
        }
    }
}

extension TrainCommand {
    /// An engine error naming each setting as the user gave it: the option, or the configuration key of a value
    /// read from a file (`maxp.overrides: \`fc_9\` … matches no op`); settings without a key by their flag.
    static func message(of error: ModelBuildError, labels: [String: String]) -> String {
        error.message { setting in RunConfiguration.key(for: setting).map { labels[$0] ?? $0 } ?? setting.flag }
    }
}

/// Bad command-line input: one line on stderr, exit code 2.
struct BadInput: Error {
    var command: String
    var message: String

    /// Prints the message and returns the exit code to throw.
    func exit() -> ExitCode {
        FileHandle.standardError.write(Data("maxp-diagnose \(command): \(message)\n".utf8))
        return ExitCode(2)
    }
}
