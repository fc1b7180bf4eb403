import Foundation
import MaxP
import MaxPDiagnostics

/// GPT training: memory and time per step must not grow with the number of steps (issue 11), and an Adam step must
/// be at least as fast as PyTorch's on the same model and thread count (issue 14) — every figure measured in this run.
///
/// - Sweep: `coord-check --model gpt --widths 64,128,256 --seeds 1` at 1, 3 and 6 steps, each in a fresh child process
///   (this executable, mode ``childMode``) so that its peak resident memory (`VmHWM`) is its own; the ratios of
///   peak memory and time per step between the runs must stay near 1.
/// - Step: GPT width 256, 2 blocks, 4 heads, batch 16, seq-len 64, vocab 16, Adam, one BLAS thread: median time per
///   step in rounds that alternate with the same model's PyTorch step (``ReferencePython``, when
///   `MAXP_REFERENCE_PYTHON` is set), the ratio's distribution over the rounds, and the late / early step-time ratio.
enum GPTBenchmark {
    /// The hidden command-line mode that runs one sweep and prints `peak-bytes seconds`.
    static let childMode = "gpt-sweep-child"
    /// The swept widths of the memory benchmark.
    static let sweepWidths = [64, 128, 256]
    /// The step counts compared.
    static let sweepSteps = [1, 3, 6]

    /// The sweep of the memory benchmark at `steps` steps.
    static func sweepPlan(steps: Int) -> SweepPlan {
        SweepPlan(
            model: ModelOptions(family: .gpt, depth: 2), training: TrainingOptions(parametrization: .mup, optimizer: .adam, learningRate: 1e-3),
            values: sweepWidths, seeds: [0], steps: steps)
    }

    /// Child mode: runs the sweep at `steps` steps and prints its peak resident bytes and wall seconds.
    static func childMain(steps: Int) throws {
        let start = Date()
        _ = try SweepRunner.run(sweepPlan(steps: steps))
        let seconds = Date().timeIntervalSince(start)
        print("\(ProcessMemory.peakResidentBytes() ?? -1) \(seconds)")
    }

    /// One sweep run measured in a child process.
    struct SweepRun {
        var steps: Int
        var peakBytes: Int
        var seconds: Double
    }

    /// Runs the sweep at each step count in a child process and returns a printable report.
    static func sweepReport() throws -> String {
        var runs: [SweepRun] = []
        for steps in sweepSteps {
            let output = try runProcess(
                executable: URL(fileURLWithPath: CommandLine.arguments[0]), arguments: [childMode, String(steps)],
                environment: ["OPENBLAS_NUM_THREADS": "1"])
            let fields = output.split(whereSeparator: \.isWhitespace)
            guard fields.count == 2, let bytes = Int(fields[0]), let seconds = Double(fields[1]) else {
                throw BenchmarkError.unexpectedOutput(command: childMode, output: output)
            }
            runs.append(SweepRun(steps: steps, peakBytes: bytes, seconds: seconds))
        }
        var lines = ["steps  peak RSS MB  wall s"]
        for run in runs {
            lines.append(String(format: "%5d  %11.1f  %6.2f", run.steps, Double(run.peakBytes) / 1048576, run.seconds))
        }
        let first = runs[0], last = runs[runs.count - 1]
        let perStep = Double(last.steps) > Double(first.steps)
            ? (last.seconds - first.seconds) / Double(last.steps - first.steps) : .nan
        let middle = runs[runs.count / 2]
        let earlyPerStep = (middle.seconds - first.seconds) / Double(middle.steps - first.steps)
        lines.append(String(
            format: "peak RSS %d steps / %d steps: %.2f× (flat: ≈ 1; %d / %d steps: %.2f×); time per extra step, "
                + "steps %d→%d / %d→%d: %.2f× (%.0f ms vs %.0f ms)",
            last.steps, middle.steps, Double(last.peakBytes) / Double(middle.peakBytes), last.steps, first.steps,
            Double(last.peakBytes) / Double(first.peakBytes), middle.steps, last.steps, first.steps, middle.steps,
            perStep / earlyPerStep, perStep * 1e3, earlyPerStep * 1e3))
        return lines.joined(separator: "\n")
    }

    // MARK: Training step

    /// The model of the step benchmark.
    static let stepConfiguration = GPTConfiguration(vocabulary: 16, width: 256, depth: 2, heads: 4, sequenceLength: 64)
    /// Batch size of the step benchmark.
    static let stepBatch = 16

    /// One timing of a training step: median wall and CPU milliseconds per step.
    struct StepTiming {
        /// Median wall time per step (ms).
        var wall: Double
        /// Median process CPU time per step (ms): on a machine shared with other work this is what the comparison
        /// uses, since both sides run one thread.
        var cpu: Double
    }

    /// Rounds of the step comparison: ours and PyTorch's alternate, so that both see the same machine load; many
    /// short rounds, so that a burst of other work on a shared machine hits both sides alike.
    static let stepRounds = 21
    /// Steps timed per side and round.
    static let stepsPerRound = 5

    /// Our side of the comparison: the reference GPT and its Adam trainer, built once (3 warm-up steps) and trained
    /// on through the rounds.
    final class OurStep {
        let model: GPTModel<Float>
        let trainer: Trainer<Float>
        let tokens: [Int], targets: [Int]

        init() throws {
            BLASThreads.set(1)
            var generator = SeededGenerator(seed: 1)
            let c = stepConfiguration
            model = GPTModel<Float>(c, using: &generator)
            trainer = Trainer(model: model, optimizer: Adam(module: model, learningRate: 1e-3))
            tokens = (0..<(stepBatch * c.sequenceLength)).map { _ in Int(generator.next() % UInt64(c.vocabulary)) }
            targets = tokens.map { ($0 + 1) % c.vocabulary }
            _ = try run(steps: 3)
        }

