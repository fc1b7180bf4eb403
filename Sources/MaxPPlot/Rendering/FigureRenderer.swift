import Foundation

/// Draws a laid-out figure on any `Canvas`. The same code produces PNG and SVG.
struct FigureRenderer {
    let figure: Figure
    let report: LayoutReport
    let type: Typography
    var canvas: Canvas { type.canvas }
    var theme: Theme { figure.theme }

    func draw() {
        canvas.fill(.rect(Rect(x: 0, y: 0, width: report.size.width, height: report.size.height)),
                    color: theme.figureBackground)
        if let title = figure.title, let frame = report.titleFrame {
            type.draw(title, at: Point(x: frame.center.x, y: frame.minY), anchor: .topCenter, font: type.figureTitleFont)
        }
        for layout in report.panels {
            let panel = figure.panels[layout.index]
            if let heatMap = panel.heatMap, let heatLayout = layout.heatMap {
                drawHeatMap(heatMap, panel: panel, layout: layout, heat: heatLayout)
            } else {
                drawPanel(panel, layout: layout)
            }
        }
        if let legend = report.sharedLegend { drawLegend(legend) }
    }

    // MARK: Series panels

    private func drawPanel(_ panel: Panel, layout: PanelLayout) {
        let area = layout.plotArea
        canvas.fill(.rect(area), color: theme.panelBackground)
        if panel.showsGrid {
            var grid = Path()
            for tick in layout.xAxis.ticks { grid.addLines([Point(x: tick.pixel, y: area.minY), Point(x: tick.pixel, y: area.maxY)]) }
            for tick in layout.yAxis.ticks { grid.addLines([Point(x: area.minX, y: tick.pixel), Point(x: area.maxX, y: tick.pixel)]) }
            canvas.stroke(grid, style: StrokeStyle(color: theme.gridColor, width: 1))
        }
        if let frame = theme.frameColor { canvas.stroke(.rect(area), style: StrokeStyle(color: frame, width: 1)) }

        canvas.saveState()
        canvas.clip(to: area)
        for (i, series) in panel.series.enumerated() where series.band != nil {
            drawBand(series, color: layout.series[i].color, layout: layout)
        }
        drawReferenceLines(panel, layout: layout)
        let order = panel.series.indices.filter { !panel.series[$0].isEmphasized }
            + panel.series.indices.filter { panel.series[$0].isEmphasized }
        for i in order { drawSeries(panel.series[i], resolved: layout.series[i], layout: layout) }
        canvas.restoreState()
        for i in order { drawEdgeMarks(panel.series[i], color: layout.series[i].color, layout: layout) }

        drawAxes(layout)
        drawAnnotationText(panel, layout: layout)
        if let legend = layout.legend { drawLegend(legend) }
    }

    private func drawAxes(_ layout: PanelLayout) {
        let area = layout.plotArea
        for tick in layout.xAxis.ticks {
            type.draw(tick.label, at: Point(x: tick.pixel, y: area.maxY + PanelLayoutEngine.tickGap), anchor: .topCenter,
                      font: type.tickFont)
        }
        var widest = 0.0
        for tick in layout.yAxis.ticks {
            widest = max(widest, type.metrics(tick.label, type.tickFont).width)
            type.draw(tick.label, at: Point(x: area.minX - PanelLayoutEngine.tickGap, y: tick.pixel), anchor: .right,
                      font: type.tickFont)
        }
        if let label = layout.xAxis.label {
            let y = area.maxY + PanelLayoutEngine.tickGap + type.lineHeight(type.tickFont) + PanelLayoutEngine.labelGap
            type.draw(label, at: Point(x: area.center.x, y: y), anchor: .topCenter, font: type.axisLabelFont)
        }
        if let label = layout.yAxis.label {
            let x = area.minX - PanelLayoutEngine.tickGap - widest - PanelLayoutEngine.labelGap - 2
            type.draw(label, at: Point(x: x, y: area.center.y), anchor: TextAnchor(.center, .bottom),
                      font: type.axisLabelFont, angle: -Double.pi / 2)
        }
        if let title = layout.title {
            type.draw(title, at: Point(x: area.center.x, y: area.minY - 7), anchor: .bottomCenter,
                      font: type.panelTitleFont)
        }
    }

    private func drawBand(_ series: Series, color: Color, layout: PanelLayout) {
        guard let band = series.band else { return }
        // One polygon per run of consecutive points where x, lower and upper are all plottable.
        var runs: [[(Point, Point)]] = [[]]
        for i in 0..<series.count {
            if let low = layout.point(x: series.x[i], y: band.lower[i]), let high = layout.point(x: series.x[i], y: band.upper[i]) {
                runs[runs.count - 1].append((low, high))
            } else if !(runs.last?.isEmpty ?? true) {
                runs.append([])
            }
        }
        for run in runs where run.count >= 2 {
            canvas.fill(.polygon(run.map(\.1) + run.reversed().map(\.0)), color: color.withAlpha(band.opacity))
        }
    }

