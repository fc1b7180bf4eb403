import Foundation
import MaxPDiagnostics
import MaxPPlot

/// Choices for the coord-check figures.
public struct CoordCheckFigureOptions: Sendable {
    /// The statistic on the y axis.
    public var statistic: CoordStatistic
    /// The ops to draw, in this order; nil draws every op of the table in graph order.
    public var ops: [String]?
    /// The steps to draw; nil draws every step of the table (t = 0 is skipped for `delta_rms`, which is 0 there).
    public var steps: [Int]?
    /// Whether every panel uses the same y range (mup's behaviour; off by default because it hides small drifts).
    public var sharesYRange: Bool
    /// Panels per row; nil chooses up to 4.
    public var columns: Int?
    /// Size of one panel in pixels.
    public var panelSize: Size

    /// Creates options (defaults: l1, every op and step, independent y ranges, 560×420 px panels).
    public init(statistic: CoordStatistic = .l1, ops: [String]? = nil, steps: [Int]? = nil, sharesYRange: Bool = false,
                columns: Int? = nil, panelSize: Size = Size(width: 560, height: 420)) {
        self.statistic = statistic; self.ops = ops; self.steps = steps; self.sharesYRange = sharesYRange
        self.columns = columns; self.panelSize = panelSize
    }
}

/// Builds coordinate-check figures from a ``CoordTable`` and its ``SlopeReport``: the statistic against the swept
/// axis on log2–log2 axes, lines = mean over seeds, bands = 95 % interval of that mean, legend labels carrying the
/// fitted slope (`fc_2 (+0.02)`), and ops whose verdict is `grows` or `shrinks` drawn emphasised.
public enum CoordCheckFigures {
    /// One panel per step t (as `mup`), one line per op.
    public static func byStep(table: CoordTable, slopes: SlopeReport?, run: RunDescription,
                              options: CoordCheckFigureOptions = CoordCheckFigureOptions()) -> Figure {
        let ops = selectedOps(table, options)
        let steps = selectedSteps(table, options)
        let colors = opColors(ops)
        let columns = max(1, min(options.columns ?? 4, steps.count))
        var panels: [Panel] = []
        for (index, t) in steps.enumerated() {
            var series: [Series] = []
            for op in ops {
                let aggregate = aggregateCurve(table, op: op, t: t, statistic: options.statistic)
                guard !aggregate.x.isEmpty else { continue }
                let entry = slopes?.entry(op: op, t: t, statistic: options.statistic)
                series.append(curve(aggregate, label: legendLabel(op, entry), color: colors[op]!, entry: entry))
            }
            panels.append(Panel(title: stepTitle(t), xAxis: Axis(scale: .log2, label: FigureText.axisLabel(table.metadata.axis)),
                                yAxis: Axis(scale: .log2, label: index % columns == 0 ? FigureText.statisticLabel(options.statistic) : nil),
                                series: series, legend: Legend(title: "op (fitted slope)")))
        }
        let title = titled(run, "\(FigureText.statisticTitle(options.statistic)) vs \(table.metadata.axis.rawValue), one panel per step t")
        return figure(title: title, panels: panels, columns: columns, options: options, parametrization: run.parametrization)
    }

    /// The transposed layout: one panel per op, one line per step t coloured from blue (early) to red (late).
    public static func byOp(table: CoordTable, slopes: SlopeReport?, run: RunDescription,
                            options: CoordCheckFigureOptions = CoordCheckFigureOptions()) -> Figure {
        let ops = selectedOps(table, options)
        let steps = selectedSteps(table, options)
        let palette = Palette.sampled(from: .coolwarm, count: steps.count)
        let columns = max(1, min(options.columns ?? 4, ops.count))
        var panels: [Panel] = []
        for (index, op) in ops.enumerated() {
            var series: [Series] = []
            for (stepIndex, t) in steps.enumerated() {
                let aggregate = aggregateCurve(table, op: op, t: t, statistic: options.statistic)
                guard !aggregate.x.isEmpty else { continue }
                let entry = slopes?.entry(op: op, t: t, statistic: options.statistic)
                series.append(curve(aggregate, label: legendLabel("t = \(t)", entry), color: palette.color(at: stepIndex),
                                    entry: entry))
            }
            let kind = table.kind(of: op)
            panels.append(Panel(title: kind.isEmpty ? op : "\(op) (\(kind))",
                                xAxis: Axis(scale: .log2, label: FigureText.axisLabel(table.metadata.axis)),
                                yAxis: Axis(scale: .log2, label: index % columns == 0 ? FigureText.statisticLabel(options.statistic) : nil),
                                series: series, legend: Legend(title: "step (fitted slope)")))
        }
        let title = titled(run, "\(FigureText.statisticTitle(options.statistic)) vs \(table.metadata.axis.rawValue), one panel per op")
        return figure(title: title, panels: panels, columns: columns, options: options, parametrization: run.parametrization)
    }

