import Foundation
import MaxPDiagnostics
import MaxPPlot

/// Choices for the coord-check figures.
public struct CoordCheckFigureOptions: Sendable {
    /// The statistic on the y axis (`mean` on a linear axis, the others on log2; `mean` and `std` have no slopes,
    /// so their figures show no verdicts).
    public var statistic: PlottedStatistic
    /// The ops to draw, in this order; nil draws every op of the table in graph order.
    public var ops: [String]?
    /// The steps to draw; nil draws every step of the table (t = 0 is skipped for `delta_rms`, which is 0 there).
    public var steps: [Int]?
    /// Whether the per-step panels share one y range (on by default, as `mup` does: steps compare directly).
    /// The per-op figure always gives each op its own range.
    public var sharesYRange: Bool
    /// Panels per row; nil chooses a near-square grid (see ``CoordCheckFigures/gridColumns(panelCount:)``).
    public var columns: Int?
    /// Size of one per-step panel in pixels (the per-op panels are smaller).
    public var panelSize: Size
    /// Most ops drawn in colour in the per-step figure. With more ops, the flagged ops, the input, readout and
    /// attention-logit ops and one op per block keep their colour and the rest become thin grey lines (see
    /// ``CoordCheckFigures/coloring(table:slopes:options:)``); the caption names the grey ones.
    public var maxColoredOps: Int

    /// Creates options (defaults: l1, every op and step, shared y range, near-square grid, 620×440 px panels,
    /// at most 9 coloured ops).
    public init(statistic: PlottedStatistic = .l1, ops: [String]? = nil, steps: [Int]? = nil, sharesYRange: Bool = true,
                columns: Int? = nil, panelSize: Size = Size(width: 620, height: 440), maxColoredOps: Int = 9) {
        self.statistic = statistic; self.ops = ops; self.steps = steps; self.sharesYRange = sharesYRange
        self.columns = columns; self.panelSize = panelSize; self.maxColoredOps = maxColoredOps
    }
}

/// Builds coordinate-check figures from a ``CoordTable`` and its ``SlopeReport``: the statistic against the swept
/// axis on log2–log2 axes, lines = mean over seeds, bands = 95 % interval of that mean.
///
/// Layout (so that the PNG reads without explanation): panels in a near-square grid (2×2 for four steps, one row
/// for up to three), ONE legend shared by all panels right of the grid, the same y range in every per-step panel,
/// and ops whose verdict is `grows`/`shrinks` drawn thick, bold in the legend and named in the panel title with
/// what was measured and what theory expects (`t = 2 · off: readout measured +0.72, expected +0.00`); beside each
/// such line a dashed line shows the expected slope through the measured middle width, labelled `expected +0.00`.
public enum CoordCheckFigures {
    /// At most this many grey (not off) ops are named in the caption; the rest are counted.
    static let greyNamesListed = 12

