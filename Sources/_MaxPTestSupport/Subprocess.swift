import Foundation

/// The tests' one subprocess runner: runs a program to its end and collects its exit status, stdout and stderr.
/// Both pipes are drained at the same time — reading one to its end while the child blocks writing a full other pipe
/// would deadlock.
public enum Subprocess {
    /// What a finished process returned.
    public struct Outcome: Sendable {
        /// The exit status (or the terminating signal's number, as `Process` reports it).
        public var status: Int32
        /// Everything written to stdout, as UTF-8.
        public var stdout: String
        /// Everything written to stderr, as UTF-8.
        public var stderr: String

        /// Creates an outcome.
        public init(status: Int32, stdout: String, stderr: String) {
            self.status = status; self.stdout = stdout; self.stderr = stderr
        }
    }

    /// Runs `executable` with `arguments` (and `environment` merged over this process's) and waits for it.
    public static func run(_ executable: URL, _ arguments: [String], environment: [String: String]? = nil) throws -> Outcome {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        if let environment { process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 } }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let errorText = Drained()
        let reader = Thread { errorText.set(err.fileHandleForReading.readDataToEndOfFile()) }
        reader.start()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = errorText.wait()
        process.waitUntilExit()
        return Outcome(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                       stderr: String(decoding: errData, as: UTF8.self))
    }

    /// The bytes a reader thread drained, handed over once.
    private final class Drained: @unchecked Sendable {
        private let done = DispatchSemaphore(value: 0)
        private var data = Data()
        func set(_ value: Data) { data = value; done.signal() }
        func wait() -> Data { done.wait(); return data }
    }
}

extension TestFixtures {
    /// The built executable `name` of this package: next to the running test binary, else in `.build/<configuration>`
    /// (the configuration of this build first); `nil` when neither exists.
    public static func builtProduct(_ name: String, release: Bool) -> URL? {
        var candidates: [URL] = []
        for path in [Bundle.main.executablePath, CommandLine.arguments.first].compactMap({ $0 }) {
            // On macOS the runner sits inside `…/debug/X.xctest/Contents/MacOS`.
            var folder = URL(fileURLWithPath: path).resolvingSymlinksInPath().deletingLastPathComponent()
            for _ in 0..<4 {
                candidates.append(folder.appendingPathComponent(name))
                folder = folder.deletingLastPathComponent()
            }
        }
        for configuration in release ? ["release", "debug"] : ["debug", "release"] {
            candidates.append(packageRoot().appendingPathComponent(".build/\(configuration)/\(name)"))
        }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }
}