        /// Wall and CPU milliseconds of each of `steps` steps.
        func run(steps: Int) throws -> (wall: [Double], cpu: [Double]) {
            let c = stepConfiguration
            var wall: [Double] = [], cpu: [Double] = []
            for _ in 0..<steps {
                let (wall0, cpu0) = (wallSeconds(), cpuSeconds())
                try trainer.step { tape in
                    self.model(tokens: self.tokens, batch: stepBatch, seqLen: c.sequenceLength, on: tape)
                        .crossEntropy(targets: self.targets)
                }
                wall.append((wallSeconds() - wall0) * 1e3)
                cpu.append((cpuSeconds() - cpu0) * 1e3)
            }
            return (wall, cpu)
        }
    }

    /// The step report: per round our medians and PyTorch's (with a reference interpreter) and their ratio, then the
    /// distribution of the ratios, and how our step time changed from the first to the last third of our steps.
    static func stepReport(reference: ReferencePython?) throws -> String {
        let c = stepConfiguration
        var lines = [
            "model: GPT width \(c.width), \(c.depth) blocks, \(c.heads) heads, batch \(stepBatch), seq-len "
                + "\(c.sequenceLength), vocab \(c.vocabulary), Adam, 1 thread; \(stepRounds) rounds of \(stepsPerRound) "
                + "steps each side, alternating; medians per round",
        ]
        let ours = try OurStep()
        var allCPU: [Double] = [], cpuRatios: [Double] = [], wallRatios: [Double] = []
        for round in 1...stepRounds {
            let (wall, cpu) = try ours.run(steps: stepsPerRound)
            allCPU += cpu
            let mine = StepTiming(wall: median(wall), cpu: median(cpu))
            var line = String(format: "round %d: ours %6.1f ms CPU, %6.1f ms wall", round, mine.cpu, mine.wall)
            if let reference {
                let (theirs, variant) = try reference.gptStep(c, batch: stepBatch, steps: stepsPerRound, threads: 1)
                cpuRatios.append(mine.cpu / theirs.cpu)
                wallRatios.append(mine.wall / theirs.wall)
                line += String(format: "; PyTorch %6.1f ms CPU, %6.1f ms wall (%@); ours / PyTorch %.2f× CPU, %.2f× wall",
                               theirs.cpu, theirs.wall, variant, cpuRatios.last!, wallRatios.last!)
            }
            lines.append(line)
        }
        let third = max(1, allCPU.count / 3)
        lines.append(String(format: "our CPU per step, last third / first third of the %d steps: %.2f× (flat: ≈ 1)",
                            allCPU.count, median(Array(allCPU.suffix(third))) / median(Array(allCPU.prefix(third)))))
        if reference != nil {
            lines.append(String(
                format: "ours / PyTorch over %d rounds: CPU time median %.2f× (min %.2f×, max %.2f×, %d of %d ≤ 1), "
                    + "wall time median %.2f× (target ≤ 1)",
                cpuRatios.count, median(cpuRatios), cpuRatios.min()!, cpuRatios.max()!,
                cpuRatios.filter { $0 <= 1 }.count, cpuRatios.count, median(wallRatios)))
        } else {
            lines.append("PyTorch: not measured (set \(ReferencePython.environmentVariable) to a Python with torch and mup)")
        }
        return lines.joined(separator: "\n")
    }

    // MARK: Helpers

    /// Monotonic wall-clock seconds.
    static func wallSeconds() -> Double { clockSeconds(CLOCK_MONOTONIC) }
    /// CPU seconds used by this process (all threads).
    static func cpuSeconds() -> Double { clockSeconds(CLOCK_PROCESS_CPUTIME_ID) }

    private static func clockSeconds(_ clock: clockid_t) -> Double {
        var now = timespec()
        clock_gettime(clock, &now)
        return Double(now.tv_sec) + Double(now.tv_nsec) * 1e-9
    }

    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        return sorted.isEmpty ? .nan : sorted[sorted.count / 2]
    }

    /// Runs a process to completion and returns its standard output; throws if it fails.
    static func runProcess(executable: URL, arguments: [String], environment: [String: String]) throws -> String {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let errorData = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self)
        guard process.terminationStatus == 0 else {
            throw BenchmarkError.failed(
                command: ([executable.path] + arguments).joined(separator: " "), status: process.terminationStatus,
                message: String(decoding: errorData, as: UTF8.self))
        }
        return text
    }
}

/// Why a benchmark could not run.
enum BenchmarkError: Error, CustomStringConvertible {
    /// A child process exited with a non-zero status.
    case failed(command: String, status: Int32, message: String)
    /// A child process printed something unparseable.
    case unexpectedOutput(command: String, output: String)

    var description: String {
        switch self {
        case .failed(let command, let status, let message):
            return "`\(command)` exited with status \(status): \(message.trimmingCharacters(in: .whitespacesAndNewlines))"
        case .unexpectedOutput(let command, let output):
            return "`\(command)` printed `\(output.trimmingCharacters(in: .whitespacesAndNewlines))`, not the expected numbers"
        }
    }
}

/// This process's memory, from `/proc/self/status` (Linux).
enum ProcessMemory {
    /// The peak resident set size (`VmHWM`) in bytes, or `nil` where unavailable.
    static func peakResidentBytes() -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
        for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            let fields = line.split(whereSeparator: \.isWhitespace)
            if fields.count >= 2, let kilobytes = Int(fields[1]) { return kilobytes * 1024 }
        }
        return nil
    }
}