    /// One panel per step t (as `mup`), one line per op. The shared legend lists every op with its fitted slope at
    /// the last step drawn (and, for flagged ops, the steps where it is off); each panel title names the ops off at
    /// that step with their slope there.
    public static func byStep(table: CoordTable, slopes: SlopeReport?, run: RunDescription,
                              options: CoordCheckFigureOptions = CoordCheckFigureOptions()) -> Figure {
        let ops = selectedOps(table, options)
        let steps = selectedSteps(table, options)
        let statistic = options.statistic
        let lastStep = steps.last ?? 0
        let flagged = flaggedSteps(slopes, ops: ops, steps: steps, statistic: statistic)
        let colored = coloring(table: table, slopes: slopes, options: options).colored
        let colors = opColors(colored)
        let others = ops.count - colored.count
        var explainsDashes = false
        let columns = max(1, options.columns ?? gridColumns(panelCount: steps.count))
        let titleCharacters = Int(options.panelSize.width / 9)
        var labels: [String: String] = [:]
        for op in colored {
            labels[op] = opLabel(op, last: slopes?.entry(op: op, t: lastStep, plotted: statistic), flagged: flagged[op])
        }
        var panels: [Panel] = []
        for (index, t) in steps.enumerated() {
            var series: [Series] = []
            for op in colored {
                let aggregate = aggregateCurve(table, op: op, t: t, statistic: statistic)
                guard !aggregate.x.isEmpty else { continue }
                let entry = slopes?.entry(op: op, t: t, plotted: statistic)
                series.append(curve(aggregate, label: labels[op], color: colors[op]!, entry: entry))
            }
            // What theory expects beside what was measured, for every op off at this step (one label where several
            // ops share the same expected line).
            var annotations: [Annotation] = []
            func isDuplicate(_ label: Annotation) -> Bool {
                guard case let .text(text, x, y, _, _) = label else { return false }
                return annotations.contains { other in
                    guard case let .text(otherText, otherX, otherY, _, _) = other else { return false }
                    return otherText == text && otherX == x && abs(log2(otherY / y)) < 0.2
                }
            }
            for op in colored {
                guard let entry = slopes?.entry(op: op, t: t, plotted: statistic), isEmphasized(entry),
                      let expected = entry.expected else { continue }
                let aggregate = aggregateCurve(table, op: op, t: t, statistic: statistic)
                guard let line = ExpectedSlopeLine(x: aggregate.x, mean: aggregate.mean, expected: expected,
                                                   color: colors[op]!) else { continue }
                if !explainsDashes {
                    series.append(ExpectedSlopeLine.legendSeries(color: Theme.darkGrid.textColor))
                    explainsDashes = true
                }
                series.append(line.series)
                if !isDuplicate(line.label) { annotations.append(line.label) }
            }
            // Unflagged ops beyond the colour budget: thin grey lines on top (they do not hide coloured ones), one
            // legend entry for all of them.
            for op in ops where colors[op] == nil {
                let aggregate = aggregateCurve(table, op: op, t: t, statistic: statistic)
                guard !aggregate.x.isEmpty else { continue }
                series.append(Series(x: aggregate.x, y: aggregate.mean, label: "\(others) other ops (none off)",
                                     color: otherColor, lineWidth: 1, marker: MarkerShape.none))
            }
            // Largest deviation first, so the title names the worst offenders when it runs out of room.
            let offHere = colored.compactMap { op in
                slopes?.entry(op: op, t: t, plotted: statistic).flatMap { isEmphasized($0) ? $0 : nil }
            }.enumerated().sorted { a, b in
                let (da, db) = (abs(a.element.deviation ?? 0), abs(b.element.deviation ?? 0))
                return da != db ? da > db : a.offset < b.offset
            }.map(\.element)
            panels.append(Panel(title: stepPanelTitle(t, off: offHere, slopes: slopes, statistic: statistic,
                                                      maxCharacters: titleCharacters),
                                xAxis: Axis(scale: .log2, label: FigureText.axisLabel(table.metadata.axis)),
                                yAxis: Axis(scale: yScale(statistic), label: index % columns == 0 ? FigureText.statisticLabel(statistic) : nil),
                                series: series, annotations: annotations))
        }
        // A flat table would otherwise be stretched until seed noise looks like a trend: show at least three octaves.
        if options.sharesYRange, !statistic.isSigned, let range = minimumSpanRange(panels.flatMap { $0.series.flatMap { $0.y + ($0.band.map { $0.lower + $0.upper } ?? []) } }) {
            for k in panels.indices { panels[k].yAxis.range = range }
        }
        let title = titled(run, "\(FigureText.statisticTitle(statistic)) vs \(table.metadata.axis.rawValue), one panel per step t")
        let legendTitle = statistic.judged == nil ? "op (not judged: no slopes)" : "op (fitted slope at t = \(lastStep))"
        let legendWidth = estimatedLegendWidth(labels: Array(labels.values) + (others > 0 ? ["\(others) other ops (none off)"] : [])
                                                + (explainsDashes ? [ExpectedSlopeLine.legendLabel] : []),
                                               title: legendTitle)
        return figure(title: title, panels: panels, columns: columns, panelSize: options.panelSize,
                      legendWidth: legendWidth, legendTitle: legendTitle, sharesYRange: options.sharesYRange,
                      parametrization: run.parametrization)
    }

