import Foundation
import Testing

/// Runs the built `maxp-diagnose` binary as a subprocess (found next to the test bundle, debug or release).
enum CLI {
    struct Outcome {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// The binary: next to this test process's executable, else in `.build/<configuration>` above this file.
    static let binary: URL = {
        var candidates: [URL] = []
        if let first = CommandLine.arguments.first {
            var folder = URL(fileURLWithPath: first).deletingLastPathComponent()
            for _ in 0..<4 {
                candidates.append(folder.appendingPathComponent("maxp-diagnose"))
                folder = folder.deletingLastPathComponent()
            }
        }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        #if DEBUG
        let configurations = ["debug", "release"]
        #else
        let configurations = ["release", "debug"]
        #endif
        for configuration in configurations {
            candidates.append(root.appendingPathComponent(".build/\(configuration)/maxp-diagnose"))
        }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? candidates.last!
    }()

    /// Runs the binary with `arguments` and waits.
    static func run(_ arguments: [String], environment: [String: String]? = nil) throws -> Outcome {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        if let environment { process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 } }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Outcome(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                       stderr: String(decoding: errData, as: UTF8.self))
    }

    /// A fresh temporary folder.
    static func folder(_ name: String = #function) throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("maxp-cli-\(name.filter(\.isLetter))-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// A slopes.json with one entry per (op, slope, verdict) at t = 1, statistic l1.
    static func slopesJSON(_ entries: [(String, Double, String)]) -> String {
        let ops = entries.map { op, slope, verdict in
            #"{"op": "\#(op)", "kind": "hidden", "t": 1, "statistic": "l1", "slope": \#(slope), "ci95": [\#(slope - 0.05), \#(slope + 0.05)], "expected": 0.0, "verdict": "\#(verdict)", "suggested_delta_a": null}"#
        }
        return #"{"axis": "width", "values": [64, 128, 256], "ops": [\#(ops.joined(separator: ", "))]}"#
    }

    /// A coord_data.csv with flat ops `fc` and `out` (out grows as width^+1 after training) for the given seeds.
    static func coordCSV(seeds: [Int], widths: [Int] = [64, 128, 256, 512]) -> String {
        var lines = ["axis_value,seed,t,op,kind,l1,rms,delta_rms"]
        for width in widths {
            for seed in seeds {
                for t in 0...1 {
                    for (op, slope) in [("fc", 0.0), ("out", t == 0 ? -0.5 : 1.0)] {
                        let value = pow(Double(width), slope) * (1 + 0.01 * Double(seed))
                        lines.append("\(width),\(seed),\(t),\(op),hidden,\(value),\(value),\(t == 0 ? 0 : value / 10)")
                    }
                }
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
