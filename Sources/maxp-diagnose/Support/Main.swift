import ArgumentParser
import Foundation
import MaxP
import MaxPDiagnostics
import MaxPReport
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension MaxPDiagnose {
    /// Entry point: parses, runs, and maps every outcome to the documented exit codes (see ``CLIExit``).
    static func main() {
        BLASCoreSelection.selectForThisCPU()  // before any matrix product: AVX2/AVX-512 kernels where OpenBLAS guessed generic
        CLIExit.run(arguments: Array(CommandLine.arguments.dropFirst()))
    }
}

/// Exit codes of `maxp-diagnose` and the one place that maps errors to them.
///
/// - 0: success, `--help`, `--version`.
/// - 1: a check failed (the gate found a regression) — commands signal it with `throw ExitCode(1)`.
/// - 2: usage or input error: unknown option or value, failed `validate()`, malformed config/baseline/data,
///   unwritable output folder. One line `error: …` on stderr (argument-parser's own 64 is mapped to 2).
enum CLIExit {
    /// Usage or input error.
    static let usageError: Int32 = 2
    /// A check failed.
    static let checkFailed: Int32 = 1

    /// Parses `arguments`, runs the chosen command and exits with the mapped code.
    static func run(arguments: [String]) -> Never {
        StopSignals.install()
        do {
            var command = try MaxPDiagnose.parseAsRoot(arguments)
            try command.run()
            exit(0)
        } catch {
            exit(handle(error))
        }
    }

    /// Prints what `error` calls for and returns the exit code.
    static func handle(_ error: any Error) -> Int32 {
        if let code = error as? ExitCode { return code.rawValue }
        let parserCode = MaxPDiagnose.exitCode(for: error)
        if parserCode == .success {
            let text = MaxPDiagnose.fullMessage(for: error)
            if !text.isEmpty { print(text) }
            return 0
        }
        if let engine = error as? ModelBuildError {
            printError(engine.commandLineMessage)
            return usageError
        }
        printError(oneLine(error))
        return usageError
    }

    /// The first meaningful line of an error's message, without argument-parser's `Error: ` prefix.
    static func oneLine(_ error: any Error) -> String {
        let text: String
        if error is ValidationError || String(reflecting: type(of: error)).hasPrefix("ArgumentParser.") {
            text = MaxPDiagnose.message(for: error)
        } else {
            text = String(describing: error)
        }
        let line = text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.first { !$0.isEmpty } ?? "failed"
        return line.hasPrefix("Error: ") ? String(line.dropFirst(7)) : line
    }

    /// Writes `error: message` as one line to stderr.
    static func printError(_ message: String) {
        FileHandle.standardError.write(Data("error: \(message)\n".utf8))
    }

    /// Prints `error: message` on stderr and returns `ExitCode(2)` to throw.
    static func usage(_ message: String) -> ExitCode {
        printError(message)
        return ExitCode(usageError)
    }
}

/// The command line of this process, shell-quoted, for "reproduce with" lines in reports.
enum ReproduceCommand {
    /// `maxp-diagnose coord-check --widths 64,128,256 …` (the program name without its folder).
    static func current(arguments: [String] = CommandLine.arguments) -> String {
        guard let first = arguments.first else { return "maxp-diagnose" }
        let program = URL(fileURLWithPath: first).lastPathComponent
        return ([program] + arguments.dropFirst().map(quoted)).joined(separator: " ")
    }

    /// `word` quoted for a POSIX shell when it holds anything but safe characters.
    static func quoted(_ word: String) -> String {
        let safe = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-_./,=:+@%"))
        if !word.isEmpty, word.unicodeScalars.allSatisfy(safe.contains) { return word }
        return "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}

/// SIGTERM and SIGINT (a batch scheduler's kill, Ctrl-C): remove the staging folders of the runs in progress, so a
/// stopped run leaves neither a hidden folder nor a temporary file behind (the earlier run in `--out` stays intact),
/// then exit at once (`_exit`) with 128 + the signal number as the shell does. SIGXFSZ (a file-size limit) is ignored so that
/// exceeding the limit is an ordinary write error (exit 2 with one line), not a crash.
enum StopSignals {
    /// The dispatch sources; kept alive for the life of the process.
    nonisolated(unsafe) private static var sources: [any DispatchSourceSignal] = []

    static func install() {
        signal(SIGXFSZ, SIG_IGN)
        for number in [SIGTERM, SIGINT] {
            signal(number, SIG_IGN)  // delivered to the dispatch source instead of killing the process
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global(qos: .userInitiated))
            source.setEventHandler {
                StagedRunFolder.discardAllInProgress()
                // `_exit`, not `exit`: worker threads are still computing, and running atexit handlers and static
                // destructors under them can crash the process (seen as SIGSEGV instead of 128 + signal).
                _exit(128 + number)
            }
            source.resume()
            sources.append(source)
        }
    }
}
