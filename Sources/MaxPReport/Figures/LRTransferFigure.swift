import Foundation
import MaxPDiagnostics
import MaxPPlot

/// Builds the learning-rate transfer figure: final training loss against the learning rate (log axis), one curve
/// per width coloured from light (narrow) to dark (wide), the optimum lr* of every width marked and joined by a
/// dashed black line, the drift exponent of lr* in the panel title, and diverged runs marked at the panel edge.
/// One panel per parametrization, so SP and µP sit side by side.
public enum LRTransferFigure {
    /// The figure for `report` (per-width mean losses and optima). `trials` (optional) adds a band spanning the
    /// seeds' final losses and the count of diverged runs.
    public static func make(report: LRTransferReport, trials: [LRTrial] = [], run: RunDescription,
                            panelSize: Size = Size(width: 640, height: 460)) -> Figure {
        let labels = report.parametrizations.isEmpty ? [report.primary.parametrization] : report.parametrizations
        var panels: [Panel] = []
        for (index, label) in labels.enumerated() {
            let summary = report.byParametrization[label] ?? report.primary
            panels.append(panel(summary, trials: trials.filter { $0.parametrization == label },
                                showsYLabel: index == 0))
        }
        var headline = run
        headline.parametrization = labels.count == 1 ? labels.first : nil
        headline.learningRate = nil
        let head = headline.headline
        let what = "final training loss vs learning rate, one curve per width"
        return Figure(title: head.isEmpty ? what : "\(head): \(what)", panels: panels, columns: panels.count,
                      size: Size(width: panelSize.width * Double(panels.count) + (panels.count > 1 ? 200 : 0),
                                 height: panelSize.height + 60),
                      theme: .darkGrid, legendMode: panels.count > 1 ? .shared(title: "width") : .perPanel)
    }

    /// The panel title: `µP: lr* ∝ width^-0.02 (95% CI −0.10 … +0.06)`.
    public static func panelTitle(_ summary: LRTransferSummary) -> String {
        let name = FigureText.parametrizationName(summary.parametrization)
        guard let drift = summary.driftExponent else { return "\(name): drift of lr* not available" }
        var text = "\(name): lr* ∝ width^\(FigureText.signed(drift))"
        if let ci = summary.driftCI95 {
            text += " (95% CI \(FigureText.signed(ci.lower)) … \(FigureText.signed(ci.upper)))"
        }
        return text
    }

    static func panel(_ summary: LRTransferSummary, trials: [LRTrial], showsYLabel: Bool) -> Panel {
        let palette = Palette.sampled(from: .sequential, count: max(2, summary.widths.count))
        var series: [Series] = []
        var optimumX: [Double] = [], optimumY: [Double] = []
        for (index, width) in summary.widths.enumerated() {
            let key = String(width)
            let losses = (summary.meanLoss[key] ?? []).map { $0 ?? .nan }
            guard losses.count == summary.lrs.count else { continue }
            var band: Band?
            let runs = trials.filter { $0.width == width }
            if Set(runs.map(\.seed)).count >= 2 {
                let spread = summary.lrs.map { lr -> (Double, Double) in
                    let values = runs.filter { $0.lr == lr && $0.isUsable }.compactMap(\.finalLoss)
                    return (values.min() ?? .nan, values.max() ?? .nan)
                }
                band = Band(lower: spread.map(\.0), upper: spread.map(\.1), opacity: 0.15)
            }
            let color = palette.color(at: summary.widths.count == 1 ? 1 : index)
            series.append(Series(x: summary.lrs, y: losses, label: "width \(width)", color: color, marker: .circle,
                                 markerSize: 6, band: band))
            if let optimum = summary.optimum[key] {
                optimumX.append(optimum)
                optimumY.append(lossAt(optimum, lrs: summary.lrs, losses: losses))
            }
        }
        if !optimumX.isEmpty {
            series.append(Series(x: optimumX, y: optimumY, label: "optimum lr* per width", color: .black,
                                 lineWidth: 1.5, dash: .dashed, marker: .diamond, markerSize: 11))
        }
        let diverged = trials.filter { !$0.isUsable }.count
        let divergedGrid = summary.meanLoss.values.reduce(0) { $0 + $1.filter { $0 == nil }.count }
        var annotations: [Annotation] = []
        if diverged > 0 || divergedGrid > 0 {
            let count = diverged > 0 ? "\(diverged) run\(diverged == 1 ? "" : "s")" : "\(divergedGrid) grid point\(divergedGrid == 1 ? "" : "s")"
            annotations.append(.note("diverged: \(count) (hollow marks at the edge)", corner: .topLeft))
        }
        return Panel(title: panelTitle(summary), xAxis: Axis(scale: .log10, label: "learning rate (log scale)"),
                     yAxis: Axis(scale: .linear, label: showsYLabel ? "final training loss (mean over seeds)" : nil),
                     series: series, annotations: annotations, legend: Legend(title: "width"))
    }

    /// The mean loss at `lr`, interpolated linearly in log2(lr) between grid points (NaN outside or at a divergence).
    static func lossAt(_ lr: Double, lrs: [Double], losses: [Double]) -> Double {
        let x = log2(lr)
        for index in lrs.indices.dropLast() {
            let x0 = log2(lrs[index]), x1 = log2(lrs[index + 1])
            if x >= x0 - 1e-12, x <= x1 + 1e-12 {
                let y0 = losses[index], y1 = losses[index + 1]
                if !y0.isFinite { return y1 }
                if !y1.isFinite { return y0 }
                return x1 > x0 ? y0 + (y1 - y0) * (x - x0) / (x1 - x0) : y0
            }
        }
        if let index = lrs.firstIndex(where: { abs(log2($0) - x) < 1e-9 }) { return losses[index] }
        return .nan
    }
}