    /// The transposed layout: one small panel per op (at most 4 columns), one line per step t coloured from blue
    /// (early) to red (late), one shared legend of the steps. Each op keeps its own y range; the panel title gives
    /// the op's slope at the first and last step drawn and, when it is off, at which steps.
    public static func byOp(table: CoordTable, slopes: SlopeReport?, run: RunDescription,
                            options: CoordCheckFigureOptions = CoordCheckFigureOptions()) -> Figure {
        let ops = selectedOps(table, options)
        let steps = selectedSteps(table, options)
        let statistic = options.statistic
        let palette = Palette.sampled(from: .coolwarm, count: steps.count)
        let columns = max(1, min(options.columns ?? 4, 4, ops.count))
        let flagged = flaggedSteps(slopes, ops: ops, steps: steps, statistic: statistic)
        let panelSize = Size(width: (options.panelSize.width * 0.72).rounded(), height: (options.panelSize.height * 0.8).rounded())
        var panels: [Panel] = []
        for (index, op) in ops.enumerated() {
            var series: [Series] = []
            for (stepIndex, t) in steps.enumerated() {
                let aggregate = aggregateCurve(table, op: op, t: t, statistic: statistic)
                guard !aggregate.x.isEmpty else { continue }
                let entry = slopes?.entry(op: op, t: t, plotted: statistic)
                let emphasized = isEmphasized(entry)
                // No seed bands here: the steps' bands overlap into one blur; the per-step figure shows them.
                series.append(Series(x: aggregate.x, y: aggregate.mean, label: stepTitle(t),
                                     color: palette.color(at: stepIndex), lineWidth: emphasized ? 3.5 : 2,
                                     isEmphasized: emphasized))
            }
            // The expected slope beside the last step where the op is off.
            var annotations: [Annotation] = []
            if let last = flagged[op]?.last, let stepIndex = steps.firstIndex(of: last.t),
               let expected = slopes?.entry(op: op, t: last.t, plotted: statistic)?.expected {
                let aggregate = aggregateCurve(table, op: op, t: last.t, statistic: statistic)
                if let line = ExpectedSlopeLine(x: aggregate.x, mean: aggregate.mean, expected: expected,
                                                color: palette.color(at: stepIndex)) {
                    series.append(line.series)
                    annotations.append(line.label)
                }
            }
            panels.append(Panel(title: opPanelTitle(op, kind: table.kind(of: op), steps: steps, flagged: flagged[op],
                                                    slopes: slopes, statistic: statistic),
                                xAxis: Axis(scale: .log2, label: FigureText.axisLabel(table.metadata.axis)),
                                yAxis: Axis(scale: yScale(statistic), label: index % columns == 0 ? FigureText.statisticLabel(statistic) : nil,
                                            range: statistic.isSigned ? nil : minimumSpanRange(series.flatMap(\.y))),
                                series: series, annotations: annotations))
        }
        let title = titled(run, "\(FigureText.statisticTitle(statistic)) vs \(table.metadata.axis.rawValue), one panel per op")
        let legendTitle = "step"
        var figure = figure(title: title, panels: panels, columns: columns, panelSize: panelSize,
                            legendWidth: estimatedLegendWidth(labels: steps.map(stepTitle), title: legendTitle),
                            legendTitle: legendTitle, sharesYRange: false, parametrization: run.parametrization)
        figure.theme.panelTitleSize = 13
        return figure
    }

    /// The grid columns for `panelCount` panels: one row up to 3 panels, 2×2 for 4, 3 columns up to 9, then 4.
    public static func gridColumns(panelCount: Int) -> Int {
        switch panelCount {
        case ...3: max(1, panelCount)
        case 4: 2
        case 5...9: 3
        default: 4
        }
    }

    /// The legend label `name (+0.02)`, with the verdict added when it is not `ok` (`name (+0.95, grows)`).
    public static func legendLabel(_ name: String, _ entry: SlopeReport.Entry?) -> String {
        guard let entry else { return name }
        guard let slope = entry.slope else { return "\(name) (\(entry.verdict.rawValue))" }
        let verdict = entry.verdict == .ok ? "" : ", \(entry.verdict.rawValue)"
        return "\(name) (\(FigureText.figureSigned(slope))\(verdict))"
    }

