import Foundation
import Testing
@testable import MaxPDiagnostics
import _MaxPTestSupport

@Suite("CoordImport: judging data recorded by others")
struct CoordImportTests {
    static func analyze(_ text: String, declaration: String? = nil, statistic: String? = nil) throws -> (CoordImport, SlopeReport) {
        let parsed = try declaration.map { try Declaration(json: Data($0.utf8), path: "d.json") }
        let data = try CoordImport(csv: text, path: "data.csv", declaration: parsed, statistic: statistic)
        return (data, data.slopeReport())
    }

    static func deviations(_ report: SlopeReport) -> [SlopeReport.Entry] { report.ops.filter { $0.verdict.isDeviation } }

    @Test("the real mup fixtures, no declaration: µP has no false alarm, SP's readout grows after one step")
    func mupFixtures() throws {
        let mup = try String(contentsOf: TestFixtures.golden("imported/mup_mlp_mup_adam.csv"), encoding: .utf8)
        let (_, good) = try Self.analyze(mup)
        #expect(Self.deviations(good).isEmpty, "\(EngineFixtures.listing(good))")
        #expect(good.ops.allSatisfy { $0.verdict == .ok }, "\(EngineFixtures.listing(good))")
        #expect(good.ops.count == 4 * 3)
        let readoutInit = try #require(good.entry(op: "readout", t: 0, statistic: .l1))
        #expect(abs(readoutInit.slope! + 0.47) < 0.02 && readoutInit.expected == -0.5)

        let sp = try String(contentsOf: TestFixtures.golden("imported/mup_mlp_sp_adam.csv"), encoding: .utf8)
        let (data, bad) = try Self.analyze(sp)
        let readout = try #require(bad.entry(op: "readout", t: 1, statistic: .l1))
        #expect(readout.verdict == .grows && abs(readout.slope! - 1.52) < 0.02, "\(EngineFixtures.listing(bad))")
        #expect(bad.entry(op: "fc_3", t: 1, statistic: .l1)?.verdict == .grows)
        #expect(bad.entry(op: "fc_1", t: 1, statistic: .l1)?.verdict == .ok)
        #expect(bad.mode == .muPTarget)
        // The report says which rule judged each op and why, the format, and what the missing delta_rms means.
        let notes = data.notes.joined(separator: "\n")
        #expect(notes.contains("Judged by role readout, from the name (`readout`): `readout`."))
        #expect(notes.contains("mup's rule (Θ(1) at every width"))
        #expect(notes.contains("mup (pandas `df.to_csv`"))
        #expect(notes.contains("no `delta_rms`"))
    }

