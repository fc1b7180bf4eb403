import Foundation
import MaxPDiagnostics
import MaxPPlot
import Testing
@testable import MaxPReport

@Suite("Figure builders")
struct FigureBuilderTests {
    let table = Fixtures.table()
    var slopes: SlopeReport { SlopeReport(table: table) }

    @Test("coord check by step: one panel per t, one line per op, ONE shared legend with slopes, bug emphasised and named")
    func byStep() throws {
        let figure = CoordCheckFigures.byStep(table: table, slopes: slopes, run: Fixtures.run(table))
        let layout = figure.layout()
        #expect(layout.panels.count == 3)
        #expect(layout.panels.map { $0.title?.components(separatedBy: " · ").first } == ["t = 0 (init)", "t = 1", "t = 2"])
        // Three panels: one row.
        #expect(figure.gridShape.rows == 1 && figure.gridShape.columns == 3)
        for panel in layout.panels {
            // One measured line (with its seed band) per op; the dashed expected-slope lines have no band.
            #expect(panel.series.filter(\.hasBand).count == Fixtures.ops.count)
            #expect(panel.xAxis.scale == .log2 && panel.yAxis.scale == .log2)
            #expect(panel.xAxis.tickLabels.contains("2^6") && panel.xAxis.tickLabels.contains("2^9"))
            #expect(panel.xAxis.label == "width (hidden units)")
            #expect(panel.legend == nil)
        }
        // One legend for the whole figure, one entry per op, the flagged op in bold with the steps where it is off.
        #expect(layout.legends.count == 1)
        let legend = try #require(layout.sharedLegend)
        #expect(legend.title == "op (fitted slope at t = 2)")
        #expect(legend.entries.count == Fixtures.ops.count + 1)
        #expect(legend.entries.last?.label == ExpectedSlopeLine.legendLabel && legend.entries.last?.dash == .dashed)
        let readoutEntry = legend.entries.first { $0.label.hasPrefix("readout") }
        #expect(readoutEntry?.isEmphasized == true)
        #expect(readoutEntry?.label.hasSuffix("; grows at t = 1, 2)") == true)
        #expect(legend.entries.filter(\.isEmphasized).count == 1)
        // The legend lies right of every panel.
        #expect(layout.panels.allSatisfy { $0.frame.maxX <= legend.frame.minX })
        // Shared y range: steps compare directly.
        #expect(Set(layout.panels.map(\.yAxis.range)).count == 1)
        #expect(layout.panels[0].yAxis.label == "mean |activation| (l1)")
        #expect(layout.panels[1].yAxis.label == nil)
        #expect(layout.panels[0].series.allSatisfy { !$0.isEmphasized })
        #expect(layout.panels[0].title == "t = 0 (init) · all ok")
        let trained = layout.panels[1].series
        #expect(trained.filter(\.isEmphasized).count == 1)
        #expect(trained.first { $0.isEmphasized }?.label?.hasPrefix("readout") == true)
        // Titles say what was measured and what theory expects, not just "grows".
        let title = try #require(layout.panels[1].title)
        #expect(title.hasPrefix("t = 1 · off: readout measured +0."), "\(title)")
        let expected = try #require(slopes.entry(op: "readout", t: 1, statistic: .l1)?.expected)
        #expect(title.hasSuffix(", expected \(FigureText.figureSigned(expected))"), "\(title)")
        #expect(!title.contains("grows"))
        #expect(figure.title?.hasPrefix("µP MLP 32→w→w→10, Adam lr = 10^-3, 3 seeds") == true)
    }

