import Foundation
import MaxPDiagnostics
import MaxPPlot

/// Builds the figures of a comparison of experiments (`maxp-diagnose compare`), one set per group: the training
/// curves of each experiment's best setting (one colour per experiment, mean over seeds with the seeds' range
/// shaded), the final metric against the learning rate (when the learning rate varies), and the per-layer
/// learning rates over training of each best run that recorded them (`history.csv`).
public enum ComparisonFigures {
    /// The colour of experiment `index` (the same in every figure).
    public static func color(experiment index: Int) -> Color { Palette.categorical.color(at: index) }

    /// `maxp: lr 0.05, 2 seeds` — an experiment's best setting as a legend entry.
    public static func bestLabel(_ comparison: Comparison, entry: Comparison.Entry) -> String {
        guard let best = entry.best else { return "\(entry.experiment): every run diverged" }
        var parts: [String] = []
        if let lr = best.settings[Comparison.learningRateKey] { parts.append("lr \(lr)") }
        for key in comparison.settingKeys where key != Comparison.learningRateKey {
            parts.append("\(key)=\(best.settings[key]?.description ?? "(unset)")")
        }
        parts.append("\(best.runs.count) seed\(best.runs.count == 1 ? "" : "s")")
        return "\(entry.experiment): " + parts.joined(separator: ", ")
    }

    /// The metric's axis label: `train_loss` or `train_loss (EMA, weight 0.1)`.
    public static func metricLabel(_ comparison: Comparison) -> String {
        comparison.smoothing.isIdentity ? comparison.metric
            : "\(comparison.metric) (moving average, weight \(FigureText.number(comparison.smoothing.weight)))"
    }

    /// The training curves of every experiment's best setting in `group`.
    public static func curves(_ comparison: Comparison, group: Comparison.Group,
                              size: Size = Size(width: 820, height: 480)) -> Figure {
        var series: [Series] = []
        var missing: [String] = []
        for (index, entry) in group.entries.enumerated() {
            guard let best = entry.best else {
                if case .allDiverged = entry.pick { missing.append("\(entry.experiment): every setting diverged") }
                continue
            }
            let band = best.runs.count >= 2 ? Band(lower: best.lowerCurve, upper: best.upperCurve, opacity: 0.18) : nil
            series.append(Series(x: best.steps, y: best.meanCurve, label: bestLabel(comparison, entry: entry),
                                 color: color(experiment: index), lineWidth: 2,
                                 marker: best.steps.count > 30 ? MarkerShape.none : .circle, markerSize: 4, band: band))
        }
        let annotations = missing.map { Annotation.note($0, corner: .topRight) }
        let panel = Panel(title: comparison.label(of: group), xAxis: Axis(label: "training step"),
                          yAxis: Axis(label: metricLabel(comparison)), series: series, annotations: annotations,
                          legend: Legend(placement: .outsideRight, title: "best setting per experiment"))
        return Figure(title: "\(comparison.metric) of the best run per experiment", panels: [panel],
                      size: Size(width: size.width + 320, height: size.height), theme: .darkGrid)
    }

    /// Whether the learning rate varies in `group` (then ``sweep(_:group:size:)`` has something to show).
    public static func learningRateVaries(_ comparison: Comparison, group: Comparison.Group) -> Bool {
        group.entries.contains { entry in
            Set(entry.candidates.compactMap { $0.settings[Comparison.learningRateKey] }).count > 1
        }
    }

