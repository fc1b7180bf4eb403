import Foundation
import Testing

/// Issue 11 §2: sizes no machine holds are refused before anything is allocated — exit 2, one line naming the
/// estimate and the available memory (no `Fatal error: failed to allocate`, no OOM kill).
@Suite("maxp-diagnose resource limits")
struct ResourceLimitTests {
    static let small = ["--input-dim", "8", "--depth", "2", "--output-dim", "2", "--batch", "4", "--steps", "1", "--seeds", "1",
                        "--quiet"]

    static func expectRefused(_ arguments: [String], mentioning words: [String]) throws {
        let out = try CLI.folder().appendingPathComponent("out")
        let outcome = try CLI.run(arguments + ["--out", out.path])
        #expect(outcome.status == 2, "\(arguments): \(outcome.status) \(outcome.stderr)")
        let lines = outcome.stderr.split(separator: "\n")
        #expect(lines.count == 1, "\(arguments): \(outcome.stderr)")
        for word in words { #expect(outcome.stderr.contains(word), "\(arguments): \(outcome.stderr)") }
        #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent("report.md").path))
    }

    static let memory = ["memory", "available"]

    @Test func hugeWidthIsRefused() throws {
        try Self.expectRefused(["coord-check", "--widths", "16,32,1000000000"] + Self.small, mentioning: Self.memory + ["--widths"])
    }

    @Test func hugeBatchIsRefused() throws {
        try Self.expectRefused(["coord-check", "--widths", "16,32,64", "--batch", "1000000000", "--input-dim", "8", "--steps", "1",
                                "--seeds", "1", "--quiet"], mentioning: Self.memory + ["--batch"])
    }

    @Test func hugeInputDimensionIsRefused() throws {
        try Self.expectRefused(["coord-check", "--widths", "16,32,64", "--input-dim", "1000000000", "--steps", "1", "--seeds", "1",
                                "--quiet"], mentioning: Self.memory)
    }

    @Test func hugeVocabularyIsRefused() throws {
        try Self.expectRefused(["coord-check", "--model", "gpt", "--widths", "16,32,64", "--vocab", "1000000000", "--steps", "1",
                                "--seeds", "1", "--quiet"], mentioning: Self.memory)
    }

    @Test func hugeSeedCountIsRefused() throws {
        try Self.expectRefused(["coord-check", "--widths", "16,32,64", "--input-dim", "8", "--steps", "1", "--seeds", "1000000000", "--quiet"],
                               mentioning: ["--seeds", "at most"])
    }

    @Test func hugeLearningRateGridSizesAreRefused() throws {
        try Self.expectRefused(["lr-transfer", "--widths", "16,32,1000000000", "--lrs", "1e-3,1e-2,1e-1", "--input-dim", "8",
                                "--steps", "1", "--seeds", "1", "--quiet"], mentioning: Self.memory)
    }

    @Test func hugeTrainWidthIsRefused() throws {
        try Self.expectRefused(["train", "--model", "mlp", "--width", "1000000", "--steps", "1"], mentioning: Self.memory + ["--width"])
        try Self.expectRefused(["train", "--model", "mlp", "--steps", "2000000"], mentioning: ["--steps", "at most"])
    }

    @Test func hugeSolveWidthIsRefused() throws {
        let outcome = try CLI.run(["solve", "--model", "mlp", "--width", "1000000000"])
        #expect(outcome.status == 2, "\(outcome.stderr)")
        #expect(outcome.stderr.split(separator: "\n").count == 1 && outcome.stderr.contains("memory"), "\(outcome.stderr)")
    }

    @Test func hugeDataLabelIsRefused() throws {
        let file = try CLI.folder().appendingPathComponent("data.csv")
        try "0.1,0.2,0\n0.3,0.4,100000000\n0.5,0.6,1\n0.7,0.8,0\n".write(to: file, atomically: true, encoding: .utf8)
        try Self.expectRefused(["coord-check", "--data", file.path, "--widths", "16,32,64", "--depth", "2", "--batch", "4",
                                "--steps", "1", "--seeds", "1", "--quiet"], mentioning: Self.memory)
    }
}
