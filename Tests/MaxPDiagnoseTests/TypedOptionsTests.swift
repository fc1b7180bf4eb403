import Foundation
import Testing

/// Typed options: negative numbers reach validation (issue 11 §5), help lists only values the command accepts,
/// `--base-width` is validated, and library errors are rendered with this CLI's flag names.
@Suite("maxp-diagnose typed options")
struct TypedOptionsTests {
    @Test func negativeNumbersGetTheRealValidationMessage() throws {
        let cases: [([String], String)] = [
            (["coord-check", "--steps", "-1", "--quiet"], "--steps"),
            (["coord-check", "--lr", "-1", "--quiet"], "--lr"),
            (["coord-check", "--base-width", "-4", "--quiet"], "--base-width"),
            (["train", "--model", "mlp", "--steps", "-1", "--out", "/tmp/none"], "--steps"),
            (["train", "--model", "mlp", "--lr", "-1", "--out", "/tmp/none"], "--lr"),
            (["solve", "--model", "mlp", "--width", "-3"], "--width"),
        ]
        for (arguments, flag) in cases {
            let run = try CLI.run(arguments)
            #expect(run.status == 2, "\(arguments)")
            let lines = run.stderr.split(separator: "\n")
            #expect(lines.count == 1 && lines[0].contains(flag) && !lines[0].contains("Missing value"), "\(arguments): \(run.stderr)")
        }
    }

    @Test func helpListsWhatEachCommandAccepts() throws {
        let coordCheck = try CLI.run(["coord-check", "--help"]).stdout
        #expect(coordCheck.contains("default mlp)") && coordCheck.contains("--base-width"))
        #expect(coordCheck.contains("adafactor)"), "the sweep engine trains with adafactor")
        let solve = try CLI.run(["solve", "--help"]).stdout
        #expect(solve.contains("maxp") && solve.contains("adafactor"))
        let train = try CLI.run(["train", "--help"]).stdout
        #expect(train.contains("adafactor") && train.contains("--base-width"))
    }

    @Test func engineErrorsNameTheFlag() throws {
        let run = try CLI.run(["coord-check", "--model", "gpt", "--heads", "3", "--widths", "32,64,128", "--quiet", "--out", "/tmp/none"])
        #expect(run.status == 2)
        #expect(run.stderr.hasPrefix("error: --widths: width 32 is not divisible"), "\(run.stderr)")
    }
}
