import Foundation
import MaxPPlot

/// Builds the dynamic-alignment trace figure from a ``AlignmentHistoryRow`` history: one panel each for α, ω, u,
/// the learning-rate exponent c, the learning rate and the training loss, over training steps, one line per layer
/// (one shared legend).
public enum AlignmentFigure {
    /// The quantities drawn, in panel order: title, y label, value, y scale.
    static let quantities: [(title: String, label: String, value: @Sendable (AlignmentHistoryRow) -> Double, scale: Scale)] = [
        ("α: alignment of ΔW·z₀", "α (exponent)", { $0.alpha }, .linear),
        ("ω: alignment of W₀·Δz", "ω (exponent)", { $0.omega }, .linear),
        ("u: alignment of ΔW·Δz", "u (exponent)", { $0.u }, .linear),
        ("c: learning-rate exponent (lr ∝ width^-c)", "c (exponent)", { $0.c }, .linear),
        ("learning rate", "learning rate (log scale)", { $0.lr }, .log10),
        ("training loss", "loss", { $0.loss }, .linear),
    ]

    /// The figure; `run` supplies the title's model/parametrization/optimizer.
    public static func make(history: [AlignmentHistoryRow], run: RunDescription,
                            panelSize: Size = Size(width: 480, height: 360)) -> Figure {
        var layers: [String] = []
        for row in history where !layers.contains(row.layer) { layers.append(row.layer) }
        let panels = quantities.map { quantity -> Panel in
            let series = layers.enumerated().map { index, layer -> Series in
                let rows = history.filter { $0.layer == layer }.sorted { $0.step < $1.step }
                return Series(x: rows.map { Double($0.step) }, y: rows.map(quantity.value), label: layer,
                              color: Palette.categorical.color(at: index), lineWidth: 1.8,
                              marker: rows.count > 30 ? MarkerShape.none : .circle, markerSize: 5)
            }
            return Panel(title: quantity.title, xAxis: Axis(label: "training step"),
                         yAxis: Axis(scale: quantity.scale, label: quantity.label), series: series,
                         legend: Legend(placement: .hidden))
        }
        let head = run.headline
        let what = "alignment exponents and learning rates per layer over training"
        return Figure(title: head.isEmpty ? what : "\(head): \(what)", panels: panels, columns: 3,
                      size: Size(width: panelSize.width * 3 + 200, height: panelSize.height * 2 + 60),
                      theme: .whiteGrid, legendMode: .shared(title: "layer"))
    }
}
