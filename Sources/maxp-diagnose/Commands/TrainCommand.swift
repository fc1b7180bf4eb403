import ArgumentParser
import Foundation
import MaxP
import MaxPDiagnostics
import MaxPPlot
import MaxPReport

/// `maxp-diagnose train`: trains a small built-in model on a built-in task (MLP: teacher–student classification of
/// Gaussian inputs; GPT: next-token prediction on a seeded Markov source) under a named parametrization, with
/// maxP's dynamic alignment controller, and writes `DIR/history.csv` (`step,layer,alpha,omega,u,c,lr,loss`, one row
/// per layer per step) and `DIR/state.json` (the controller checkpoint).
///
/// With `--dynamic` the LP is re-solved from measured alignment; without it alignment is only measured and `c`
/// stays constant. Exit codes: 0 done, 1 the loss became NaN/infinite or grew past ``divergenceFactor`` × the first
/// step's loss (what was computed so far is written, the
/// diverged step marked with `loss = nan`), 2 bad input (one line on stderr).
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a built-in model with maxP's dynamic learning rates; write history.csv and state.json.",
        discussion: """
            Example: maxp-diagnose train --model mlp --width 64 --parametrization mup --optimizer adam \
            --alignment full --dynamic --steps 20 --lr 0.05 --out run/
            Exit codes: 0 done, 1 diverged (NaN loss, or 1e4 × the first step's loss; partial results written), 2 bad input.
            """)

    @Option(parsing: .unconditional, help: "Built-in model.")
    var model: ModelFamily
    @Option(parsing: .unconditional, help: "Optimizer.")
    var optimizer = TrainableOptimizer(.adam)
    @Flag(name: .long, help: "Re-solve learning-rate exponents from measured alignment (otherwise c stays constant).")
    var dynamic = false
    @Option(parsing: .unconditional, help: "Training steps.")
    var steps = 20
    @Option(name: .customLong("warmup-steps"), parsing: .unconditional, help: "Steps before the first measurement.")
    var warmupSteps = 0
    @Option(name: .customLong("solve-interval"), parsing: .unconditional, help: "Measure (and re-solve) every K steps.")
    var solveInterval = 1
    @Option(name: .customLong("sample-size"), parsing: .unconditional, help: "Rows of each layer's input that are measured.")
    var sampleSize = 32
    @Option(parsing: .unconditional, help: ArgumentHelp("Output folder (created if missing).", valueName: "dir"))
    var out: String
    @OptionGroup var shape: ModelRunOptions

    func validate() throws {
        guard !out.isEmpty else { throw ValidationError("--out: give an output folder") }
        for (flag, value, minimum) in [("--steps", steps, 1), ("--warmup-steps", warmupSteps, 0),
                                       ("--solve-interval", solveInterval, 1), ("--sample-size", sampleSize, 1)] where value < minimum {
            throw ValidationError("\(flag) must be at least \(minimum), got \(value)")
        }
        do { try RunLimits.check(steps: steps) } catch { throw ValidationError(error.commandLineMessage) }
        if dynamic, let reason = Self.neverMeasures(steps: steps, warmupSteps: warmupSteps, solveInterval: solveInterval) {
            throw ValidationError(reason)
        }
        do { try shape.check(model, optimizer: optimizer.kind, trainable: true) } catch {
            throw ValidationError(error.commandLineMessage)
        }
    }

    /// A loss this many times the first step's loss (and above it by more than 1 nat) is divergence, like NaN:
    /// Adam at `--lr 1e6` takes the loss from about 1.4 to 10^22 without ever producing a NaN.
    static let divergenceFactor = 1e4

    /// Whether `loss` at a later step means the run diverged (NaN/Inf, or ``divergenceFactor`` × `first`).
    static func diverged(_ loss: Double, first: Double?) -> Bool {
        guard loss.isFinite else { return true }
        guard let first, first.isFinite else { return false }
        return loss > divergenceFactor * abs(first) + 1
    }

    /// Why `--dynamic` would never measure (no step `k` in `warmup < k ≤ steps` is a multiple of the interval), or nil.
    static func neverMeasures(steps: Int, warmupSteps: Int, solveInterval: Int) -> String? {
        let firstMeasured = (warmupSteps / solveInterval + 1) * solveInterval  // the controller measures at k % interval == 0
        guard firstMeasured > steps else { return nil }
        return "--dynamic never measures: with --warmup-steps \(warmupSteps) and --solve-interval \(solveInterval) the "
            + "first measurement would be at step \(firstMeasured), beyond --steps \(steps)"
    }

    func run() throws {
        let outputFolder = URL(fileURLWithPath: out)
        let options = AlignmentControllerOptions(warmupSteps: warmupSteps, solveInterval: solveInterval,
                                                 sampleSize: sampleSize, measureOnly: !dynamic)
        let built = try shape.build(model, optimizer: optimizer.kind, trainable: true)
        let summary = shape.summary(model, optimizer: optimizer.kind)
        let sample = shape.batch(model, index: 0)
        let sampleForward: (Tape<Float>) -> Void = { tape in
            built.use(sample)
            built.sampleForward(tape)
        }

        // The run folder is one unit (history.csv, state.json and the traces appear together, nothing of an earlier
        // run stays); unwritable or busy → exit 2 before training.
        let staged: StagedRunFolder
        do { staged = try StagedRunFolder(target: outputFolder) } catch {
            throw BadInput(command: "train", message: error.description).exit()
        }
        let stagingFolder = staged.staging
        let controller: AlignmentController<Float>
        do {
            controller = try AlignmentController(parametrization: built.parametrization, options: options)
            try controller.captureInitial(sampleForward: sampleForward, optimizer: built.optimizer)
        } catch {
            throw BadInput(command: "train", message: "\(error)").exit()
        }

        var losses: [Double] = []
        for k in 1...steps {
            let lossValue = built.trainingStep(on: shape.batch(model, index: k))
            guard !Self.diverged(lossValue, first: losses.first) else {
                try writeResults(controller, to: stagingFolder, divergedAt: k, loss: lossValue)
                try commit(staged)
                let what = lossValue.isFinite
                    ? String(format: "%.3g, more than %.0e × the first step's %.3g", lossValue, Self.divergenceFactor, losses.first ?? .nan)
                    : (lossValue.isNaN ? "nan" : "\(lossValue)")
                FileHandle.standardError.write(Data(
                    ("maxp-diagnose train: diverged: the loss is \(what) at step \(k) (lower --lr); history up to step \(k - 1) "
                        + "and the diverged step (loss = nan) written to \(outputFolder.path)\n").utf8))
                throw ExitCode(1)
            }
            losses.append(lossValue)
            do {
                try controller.step(sampleForward: sampleForward, optimizer: built.optimizer, loss: lossValue)
            } catch {
                try writeResults(controller, to: stagingFolder, divergedAt: nil, loss: lossValue)
                try commit(staged)
                FileHandle.standardError.write(Data("maxp-diagnose train: step \(k): \(error)\n".utf8))
                throw ExitCode(1)
            }
        }
        try writeResults(controller, to: stagingFolder, divergedAt: nil, loss: 0)
        try writeTraces(controller, summary: summary, to: stagingFolder)
        try commit(staged)
        let table = controller.layerNames.map { name in
            String(format: "%@ c=%.4f lr=%.4g", name, controller.c[name] ?? .nan, controller.learningRates[name] ?? .nan)
        }
        print("trained \(steps) steps (\(summary)); loss \(String(format: "%.4f", losses.first ?? .nan)) → "
            + "\(String(format: "%.4f", losses.last ?? .nan)); \(table.joined(separator: "; "))")
        for tie in built.parametrization.tiedWeights { print(tie.description) }
        print("wrote \(outputFolder.appendingPathComponent("history.csv").path) and \(outputFolder.appendingPathComponent("state.json").path)"
            + " (traces: alignment.png, alignment.svg)")
    }

    /// Draws the per-layer traces of α, ω, u, c, the learning rate and the loss over the steps (`alignment.png` and
    /// `alignment.svg`, each written to a temporary name and renamed).
    private func writeTraces(_ controller: AlignmentController<Float>, summary: String, to folder: URL) throws {
        let rows = controller.history.records
        guard !rows.isEmpty else { return }
        let figure = AlignmentFigure.make(history: rows, run: RunDescription(model: summary, command: ReproduceCommand.current()))
        do {
            for format in ["png", "svg"] {
                _ = try figure.write(to: folder.appendingPathComponent("alignment.\(format)"))
            }
        } catch {
            throw BadInput(command: "train", message: "cannot draw the traces in '\(out)': \(error)").exit()
        }
    }

    /// Swaps the staged run folder in; an I/O error is bad input (exit 2), never the divergence code.
    private func commit(_ staged: StagedRunFolder) throws {
        do { try staged.commit() } catch { throw BadInput(command: "train", message: error.description).exit() }
    }

    /// Writes history.csv (with the diverged step's rows marked `loss = nan`, if any) and state.json, atomically.
    private func writeResults(_ controller: AlignmentController<Float>, to folder: URL, divergedAt step: Int?, loss: Double) throws {
        var history = controller.history
        if let step {
            for name in controller.layerNames {
                let a = controller.alignments[name] ?? Alignment(alpha: .nan, omega: .nan, u: .nan)
                history.records.append(
                    .init(step: step, layer: name, alpha: a.alpha, omega: a.omega, u: a.u, c: controller.c[name] ?? .nan,
                          lr: controller.learningRates[name] ?? .nan, loss: .nan))
            }
        }
        do {
            try AtomicFile.write(Data(history.csv.utf8), to: folder.appendingPathComponent("history.csv"))
        } catch {
            throw BadInput(command: "train", message: "cannot write history.csv in '\(out)': \(error.reason)").exit()
        }
        do { try controller.save(to: folder.appendingPathComponent("state.json")) } catch {
            let reason: String
            if case let .stateFile(_, text) = error { reason = text } else { reason = error.description }
            throw BadInput(command: "train", message: "cannot write state.json in '\(out)': \(reason)").exit()
        }
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
