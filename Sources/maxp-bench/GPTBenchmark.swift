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
///   step, and the late / early step-time ratio over one run. With `MAXP_REFERENCE_PYTHON` (a python with torch),
///   the same model's PyTorch step is timed in the same invocation.
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
            format: "peak RSS %d steps / %d steps: %.2f× (flat: ≈ 1); time per extra step, steps %d→%d / %d→%d: %.2f× "
                + "(%.0f ms vs %.0f ms)",
            last.steps, first.steps, Double(last.peakBytes) / Double(first.peakBytes), middle.steps, last.steps,
            first.steps, middle.steps, perStep / earlyPerStep, perStep * 1e3, earlyPerStep * 1e3))
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

    /// Times `steps` Adam steps of the reference GPT after 3 warm-up steps; `growth` is the median CPU time of the
    /// last third of the steps over that of the first third.
    static func ourStep(steps: Int = 30) throws -> (timing: StepTiming, growth: Double) {
        BLASThreads.set(1)
        var generator = SeededGenerator(seed: 1)
        let c = stepConfiguration
        let model = GPTModel<Float>(c, using: &generator)
        let trainer = Trainer(model: model, optimizer: Adam(module: model, learningRate: 1e-3))
        let count = stepBatch * c.sequenceLength
        let tokens = (0..<count).map { _ in Int(generator.next() % UInt64(c.vocabulary)) }
        let targets = tokens.map { ($0 + 1) % c.vocabulary }
        var wall: [Double] = [], cpu: [Double] = []
        for index in 0..<(steps + 3) {
            let (wall0, cpu0) = (wallSeconds(), cpuSeconds())
            try trainer.step { tape in
                model(tokens: tokens, batch: stepBatch, seqLen: c.sequenceLength, on: tape).crossEntropy(targets: targets)
            }
            if index >= 3 {
                wall.append((wallSeconds() - wall0) * 1e3)
                cpu.append((cpuSeconds() - cpu0) * 1e3)
            }
        }
        let third = max(1, cpu.count / 3)
        return (StepTiming(wall: median(wall), cpu: median(cpu)),
                median(Array(cpu.suffix(third))) / median(Array(cpu.prefix(third))))
    }

    /// The PyTorch step of the same model (eager attention or `scaled_dot_product_attention`, whichever has the
    /// lower median CPU time), or `nil` without `MAXP_REFERENCE_PYTHON`.
    static func referenceStep(steps: Int = 30) throws -> (timing: StepTiming, variant: String, torch: String)? {
        guard let python = ProcessInfo.processInfo.environment["MAXP_REFERENCE_PYTHON"], !python.isEmpty else {
            return nil
        }
        let script = FileManager.default.temporaryDirectory.appendingPathComponent("maxp-bench-gpt-\(UUID().uuidString).py")
        try referenceScript.write(to: script, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: script) }
        let c = stepConfiguration
        let output = try runProcess(
            executable: URL(fileURLWithPath: python),
            arguments: [script.path] + [c.width, c.depth, c.heads, stepBatch, c.sequenceLength, c.vocabulary, steps, 1]
                .map(String.init),
            environment: ["OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"])
        let fields = output.split(whereSeparator: \.isWhitespace)
        guard fields.count == 4, let wall = Double(fields[0]), let cpu = Double(fields[1]) else {
            throw BenchmarkError.unexpectedOutput(command: "\(python) (PyTorch GPT step)", output: output)
        }
        return (StepTiming(wall: wall, cpu: cpu), String(fields[2]), String(fields[3]))
    }

    /// The step report: ours, the reference if available, and their ratio.
    static func stepReport() throws -> String {
        let c = stepConfiguration
        var lines = [
            "model: GPT width \(c.width), \(c.depth) blocks, \(c.heads) heads, batch \(stepBatch), seq-len "
                + "\(c.sequenceLength), vocab \(c.vocabulary), Adam, 1 thread; medians of 30 steps",
        ]
        let ours = try ourStep()
        lines.append(String(
            format: "ours:    %7.1f ms CPU, %7.1f ms wall per step; CPU per step, last third / first third: %.2f×",
            ours.timing.cpu, ours.timing.wall, ours.growth))
        if let reference = try referenceStep() {
            lines.append(String(format: "PyTorch: %7.1f ms CPU, %7.1f ms wall per step (torch %@, %@)",
                                reference.timing.cpu, reference.timing.wall, reference.torch, reference.variant))
            lines.append(String(format: "ours / PyTorch: %.2f× CPU time, %.2f× wall time (target ≤ 1)",
                                ours.timing.cpu / reference.timing.cpu, ours.timing.wall / reference.timing.wall))
        } else {
            lines.append("PyTorch: not measured (set MAXP_REFERENCE_PYTHON to a python with torch)")
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

    /// The PyTorch twin of ``stepConfiguration``: pre-norm blocks (LayerNorm ε 1e-5, q/k/v/o with bias, logits
    /// `q·kᵀ/d_head`, causal softmax, exact GELU 4× MLP), final LayerNorm, bias-free readout, cross-entropy, Adam.
    /// Prints `median-wall-ms median-cpu-ms variant torch-version`.
    static let referenceScript = #"""
    import sys, time
    import torch
    import torch.nn as nn
    import torch.nn.functional as F

    width, depth, heads, batch, seq, vocab, steps, threads = map(int, sys.argv[1:9])
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    d = width // heads

    class Block(nn.Module):
        def __init__(self, fused):
            super().__init__()
            self.fused = fused
            self.norm1, self.norm2 = nn.LayerNorm(width), nn.LayerNorm(width)
            self.q, self.k, self.v, self.o = (nn.Linear(width, width) for _ in range(4))
            self.fc_in, self.fc_out = nn.Linear(width, 4 * width), nn.Linear(4 * width, width)
            self.register_buffer("mask", torch.ones(seq, seq, dtype=torch.bool).triu(1))

        def forward(self, x):
            b, t, _ = x.shape
            h = self.norm1(x)
            q, k, v = (p(h).view(b, t, heads, d).transpose(1, 2) for p in (self.q, self.k, self.v))
            if self.fused:
                y = F.scaled_dot_product_attention(q, k, v, is_causal=True, scale=1.0 / d)
            else:
                s = (q @ k.transpose(-2, -1)) / d
                y = s.masked_fill(self.mask[:t, :t], float("-inf")).softmax(-1) @ v
            x = x + self.o(y.transpose(1, 2).reshape(b, t, width))
            return x + self.fc_out(F.gelu(self.fc_in(self.norm2(x))))

    class GPT(nn.Module):
        def __init__(self, fused):
            super().__init__()
            self.tok, self.pos = nn.Embedding(vocab, width), nn.Embedding(seq, width)
            self.blocks = nn.ModuleList(Block(fused) for _ in range(depth))
            self.norm, self.readout = nn.LayerNorm(width), nn.Linear(width, vocab, bias=False)

        def forward(self, ids):
            h = self.tok(ids) + self.pos(torch.arange(ids.shape[1]))
            for block in self.blocks:
                h = block(h)
            return self.readout(self.norm(h))

    ids = torch.randint(0, vocab, (batch, seq))
    targets = (ids + 1) % vocab
    best = None
    for variant, fused in (("eager attention", False), ("scaled_dot_product_attention", True)):
        model = GPT(fused)
        optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
        wall, cpu = [], []
        for i in range(steps + 3):
            start, start_cpu = time.perf_counter(), time.process_time()
            optimizer.zero_grad(set_to_none=True)
            loss = F.cross_entropy(model(ids).view(-1, vocab), targets.view(-1))
            loss.backward()
            optimizer.step()
            if i >= 3:
                wall.append(time.perf_counter() - start)
                cpu.append(time.process_time() - start_cpu)
        wall.sort()
        cpu.sort()
        timing = (cpu[len(cpu) // 2] * 1e3, wall[len(wall) // 2] * 1e3)
        if best is None or timing[0] < best[0][0]:
            best = (timing, variant)
    (cpu_ms, wall_ms), variant = best
    print("%.3f %.3f %s %s" % (wall_ms, cpu_ms, variant.replace(" ", "-"), torch.__version__))
    """#
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