    /// Which ops the per-step figure colours and which it draws grey (flagged ops first, then the input, readout
    /// and attention-logit ops, one op per block, hidden layers, the rest; at most `options.maxColoredOps` unless
    /// more are flagged).
    public static func coloring(table: CoordTable, slopes: SlopeReport?,
                                options: CoordCheckFigureOptions = CoordCheckFigureOptions()) -> (colored: [String], grey: [String]) {
        let ops = selectedOps(table, options)
        let flagged = flaggedSteps(slopes, ops: ops, steps: selectedSteps(table, options), statistic: options.statistic)
        let choice = CoordCheckColoring(ops: ops, kind: table.kind(of:), flagged: Set(flagged.keys),
                                        limit: options.maxColoredOps)
        return (choice.colored, choice.grey)
    }

    /// The caption under the per-step figure: how to read the layout (grid, shared legend, shared y range,
    /// emphasis, the dashed expected-slope lines) and which ops are grey.
    public static func caption(table: CoordTable, slopes: SlopeReport?,
                               options: CoordCheckFigureOptions = CoordCheckFigureOptions()) -> String {
        let axis = table.metadata.axis.rawValue
        let steps = selectedSteps(table, options)
        let columns = options.columns ?? gridColumns(panelCount: steps.count)
        let rows = max(1, (steps.count + columns - 1) / columns)
        let grid = rows == 1 ? "in one row" : "in a \(rows)×\(columns) grid (read left to right, top to bottom)"
        var text = "One panel per step t \(grid)"
            + (options.sharesYRange ? ", all on the same y scale so the steps compare directly" : "")
            + ". One line per op (mean over seeds, band = 95% interval across seeds); the legend on the right names each op "
            + "with its fitted log-log slope at the last step. A flat line means the op's size does not change with \(axis). "
            + "Ops whose slope disagrees with theory are drawn thick, in bold in the legend (with the steps where they are off), "
            + "and named in the title of each panel where they are off with the slope measured and the slope expected; "
            + "beside each of them a dashed line in the same colour has the expected slope and passes through the measured "
            + "middle \(axis), so the gap between the two lines is the error."
        if options.statistic.judged == nil {
            text += " `\(options.statistic.rawValue)` is recorded as mup does but not judged: no slopes, verdicts or expected lines"
                + (options.statistic.isSigned ? "; the y axis is linear (a mean is signed)." : ".")
        }
        let grey = coloring(table: table, slopes: slopes, options: options).grey
        if !grey.isEmpty {
            let shown = grey.prefix(greyNamesListed).map { "`\($0)`" }.joined(separator: ", ")
            text += " Drawn grey, none of them off (their slopes are in the table below and in the heat map): \(shown)"
                + (grey.count > greyNamesListed ? " and \(grey.count - greyNamesListed) more" : "") + "."
        }
        return text
    }

    /// Whether an entry is drawn emphasised: its verdict flags a deviation (`grows` or `shrinks`).
    public static func isEmphasized(_ entry: SlopeReport.Entry?) -> Bool { entry?.verdict.isDeviation ?? false }

    // MARK: - Pieces

    /// Smallest y span of a coord-check panel, in octaves (factors of 2): three always hold three `2^k` ticks.
    static let minimumOctaves = 3.0

    /// The y scale of a statistic: log2 for sizes, linear for the signed `mean`.
    static func yScale(_ statistic: PlottedStatistic) -> Scale { statistic.isSigned ? .linear : .log2 }

    /// A log2 y range centred on the data when the positive finite `values` span less than ``minimumOctaves``
    /// (so that a flat line looks flat instead of magnifying noise), else nil (automatic range).

    static func minimumSpanRange(_ values: [Double]) -> ClosedRange<Double>? {
        let logs = values.filter { $0.isFinite && $0 > 0 }.map(log2)
        guard let low = logs.min(), let high = logs.max(), high - low < minimumOctaves else { return nil }
        let middle = (low + high) / 2
        return exp2(middle - minimumOctaves / 2)...exp2(middle + minimumOctaves / 2)
    }

    /// Colour of the ops drawn grey when there are more ops than colours.
    static let otherColor = Color(hex: 0x8C8C8C).withAlpha(0.55)