    /// The legend label `name (+0.02)`, with the verdict added when it is not `ok` (`name (+0.95, grows)`).
    public static func legendLabel(_ name: String, _ entry: SlopeReport.Entry?) -> String {
        guard let entry else { return name }
        guard let slope = entry.slope else { return "\(name) (\(entry.verdict.rawValue))" }
        let verdict = entry.verdict == .ok ? "" : ", \(entry.verdict.rawValue)"
        return "\(name) (\(FigureText.signed(slope))\(verdict))"
    }

    /// Whether an entry is drawn emphasised: its verdict flags a deviation (`grows` or `shrinks`).
    public static func isEmphasized(_ entry: SlopeReport.Entry?) -> Bool { entry?.verdict.isDeviation ?? false }

    // MARK: - Pieces

    static func selectedOps(_ table: CoordTable, _ options: CoordCheckFigureOptions) -> [String] {
        let present = Set(table.rows.map(\.op))
        return (options.ops ?? table.opOrder).filter(present.contains)
    }

    static func selectedSteps(_ table: CoordTable, _ options: CoordCheckFigureOptions) -> [Int] {
        let steps = options.steps.map { Set($0) }.map { wanted in table.steps.filter(wanted.contains) } ?? table.steps
        return options.statistic == .deltaRMS ? steps.filter { $0 > 0 } : steps
    }

    static func opColors(_ ops: [String]) -> [String: Color] {
        Dictionary(uniqueKeysWithValues: ops.enumerated().map { ($1, Palette.categorical.color(at: $0)) })
    }

    static func aggregateCurve(_ table: CoordTable, op: String, t: Int, statistic: CoordStatistic) -> SeedAggregate {
        SeedAggregate(samples: table.rows.lazy.filter { $0.op == op && $0.t == t }
            .map { (x: Double($0.axisValue), value: $0.value(of: statistic)) })
    }

    static func curve(_ aggregate: SeedAggregate, label: String, color: Color, entry: SlopeReport.Entry?) -> Series {
        let emphasized = isEmphasized(entry)
        return Series(x: aggregate.x, y: aggregate.mean, label: label, color: color, lineWidth: emphasized ? 3.5 : 2,
                      band: aggregate.hasBand ? Band(lower: aggregate.lower, upper: aggregate.upper) : nil,
                      isEmphasized: emphasized)
    }

    static func stepTitle(_ t: Int) -> String { t == 0 ? "t = 0 (init)" : "t = \(t)" }

    static func titled(_ run: RunDescription, _ what: String) -> String {
        let headline = run.headline
        return headline.isEmpty ? what : "\(headline): \(what)"
    }

    static func figure(title: String, panels: [Panel], columns: Int, options: CoordCheckFigureOptions,
                       parametrization: String?) -> Figure {
        let rows = max(1, (panels.count + columns - 1) / columns)
        var theme = Theme.darkGrid
        // SP plots get a light grey background, as in mup's examples, so SP and µP read apart at a glance.
        if parametrization?.lowercased() == "sp" { theme.figureBackground = Color(hex: 0xDADADA) }
        return Figure(title: title, panels: panels, columns: columns,
                      size: Size(width: Double(columns) * options.panelSize.width,
                                 height: Double(rows) * options.panelSize.height + 60),
                      theme: theme, legendMode: .perPanel, sharesYRange: options.sharesYRange)
    }
}