    private func drawSeries(_ series: Series, resolved: SeriesLayout, layout: PanelLayout) {
        let points = zip(series.x, series.y).compactMap { layout.point(x: $0, y: $1) }
        let width = series.lineWidth * (series.isEmphasized ? 1.6 : 1)
        if width > 0, points.count >= 2 {
            canvas.stroke(.lines(points), style: StrokeStyle(color: resolved.color, width: width,
                                                             dash: series.dash.lengths(lineWidth: width)))
        }
        let size = series.markerSize * (series.isEmphasized ? 1.25 : 1)
        for point in points {
            MarkerPainter.draw(resolved.marker, at: point, size: size, color: resolved.color, canvas: canvas)
        }
    }

    /// Small hollow triangles on the plot edge for points that have no position (NaN, ±∞, ≤ 0 on log axes),
    /// pointing out of the plot in the direction the value "went".
    private func drawEdgeMarks(_ series: Series, color: Color, layout: PanelLayout) {
        let area = layout.plotArea
        let size = 8.0
        for (x, y) in zip(series.x, series.y) where layout.point(x: x, y: y) == nil {
            let px = layout.xAxis.pixel(for: x)
            let py = layout.yAxis.pixel(for: y)
            let triangle: [Point]
            if let px, py == nil {
                let atTop = y == .infinity
                let edge = atTop ? area.minY : area.maxY, direction = atTop ? -1.0 : 1.0
                let cx = min(area.maxX, max(area.minX, px))
                triangle = [Point(x: cx, y: edge), Point(x: cx - size / 2, y: edge - direction * size * 0.9),
                            Point(x: cx + size / 2, y: edge - direction * size * 0.9)]
            } else {
                let cy = min(area.maxY, max(area.minY, py ?? area.maxY))
                let atRight = x == .infinity
                let edge = atRight ? area.maxX : area.minX, direction = atRight ? 1.0 : -1.0
                triangle = [Point(x: edge, y: cy), Point(x: edge - direction * size * 0.9, y: cy - size / 2),
                            Point(x: edge - direction * size * 0.9, y: cy + size / 2)]
            }
            canvas.fill(.polygon(triangle), color: .white)
            canvas.stroke(.polygon(triangle), style: StrokeStyle(color: color, width: 1.5))
        }
    }

    private func drawReferenceLines(_ panel: Panel, layout: PanelLayout) {
        let area = layout.plotArea
        for annotation in panel.annotations {
            switch annotation {
            case let .verticalLine(x, _, color, dash):
                guard let px = layout.xAxis.pixel(for: x) else { continue }
                canvas.stroke(.lines([Point(x: px, y: area.minY), Point(x: px, y: area.maxY)]),
                              style: StrokeStyle(color: color ?? theme.textColor.withAlpha(0.7), width: 1.5,
                                                 dash: dash.lengths(lineWidth: 1.5)))
            case let .horizontalLine(y, _, color, dash):
                guard let py = layout.yAxis.pixel(for: y) else { continue }
                canvas.stroke(.lines([Point(x: area.minX, y: py), Point(x: area.maxX, y: py)]),
                              style: StrokeStyle(color: color ?? theme.textColor.withAlpha(0.7), width: 1.5,
                                                 dash: dash.lengths(lineWidth: 1.5)))
            case .text, .note: continue
            }
        }
    }

    private func drawAnnotationText(_ panel: Panel, layout: PanelLayout) {
        let area = layout.plotArea
        let font = type.legendFont
        for annotation in panel.annotations {
            switch annotation {
            case let .text(text, x, y, anchor, color):
                guard let p = layout.point(x: x, y: y) else { continue }
                type.draw(text, at: Point(x: p.x + 3, y: p.y - 2), anchor: anchor, font: font, color: color)
            case let .verticalLine(x, label?, color, _):
                guard let px = layout.xAxis.pixel(for: x) else { continue }
                let right = px + 4 + type.metrics(label, font).width <= area.maxX
                type.draw(label, at: Point(x: right ? px + 4 : px - 4, y: area.minY + 4),
                          anchor: TextAnchor(right ? .left : .right, .top), font: font, color: color)
            case let .horizontalLine(y, label?, color, _):
                guard let py = layout.yAxis.pixel(for: y) else { continue }
                type.draw(label, at: Point(x: area.maxX - 4, y: py - 3), anchor: TextAnchor(.right, .bottom),
                          font: font, color: color)
            case let .note(text, corner):
                let m = type.metrics(text, font)
                let left = corner == .topLeft || corner == .bottomLeft
                let top = corner == .topLeft || corner == .topRight
                let box = Rect(x: left ? area.minX + 6 : area.maxX - 6 - m.width - 10,
                               y: top ? area.minY + 6 : area.maxY - 6 - m.height - 6,
                               width: m.width + 10, height: m.height + 6)
                canvas.fill(.rect(box), color: Color.white.withAlpha(0.85))
                type.draw(text, at: box.center, anchor: .center, font: font)
            default: continue
            }
        }
    }