    /// The shared legend's label for an op: `fc_2 (+0.00)` (slope at the last step); flagged ops add where they
    /// are off: `readout (−0.30; grows at t = 0, 2)`.
    static func opLabel(_ op: String, last: SlopeReport.Entry?, flagged: [(t: Int, verdict: Verdict)]?) -> String {
        var parts: [String] = []
        if let last { parts.append(last.slope.map(FigureText.figureSigned) ?? last.verdict.rawValue) }
        if let flagged, !flagged.isEmpty {
            var groups: [(Verdict, [Int])] = []
            for (t, verdict) in flagged {
                if let k = groups.firstIndex(where: { $0.0 == verdict }) { groups[k].1.append(t) } else { groups.append((verdict, [t])) }
            }
            parts.append(groups.map { "\($0.0.rawValue) at t = \($0.1.map(String.init).joined(separator: ", "))" }
                .joined(separator: ", "))
        }
        return parts.isEmpty ? op : "\(op) (\(parts.joined(separator: "; ")))"
    }

    /// `t = 2 · off: readout measured +0.72, expected +0.00, +2 more`; `t = 1 · all ok`;
    /// `t = 1 · 6 inconclusive`; names are dropped (`t = 1 · 3 ops off`) when they do not fit `maxCharacters`.
    static func stepPanelTitle(_ t: Int, off: [SlopeReport.Entry], slopes: SlopeReport?, statistic: PlottedStatistic,
                               maxCharacters: Int) -> String {
        let head = stepTitle(t)
        guard let slopes else { return head }
        if off.isEmpty {
            let entries = slopes.ops.filter { $0.t == t && $0.statistic == statistic.judged }
            guard !entries.isEmpty else { return head }
            let inconclusive = entries.filter { $0.verdict == .inconclusive }.count
            return inconclusive == 0 ? "\(head) · all ok" : "\(head) · \(inconclusive) inconclusive"
        }
        let items = off.map(measuredAgainstExpected)
        var shown: [String] = []
        for (k, item) in items.enumerated() {
            let rest = items.count - k - 1
            let candidate = "\(head) · off: " + (shown + [item]).joined(separator: ", ") + (rest > 0 ? ", +\(rest) more" : "")
            guard candidate.count <= maxCharacters else { break }
            shown.append(item)
        }
        if shown.isEmpty {
            // No name fits: keep the numbers, which matter more than the names (those are bold in the legend).
            let first = off.first.map { entry in
                measuredAgainstExpected(entry).replacingOccurrences(of: "\(entry.op) ", with: "")
            } ?? ""
            let allSame = off.allSatisfy { entry in
                measuredAgainstExpected(entry).replacingOccurrences(of: "\(entry.op) ", with: "") == first
            }
            let count = "\(off.count) op\(off.count == 1 ? "" : "s") off"
            let candidate = allSame ? "\(head) · \(count): \(first)" : "\(head) · \(count), worst: \(first)"
            return candidate.count <= maxCharacters ? candidate : "\(head) · \(count) (bold in the legend)"
        }
        let rest = items.count - shown.count
        return "\(head) · off: " + shown.joined(separator: ", ") + (rest > 0 ? ", +\(rest) more" : "")
    }

    /// `op measured +0.00, expected −0.50` (or `op grows` when there is no slope or no expectation).
    static func measuredAgainstExpected(_ entry: SlopeReport.Entry) -> String {
        guard let slope = entry.slope else { return "\(entry.op) \(entry.verdict.rawValue)" }
        let expected = entry.expected.map { ", expected \(FigureText.figureSigned($0))" } ?? " (\(entry.verdict.rawValue))"
        return "\(entry.op) measured \(FigureText.figureSigned(slope))\(expected)"
    }

    /// `fc_2 (hidden) · +0.00 → +0.46`; flagged: `readout · grows at t = 1, 2 · measured −0.42 → +0.90, expected
    /// +0.00` (the expectation at the last step where it is off).
    static func opPanelTitle(_ op: String, kind: String, steps: [Int], flagged: [(t: Int, verdict: Verdict)]?,
                             slopes: SlopeReport?, statistic: PlottedStatistic) -> String {
        var parts = [kind.isEmpty || kind == op ? op : "\(op) (\(kind))"]
        if let flagged, !flagged.isEmpty {
            let verdicts = Set(flagged.map(\.verdict))
            let word = verdicts.count == 1 ? flagged[0].verdict.rawValue : "off"
            parts = [op, "\(word) at t = \(flagged.map { String($0.t) }.joined(separator: ", "))"]
        }
        if let slopes, let first = steps.first, let last = steps.last {
            let a = slopes.entry(op: op, t: first, plotted: statistic)?.slope
            let b = slopes.entry(op: op, t: last, plotted: statistic)?.slope
            if let a, let b {
                var measured = first == last ? FigureText.figureSigned(a)
                    : "\(FigureText.figureSigned(a)) → \(FigureText.figureSigned(b))"
                if let off = flagged?.last, let expected = slopes.entry(op: op, t: off.t, plotted: statistic)?.expected {
                    measured = "measured \(measured), expected \(FigureText.figureSigned(expected))"
                }
                parts.append(measured)
            }
        }
        return parts.joined(separator: " · ")
    }

