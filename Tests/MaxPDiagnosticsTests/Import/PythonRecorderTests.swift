import Foundation
import Testing
@testable import MaxPDiagnostics
import _MaxPTestSupport

/// Runs `python3` (through `/usr/bin/env`) for the recorder tests.
enum Python3 {
    static func run(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3"] + arguments
        // No __pycache__ next to the sources.
        process.environment = ProcessInfo.processInfo.environment.merging(["PYTHONDONTWRITEBYTECODE": "1"]) { $1 }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    static let isAvailable: Bool = (try? run(["--version"]).status) == 0
}

/// `Integrations/pytorch/maxp_record.py`, driven by a fake of the few torch methods it uses (no torch needed): its
/// own unit tests pass, and its CSV is read and judged by the importer. Skipped where `python3` is not installed.
@Suite("PyTorch recorder (python3, fake torch)", .enabled(if: Python3.isAvailable))
struct PythonRecorderTests {
    static let script = TestFixtures.packageRoot().appendingPathComponent("Integrations/pytorch/test_maxp_record.py")

    @Test("the recorder's own tests pass")
    func unitTests() throws {
        let result = try Python3.run([Self.script.path])
        #expect(result.status == 0, "\(result.output)")
    }

    @Test("its CSV is tidy with t = 0 at init; a readout of size width^+0.5 is flagged at init with Δa = +1")
    func analyzed() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("maxp-record-\(UUID().uuidString).csv")
        defer { try? FileManager.default.removeItem(at: path) }
        let result = try Python3.run([Self.script.path, "--write", path.path])
        #expect(result.status == 0, "\(result.output)")
        let data = try CoordImport(csv: String(contentsOf: path, encoding: .utf8), path: path.path)
        #expect(data.source.format == .tidy && data.source.tOrigin == 0)
        #expect(data.source.statistics == [.l1, .rms, .deltaRMS])
        let report = data.slopeReport()
        let readout = try #require(report.entry(op: "readout", t: 0, statistic: .l1))
        #expect(readout.verdict == .grows && abs(readout.suggestedDeltaA! - 1) < 0.05)
        #expect(report.ops.filter { $0.op != "readout" }.allSatisfy { $0.verdict == .ok }, "\(EngineFixtures.listing(report))")
    }
}
