import Foundation

/// Space around a panel's plot area inside its grid cell.
struct Margins: Equatable {
    var top = 0.0, left = 0.0, bottom = 0.0, right = 0.0
}

/// Lays out one series panel (axes, ticks, margins, legend) inside a grid cell.
struct PanelLayoutEngine {
    let panel: Panel
    let index: Int
    let row: Int
    let column: Int
    let cell: Rect
    let xRange: ClosedRange<Double>
    let yRange: ClosedRange<Double>
    /// Legend rows this panel shows, and its rule (nil: no legend).
    let legendEntries: [LegendEntry]
    let legendRule: Legend?
    let type: Typography

    static let cellPadding = 8.0
    static let tickGap = 6.0
    static let labelGap = 6.0

    // MARK: Axis and ticks

    /// An axis layout for a pixel span, with as many ticks as fit without labels touching.
    func axisLayout(_ axis: Axis, range: ClosedRange<Double>, from start: Double, to end: Double,
                    horizontal: Bool) -> AxisLayout {
        var layout = AxisLayout(label: axis.label, scale: axis.scale, range: range, ticks: [], pixelStart: start,
                                pixelEnd: end)
        let length = abs(end - start)
        let lineHeight = type.lineHeight(type.tickFont)
        var maximum = horizontal ? max(2, Int(length / 45)) : max(2, Int(length / (lineHeight * 2.2)))
        let locator = axis.effectiveLocator, formatter = axis.effectiveFormatter
        while true {
            let values = locator.ticks(in: range, maximumCount: maximum)
            let labels = formatter.labels(for: values)
            var ticks: [Tick] = []
            for (value, label) in zip(values, labels) {
                if let pixel = layout.pixel(for: value) { ticks.append(Tick(value: value, label: label, pixel: pixel)) }
            }
            let extents = ticks.map { horizontal ? type.metrics($0.label, type.tickFont).width : lineHeight }
            var fits = true
            for i in ticks.indices.dropFirst() where abs(ticks[i].pixel - ticks[i - 1].pixel)
                < (extents[i] + extents[i - 1]) / 2 + (horizontal ? 10 : 4) {
                fits = false
            }
            if fits || maximum <= 2 || ticks.count <= 2 {
                layout.ticks = ticks
                return layout
            }
            maximum = min(maximum - 1, ticks.count - 1)
        }
    }

    // MARK: Margins

    /// Margins for this panel given a right-hand reserve (e.g. an outside legend).
    func naturalMargins(legendOutsideWidth: Double) -> Margins {
        let pad = Self.cellPadding
        var margins = Margins()
        margins.top = pad + (panel.title.map { type.metrics($0, type.panelTitleFont).height + 8 } ?? 4)
        let tickHeight = type.lineHeight(type.tickFont)
        margins.bottom = pad + tickHeight + Self.tickGap
            + (panel.xAxis.label != nil ? type.lineHeight(type.axisLabelFont) + Self.labelGap : 0)
        let yLabelWidth = panel.yAxis.label != nil ? type.lineHeight(type.axisLabelFont) + Self.labelGap + 2 : 0
        var yTickWidth = 30.0
        var lastXHalfWidth = 0.0
        for _ in 0..<3 {
            margins.left = pad + yLabelWidth + yTickWidth + Self.tickGap
            margins.right = max(pad + 4, lastXHalfWidth + 4) + legendOutsideWidth
            let area = cell.inset(top: margins.top, left: margins.left, bottom: margins.bottom, right: margins.right)
            let y = axisLayout(panel.yAxis, range: yRange, from: area.maxY, to: area.minY, horizontal: false)
            let x = axisLayout(panel.xAxis, range: xRange, from: area.minX, to: area.maxX, horizontal: true)
            let newWidth = y.ticks.map { type.metrics($0.label, type.tickFont).width }.max() ?? 0
            lastXHalfWidth = x.ticks.last.map { type.metrics($0.label, type.tickFont).width / 2 - (area.maxX - $0.pixel) } ?? 0
            if abs(newWidth - yTickWidth) < 0.5 { break }
            yTickWidth = newWidth
        }
        margins.left = pad + yLabelWidth + yTickWidth + Self.tickGap
        margins.right = max(pad + 4, lastXHalfWidth + 4) + legendOutsideWidth
        return margins
    }

    /// Width reserved right of the plot for an outside legend.
    var outsideLegendWidth: Double {
        LegendGeometry.size(entries: legendEntries, title: legendRule?.title, typography: type).width + 12
    }

    // MARK: Final layout