    /// Per op, the drawn steps where its verdict is `grows`/`shrinks`.
    static func flaggedSteps(_ slopes: SlopeReport?, ops: [String], steps: [Int],
                             statistic: PlottedStatistic) -> [String: [(t: Int, verdict: Verdict)]] {
        guard let slopes else { return [:] }
        var result: [String: [(t: Int, verdict: Verdict)]] = [:]
        for op in ops {
            for t in steps {
                if let entry = slopes.entry(op: op, t: t, plotted: statistic), entry.verdict.isDeviation {
                    result[op, default: []].append((t, entry.verdict))
                }
            }
        }
        return result
    }

    static func selectedOps(_ table: CoordTable, _ options: CoordCheckFigureOptions) -> [String] {
        let present = Set(table.rows.map(\.op))
        return (options.ops ?? table.opOrder).filter(present.contains)
    }

    static func selectedSteps(_ table: CoordTable, _ options: CoordCheckFigureOptions) -> [Int] {
        let steps = options.steps.map { Set($0) }.map { wanted in table.steps.filter(wanted.contains) } ?? table.steps
        return options.statistic == .deltaRMS ? steps.filter { $0 > 0 } : steps
    }

    /// Categorical colours for the coloured ops, skipping the palette's grey (kept for the "other ops").
    static func opColors(_ ops: [String]) -> [String: Color] {
        let grey = Color(hex: 0x8C8C8C)
        let colors = (0..<10).map { Palette.categorical.color(at: $0) }.filter { $0 != grey }
        return Dictionary(uniqueKeysWithValues: ops.enumerated().map { ($1, colors[$0 % colors.count]) })
    }

    static func aggregateCurve(_ table: CoordTable, op: String, t: Int, statistic: PlottedStatistic) -> SeedAggregate {
        SeedAggregate(samples: table.rows.lazy.filter { $0.op == op && $0.t == t }
            .map { (x: Double($0.axisValue), value: $0.value(plotted: statistic) ?? .nan) }, positive: !statistic.isSigned)
    }

    static func curve(_ aggregate: SeedAggregate, label: String?, color: Color, entry: SlopeReport.Entry?) -> Series {
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

    /// A generous estimate of the shared legend's width in pixels (DejaVu Sans at 12.5 px, bold where emphasised),
    /// so the panels keep their size when the legend column is carved out of the figure.
    static func estimatedLegendWidth(labels: [String], title: String) -> Double {
        let longest = max(labels.map(\.count).max() ?? 0, title.count)
        return 28 + 7 + 8.2 * Double(longest) + 16 + 12
    }

    static func figure(title: String, panels: [Panel], columns: Int, panelSize: Size, legendWidth: Double,
                       legendTitle: String, sharesYRange: Bool, parametrization: String?) -> Figure {
        let rows = max(1, (panels.count + columns - 1) / columns)
        let width = Double(columns) * panelSize.width + legendWidth + 20
        var theme = Theme.darkGrid
        // SP plots get a light grey background, as in mup's examples, so SP and µP read apart at a glance.
        if parametrization?.lowercased() == "sp" { theme.figureBackground = Color(hex: 0xDADADA) }
        // A long title (the GPT model's description) shrinks to fit the width instead of running off the image.
        theme.figureTitleSize = min(theme.figureTitleSize, ((width - 40) / (0.5 * Double(max(1, title.count)))).rounded(.down))
        return Figure(title: title, panels: panels, columns: columns,
                      size: Size(width: width.rounded(), height: Double(rows) * panelSize.height + 50),
                      theme: theme, legendMode: .shared(title: legendTitle), sharesYRange: sharesYRange)
    }
}
