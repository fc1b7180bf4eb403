import Foundation
import MaxPDiagnostics
import MaxPPlot
import Testing
@testable import MaxPReport

/// The figure choices of `coord-check --statistic/--ops/--max-colored-ops`: glob selection, titles, and the
/// choices saved in `run.json` being reused by re-rendering.
@Suite("Coord-check figure choices")
struct CoordCheckFigureChoicesTests {
    let table = Fixtures.table()

    /// The op names of the labelled series of a panel (labels are `op (slope …)`), without the legend-only entries.
    static func ops(_ panel: Panel) -> Set<String> {
        Set(panel.series.compactMap(\.label).filter { $0 != ExpectedSlopeLine.legendLabel }
            .map { String($0.split(separator: " ")[0]) })
    }

    @Test("--ops fc_*: the figures draw only the matching ops, in graph order; the readout is gone")
    func globSelectsOps() throws {
        let options = try CoordCheckFigureChoices(ops: ["fc_*"]).figureOptions(for: table)
        #expect(options.ops == ["fc_1", "fc_1.relu", "fc_2"])
        let figure = CoordCheckFigures.byStep(table: table, slopes: SlopeReport(table: table), run: Fixtures.run(table),
                                              options: options)
        for panel in figure.panels {
            #expect(Self.ops(panel) == ["fc_1", "fc_1.relu", "fc_2"])
            #expect(panel.series.count == 3)  // no dashed expected line either: the flagged readout is not drawn
        }
        let byOp = CoordCheckFigures.byOp(table: table, slopes: SlopeReport(table: table), run: Fixtures.run(table),
                                          options: options)
        #expect(byOp.panels.count == 3 && byOp.panels.allSatisfy { $0.title?.hasPrefix("readout") == false })
        let two = try CoordCheckFigureChoices(ops: ["readout", "*relu"]).figureOptions(for: table)
        #expect(two.ops == ["fc_1.relu", "readout"])
    }

    @Test("a glob that matches no op is an error naming it and the ops")
    func unmatchedGlob() {
        #expect(throws: ReportError.noMatchingOp(pattern: "blocks.*.attn.qk", ops: table.opOrder)) {
            try CoordCheckFigureChoices(ops: ["fc_*", "blocks.*.attn.qk"]).figureOptions(for: table)
        }
        let message = ReportError.noMatchingOp(pattern: "blocks.*", ops: ["fc_1", "readout"]).description
        #expect(message.contains("`blocks.*`") && message.contains("fc_1, readout"))
    }

    @Test("--statistic rms: figure title and y axis say RMS, values are the rms column")
    func rmsStatistic() throws {
        let options = try CoordCheckFigureChoices(statistic: .rms, maxColoredOps: 2).figureOptions(for: table)
        #expect(options.statistic == .rms && options.maxColoredOps == 2 && options.ops == nil)
        let figure = CoordCheckFigures.byStep(table: table, slopes: SlopeReport(table: table), run: Fixtures.run(table),
                                              options: options)
        #expect(figure.title?.contains("RMS") == true)
        #expect(figure.panels[0].yAxis.label == "RMS of activation")
        let l1 = CoordCheckFigures.byStep(table: table, slopes: SlopeReport(table: table), run: Fixtures.run(table))
        #expect(l1.title?.contains("RMS") == false && l1.panels[0].yAxis.label?.contains("l1") == true)
        // The fixture's rms is 1.2 × l1: the drawn line of the first op is 1.2 times the l1 figure's.
        let rmsLine = figure.panels[0].series.first { $0.label?.hasPrefix("fc_1 ") == true }
        let l1Line = l1.panels[0].series.first { $0.label?.hasPrefix("fc_1 ") == true }
        let (r, l) = (try #require(rmsLine).y, try #require(l1Line).y)
        #expect(r.count == l.count && zip(r, l).allSatisfy { abs($0 / $1 - 1.2) < 1e-9 })
    }

    @Test("mean/std need recorded moments; a folder of LR-transfer data refuses figure choices instead of ignoring them")
    func refusedChoices() throws {
        #expect(throws: ReportError.statisticNotRecorded(statistic: "mean")) {
            try CoordCheckFigureChoices(statistic: .mean).figureOptions(for: table)
        }
        var withMoments = table
        for index in withMoments.rows.indices { withMoments.rows[index].mean = -0.5; withMoments.rows[index].std = 2 }
        let options = try CoordCheckFigureChoices(statistic: .mean).figureOptions(for: withMoments)
        let figure = CoordCheckFigures.byStep(table: withMoments, slopes: SlopeReport(table: withMoments), run: Fixtures.run(withMoments),
                                              options: options)
        #expect(figure.panels.allSatisfy { $0.yAxis.scale == .linear } && figure.panels[0].yAxis.label == "mean of activation")
        #expect(figure.panels[0].series.allSatisfy { $0.y.allSatisfy { $0 == -0.5 } && !$0.isEmphasized })  // no verdicts
        let folder = Fixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let trials = Fixtures.trials()
        try RunArtifacts.writeLRTransfer(trials: trials, report: LRTransferAnalysis.analyze(trials), run: RunDescription(model: "m"),
                                         to: folder, options: ArtifactOptions(formats: [.svg]))
        #expect(throws: ReportError.figureOptionsWithoutCoordCheck) {
            try RunArtifacts.rerender(from: folder, formats: [.svg], figures: CoordCheckFigureChoices(statistic: .rms))
        }
        #expect(try !RunArtifacts.rerender(from: folder, formats: [.svg]).isEmpty)
    }

    @Test("choices given again override the saved ones field by field")
    func overriding() {
        let saved = CoordCheckFigureChoices(statistic: .rms, ops: ["fc_*"], maxColoredOps: 3)
        #expect(CoordCheckFigureChoices(maxColoredOps: 5).overriding(saved)
            == CoordCheckFigureChoices(statistic: .rms, ops: ["fc_*"], maxColoredOps: 5))
        #expect(CoordCheckFigureChoices().overriding(nil).isEmpty)
    }

    @Test("re-rendering reuses the choices saved in run.json")
    func rerenderKeepsChoices() throws {
        let folder = Fixtures.temporaryFolder(), copy = folder.appendingPathComponent("copy")
        defer { try? FileManager.default.removeItem(at: folder) }
        var run = Fixtures.run(table)
        run.coordCheckFigures = CoordCheckFigureChoices(statistic: .rms, ops: ["fc_2"])
        try RunArtifacts.writeCoordCheck(table: table, slopes: SlopeReport(table: table), run: run,
                                         to: folder.appendingPathComponent("run"), options: ArtifactOptions(formats: [.svg]))
        try RunArtifacts.rerender(from: folder.appendingPathComponent("run"), to: copy, formats: [.svg])
        let svg = try String(contentsOf: copy.appendingPathComponent("coord_check.svg"), encoding: .utf8)
        #expect(svg.contains("RMS") && svg.contains("fc_2") && !svg.contains("readout ("))
        let saved = try JSONDecoder().decode(RunDescription.self, from: Data(contentsOf: copy.appendingPathComponent("run.json")))
        #expect(saved.coordCheckFigures == run.coordCheckFigures)
        #expect(throws: ReportError.noMatchingOp(pattern: "nope*", ops: table.opOrder)) {
            try RunArtifacts.rerender(from: folder.appendingPathComponent("run"), to: copy, formats: [.svg],
                                      figures: CoordCheckFigureChoices(ops: ["nope*"]))
        }
    }
}