    // MARK: Legend

    private func drawLegend(_ legend: LegendLayout) {
        let frame = legend.frame
        canvas.fill(.rect(frame), color: Color.white.withAlpha(0.9))
        canvas.stroke(.rect(frame), style: StrokeStyle(color: Color(hex: 0xCCCCCC), width: 1))
        let rowHeight = LegendGeometry.rowHeight(type)
        var y = frame.minY + LegendGeometry.padding
        if let title = legend.title {
            type.draw(title, at: Point(x: frame.minX + LegendGeometry.padding, y: y + rowHeight / 2), anchor: .left,
                      font: type.legendTitleFont)
            y += rowHeight
        }
        for entry in legend.entries {
            let middle = y + rowHeight / 2
            let x0 = frame.minX + LegendGeometry.padding
            let width = entry.lineWidth * (entry.isEmphasized ? 1.6 : 1)
            if width > 0 {
                canvas.stroke(.lines([Point(x: x0, y: middle), Point(x: x0 + LegendGeometry.sampleWidth, y: middle)]),
                              style: StrokeStyle(color: entry.color, width: width, dash: entry.dash.lengths(lineWidth: width)))
            }
            MarkerPainter.draw(entry.marker, at: Point(x: x0 + LegendGeometry.sampleWidth / 2, y: middle),
                               size: 7 * (entry.isEmphasized ? 1.25 : 1), color: entry.color, canvas: canvas)
            type.draw(entry.label, at: Point(x: x0 + LegendGeometry.sampleWidth + LegendGeometry.sampleGap, y: middle),
                      anchor: .left, font: entry.isEmphasized ? type.legendTitleFont : type.legendFont)
            y += rowHeight
        }
    }

    // MARK: Heat maps

