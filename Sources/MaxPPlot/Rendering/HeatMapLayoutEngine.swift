import Foundation

/// Lays out a heat-map panel: cells, row/column labels, colour bar.
struct HeatMapLayoutEngine {
    let panel: Panel
    let heatMap: HeatMap
    let index: Int
    let row: Int
    let column: Int
    let cell: Rect
    let type: Typography

    static let colorBarWidth = 16.0
    static let colorBarGap = 14.0

    func naturalMargins() -> Margins {
        let pad = PanelLayoutEngine.cellPadding
        var margins = Margins()
        margins.top = pad + (panel.title.map { type.metrics($0, type.panelTitleFont).height + 8 } ?? 4)
        let rowLabelWidth = heatMap.rowLabels.map { type.metrics($0, type.tickFont).width }.max() ?? 0
        margins.left = pad + rowLabelWidth + PanelLayoutEngine.tickGap
            + (panel.yAxis.label != nil ? type.lineHeight(type.axisLabelFont) + PanelLayoutEngine.labelGap : 0)
        let barTicks = colorBarTickLabels(count: 5)
        let barTickWidth = barTicks.map { type.metrics($0.label, type.tickFont).width }.max() ?? 0
        margins.right = pad + Self.colorBarGap + Self.colorBarWidth + 6 + barTickWidth
            + (heatMap.colorBarLabel != nil ? type.lineHeight(type.axisLabelFont) + PanelLayoutEngine.labelGap : 0)
        let (height, _) = columnLabelBlock(cellWidth: cellWidth(margins: margins))
        margins.bottom = pad + height + PanelLayoutEngine.tickGap
            + (panel.xAxis.label != nil ? type.lineHeight(type.axisLabelFont) + PanelLayoutEngine.labelGap : 0)
        return margins
    }

    private func cellWidth(margins: Margins) -> Double {
        (cell.width - margins.left - margins.right) / Double(max(1, heatMap.columnLabels.count))
    }

    /// Height of the column-label block and whether labels are rotated to fit their cells.
    private func columnLabelBlock(cellWidth: Double) -> (Double, Bool) {
        let widest = heatMap.columnLabels.map { type.metrics($0, type.tickFont).width }.max() ?? 0
        if widest <= cellWidth - 4 { return (type.lineHeight(type.tickFont), false) }
        return (widest, true)
    }

    private func colorBarTickLabels(count: Int) -> [(value: Double, label: String)] {
        let limit = heatMap.resolvedLimit
        let values = LinearTickLocator().ticks(in: -limit...limit, maximumCount: count)
        return Array(zip(values, heatMap.formatter.labels(for: values))).map { ($0.0, $0.1) }
    }

    func layout(margins: Margins) -> PanelLayout {
        let area = cell.inset(top: margins.top, left: margins.left, bottom: margins.bottom, right: margins.right)
        let rows = heatMap.rowLabels.count, columns = heatMap.columnLabels.count
        func axis(_ axis: Axis, labels: [String], from start: Double, to end: Double) -> AxisLayout {
            var layout = AxisLayout(label: axis.label, scale: .linear, range: -0.5...(Double(labels.count) - 0.5),
                                    ticks: [], pixelStart: start, pixelEnd: end)
            layout.ticks = labels.enumerated().map { i, label in
                Tick(value: Double(i), label: label, pixel: layout.pixel(for: Double(i)) ?? start)
            }
            return layout
        }
        let x = axis(panel.xAxis, labels: heatMap.columnLabels, from: area.minX, to: area.maxX)
        let y = axis(panel.yAxis, labels: heatMap.rowLabels, from: area.minY, to: area.maxY)
        let bar = Rect(x: area.maxX + Self.colorBarGap, y: area.minY, width: Self.colorBarWidth, height: area.height)
        let limit = heatMap.resolvedLimit
        let maximumTicks = max(2, Int(bar.height / (type.lineHeight(type.tickFont) * 2)))
        let barTicks = colorBarTickLabels(count: min(7, maximumTicks)).map { value, label in
            Tick(value: value, label: label, pixel: bar.maxY - (value + limit) / (2 * limit) * bar.height)
        }
        let (_, rotated) = columnLabelBlock(cellWidth: area.width / Double(max(1, columns)))
        return PanelLayout(index: index, row: row, column: column, title: panel.title, frame: cell, plotArea: area,
                           xAxis: x, yAxis: y, series: [], legend: nil, annotationCount: 0,
                           heatMap: HeatMapLayout(cellsFrame: area, rowCount: rows, columnCount: columns,
                                                  colorBarFrame: bar, colorBarTicks: barTicks, limit: limit,
                                                  rotatesColumnLabels: rotated))
    }
}
