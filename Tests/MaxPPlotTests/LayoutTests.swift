import Foundation
import Testing
@testable import MaxPPlot

/// Records every primitive so tests can check what reached the canvas (measures text with a fixed-width model).
final class RecordingCanvas: Canvas {
    var strokes: [(Path, StrokeStyle)] = []
    var fills: [(Path, Color)] = []
    var texts: [String] = []
    var clipDepth = 0
    func saveState() { clipDepth += 1 }
    func restoreState() { clipDepth -= 1 }
    func clip(to rect: Rect) {}
    func fill(_ path: Path, color: Color) { fills.append((path, color)) }
    func stroke(_ path: Path, style: StrokeStyle) { strokes.append((path, style)) }
    func showText(_ text: String, at origin: Point, font: Font, color: Color, angle: Double) { texts.append(text) }
    func metrics(of text: String, font: Font) -> TextMetrics {
        TextMetrics(width: Double(text.count) * font.size * 0.6, ascent: font.size * 0.93, descent: font.size * 0.24)
    }
}

@Suite("Layout")
struct LayoutTests {
    @Test("a 2×2 coord-check figure reports panels, axis labels, tick labels and series")
    func coordCheckLayout() {
        let figure = DemoFigures.coordCheck()
        let layout = figure.layout()
        #expect(layout.panels.count == 4)
        #expect(layout.panels.map(\.row) == [0, 0, 1, 1])
        #expect(layout.panels.map(\.column) == [0, 1, 0, 1])
        #expect(layout.panels.map(\.title) == ["t = 1", "t = 2", "t = 3", "t = 4"])
        #expect(layout.title?.hasPrefix("μP MLP") == true)
        for panel in layout.panels {
            #expect(panel.xAxis.label == "width")
            #expect(panel.yAxis.label == "RMS of activations")
            #expect(panel.xAxis.tickLabels == ["2^6", "2^7", "2^8", "2^9", "2^10", "2^11"])
            #expect(panel.yAxis.tickLabels.allSatisfy { $0.hasPrefix("2^") })
            #expect(panel.series.count == 4)
            #expect(panel.series.map(\.label) == ["embedding", "blocks.0.attn", "blocks.0.mlp", "readout"])
            #expect(panel.frame.contains(panel.plotArea))
            #expect(Rect(x: 0, y: 0, width: 1100, height: 760).contains(panel.frame))
            #expect(panel.legend == nil)  // shared legend instead
        }
        // Panels do not overlap, and plot areas line up across rows and columns.
        let areas = layout.panels.map(\.plotArea)
        for i in areas.indices { for j in areas.indices where j > i { #expect(!areas[i].intersects(areas[j])) } }
        #expect(areas[0].minY == areas[1].minY && areas[0].minX == areas[2].minX)
        // Shared y range (as mup): identical tick labels everywhere.
        #expect(Set(layout.panels.map(\.yAxis.tickLabels)).count == 1)
        let legend = try! #require(layout.sharedLegend)
        #expect(legend.entries.map(\.label) == ["embedding", "blocks.0.attn", "blocks.0.mlp", "readout"])
        #expect(legend.entries.map(\.isEmphasized) == [false, false, true, true])
        #expect(!areas.contains { $0.intersects(legend.frame) })
        #expect(legend.frame.maxX <= 1100)
    }

    @Test("zeros, negatives and NaN on a log axis are counted as marked and never reach the line path")
    func unplottablePoints() {
        let series = Series(x: [1, 2, 4, 8, 16, 32], y: [1, 0, .nan, 4, -1, 8])
        let linear = Series(x: [1, 2, 3], y: [1, .infinity, 3], color: Color(hex: 0x55A868))
        let figure = Figure(panels: [
            Panel(xAxis: Axis(scale: .log2), yAxis: Axis(scale: .log10), series: [series]),
            Panel(series: [linear]),
        ], size: Size(width: 800, height: 300))
        let canvas = RecordingCanvas()
        let layout = figure.draw(on: canvas)
        #expect(layout.panels[0].series[0].plottedPointCount == 3)
        #expect(layout.panels[0].series[0].markedPointCount == 3)
        #expect(layout.panels[1].series[0].markedPointCount == 1)
        // The y range comes from the valid values only: 1…8 padded, so the whole axis is positive.
        #expect(layout.panels[0].yAxis.range.lowerBound > 0.5 && layout.panels[0].yAxis.range.upperBound < 16)
        // Nothing non-finite was drawn, and the series line joins the three valid points.
        for (path, _) in canvas.strokes { #expect(path.coordinates.allSatisfy { $0.isFinite }) }
        for (path, _) in canvas.fills { #expect(path.coordinates.allSatisfy { $0.isFinite }) }
        let seriesColor = layout.panels[0].series[0].color
        let lines = canvas.strokes.filter { $0.1.color == seriesColor && $0.1.width == 2 }
        #expect(lines.count == 1)
        #expect(lines.first?.0.elements.count == 3)
        // Edge marks: hollow triangles stroked in the series colour, one per unplottable point.
        let marks = canvas.strokes.filter { $0.1.color == seriesColor && $0.1.width == 1.5 }
        #expect(marks.count == 3)
        for (path, _) in marks {
            let ys = stride(from: 1, to: path.coordinates.count, by: 2).map { path.coordinates[$0] }
            #expect(ys.contains { abs($0 - layout.panels[0].plotArea.maxY) < 1e-9 })  // touches the bottom edge
        }
        #expect(canvas.clipDepth == 0)
    }

    @Test("a heat map reports its labels and a colour bar centred on 0")
    func heatMapLayout() {
        let heat = HeatMap(values: [[1, -0.5], [0.25, 0], [-1, 0.5]], rowLabels: ["a", "b", "c"],
                           columnLabels: ["t=1", "t=2"], colorBarLabel: "slope")
        let layout = Figure(panels: [Panel(title: "slopes", heatMap: heat, xLabel: "step", yLabel: "op")],
                            size: Size(width: 500, height: 400)).layout()
        let panel = layout.panels[0]
        let map = try! #require(panel.heatMap)
        #expect(map.rowCount == 3 && map.columnCount == 2)
        #expect(panel.xAxis.tickLabels == ["t=1", "t=2"])
        #expect(panel.yAxis.tickLabels == ["a", "b", "c"])
        #expect(panel.xAxis.label == "step" && panel.yAxis.label == "op")
        #expect(map.limit == 1)
        #expect(map.colorBarTicks.contains { $0.value == 0 })
        let zero = try! #require(map.colorBarTicks.first { $0.value == 0 })
        #expect(abs(zero.pixel - map.colorBarFrame.center.y) < 1e-9)
        #expect(!map.colorBarFrame.intersects(map.cellsFrame))
        #expect(panel.frame.contains(map.colorBarFrame))
    }
}

@Suite("Legend placement")
struct LegendPlacementTests {
    static func panel(_ series: [Series], legend: Legend = Legend()) -> Figure {
        Figure(panels: [Panel(series: series, legend: legend)], size: Size(width: 640, height: 420))
    }

    @Test("the legend takes a free corner and covers no data")
    func freeCorner() throws {
        // Data rises from bottom-left to top-right: top-left and bottom-right are free; top-right is not.
        let xs = (0...20).map(Double.init)
        let figure = Self.panel([
            Series(x: xs, y: xs, label: "rising"),
            Series(x: xs, y: xs.map { $0 * 0.9 + 1 }, label: "rising too"),
        ])
        let layout = figure.layout()
        let legend = try #require(layout.panels[0].legend)
        #expect(legend.placement == .inside(.topLeft))
        #expect(legend.coveredPointCount == 0)
        #expect(layout.panels[0].plotArea.contains(legend.frame))
        for x in xs {
            let p = try #require(layout.panels[0].point(x: x, y: x))
            #expect(!legend.frame.contains(p))
        }
    }

    @Test("a line that crosses a corner box counts as covered even between markers")
    func segmentsCount() throws {
        // Two points only: the line passes through the top-left corner region but no marker lies there.
        let figure = Self.panel([
            Series(x: [0, 10], y: [10, 10], label: "flat top"),
            Series(x: [0, 10], y: [0, 0], label: "flat bottom"),
        ])
        let legend = try #require(figure.layout().panels[0].legend)
        #expect(legend.placement == .outsideRight)
    }

    @Test("when every corner has data the legend goes outside to the right of the plot")
    func outside() throws {
        let xs = (0...40).map(Double.init)
        let figure = Self.panel([
            Series(x: xs, y: xs.map { sin($0 / 2) }, label: "wave"),
            Series(x: xs, y: xs.map { cos($0 / 2) }, label: "other wave"),
        ])
        let panel = figure.layout().panels[0]
        let legend = try #require(panel.legend)
        #expect(legend.placement == .outsideRight)
        #expect(legend.frame.minX >= panel.plotArea.maxX)
        #expect(panel.frame.contains(legend.frame))
        #expect(legend.coveredPointCount == 0)
    }

    @Test("a forced corner is honoured and reports what it covers; hidden legends are absent")
    func forced() throws {
        let xs = (0...20).map(Double.init)
        let series = [Series(x: xs, y: xs, label: "rising")]
        let forced = try #require(Self.panel(series, legend: Legend(placement: .inside(.topRight))).layout().panels[0].legend)
        #expect(forced.placement == .inside(.topRight))
        #expect(forced.coveredPointCount > 0)
        #expect(Self.panel(series, legend: Legend(placement: .hidden)).layout().panels[0].legend == nil)
        #expect(Self.panel([Series(x: xs, y: xs)]).layout().panels[0].legend == nil)  // no labels, no legend
    }

    @Test("first-panel-only mode draws one legend")
    func firstPanelOnly() {
        let xs = (0...10).map(Double.init)
        let panels = (0..<3).map { _ in Panel(series: [Series(x: xs, y: xs, label: "a")]) }
        let layout = Figure(panels: panels, legendMode: .firstPanelOnly).layout()
        #expect(layout.panels.map { $0.legend != nil } == [true, false, false])
        #expect(layout.legends.count == 1)
    }
}