    /// The final metric (mean over seeds) against the learning rate, one curve per experiment (a log y axis when
    /// every value is positive); the best setting of each experiment is marked by a diamond, diverged learning
    /// rates are listed in a note. With other keys varying too, each
    /// learning rate shows its best candidate.
    public static func sweep(_ comparison: Comparison, group: Comparison.Group,
                             size: Size = Size(width: 820, height: 480)) -> Figure {
        var series: [Series] = []
        var diverged: [String] = []
        for (index, entry) in group.entries.enumerated() {
            let points = lrPoints(entry)
            guard !points.isEmpty else { continue }
            let color = color(experiment: index)
            series.append(Series(x: points.map(\.lr), y: points.map { $0.value ?? .nan }, label: entry.experiment,
                                 color: color, lineWidth: 2, marker: .circle, markerSize: 6))
            if let best = entry.best, let lr = best.settings[Comparison.learningRateKey]?.number, let value = best.meanFinal {
                series.append(Series(x: [lr], y: [value], label: nil, color: color, lineWidth: 0, marker: .diamond,
                                     markerSize: 13))
            }
            let lost = points.filter { $0.value == nil }.map { FigureText.number($0.lr) }
            if !lost.isEmpty { diverged.append("\(entry.experiment) at lr \(lost.joined(separator: ", "))") }
        }
        // A log axis keeps the blow-ups at large learning rates from flattening the optimum (losses are positive).
        let positive = series.allSatisfy { $0.y.allSatisfy { !$0.isFinite || $0 > 0 } }
        var annotations: [Annotation] = []
        if !diverged.isEmpty { annotations.append(.note("diverged: " + diverged.joined(separator: "; "), corner: .topLeft)) }
        let panel = Panel(title: comparison.label(of: group),
                          xAxis: Axis(scale: .log10, label: "\(Comparison.learningRateKey) (log scale)"),
                          yAxis: Axis(scale: positive ? .log10 : .linear, label: "final \(comparison.metric), mean over seeds\(positive ? " (log scale)" : "")"),
                          series: series,
                          annotations: annotations, legend: Legend(placement: .outsideRight, title: "experiment"))
        return Figure(title: "final \(comparison.metric) against the learning rate (diamond: each experiment's pick)",
                      panels: [panel], size: Size(width: size.width + 220, height: size.height), theme: .darkGrid)
    }

    /// Per learning rate (ascending) the lowest mean final metric among the entry's candidates, nil when every
    /// candidate at that rate diverged.
    static func lrPoints(_ entry: Comparison.Entry) -> [(lr: Double, value: Double?)] {
        var byRate: [Double: [Double?]] = [:]
        for candidate in entry.candidates {
            guard let lr = candidate.settings[Comparison.learningRateKey]?.number, lr > 0 else { continue }
            byRate[lr, default: []].append(candidate.meanFinal)
        }
        return byRate.keys.sorted().map { lr in (lr, byRate[lr]!.compactMap { $0 }.min()) }
    }

    /// The per-layer learning rates over training of each experiment's best run (its first seed) that recorded a
    /// history: one panel per experiment, one line per layer; nil when no best run has one.
    public static func learningRateTraces(_ comparison: Comparison, group: Comparison.Group,
                                          histories: [String: [AlignmentHistoryRow]],
                                          panelSize: Size = Size(width: 440, height: 340)) -> Figure? {
        var panels: [Panel] = []
        for entry in group.entries {
            guard let best = entry.best, let run = best.runs.first, let history = histories[run.folder.path],
                  !history.isEmpty else { continue }
            var layers: [String] = []
            for row in history where !layers.contains(row.layer) { layers.append(row.layer) }
            let series = layers.enumerated().map { index, layer -> Series in
                let rows = history.filter { $0.layer == layer && $0.lr.isFinite && $0.lr > 0 }.sorted { $0.step < $1.step }
                return Series(x: rows.map { Double($0.step) }, y: rows.map(\.lr), label: layer,
                              color: Palette.categorical.color(at: index), lineWidth: 1.8,
                              marker: rows.count > 30 ? MarkerShape.none : .circle, markerSize: 4)
            }
            let lr = best.settings[Comparison.learningRateKey].map { ": lr \($0)" } ?? ""
            let seed = run.config[Comparison.seedKey].map { ", seed \($0)" } ?? ""
            panels.append(Panel(title: "\(entry.experiment)\(lr)\(seed)", xAxis: Axis(label: "training step"),
                                yAxis: Axis(scale: .log10, label: panels.isEmpty ? "learning rate (log scale)" : nil),
                                series: series, legend: Legend(placement: .hidden)))
        }
        guard !panels.isEmpty else { return nil }
        return Figure(title: "\(comparison.label(of: group)): per-layer learning rates of the best runs over training",
                      panels: panels, columns: panels.count,
                      size: Size(width: panelSize.width * Double(panels.count) + 200, height: panelSize.height + 60),
                      theme: .whiteGrid, legendMode: .shared(title: "layer"), sharesYRange: true)
    }
}
