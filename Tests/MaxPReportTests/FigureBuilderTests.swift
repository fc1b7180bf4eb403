import Foundation
import MaxPDiagnostics
import MaxPPlot
import Testing
@testable import MaxPReport

@Suite("Figure builders")
struct FigureBuilderTests {
    let table = Fixtures.table()
    var slopes: SlopeReport { SlopeReport(table: table) }

    @Test("coord check by step: one panel per t, one line per op, slope in the label, bug emphasised")
    func byStep() {
        let figure = CoordCheckFigures.byStep(table: table, slopes: slopes, run: Fixtures.run(table))
        let layout = figure.layout()
        #expect(layout.panels.count == 3)
        #expect(layout.panels.map(\.title) == ["t = 0 (init)", "t = 1", "t = 2"])
        for panel in layout.panels {
            #expect(panel.series.count == Fixtures.ops.count)
            #expect(panel.xAxis.scale == .log2 && panel.yAxis.scale == .log2)
            #expect(panel.xAxis.tickLabels.contains("2^6") && panel.xAxis.tickLabels.contains("2^9"))
            #expect(panel.xAxis.label == "width (hidden units)")
            #expect(panel.series.allSatisfy { $0.hasBand })
        }
        #expect(layout.panels[0].yAxis.label == "mean |activation| (l1)")
        let initLabels = layout.panels[0].series.compactMap(\.label)
        #expect(initLabels.contains("readout (-0.50)") || initLabels.contains("readout (-0.49)") || initLabels.contains("readout (-0.51)"))
        #expect(layout.panels[0].series.allSatisfy { !$0.isEmphasized })
        let trained = layout.panels[1].series
        let readout = trained.first { $0.label?.hasPrefix("readout") == true }
        #expect(readout?.isEmphasized == true)
        #expect(readout?.label?.hasSuffix(", grows)") == true)
        #expect(trained.filter(\.isEmphasized).count == 1)
        #expect(figure.title?.hasPrefix("µP MLP 32→w→w→10, Adam lr = 10^-3, 3 seeds") == true)
    }

    @Test("transposed layout: one panel per op, one line per t, coloured by step")
    func byOp() {
        let figure = CoordCheckFigures.byOp(table: table, slopes: slopes, run: Fixtures.run(table))
        let layout = figure.layout()
        #expect(layout.panels.count == Fixtures.ops.count)
        #expect(layout.panels.allSatisfy { $0.series.count == 3 })
        let readout = layout.panels.first { $0.title == "readout (readout)" }
        #expect(readout?.series.map(\.isEmphasized) == [false, true, true])
        let colors = layout.panels[0].series.map(\.color)
        #expect(Set(colors).count == 3)
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
}
