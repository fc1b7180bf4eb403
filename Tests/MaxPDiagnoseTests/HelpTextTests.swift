import Foundation
import Testing
import _MaxPTestSupport

/// Help texts compared verbatim (in the style of swift-argument-parser's `AssertHelp`): the binary's
/// `<command> --help` at 80 columns must equal `Tests/Fixtures/help/<command>.txt`, so help that drifts from
/// behaviour is a reviewed change (`scripts/regenerate-help.sh` rewrites the files).
@Suite("Help texts (subprocess)")
struct HelpTextTests {
    static func expected(_ command: String) throws -> String {
        try String(contentsOf: TestFixtures.packageRoot().appendingPathComponent("Tests/Fixtures/help/\(command).txt"),
                   encoding: .utf8)
    }

    @Test("merge, report and gate print exactly their reviewed help", arguments: ["merge", "report", "gate"])
    func verbatim(command: String) throws {
        let outcome = try CLI.run([command, "--help"], environment: ["COLUMNS": "80"])
        #expect(outcome.status == 0)
        let expected = try Self.expected(command)
        #expect(outcome.stdout == expected, "\(command) --help changed; diff it against Tests/Fixtures/help/\(command).txt")
    }

    @Test("merge's example matches its words: two parts, merged")
    func mergeExample() throws {
        let help = try Self.expected("merge")
        #expect(help.contains("# Two parts of one sweep"))
        #expect(!help.contains("Four parts"))
        #expect(help.components(separatedBy: "--shard ").count - 1 == 2)
        #expect(help.contains("--shard 1/2") && help.contains("--shard 2/2") && help.contains("merge part1 part2 --out merged"))
    }
}
