import Foundation
import MaxPDiagnostics
import Testing
@testable import MaxPReport

@Suite("Templates and report models")
struct TemplateTests {
    static let templatesFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Templates")

    @Test("the embedded copy equals the files in Templates/")
    func embeddedMatchesFiles() throws {
        for name in ReportTemplates.names {
            let url = Self.templatesFolder.appendingPathComponent(name + ReportTemplates.fileExtension)
            let text = try String(contentsOf: url, encoding: .utf8)
            #expect(EmbeddedTemplates.texts[name] == text, "Sources/MaxPReport/Rendering/EmbeddedTemplates.swift differs from \(url.path)")
            #expect(text.hasPrefix("{{% CONTENT_TYPE: TEXT}}\n"))
        }
    }

    @Test("templates are found from #filePath, MAXP_TEMPLATES, or fall back to the embedded copy")
    func locate() throws {
        let found = try ReportTemplates.locate(environment: [:], executablePath: nil)
        #expect(found.origin == .directory(Self.templatesFolder.standardizedFileURL.path))
        let explicit = try ReportTemplates.locate(environment: ["MAXP_TEMPLATES": Self.templatesFolder.path], executablePath: nil)
        #expect(explicit.origin == .directory(Self.templatesFolder.path))
        let fallback = try ReportTemplates.locate(environment: [:], executablePath: "/nonexistent/bin/maxp-diagnose",
                                                  sourceFile: "/nonexistent/src/File.swift")
        #expect(fallback.origin == .embedded)
        #expect(throws: ReportError.self) {
            try ReportTemplates.locate(environment: ["MAXP_TEMPLATES": "/nonexistent"], executablePath: nil)
        }
    }

    @Test("the summary names root causes and lists ops that only inherit a deviation separately")
    func summarySeparatesInheritedOps() throws {
        var slopes = SlopeReport(table: Fixtures.table())
        var inherited = try #require(slopes.ops.first { $0.op == "fc_2" && $0.t == 1 })
        inherited.verdict = .grows
        inherited.inheritedFrom = "readout"
        slopes.ops.append(inherited)
        let summary = CoordCheckReportModel.summarize(slopes)
        #expect(summary.headline.hasPrefix("1 op needs attention: `readout` (1 more only inherit their deviation: `fc_2`)"))
        #expect(!summary.attention.isEmpty && summary.attention.allSatisfy { $0.op.contains("readout") })
    }

    @Test("the coord-check report has the summary, configuration, layer and slope tables, no HTML escaping")
    func coordCheckReport() throws {
        let table = Fixtures.table()
        let slopes = SlopeReport(table: table)
        var run = Fixtures.run(table)
        run.notes = ["widths < 64 are not swept"]
        let figures = [ReportSections.FigureLink(title: "Coordinate check", file: "coord_check.png", alt: "plot",
                                                 caption: "how to read it", vector: "coord_check.svg")]
        let model = CoordCheckReportModel(slopes: slopes, run: run, figures: figures,
                                          dataFiles: [.init(name: "coord_data.csv", description: "rows")])
        for templates in [try ReportTemplates.load(directory: Self.templatesFolder), ReportTemplates.embedded] {
            let text = try ReportRenderer(templates: templates).render(model)
            #expect(text.hasPrefix("# Coordinate check: µP MLP 32→w→w→10"))
            #expect(text.contains("> **Verdict:** 1 op needs attention: `readout`."))
            #expect(text.contains("widths < 64 are not swept"))
            #expect(!text.contains("&lt;") && !text.contains("&gt;") && !text.contains("&#"))
            #expect(text.contains("| layer | role | width | a | b | c | lr | r |"))
            #expect(text.contains("| `fc_2` | hidden | 512 | 0 | 0.5 | 1 |"))
            #expect(text.contains("| op | kind | t | statistic | expected | measured | 95% interval | verdict | suggested fix |"))
            #expect(text.contains("| **grows** |"))
            #expect(text.contains("![plot](coord_check.png)"))
            #expect(text.contains("([SVG](coord_check.svg))"))
            #expect(text.contains("- [`coord_data.csv`](coord_data.csv): rows"))
            #expect(text.contains("```sh\nmaxp-diagnose coord-check --widths 64,128,256,512 --out <dir>\n```"))
            #expect(!text.contains("{{") && !text.contains("\n\n\n"))
            let slopeRows = text.split(separator: "\n").filter { $0.hasPrefix("| `") && $0.contains("| l1 |") }
            #expect(slopeRows.count == Fixtures.ops.count * 3)
        }
    }

    @Test("the LR-transfer report marks the best grid point per width and states the drift")
    func lrTransferReport() throws {
        let report = LRTransferAnalysis.analyze(Fixtures.trials())
        let model = LRTransferReportModel(report: report, run: RunDescription(model: "MLP", optimizer: "adam"),
                                          figures: [], dataFiles: [])
        let text = try ReportRenderer(templates: .embedded).render(model)
        #expect(text.contains("### SP: drift exponent -1.0"))
        #expect(text.contains("the optimal learning rate shifts with width"))
        #expect(text.contains("the optimal learning rate transfers across width"))
        #expect(text.contains("| width | lr* | 95% interval of lr* | note |"))
        #expect(text.contains("**2.005**"))
        #expect(text.contains("diverged"))
        let gridRows = text.split(separator: "\n").filter { $0.hasPrefix("| 256 |") && $0.contains("**") }
        #expect(gridRows.count == 2)
    }

    @Test("the gate summary lists regressions")
    func gateReport() throws {
        let table = Fixtures.table()
        let baseline = SlopeReport(table: table)
        var current = baseline
        current.ops[0].slope = (current.ops[0].slope ?? 0) + 0.5
        let result = Gate.compare(current: current, baseline: baseline)
        let text = try ReportRenderer(templates: .embedded).render(GateReportModel(result: result, baseline: "a.json", current: "b.json"))
        #expect(text.hasPrefix("# Slope gate: FAILED"))
        #expect(text.contains("| `fc_1` | 0 | l1 |"))
    }

    @Test("every report opens with three lines: what was checked, what is wrong with its fix, what to do next")
    func digest() throws {
        let table = Fixtures.table()
        let slopes = SlopeReport(table: table)
        let model = CoordCheckReportModel(slopes: slopes, run: Fixtures.run(table), figures: [], dataFiles: [])
        let text = try ReportRenderer(templates: .embedded).render(model)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines[2].hasPrefix("- **Checked:** how the size (l1, rms, delta_rms) of each of 4 ops scales with width 64–512, 3 seeds, steps 0–2"))
        let readout = try #require(slopes.ops.first { $0.op == "readout" && $0.t == 1 && $0.statistic == .l1 })
        #expect(lines[3].hasPrefix("- **Wrong:** `readout` grows at t = 1 (measured \(FigureText.signed(readout.slope!)), "
                                   + "expected \(FigureText.signed(readout.expected!))): "), "\(lines[3])")
        #expect(lines[4] == "- **Next:** apply the fix above and run the check again.")

        // Nothing wrong, nothing undecided: keep the slopes as the gate's baseline.
        var clean = slopes
        clean.ops = clean.ops.filter { $0.op != "readout" }
        let ok = ReportDigest.coordCheck(clean, run: Fixtures.run(table))
        #expect(ok.wrong == "nothing: all \(clean.ops.filter { $0.verdict != .inconclusive }.count) judged slopes agree with theory.")
        #expect(ok.next.contains("baseline"))

        // Undecided: the next step says how many seeds would decide which op.
        var undecided = clean
        undecided.ops[0].verdict = .inconclusive
        undecided.ops[0].seedsNeeded = 5
        let advice = ReportDigest.coordCheck(undecided, run: Fixtures.run(table))
        #expect(advice.next == "add 2 seeds (5 in all) to decide `\(undecided.ops[0].op)` at t = \(undecided.ops[0].t).")
        #expect(advice.wrong.hasSuffix("(1 more are inconclusive)."))
    }

    @Test("the LR-transfer configuration shows the swept parametrizations and learning rates, not unused defaults")
    func lrTransferShowsSweptValues() throws {
        let report = LRTransferAnalysis.analyze(Fixtures.trials())
        var run = RunDescription(model: "MLP", parametrization: "sp,mup", optimizer: "adam")
        run.settings = [.init(name: "model", value: "mlp"), .init(name: "parametrization", value: "mup"),
                        .init(name: "lr", value: "0.001"), .init(name: "widths", value: "64,128,256"),
                        .init(name: "lrs", value: "stale")]
        let model = LRTransferReportModel(report: report, run: run, figures: [], dataFiles: [])
        let text = try ReportRenderer(templates: .embedded).render(model)
        let lrs = report.primary.lrs.map { FigureText.number($0) }.joined(separator: ",")
        #expect(text.contains("| parametrizations | `sp,mup` |"))
        #expect(text.contains("| lrs | `\(lrs)` |"))
        #expect(!text.contains("| parametrization | `mup` |") && !text.contains("| lr | `0.001` |") && !text.contains("stale"))
        #expect(text.contains("parametrizations **SP, µP**"))
        #expect(text.contains("learning rates **9 values from 0.0000625 to 0.016 (swept)**") || text.contains("learning rates **9 values from"))
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines[1].hasPrefix("- **Checked:** whether the optimal learning rate moves with width for SP and µP (widths 64–256, 9 learning rates"))
        #expect(lines[2].hasPrefix("- **Wrong:** "))
        #expect(lines[3].hasPrefix("- **Next:** "))
    }
}
