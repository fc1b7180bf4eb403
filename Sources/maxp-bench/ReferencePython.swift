import Foundation
import MaxP

/// The optional reference interpreter: a Python with `torch` and `mup` (e.g. a venv), named by
/// `MAXP_REFERENCE_PYTHON`. When it is set, the benchmarks time PyTorch / mup doing the same work beside ours, in the
/// same run, so every comparison is a ratio measured under the same machine load; without it they print only our
/// numbers and the GEMM bound (never a remembered figure).
///
/// One long-lived Python process serves the measurements over pipes (one request line in, one JSON line out), so
/// the reference stays warm (imports done, first-call costs paid) and its runs can alternate with ours.
final class ReferencePython {
    /// The environment variable naming the interpreter.
    static let environmentVariable = "MAXP_REFERENCE_PYTHON"

    /// Why the reference interpreter could not measure; one line each.
    enum Failure: Error, CustomStringConvertible {
        case notExecutable(path: String)
        case exited(status: Int32, stderr: String)
        case unreadableReply(request: String, reply: String)
        case failed(request: String, message: String)

        var description: String {
            switch self {
            case let .notExecutable(path):
                "\(ReferencePython.environmentVariable)='\(path)' is not an executable file (give a Python with torch and mup)"
            case let .exited(status, stderr):
                "the reference interpreter exited with status \(status): \(stderr.split(separator: "\n").last ?? "")"
            case let .unreadableReply(request, reply): "reference `\(request)`: unreadable reply `\(reply)`"
            case let .failed(request, message): "reference `\(request)` failed: \(message)"
            }
        }
    }

    /// The interpreter from the environment, started, or `nil` when the variable is unset or empty.
    static func fromEnvironment() throws(Failure) -> ReferencePython? {
        guard let path = ProcessInfo.processInfo.environment[environmentVariable], !path.isEmpty else { return nil }
        return try ReferencePython(executable: path)
    }

    private let process = Process()
    private let input = Pipe(), output = Pipe(), errors = Pipe()
    private var buffered = Data()
    /// The interpreter's path.
    let executable: String
    /// `torch.__version__` and `mup`'s version, as the interpreter reports them.
    private(set) var versions = ""

    /// Starts `executable` on the embedded script and waits for its greeting (imports done).
    init(executable: String) throws(Failure) {
        self.executable = executable
        guard FileManager.default.isExecutableFile(atPath: executable) else { throw .notExecutable(path: executable) }
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["-u", "-c", ReferenceScript.source]
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        do { try process.run() } catch { throw .notExecutable(path: executable) }
        let greeting = try reply(to: "hello")
        versions = "torch \(greeting["torch"] as? String ?? "?"), mup \(greeting["mup"] as? String ?? "?")"
    }

    deinit {
        if process.isRunning {
            try? input.fileHandleForWriting.write(contentsOf: Data("quit\n".utf8))
            process.waitUntilExit()
        }
    }

    /// Warm mup `get_coord_data` sweep of the reference MLP (see ``ReferenceScript``) with `threads` torch threads:
    /// wall seconds of one sweep.
    func mupSweepSeconds(threads: Int) throws(Failure) -> Double {
        try number("seconds", of: "sweep \(threads)")
    }

    /// Best-of-`repetitions` milliseconds of one PyTorch Adam step (zero_grad, forward, MSE, backward, step) of an
    /// MLP of `layers` width → width `nn.Linear` layers (with bias) and ReLU, batch `batch`, `threads` torch threads,
    /// after two warm-up steps.
    func torchAdamStepMilliseconds(width: Int, layers: Int, batch: Int, threads: Int, repetitions: Int)
        throws(Failure) -> Double {
        try number("milliseconds", of: "adam-step \(width) \(layers) \(batch) \(threads) \(repetitions)")
    }

    /// Medians per step of `steps` PyTorch Adam steps of the GPT twin of ``GPTBenchmark/stepConfiguration``
    /// (PyTorch's faster attention variant, picked once on the first request; the model persists between requests,
    /// see ``ReferenceScript``).
    func gptStep(_ c: GPTConfiguration, batch: Int, steps: Int, threads: Int) throws(Failure)
        -> (timing: GPTBenchmark.StepTiming, variant: String) {
        let request = "gpt-step \(c.width) \(c.depth) \(c.heads) \(batch) \(c.sequenceLength) \(c.vocabulary) \(steps) \(threads)"
        let answer = try reply(to: request)
        guard let cpu = answer["cpu"] as? Double, let wall = answer["wall"] as? Double, cpu > 0, wall > 0 else {
            throw .unreadableReply(request: request, reply: "\(answer)")
        }
        return (GPTBenchmark.StepTiming(wall: wall, cpu: cpu), answer["variant"] as? String ?? "?")
    }

    private func number(_ key: String, of request: String) throws(Failure) -> Double {
        let answer = try reply(to: request)
        guard let value = answer[key] as? Double, value.isFinite else {
            throw .unreadableReply(request: request, reply: "\(answer)")
        }
        return value
    }

    /// Sends one request line and reads one JSON line back.
    private func reply(to request: String) throws(Failure) -> [String: Any] {
        if request != "hello" {
            do { try input.fileHandleForWriting.write(contentsOf: Data((request + "\n").utf8)) } catch {
                throw exitFailure()
            }
        }
        while true {
            if let newline = buffered.firstIndex(of: UInt8(ascii: "\n")) {
                let line = buffered[buffered.startIndex..<newline]
                buffered = Data(buffered[buffered.index(after: newline)...])
                let text = String(decoding: line, as: UTF8.self)
                guard let object = try? JSONSerialization.jsonObject(with: Data(line)),
                      let dictionary = object as? [String: Any] else {
                    throw .unreadableReply(request: request, reply: text)
                }
                if let message = dictionary["error"] as? String { throw .failed(request: request, message: message) }
                return dictionary
            }
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { throw exitFailure() }
            buffered.append(chunk)
        }
    }

    private func exitFailure() -> Failure {
        process.waitUntilExit()
        let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        return .exited(status: process.terminationStatus, stderr: stderr)
    }
}
