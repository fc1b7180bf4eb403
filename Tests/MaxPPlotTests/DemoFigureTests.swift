import Foundation
import Testing
@testable import MaxPPlot

/// Builds mup-like coord-check figures used by the demo and the rendering tests.
enum DemoFigures {
    static let widths: [Double] = [64, 128, 256, 512, 1024, 2048]

    /// A 2×2 log-log coord-check figure: four layers, one panel per step, bands across seeds, one blowing-up
    /// layer emphasised, one zero value (unplottable on log y).
    static func coordCheck() -> Figure {
        let layers: [(name: String, base: Double, slope: Double)] = [
            ("embedding", 0.9, 0), ("blocks.0.attn", 1.6, 0), ("blocks.0.mlp", 2.4, 0.02), ("readout", 0.25, -0.5),
        ]
        var panels: [Panel] = []
        for t in 1...4 {
            var series: [Series] = []
            for (index, layer) in layers.enumerated() {
                let slope = layer.name == "blocks.0.mlp" ? 0.5 * Double(t - 1) / 3 : layer.slope
                let y = widths.enumerated().map { k, w in
                    layer.base * Double(t).squareRoot() * pow(w / 64, slope) * (1 + 0.04 * sin(Double(k + index)))
                }
                var values = y
                if t == 1 && layer.name == "readout" { values[0] = 0 }
                let band = Band(lower: y.map { $0 * 0.85 }, upper: y.map { $0 * 1.15 })
                series.append(Series(x: widths, y: values, label: layer.name,
                                     band: band, isEmphasized: layer.name == "readout" || (t > 1 && layer.name == "blocks.0.mlp")))
            }
            panels.append(Panel(title: "t = \(t)",  xAxis: Axis(scale: .log2, label: "width"),
                                yAxis: Axis(scale: .log2, label: "RMS of activations"), series: series))
        }
        return Figure(title: "μP MLP, Adam lr = 10^-3, 3 seeds: activation size vs width", panels: panels, columns: 2,
                      size: Size(width: 1100, height: 760), legendMode: .shared(title: "layer"), sharesYRange: true)
    }
}

extension DemoFigures {
    /// LR-transfer-like panel (U-shaped loss curves per width, optimum marks, a diverged point) beside a heat map.
    static func transferAndHeatMap() -> Figure {
        let lrs = (-14 ... -4).map { pow(2, Double($0)) }
        var series: [Series] = []
        var annotations: [Annotation] = []
        let palette = Palette.sampled(from: .sequential, count: 4)
        for (i, width) in [128.0, 256, 512, 1024].enumerated() {
            let optimum = -9.0 - 0.15 * Double(i)
            let loss = lrs.map { lr -> Double in
                let d = log2(lr) - optimum
                return 1.2 - 0.08 * Double(i) + 0.03 * d * d
            }
            var values = loss
            if i == 3 { values[values.count - 1] = .nan }
            series.append(Series(x: lrs, y: values, label: "width \(Int(width))", color: palette.color(at: i)))
            annotations.append(.verticalLine(x: pow(2, optimum), color: palette.color(at: i).withAlpha(0.8)))
        }
        annotations.append(.note("drift exponent −0.15 ± 0.04", corner: .topLeft))
        let transfer = Panel(title: "LR transfer", xAxis: Axis(scale: .log2, label: "learning rate"),
                             yAxis: Axis(label: "final loss"), series: series, annotations: annotations,
                             legend: Legend(title: "width"))
        let heat = HeatMap(values: [[0.02, -0.01, 0.0], [0.48, 0.51, 0.55], [-0.5, -0.46, -0.52], [0.01, .nan, 0.03]],
                           rowLabels: ["embedding", "attn.qk", "mlp.out", "readout"], columnLabels: ["t=1", "t=2", "t=3"],
                           colorBarLabel: "slope − expected")
        return Figure(title: "Transfer and slope deviations", panels: [transfer, Panel(title: "slope deviation", heatMap: heat,
                      xLabel: "step", yLabel: "op")], size: Size(width: 1100, height: 440))
    }
}

extension DemoFigures {
    /// mup's layout: one row of panels per step, legend on the first panel only; plus a transposed panel with
    /// lines coloured by step on a coolwarm map.
    static func mupStyle() -> Figure {
        let layers: [(String, Double, Double)] = [("fc_1", 0.7, 0), ("fc_2", 0.45, 0.01), ("fc_3", 0.35, 0), ("readout", 0.15, -0.5)]
        var panels: [Panel] = (1...3).map { t in
            Panel(title: "t=\(t)", xAxis: Axis(scale: .log2, label: "width"), yAxis: Axis(scale: .log2, label: t == 1 ? "l1" : nil),
                  series: layers.map { name, base, slope in
                      let y = widths.map { base * Double(t) * pow($0 / 64, slope) }
                      return Series(x: widths, y: y, label: name, band: Band(lower: y.map { $0 * 0.9 }, upper: y.map { $0 * 1.1 }))
                  }, legend: Legend(title: "module"))
        }
        let steps = Palette.sampled(from: .coolwarm, count: 5)
        panels.append(Panel(title: "readout over steps", xAxis: Axis(scale: .log2, label: "width"), yAxis: Axis(scale: .log10),
                            series: (1...5).map { t in
                                Series(x: widths, y: widths.map { 0.1 * Double(t) * pow($0 / 64, -0.5 + 0.05 * Double(t)) },
                                       label: "t=\(t)", color: steps.color(at: t - 1), marker: .circle)
                            }, legend: Legend(title: "step")))
        return Figure(title: "μP MLP Adam lr=0.01 nseeds=3", panels: panels, size: Size(width: 1500, height: 400),
                      legendMode: .perPanel)
    }
}

@Suite("Demo figure")
struct DemoFigureTests {
    @Test("writes /tmp/maxpplot-demo.png and .svg")
    func writesDemo() throws {
        let figure = DemoFigures.coordCheck()
        let layout = try figure.write(to: URL(fileURLWithPath: "/tmp/maxpplot-demo.png"))
        try figure.write(to: URL(fileURLWithPath: "/tmp/maxpplot-demo.svg"))
        #expect(layout.panels.count == 4)
        try DemoFigures.mupStyle().write(to: URL(fileURLWithPath: "/tmp/maxpplot-demo3.png"))
        try DemoFigures.transferAndHeatMap().write(to: URL(fileURLWithPath: "/tmp/maxpplot-demo2.png"))
        #expect(FileManager.default.fileExists(atPath: "/tmp/maxpplot-demo.png"))
    }
}