    @Test("four steps make a 2×2 grid of about 1400×1000 px; five or more ops beyond the colour budget turn grey")
    func gridAndCrowdedFigures() throws {
        let four = Fixtures.table(steps: 3)
        let figure = CoordCheckFigures.byStep(table: four, slopes: SlopeReport(table: four), run: Fixtures.run(four))
        #expect(figure.gridShape.rows == 2 && figure.gridShape.columns == 2)
        #expect((1300...1700).contains(figure.size.width) && (850...1100).contains(figure.size.height))
        let layout = figure.layout()
        #expect(layout.panels.map(\.row) == [0, 0, 1, 1] && layout.panels.map(\.column) == [0, 1, 0, 1])
        #expect(layout.legends.count == 1)
        #expect([1, 2, 3, 4, 5, 6, 9, 10, 16].map(CoordCheckFigures.gridColumns(panelCount:)) == [1, 2, 3, 2, 3, 3, 3, 4, 4])

        // A budget of 2 colours: the flagged readout keeps its colour, the input (`fc_1`) too; the rest are grey
        // and share one legend entry.
        let crowded = CoordCheckFigures.byStep(table: table, slopes: slopes, run: Fixtures.run(table),
                                               options: CoordCheckFigureOptions(maxColoredOps: 2))
        let legend = try #require(crowded.layout().sharedLegend)
        #expect(legend.entries.map { $0.label.components(separatedBy: " (").first! }
                == ["fc_1", "readout", "2 other ops", ExpectedSlopeLine.legendLabel])
        #expect(crowded.panels[0].series.count == Fixtures.ops.count)
        // The caption names the grey ops.
        let caption = CoordCheckFigures.caption(table: table, slopes: slopes, options: CoordCheckFigureOptions(maxColoredOps: 2))
        #expect(caption.contains("Drawn grey, none of them off (their slopes are in the table below and in the heat map): `fc_1.relu`, `fc_2`."))
        #expect(!CoordCheckFigures.caption(table: table, slopes: slopes).contains("grey"))
    }

    @Test("transposed layout: one panel per op (at most 4 columns), one line per t, one shared legend of the steps")
    func byOp() {
        let figure = CoordCheckFigures.byOp(table: table, slopes: slopes, run: Fixtures.run(table))
        let layout = figure.layout()
        #expect(layout.panels.count == Fixtures.ops.count)
        #expect(figure.gridShape.columns <= 4)
        #expect(layout.panels.filter { $0.title?.hasPrefix("readout") == false }.allSatisfy { $0.series.count == 3 })
        #expect(layout.panels.allSatisfy { $0.legend == nil })
        #expect(layout.sharedLegend?.entries.map(\.label) == ["t = 0 (init)", "t = 1", "t = 2"])
        let readout = layout.panels.first { $0.title?.hasPrefix("readout") == true }
        #expect(readout?.series.prefix(3).map(\.isEmphasized) == [false, true, true])
        #expect(readout?.title?.contains("grows at t = 1, 2 · measured −0.") == true, "\(readout?.title ?? "")")
        #expect(readout?.title?.contains(", expected ") == true)
        // Three steps and the dashed expected line of the last step where it is off.
        #expect(readout?.series.count == 4 && readout?.series.last?.hasBand == false)
        let colors = layout.panels[0].series.map(\.color)
        #expect(Set(colors).count == 3)
        // A flat op is not magnified into noise: at least three octaves of y.
        let flat = layout.panels[0].yAxis.range
        #expect(log2(flat.upperBound / flat.lowerBound) >= 2.99)
        #expect(layout.panels[0].yAxis.tickLabels.count >= 3 && layout.panels[0].yAxis.tickLabels.allSatisfy { $0.hasPrefix("2^") })
    }

    @Test("delta_rms skips t = 0, where it is zero by definition")
    func deltaSkipsInit() {
        let figure = CoordCheckFigures.byStep(table: table, slopes: slopes, run: Fixtures.run(table),
                                              options: CoordCheckFigureOptions(statistic: .deltaRMS))
        #expect(figure.panels.count == 2)
    }

    @Test("LR transfer: one panel per parametrization, one curve per width plus the optima, drift in the title")
    func lrTransfer() {
        let trials = Fixtures.trials()
        let report = LRTransferAnalysis.analyze(trials)
        let layout = LRTransferFigure.make(report: report, trials: trials, run: RunDescription(model: "MLP")).layout()
        #expect(layout.panels.count == 2)
        for panel in layout.panels {
            #expect(panel.series.count == 4)
            #expect(panel.series.last?.label == "optimum lr* per width")
            #expect(panel.series.last?.pointCount == 3)
            #expect(panel.xAxis.scale == .log10)
        }
        #expect(layout.panels[0].title?.hasPrefix("SP: lr* ∝ width^-1.0") == true)
        #expect(layout.panels[1].title?.hasPrefix("µP: lr* ∝ width^+0.0") == true || layout.panels[1].title?.hasPrefix("µP: lr* ∝ width^-0.0") == true)
        // The diverged grid point is marked at the edge, not plotted.
        let wide = layout.panels[0].series[2]
        #expect(wide.markedPointCount == 1)
        #expect(layout.panels[0].annotationCount == 1)
        // One legend for both panels (the widths are the same in each).
        #expect(layout.legends.count == 1)
        #expect(layout.sharedLegend?.entries.map(\.label).first == "width 64")
    }

    @Test("alignment traces: six quantities, one line per layer, one shared legend")
    func alignment() {
        var history: [AlignmentHistoryRow] = []
        for step in 0..<10 {
            for layer in ["fc_1", "fc_2", "readout"] {
                history.append(AlignmentHistoryRow(step: step, layer: layer, alpha: 1, omega: 0.5, u: 1, c: 1,
                                                   lr: 1e-3 / Double(step + 1), loss: 2 - 0.1 * Double(step)))
            }
        }
        let layout = AlignmentFigure.make(history: history, run: RunDescription(model: "MLP")).layout()
        #expect(layout.panels.count == 6)
        #expect(layout.panels.allSatisfy { $0.series.count == 3 })
        #expect(layout.sharedLegend?.entries.map(\.label) == ["fc_1", "fc_2", "readout"])
        #expect(layout.panels[4].yAxis.scale == .log10)
    }

    @Test("slope heat map: ops × steps, measured and deviation panels, centred colour scale")
    func heatMap() {
        let figure = SlopeHeatMapFigure.make(slopes: slopes, opOrder: table.opOrder, run: Fixtures.run(table))
        let layout = figure.layout()
        #expect(layout.panels.count == 2)
        #expect(layout.panels[0].heatMap?.rowCount == Fixtures.ops.count)
        #expect(layout.panels[0].heatMap?.columnCount == 3)
        let deviation = figure.panels[1].heatMap!
        #expect(deviation.color(for: 0) == ColorMap.diverging.color(at: 0.5))
        #expect(abs(deviation.values[3][1] - 0.9) < 0.1)
    }

    @Test("figures render to PNG and SVG")
    func renders() throws {
        let figure = CoordCheckFigures.byStep(table: table, slopes: slopes, run: Fixtures.run(table))
        let png = try figure.render(format: .png)
        #expect(png.data.starts(with: [0x89, 0x50, 0x4E, 0x47]))
        let svg = try figure.render(format: .svg)
        #expect(String(decoding: svg.data, as: UTF8.self).contains("<svg"))
    }

    @Test("the expected-slope line passes through the measured middle width with theory's slope, labelled with it")
    func expectedSlopeLine() throws {
        let x = [64.0, 128, 256, 512]
        let line = try #require(ExpectedSlopeLine(x: x, mean: [1, 1, 1, 1], expected: -0.5, color: .black))
        #expect(line.series.x == [64, 512] && line.series.dash == .dashed && line.series.label == nil)
        // Slope on log-log axes: log2(y1/y0) / log2(x1/x0) = -0.5.
        let slope = log2(line.series.y[1] / line.series.y[0]) / log2(512.0 / 64)
        #expect(abs(slope + 0.5) < 1e-12)
        // Through the middle of the axis (the geometric mean of 128 and 256) at the measured value 1.
        let middle = (128.0 * 256).squareRoot()
        #expect(abs(line.series.y[0] * pow(middle / 64, -0.5) - 1) < 1e-12)
        guard case let .text(text, lx, ly, _, _) = line.label else { Issue.record("not a text label"); return }
        #expect(text == "expected \u{2212}0.50" && lx == 512 && abs(ly - line.series.y[1]) < 1e-12)
        // An odd count uses the middle sample itself.
        let odd = try #require(ExpectedSlopeLine(x: [64, 128, 256], mean: [2, 4, 8], expected: 0, color: .black))
        #expect(odd.series.y == [4, 4])
        #expect(ExpectedSlopeLine(x: [64, 128], mean: [.nan, 1], expected: 0, color: .black) == nil)

        // In the figure: one dashed line and one label per flagged op and step, none where all is ok.
        let figure = CoordCheckFigures.byStep(table: table, slopes: slopes, run: Fixtures.run(table))
        #expect(figure.panels.map(\.annotations.count) == [0, 1, 1])
        #expect(figure.panels[1].series.filter { $0.dash == .dashed && !$0.x.isEmpty }.count == 1)
    }

    @Test("crowded figures colour flagged ops, then input, readout, attention logits, one op per block")
    func coloringByRole() {
        let ops = ["tok_emb", "blocks.0.norm", "blocks.0.attn.qk", "blocks.0.mlp.gate", "blocks.0.mlp.up", "blocks.0.mlp.mul",
                   "blocks.0.add", "blocks.1.norm", "blocks.1.attn.qk", "blocks.1.mlp.gate", "blocks.1.add", "readout"]
        let kinds = ["tok_emb": "embedding", "blocks.0.attn.qk": "attention_logits", "blocks.1.attn.qk": "attention_logits",
                     "blocks.0.mlp.gate": "hidden", "blocks.0.mlp.up": "hidden", "blocks.1.mlp.gate": "hidden", "readout": "readout"]
        let kind: (String) -> String = { kinds[$0] ?? "add" }
        #expect(CoordCheckColoring.block(of: "blocks.12.attn.qk") == "blocks.12")
        #expect(CoordCheckColoring.block(of: "fc_2") == nil && CoordCheckColoring.block(of: "layers.3") == nil)
        #expect(CoordCheckColoring.blockRepresentatives(ops) == ["blocks.0.add", "blocks.1.add"])
        let choice = CoordCheckColoring(ops: ops, kind: kind, flagged: ["blocks.0.mlp.mul"], limit: 7)
        #expect(choice.colored == ["tok_emb", "blocks.0.attn.qk", "blocks.0.mlp.mul", "blocks.0.add", "blocks.1.attn.qk",
                                   "blocks.1.add", "readout"])
        #expect(choice.grey == ["blocks.0.norm", "blocks.0.mlp.gate", "blocks.0.mlp.up", "blocks.1.norm", "blocks.1.mlp.gate"])
        // A larger budget reaches the hidden layers next; flagged ops beyond the budget stay coloured.
        #expect(CoordCheckColoring(ops: ops, kind: kind, flagged: [], limit: 10).colored.contains("blocks.1.mlp.gate"))
        let tight = CoordCheckColoring(ops: ops, kind: kind, flagged: ["blocks.0.norm", "blocks.1.norm"], limit: 1)
        #expect(tight.colored == ["blocks.0.norm", "blocks.1.norm"])
        #expect(CoordCheckColoring(ops: ops, kind: kind, flagged: [], limit: 20).grey.isEmpty)
    }
}
