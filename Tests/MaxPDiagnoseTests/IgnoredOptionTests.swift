import Foundation
import Testing

/// Issue 11 §6: a command never accepts an option it then ignores, and never reports success on nonsense.
@Suite("maxp-diagnose ignored options")
struct IgnoredOptionTests {
    static let grid = ["lr-transfer", "--input-dim", "8", "--depth", "2", "--output-dim", "2", "--batch", "4",
                       "--widths", "16,32,64", "--lrs", "1e-3,1e-2,1e-1", "--seeds", "1", "--steps", "1", "--quiet"]

    static func expectUsageError(_ arguments: [String], mentioning word: String) throws {
        let out = try CLI.folder().appendingPathComponent("out")
        let outcome = try CLI.run(arguments + ["--out", out.path])
        #expect(outcome.status == 2, "\(arguments): \(outcome.status) \(outcome.stderr)")
        #expect(outcome.stderr.split(separator: "\n").count == 1 && outcome.stderr.contains(word), "\(arguments): \(outcome.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out.path), "\(arguments) wrote \(out.path)")
    }

    @Test(arguments: [(["--inject", "missing-readout-multiplier"], "--inject"), (["--autofix"], "--autofix"),
                      (["--axis", "depth"], "--axis"), (["--lr", "0.1"], "--lr"), (["--parametrization", "maxp"], "maxp"),
                      (["--parametrizations", "sp,maxp"], "maxp")])
    func lrTransferRefusesWhatItWouldIgnore(extra: [String], word: String) throws {
        try Self.expectUsageError(Self.grid + extra, mentioning: word)
    }

    @Test func lrTransferRefusesZeroSteps() throws {
        try Self.expectUsageError(Self.grid + ["--steps", "0"], mentioning: "--steps")
    }

    @Test func coordCheckRefusesMaxp() throws {
        try Self.expectUsageError(["coord-check", "--input-dim", "8", "--depth", "2", "--widths", "16,32,64", "--seeds", "1",
                                   "--steps", "1", "--parametrization", "maxp", "--quiet"], mentioning: "train --dynamic")
    }

    @Test func dynamicTrainingThatNeverMeasuresIsRefused() throws {
        try Self.expectUsageError(["train", "--model", "mlp", "--dynamic", "--steps", "5", "--warmup-steps", "5"], mentioning: "--warmup-steps")
        try Self.expectUsageError(["train", "--model", "mlp", "--dynamic", "--steps", "5", "--solve-interval", "6"], mentioning: "--solve-interval")
        try Self.expectUsageError(["train", "--model", "mlp", "--dynamic", "--steps", "5", "--warmup-steps", "3", "--solve-interval", "3"],
                                  mentioning: "never measures")
    }

    @Test func dynamicTrainingOfTiedEmbeddingsIsRefused() throws {
        // The controller cannot re-solve a tied weight's shared learning rate: refused, not silently kept constant.
        try Self.expectUsageError(["train", "--model", "gpt", "--tie-embeddings", "--dynamic", "--steps", "2"],
                                  mentioning: "--tie-embeddings")
    }

    @Test func dynamicTrainingThatMeasuresOnceRuns() throws {
        let out = try CLI.folder().appendingPathComponent("out")
        let outcome = try CLI.run(["train", "--model", "mlp", "--width", "16", "--dynamic", "--steps", "4", "--warmup-steps", "2",
                                   "--solve-interval", "3", "--out", out.path])
        #expect(outcome.status == 0, "\(outcome.stderr)")
    }

    @Test func aLossGrowingByOrdersOfMagnitudeIsDivergence() throws {
        let out = try CLI.folder().appendingPathComponent("out")
        let outcome = try CLI.run(["train", "--model", "mlp", "--lr", "1e6", "--steps", "20", "--out", out.path])
        #expect(outcome.status == 1, "\(outcome.status) \(outcome.stdout) \(outcome.stderr)")
        #expect(outcome.stderr.contains("diverged"), "\(outcome.stderr)")
        let history = try String(contentsOf: out.appendingPathComponent("history.csv"), encoding: .utf8)
        #expect(history.contains("nan"))
    }
}
