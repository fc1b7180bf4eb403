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
/// stays constant. Exit codes: 0 done, 1 the loss became NaN/infinite (what was computed so far is written, the
/// diverged step marked with `loss = nan`), 2 bad input (one line on stderr).
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a built-in model with maxP's dynamic learning rates; write history.csv and state.json.",
        discussion: """
            Example: maxp-diagnose train --model mlp --width 64 --parametrization mup --optimizer adam \
            --alignment full --dynamic --steps 20 --lr 0.05 --out run/
            Exit codes: 0 done, 1 diverged (NaN loss; partial results written), 2 bad input.
            """)

    @Option(name: .long, help: "Built-in model: mlp or gpt.")
    var model: String?
    @Option(name: .long, help: "Model width (default 64 for mlp, 32 for gpt).")
    var width: String?
    @Option(name: .long, help: "Named parametrization: sp, mup, ntk, mfp (default mup).")
    var parametrization: String?
    @Option(name: .long, help: "Optimizer: adam or sgd (default adam).")
    var optimizer: String?
    @Option(name: .long, help: "Alignment preset before measurement: full or no (default full).")
    var alignment: String?
    @Flag(name: .long, help: "Re-solve learning-rate exponents from measured alignment (otherwise c stays constant).")
    var dynamic = false
    @Option(name: .long, help: "Training steps (default 20).")
    var steps: String?
    @Option(name: .long, help: "Learning-rate prefactor η in lr = η · width^-c (default 0.01).")
    var lr: String?
    @Option(name: .customLong("warmup-steps"), help: "Steps before the first measurement (default 0).")
    var warmupSteps: String?
    @Option(name: .customLong("solve-interval"), help: "Measure (and re-solve) every K steps (default 1).")
    var solveInterval: String?
    @Option(name: .customLong("sample-size"), help: "Rows of each layer's input that are measured (default 32).")
    var sampleSize: String?
    @Option(name: .long, help: "Seed of initialization and data (default 0).")
    var seed: String?
    @Option(name: .long, help: "Output folder (created if missing).")
    var out: String?
    @Option(name: .customLong("input-dim"), help: "MLP input size (default 16).")
    var inputDim: String?
    @Option(name: .long, help: "MLP hidden layers / GPT blocks (default 3 / 1).")
    var depth: String?
    @Option(name: .customLong("output-dim"), help: "MLP classes (default 4).")
    var outputDim: String?
    @Option(name: .long, help: "Batch size (default 32 for mlp, 8 for gpt).")
    var batch: String?
    @Option(name: .long, help: "GPT attention heads (default 2).")
    var heads: String?
    @Option(name: .customLong("seq-len"), help: "GPT sequence length (default 8).")
    var seqLen: String?
    @Option(name: .long, help: "GPT vocabulary (default 16).")
    var vocab: String?

    func run() throws {
        let setup: BuiltInTraining
        let stepCount: Int
        let outputFolder: URL
        let options: AlignmentControllerOptions
        do throws(BadInput) {
            let parser = CommandArguments(command: "train")
            guard let out, !out.isEmpty else { throw parser.fail("--out DIR is required") }
            outputFolder = URL(fileURLWithPath: out)
            stepCount = try parser.integer(steps, "--steps", default: 20, minimum: 1)
            options = AlignmentControllerOptions(
                warmupSteps: try parser.integer(warmupSteps, "--warmup-steps", default: 0, minimum: 0),
                solveInterval: try parser.integer(solveInterval, "--solve-interval", default: 1, minimum: 1),
                sampleSize: try parser.integer(sampleSize, "--sample-size", default: 32, minimum: 1),
                measureOnly: !dynamic)
            setup = try BuiltInTraining(
                parser: parser, model: model, width: width, parametrization: parametrization, optimizer: optimizer,
                alignment: alignment, lr: lr, seed: seed, inputDim: inputDim, depth: depth, outputDim: outputDim,
                batch: batch, heads: heads, seqLen: seqLen, vocab: vocab)
        } catch {
            throw error.exit()
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
            controller = try AlignmentController(parametrization: setup.parametrization, options: options)
            try controller.captureInitial(sampleForward: setup.sampleForward, optimizer: setup.optimizer)
        } catch {
            throw BadInput(command: "train", message: "\(error)").exit()
        }

        var losses: [Double] = []
        for k in 1...stepCount {
            let lossValue = setup.trainingStep(index: k)
            guard lossValue.isFinite else {
                try writeResults(controller, to: stagingFolder, divergedAt: k, loss: lossValue)
                try commit(staged)
                FileHandle.standardError.write(Data(
                    ("maxp-diagnose train: the loss is \(lossValue.isNaN ? "nan" : "\(lossValue)") at step \(k) (lower --lr); history up to step \(k - 1) "
                        + "and the diverged step (loss = nan) written to \(outputFolder.path)\n").utf8))
                throw ExitCode(1)
            }
            losses.append(lossValue)
            do {
                try controller.step(sampleForward: setup.sampleForward, optimizer: setup.optimizer, loss: lossValue)
            } catch {
                try writeResults(controller, to: stagingFolder, divergedAt: nil, loss: lossValue)
                try commit(staged)
                FileHandle.standardError.write(Data("maxp-diagnose train: step \(k): \(error)\n".utf8))
                throw ExitCode(1)
            }
        }
        try writeResults(controller, to: stagingFolder, divergedAt: nil, loss: 0)
        try writeTraces(controller, summary: setup.summary, to: stagingFolder)
        try commit(staged)
        let table = controller.layerNames.map { name in
            String(format: "%@ c=%.4f lr=%.4g", name, controller.c[name] ?? .nan, controller.learningRates[name] ?? .nan)
        }
        print("trained \(stepCount) steps (\(setup.summary)); loss \(String(format: "%.4f", losses.first ?? .nan)) → "
            + "\(String(format: "%.4f", losses.last ?? .nan)); \(table.joined(separator: "; "))")
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
            throw BadInput(command: "train", message: "cannot draw the traces in '\(out ?? "")': \(error)").exit()
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
            throw BadInput(command: "train", message: "cannot write history.csv in '\(out ?? "")': \(error.reason)").exit()
        }
        do { try controller.save(to: folder.appendingPathComponent("state.json")) } catch {
            let reason: String
            if case let .stateFile(_, text) = error { reason = text } else { reason = error.description }
            throw BadInput(command: "train", message: "cannot write state.json in '\(out ?? "")': \(reason)").exit()
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

/// Parses numeric options given as text, so malformed values are reported as bad input (exit 2).
struct CommandArguments {
    var command: String

    func fail(_ message: String) -> BadInput { BadInput(command: command, message: message) }

    func integer(_ text: String?, _ name: String, default value: Int, minimum: Int) throws(BadInput) -> Int {
        guard let text else { return value }
        guard let parsed = Int(text.trimmingCharacters(in: .whitespaces)) else {
            throw fail("\(name) must be an integer, got '\(text)'")
        }
        guard parsed >= minimum else { throw fail("\(name) must be at least \(minimum), got \(parsed)") }
        return parsed
    }

    func positive(_ text: String?, _ name: String, default value: Double) throws(BadInput) -> Double {
        guard let text else { return value }
        guard let parsed = Double(text.trimmingCharacters(in: .whitespaces)), parsed.isFinite, parsed > 0 else {
            throw fail("\(name) must be a positive number, got '\(text)'")
        }
        return parsed
    }
}

/// A built-in model on its built-in task, parametrized, with an optimizer over the parametrization's groups: what
/// `train` runs and `solve --model` tabulates.
final class BuiltInTraining {
    let parametrization: Parametrization<Float>
    let optimizer: any Optimizer<Float>
    let module: any Module<Float>
    let summary: String
    private let loss: (Tape<Float>, TaskBatch) -> Variable<Float>
    private let batchAt: (Int) -> TaskBatch
    private let sample: TaskBatch

    init(
        parser: CommandArguments, model: String?, width: String?, parametrization: String?, optimizer: String?,
        alignment: String?, lr: String?, seed: String?, inputDim: String?, depth: String?, outputDim: String?,
        batch: String?, heads: String?, seqLen: String?, vocab: String?, requireTrainableOptimizer: Bool = true
    ) throws(BadInput) {
        guard let modelName = model else { throw parser.fail("--model mlp|gpt is required") }
        let isGPT: Bool
        switch modelName.lowercased() {
        case "mlp": isGPT = false
        case "gpt": isGPT = true
        default: throw parser.fail("unknown model '\(modelName)'; use mlp or gpt")
        }
        var named = NamedParametrization.mup
        if let text = parametrization {
            guard let value = NamedParametrization(parsing: text) else {
                throw parser.fail("unknown parametrization '\(text)'; use one of \(NamedParametrization.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            named = value
        }
        var optimizerKind = OptimizerKind.adam
        if let text = optimizer {
            guard let value = OptimizerKind(parsing: text) else { throw parser.fail("unknown optimizer '\(text)'; use adam or sgd") }
            optimizerKind = value
        }
        if requireTrainableOptimizer && optimizerKind == .adafactor {
            throw parser.fail("optimizer 'adafactor' is supported by the LP (solve) but not for training; use adam or sgd")
        }
        var preset = AlignmentPreset.full
        if let text = alignment {
            guard let value = AlignmentPreset(parsing: text) else { throw parser.fail("unknown alignment '\(text)'; use full or no") }
            preset = value
        }
        let prefactor = try parser.positive(lr, "--lr", default: 0.01)
        let seedValue = try parser.integer(seed, "--seed", default: 0, minimum: 0)
        let widthValue = try parser.integer(width, "--width", default: isGPT ? 32 : 64, minimum: 1)
        let depthValue = try parser.integer(depth, "--depth", default: isGPT ? 1 : 3, minimum: 1)
        let batchValue = try parser.integer(batch, "--batch", default: isGPT ? 8 : 32, minimum: 1)
        let configuration = ParametrizationConfiguration(
            named, optimizer: optimizerKind, alignment: preset, lrPrefactor: prefactor, initializationSeed: UInt64(seedValue))
        var generator = SeededGenerator(seed: UInt64(seedValue))

        if isGPT {
            let headsValue = try parser.integer(heads, "--heads", default: 2, minimum: 1)
            let seqLenValue = try parser.integer(seqLen, "--seq-len", default: 8, minimum: 1)
            let vocabValue = try parser.integer(vocab, "--vocab", default: 16, minimum: 2)
            guard widthValue % headsValue == 0 else {
                throw parser.fail("--width \(widthValue) must be a multiple of --heads \(headsValue)")
            }
            let gpt = GPTModel<Float>(
                GPTConfiguration(vocabulary: vocabValue, width: widthValue, depth: depthValue, heads: headsValue, sequenceLength: seqLenValue),
                using: &generator)
            gpt.markStandardRoles(logitsA: 1)
            let task = MarkovTask(vocabulary: vocabValue, seed: UInt64(seedValue))
            batchAt = { task.batch(size: batchValue, sequenceLength: seqLenValue, index: $0) }
            loss = { tape, batch in
                guard case .tokens(let tokens, let targets, let b, let t) = batch else { preconditionFailure("GPT needs token batches") }
                return gpt(tokens: tokens, batch: b, seqLen: t, on: tape).crossEntropy(targets: targets)
            }
            module = gpt
            summary = "gpt width \(widthValue), \(depthValue) block(s), \(headsValue) heads, vocab \(vocabValue), seq \(seqLenValue), batch \(batchValue), \(named.rawValue)/\(optimizerKind.rawValue)/\(preset.rawValue), η \(prefactor)"
        } else {
            let inputValue = try parser.integer(inputDim, "--input-dim", default: 16, minimum: 1)
            let outputValue = try parser.integer(outputDim, "--output-dim", default: 4, minimum: 2)
            let mlp = MLP<Float>(
                MLPConfiguration(inputDimension: inputValue, width: widthValue, depth: depthValue, outputDimension: outputValue),
                using: &generator)
            mlp.markStandardRoles()
            let task = TeacherStudentTask(inputDimension: inputValue, classes: outputValue, seed: UInt64(seedValue))
            batchAt = { task.batch(size: batchValue, index: $0) }
            loss = { tape, batch in
                guard case .features(let x, let labels) = batch else { preconditionFailure("MLP needs feature batches") }
                return mlp(tape.input(x)).crossEntropy(targets: labels)
            }
            module = mlp
            summary = "mlp \(inputValue)→\(widthValue)×\(depthValue)→\(outputValue), batch \(batchValue), \(named.rawValue)/\(optimizerKind.rawValue)/\(preset.rawValue), η \(prefactor)"
        }
        sample = batchAt(0)
        let traceForward: (Tape<Float>) -> Void = { [loss, sample] tape in _ = loss(tape, sample) }
        do {
            self.parametrization = try Parametrization(model: module, configuration: configuration, sampleForward: traceForward)
        } catch {
            throw parser.fail("\(error)")
        }
        let groups = self.parametrization.parameterGroups()
        self.optimizer = optimizerKind == .sgd ? SGD(groups: groups) : Adam(groups: groups)
    }

    /// A forward pass on the fixed sample batch (capture and measurement).
    var sampleForward: (Tape<Float>) -> Void {
        { [loss, sample] tape in _ = loss(tape, sample) }
    }

    /// One optimizer update on batch `index`; returns the loss before the update (not applied if not finite).
    func trainingStep(index: Int) -> Double {
        module.zeroGradients()
        let value: Double
        do {
            let tape = Tape<Float>()
            let output = loss(tape, batchAt(index))
            value = Double(output.value.scalars[0])
            guard value.isFinite else { return value }
            output.backward()
        }
        optimizer.step()
        return value
    }
}
