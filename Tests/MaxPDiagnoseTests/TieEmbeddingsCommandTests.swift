import Foundation
import Testing

/// `--tie-embeddings` (mup#55): the GPT's readout reuses the token embedding's table in `coord-check`, `lr-transfer`
/// and `solve --model`; the role conflict and its resolution are stated; refused where it cannot apply.
@Suite("maxp-diagnose --tie-embeddings (subprocess)")
struct TieEmbeddingsCommandTests {
    static let gpt = ["--model", "gpt", "--heads", "2", "--depth", "1", "--seq-len", "4", "--vocab", "16", "--batch", "4",
                      "--widths", "16,32,64", "--seeds", "1", "--steps", "1", "--format", "svg", "--quiet"]

    @Test("coord-check: the report names both ops, the exponents and mup's resolution; settings record it")
    func coordCheckReportsTheConflict() throws {
        let folder = try CLI.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let out = folder.appendingPathComponent("tied")
        let run = try CLI.run(["coord-check"] + Self.gpt + ["--tie-embeddings", "--out", out.path])
        #expect(run.status == 0, "\(run.stderr)")
        let report = try String(contentsOf: out.appendingPathComponent("report.md"), encoding: .utf8)
        #expect(report.contains("`readout` shares its weight with `tok_emb`"), "\(report)")
        #expect(report.contains("MuSharedReadout") && report.contains("width^-1 relative to `tok_emb`'s"))
        #expect(report.contains("tie-embeddings"))
        let untied = folder.appendingPathComponent("untied")
        #expect(try CLI.run(["coord-check"] + Self.gpt + ["--out", untied.path]).status == 0)
        #expect(!(try String(contentsOf: untied.appendingPathComponent("report.md"), encoding: .utf8)).contains("shares its weight"))
    }

    @Test("solve prints the tie; MLP and a zero-init readout on the tied weight exit 2 with one line")
    func trainAndRefusals() throws {
        let folder = try CLI.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let solve = try CLI.run(["solve", "--model", "gpt", "--tie-embeddings"])
        #expect(solve.status == 0 && solve.stdout.contains("tied embeddings") && solve.stdout.contains("shares its weight"), "\(solve.stdout)")
        for arguments in [
            ["coord-check", "--model", "mlp", "--widths", "16,32,64", "--tie-embeddings", "--quiet", "--out", folder.appendingPathComponent("a").path],
            ["coord-check"] + Self.gpt + ["--tie-embeddings", "--zero-init", "readout", "--out", folder.appendingPathComponent("b").path],
        ] {
            let run = try CLI.run(arguments)
            #expect(run.status == 2, "\(arguments)")
            #expect(run.stderr.split(separator: "\n").count == 1
                        && (run.stderr.contains("--tie-embeddings") || run.stderr.contains("'readout' shares its weight with 'tok_emb'")),
                    "\(arguments): \(run.stderr)")
        }
    }
}