    @Test("a readout that forgets its 1/width multiplier is flagged at init: multiply its output by width^-1 (mup and tidy)")
    func missingReadoutMultiplier() throws {
        // mup's own convention: readout a = 1, b = 0 → init slope ½ − 1 = −½; without the multiplier it is +½.
        let table = CoordExport.synthetic(ops: ["fc_1", "fc_2", "readout"], slope: { op, _ in op == "readout" ? 0.5 : 0 })
        let declaration = """
            {"parametrization": "mup", "ops": [{"match": "fc_1", "role": "input"}, {"match": "fc_*", "role": "hidden"},
             {"match": "readout", "role": "readout", "a": 1, "b": 0}]}
            """
        for text in [CoordExport.mupCSV(table), CoordExport.tidyCSV(table)] {
            let (_, report) = try Self.analyze(text, declaration: declaration)
            let entry = try #require(report.entry(op: "readout", t: 0, statistic: .l1))
            #expect(entry.verdict == .grows)
            #expect(abs(entry.suggestedDeltaA! - 1) < 0.05)
            #expect(entry.message.contains("multiply its output by width^-1 (set a = 1 in code, or restore the readout multiplier)"),
                    "\(entry.message)")
            #expect(Self.deviations(report).allSatisfy { $0.op == "readout" }, "\(EngineFixtures.listing(report))")
        }
    }

    @Test("a 1/√d attention is found at init with Δa = +0.5, with no declaration (the name says attention logits)")
    func attentionSqrtD() throws {
        let table = CoordExport.synthetic(ops: ["blocks.0.attn.q", "blocks.0.attn.k", "blocks.0.attn.qk", "lm_head"],
                                          slope: { op, _ in op == "lm_head" ? -0.5 : 0 })
        for text in [CoordExport.mupCSV(table), CoordExport.tidyCSV(table, statistics: [.l1])] {
            let (_, report) = try Self.analyze(text)
            let entry = try #require(report.entry(op: "blocks.0.attn.qk", t: 0, statistic: .l1))
            #expect(entry.verdict == .grows && entry.kind == "attention_logits")
            #expect(abs(entry.suggestedDeltaA! - 0.5) < 0.05)
            #expect(entry.message.contains("or fix the 1/√d scaling"))
            #expect(Self.deviations(report).allSatisfy { $0.op == "blocks.0.attn.qk" }, "\(EngineFixtures.listing(report))")
        }
    }

    @Test("hidden weights re-initialized with a fixed std: blamed on the first such layer, later layers inherited (via inputs)")
    func fixedStdHidden() throws {
        // fc_2's weights have a width-independent std (b = 0): its size grows like width^½, and so does every layer after it.
        let table = CoordExport.synthetic(ops: ["fc_1", "fc_2", "fc_3", "readout"], slope: { op, _ in
            switch op { case "fc_1": 0; case "readout": 0; default: 0.5 }
        })
        let declaration = """
            {"parametrization": "mup", "ops": [{"match": "fc_1", "role": "input"},
             {"match": "fc_2", "role": "hidden", "inputs": ["fc_1"]}, {"match": "fc_3", "role": "hidden", "inputs": ["fc_2"]},
             {"match": "readout", "role": "readout", "inputs": ["fc_3"]}]}
            """
        for text in [CoordExport.mupCSV(table), CoordExport.tidyCSV(table)] {
            let (_, report) = try Self.analyze(text, declaration: declaration)
            let root = try #require(report.entry(op: "fc_2", t: 0, statistic: .l1))
            #expect(root.verdict == .grows && root.inheritedFrom == nil && abs(root.suggestedDeltaA! - 0.5) < 0.05)
            for op in ["fc_3", "readout"] {
                let entry = try #require(report.entry(op: op, t: 0, statistic: .l1))
                #expect(entry.verdict == .grows && entry.inheritedFrom == "fc_2" && entry.suggestedDeltaA == nil,
                        "\(EngineFixtures.listing(report))")
            }
            #expect(report.entry(op: "fc_1", t: 0, statistic: .l1)?.verdict == .ok)
        }
    }

    @Test("an op no rule judges is unjudged, never ok; ignored ops are dropped")
    func unjudged() throws {
        // A norm found by its name has no declared input: its change since init has no rule.
        let table = CoordExport.synthetic(ops: ["fc_1", "ln_f", "dropout"], slope: { _, _ in 0 }, deltaSlope: { _, _ in -0.3 })
        let (data, report) = try Self.analyze(CoordExport.tidyCSV(table),
                                              declaration: "{\"ops\": [{\"match\": \"dropout\", \"role\": \"ignore\"}]}")
        #expect(report.entry(op: "ln_f", t: 1, statistic: .deltaRMS)?.verdict == .unjudged)
        #expect(report.entry(op: "ln_f", t: 1, statistic: .l1)?.verdict == .ok)
        #expect(report.entry(op: "fc_1", t: 1, statistic: .deltaRMS)?.verdict == .ok)
        #expect(!report.ops.contains { $0.op == "dropout" })
        #expect(!data.table.rows.contains { $0.op == "dropout" })
        #expect(data.notes.contains { $0.contains("Ignored by the declaration") && $0.contains("`dropout`") })
    }

    @Test("a declared output multiplier on a norm shifts its expectation by −a; rms is judged when asked for")
    func multiplierOnNorm() throws {
        let table = CoordExport.synthetic(ops: ["post_norm"], slope: { _, _ in -0.5 })
        let (_, report) = try Self.analyze(CoordExport.tidyCSV(table, statistics: [.l1, .rms]),
                                           declaration: "{\"ops\": [{\"match\": \"post_norm\", \"role\": \"norm\", \"a\": 0.5}]}",
                                           statistic: "rms")
        let entry = try #require(report.entry(op: "post_norm", t: 0, statistic: .rms))
        #expect(entry.verdict == .ok && entry.expected == -0.5)
        #expect(report.entry(op: "post_norm", t: 0, statistic: .l1) == nil)
    }

    @Test("our own µP sweep exported in mup format: no false alarm; with the readout multiplier missing: found at init")
    func ownSweepExported() throws {
        let good = try SweepRunner.run(EngineFixtures.mlpPlan(.mup, steps: 1, widths: [64, 128, 256]))
        let (_, clean) = try Self.analyze(CoordExport.mupCSV(good.table))
        #expect(Self.deviations(clean).isEmpty, "\(EngineFixtures.listing(clean))")
        let bad = try SweepRunner.run(EngineFixtures.mlpPlan(.mup, steps: 1, widths: [64, 128, 256], fault: .missingReadoutMultiplier))
        let (_, flagged) = try Self.analyze(CoordExport.mupCSV(bad.table))
        let entry = try #require(flagged.entry(op: "readout", t: 0, statistic: .l1))
        #expect(entry.verdict == .grows && abs(entry.suggestedDeltaA! - 0.5) < 0.15, "\(EngineFixtures.listing(flagged, only: { $0.t == 0 }))")
    }
}