    private func drawHeatMap(_ heatMap: HeatMap, panel: Panel, layout: PanelLayout, heat: HeatMapLayout) {
        let area = heat.cellsFrame
        let cellWidth = area.width / Double(max(1, heat.columnCount))
        let cellHeight = area.height / Double(max(1, heat.rowCount))
        let valueFont = type.tickFont.withSize(max(10, min(type.tickFont.size, cellHeight * 0.45)))
        for (r, row) in heatMap.values.enumerated() {
            for (c, value) in row.enumerated() {
                let cell = Rect(x: area.minX + Double(c) * cellWidth, y: area.minY + Double(r) * cellHeight,
                                width: cellWidth, height: cellHeight)
                let color = heatMap.color(for: value)
                canvas.fill(.rect(cell), color: color)
                if heatMap.showsValues {
                    let text = value.isNaN ? "–" : heatMap.formatter.label(for: value)
                    if type.metrics(text, valueFont).width < cellWidth - 4, valueFont.size < cellHeight - 2 {
                        type.draw(text, at: cell.center, anchor: .center, font: valueFont,
                                  color: color.luminance < 0.5 ? .white : Color(hex: 0x202020))
                    }
                }
            }
        }
        canvas.stroke(.rect(area), style: StrokeStyle(color: Color(hex: 0x888888), width: 1))
        var widestRow = 0.0
        for tick in layout.yAxis.ticks {
            widestRow = max(widestRow, type.metrics(tick.label, type.tickFont).width)
            type.draw(tick.label, at: Point(x: area.minX - PanelLayoutEngine.tickGap, y: tick.pixel), anchor: .right,
                      font: type.tickFont)
        }
        var columnBlock = type.lineHeight(type.tickFont)
        for tick in layout.xAxis.ticks {
            if heat.rotatesColumnLabels {
                columnBlock = max(columnBlock, type.metrics(tick.label, type.tickFont).width)
                type.draw(tick.label, at: Point(x: tick.pixel, y: area.maxY + PanelLayoutEngine.tickGap),
                          anchor: TextAnchor(.right, .middle), font: type.tickFont, angle: -Double.pi / 2)
            } else {
                type.draw(tick.label, at: Point(x: tick.pixel, y: area.maxY + PanelLayoutEngine.tickGap),
                          anchor: .topCenter, font: type.tickFont)
            }
        }
        if let label = layout.xAxis.label {
            type.draw(label, at: Point(x: area.center.x, y: area.maxY + PanelLayoutEngine.tickGap + columnBlock
                                       + PanelLayoutEngine.labelGap), anchor: .topCenter, font: type.axisLabelFont)
        }
        if let label = layout.yAxis.label {
            type.draw(label, at: Point(x: area.minX - PanelLayoutEngine.tickGap - widestRow - PanelLayoutEngine.labelGap,
                                       y: area.center.y), anchor: TextAnchor(.center, .bottom), font: type.axisLabelFont,
                      angle: -Double.pi / 2)
        }
        if let title = layout.title {
            type.draw(title, at: Point(x: area.center.x, y: area.minY - 7), anchor: .bottomCenter, font: type.panelTitleFont)
        }
        // Colour bar: thin stacked rectangles from -limit (bottom) to +limit (top).
        let bar = heat.colorBarFrame
        let steps = 96
        for k in 0..<steps {
            let t0 = Double(k) / Double(steps)
            let rect = Rect(x: bar.minX, y: bar.maxY - (t0 + 1 / Double(steps)) * bar.height - 0.3,
                            width: bar.width, height: bar.height / Double(steps) + 0.6)
            canvas.fill(.rect(rect), color: heatMap.colorMap.color(at: t0 + 0.5 / Double(steps)))
        }
        canvas.stroke(.rect(bar), style: StrokeStyle(color: Color(hex: 0x888888), width: 1))
        var widestTick = 0.0
        for tick in heat.colorBarTicks {
            widestTick = max(widestTick, type.metrics(tick.label, type.tickFont).width)
            canvas.stroke(.lines([Point(x: bar.maxX, y: tick.pixel), Point(x: bar.maxX + 3, y: tick.pixel)]),
                          style: StrokeStyle(color: Color(hex: 0x888888), width: 1))
            type.draw(tick.label, at: Point(x: bar.maxX + 6, y: tick.pixel), anchor: .left, font: type.tickFont)
        }
        if let label = heatMap.colorBarLabel {
            type.draw(label, at: Point(x: bar.maxX + 6 + widestTick + PanelLayoutEngine.labelGap, y: bar.center.y),
                      anchor: TextAnchor(.center, .top), font: type.axisLabelFont, angle: -Double.pi / 2)
        }
    }
}

/// Draws marker shapes: filled in the series colour with a thin white edge so overlapping markers stay apart.
enum MarkerPainter {
    static func draw(_ shape: MarkerShape, at c: Point, size: Double, color: Color, canvas: Canvas) {
        let r = size / 2
        let edge = StrokeStyle(color: .white, width: 1)
        switch shape {
        case .none: return
        case .circle:
            canvas.fill(.circle(center: c, radius: r), color: color)
            canvas.stroke(.circle(center: c, radius: r), style: edge)
        case .square:
            let s = r * 0.9
            let rect = Rect(x: c.x - s, y: c.y - s, width: 2 * s, height: 2 * s)
            canvas.fill(.rect(rect), color: color); canvas.stroke(.rect(rect), style: edge)
        case .diamond:
            let s = r * 1.2
            let polygon = Path.polygon([Point(x: c.x, y: c.y - s), Point(x: c.x + s * 0.8, y: c.y),
                                        Point(x: c.x, y: c.y + s), Point(x: c.x - s * 0.8, y: c.y)])
            canvas.fill(polygon, color: color); canvas.stroke(polygon, style: edge)
        case .triangleUp, .triangleDown:
            let s = r * 1.15, d = shape == .triangleUp ? 1.0 : -1.0
            let polygon = Path.polygon([Point(x: c.x, y: c.y - d * s), Point(x: c.x + s, y: c.y + d * s * 0.8),
                                        Point(x: c.x - s, y: c.y + d * s * 0.8)])
            canvas.fill(polygon, color: color); canvas.stroke(polygon, style: edge)
        case .cross, .plus:
            var path = Path()
            if shape == .cross {
                path.addLines([Point(x: c.x - r, y: c.y - r), Point(x: c.x + r, y: c.y + r)])
                path.addLines([Point(x: c.x - r, y: c.y + r), Point(x: c.x + r, y: c.y - r)])
            } else {
                path.addLines([Point(x: c.x - r, y: c.y), Point(x: c.x + r, y: c.y)])
                path.addLines([Point(x: c.x, y: c.y - r), Point(x: c.x, y: c.y + r)])
            }
            canvas.stroke(path, style: StrokeStyle(color: color, width: 2))
        }
    }
}