    /// The finished layout for fixed margins, and whether an automatic legend found no free corner (then the
    /// caller reserves room and lays out again with `legendOutside`).
    func layout(margins: Margins, legendOutside: Bool) -> (PanelLayout, needsOutsideLegend: Bool) {
        let area = cell.inset(top: margins.top, left: margins.left, bottom: margins.bottom, right: margins.right)
        let x = axisLayout(panel.xAxis, range: xRange, from: area.minX, to: area.maxX, horizontal: true)
        let y = axisLayout(panel.yAxis, range: yRange, from: area.maxY, to: area.minY, horizontal: false)
        var result = PanelLayout(index: index, row: row, column: column, title: panel.title, frame: cell,
                                 plotArea: area, xAxis: x, yAxis: y, series: [], legend: nil,
                                 annotationCount: panel.annotations.count, heatMap: nil)
        for (i, series) in panel.series.enumerated() {
            let plotted = zip(series.x, series.y).filter { result.point(x: $0, y: $1) != nil }.count
            result.series.append(SeriesLayout(label: series.label, color: panel.color(ofSeries: i),
                                              marker: panel.marker(ofSeries: i), pointCount: series.count,
                                              plottedPointCount: plotted, markedPointCount: series.count - plotted,
                                              isEmphasized: series.isEmphasized, hasBand: series.band != nil))
        }
        guard let rule = legendRule, !legendEntries.isEmpty, rule.placement != .hidden else { return (result, false) }
        let size = LegendGeometry.size(entries: legendEntries, title: rule.title, typography: type)
        let samples = DataSampler.samples(panel: panel, layout: result)
        let points = DataSampler.dataPoints(panel: panel, layout: result)
        func legend(_ frame: Rect, _ placement: LegendPlacement) -> LegendLayout {
            LegendLayout(frame: frame, placement: placement, title: rule.title, entries: legendEntries,
                         coveredPointCount: points.filter(frame.contains).count)
        }
        let outside = legend(Rect(x: area.maxX + 12, y: area.minY, width: size.width, height: size.height), .outsideRight)
        var needsOutside = false
        switch rule.placement {
        case .hidden: break
        case .outsideRight: result.legend = outside
        case .inside(let corner): result.legend = legend(LegendGeometry.frame(size: size, corner: corner, in: area),
                                                         .inside(corner))
        case .automatic:
            if legendOutside {
                result.legend = outside
            } else if let corner = LegendGeometry.freeCorner(size: size, in: area, samples: samples) {
                result.legend = legend(LegendGeometry.frame(size: size, corner: corner, in: area), .inside(corner))
            } else {
                needsOutside = true
            }
        }
        return (result, needsOutside)
    }
}

/// Pixel samples of what a panel draws (points, line segments, bands, reference lines), used to keep legends
/// off the data.
enum DataSampler {
    /// Every plotted data point.
    static func dataPoints(panel: Panel, layout: PanelLayout) -> [Point] {
        panel.series.flatMap { s in zip(s.x, s.y).compactMap { layout.point(x: $0, y: $1) } }
    }

    /// Points along everything drawn in the plot area, at most ~4 px apart along lines.
    static func samples(panel: Panel, layout: PanelLayout) -> [Point] {
        var result: [Point] = []
        func segment(_ a: Point, _ b: Point) {
            let steps = max(1, Int((hypot(b.x - a.x, b.y - a.y) / 4).rounded(.up)))
            for k in 0...steps {
                let t = Double(k) / Double(steps)
                result.append(Point(x: a.x + (b.x - a.x) * t, y: a.y + (b.y - a.y) * t))
            }
        }
        for series in panel.series {
            let points = zip(series.x, series.y).compactMap { layout.point(x: $0, y: $1) }
            result.append(contentsOf: points)
            if series.lineWidth > 0 { for (a, b) in zip(points, points.dropFirst()) { segment(a, b) } }
            if let band = series.band {
                var previous: (Point, Point)?
                for i in 0..<series.count {
                    guard let low = layout.point(x: series.x[i], y: band.lower[i]),
                          let high = layout.point(x: series.x[i], y: band.upper[i]) else { previous = nil; continue }
                    segment(low, high)
                    if let (pl, ph) = previous {
                        segment(pl, low); segment(ph, high)
                        let columns = max(1, Int((abs(low.x - pl.x) / 6).rounded(.up)))
                        for c in 1..<max(2, columns) {
                            let t = Double(c) / Double(columns)
                            segment(Point(x: pl.x + (low.x - pl.x) * t, y: pl.y + (low.y - pl.y) * t),
                                    Point(x: ph.x + (high.x - ph.x) * t, y: ph.y + (high.y - ph.y) * t))
                        }
                    }
                    previous = (low, high)
                }
            }
        }
        let area = layout.plotArea
        for annotation in panel.annotations {
            switch annotation {
            case .verticalLine(let x, _, _, _):
                if let px = layout.xAxis.pixel(for: x) { segment(Point(x: px, y: area.minY), Point(x: px, y: area.maxY)) }
            case .horizontalLine(let y, _, _, _):
                if let py = layout.yAxis.pixel(for: y) { segment(Point(x: area.minX, y: py), Point(x: area.maxX, y: py)) }
            case .text(_, let x, let y, _, _):
                if let p = layout.point(x: x, y: y) { result.append(p) }
            case .note(_, let corner):
                let x = corner == .topLeft || corner == .bottomLeft ? area.minX + 10 : area.maxX - 10
                let y = corner == .topLeft || corner == .topRight ? area.minY + 10 : area.maxY - 10
                result.append(Point(x: x, y: y))
            }
        }
        return result.filter(area.contains)
    }
}
