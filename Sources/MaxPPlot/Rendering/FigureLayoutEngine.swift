import Foundation

/// Lays out a whole figure: title, shared legend column, grid cells, data ranges (optionally shared), and
/// panels whose plot areas line up along rows and columns.
struct FigureLayoutEngine {
    let figure: Figure
    let size: Size
    let type: Typography

    static let outerPadding = 10.0

    /// Legend rows for a panel's labelled series (first occurrence of each label).
    static func legendEntries(of panel: Panel) -> [LegendEntry] {
        var seen = Set<String>()
        var entries: [LegendEntry] = []
        for (i, series) in panel.series.enumerated() {
            guard let label = series.label, !label.isEmpty, seen.insert(label).inserted else { continue }
            entries.append(LegendEntry(label: label, color: panel.color(ofSeries: i), marker: panel.marker(ofSeries: i),
                                       dash: series.dash, lineWidth: series.lineWidth, isEmphasized: series.isEmphasized))
        }
        return entries
    }

    /// Data values a series panel must show along x and y.
    static func dataExtent(of panel: Panel) -> (x: [Double], y: [Double]) {
        var xs: [Double] = [], ys: [Double] = []
        for series in panel.series {
            xs += series.x; ys += series.y
            if let band = series.band { ys += band.lower + band.upper }
        }
        for annotation in panel.annotations {
            switch annotation {
            case .verticalLine(let x, _, _, _): xs.append(x)
            case .horizontalLine(let y, _, _, _): ys.append(y)
            case .text(_, let x, let y, _, _): xs.append(x); ys.append(y)
            case .note: break
            }
        }
        return (xs, ys)
    }

    func layout() -> LayoutReport {
        let pad = Self.outerPadding
        var report = LayoutReport(size: size, title: figure.title, titleFrame: nil, panels: [], sharedLegend: nil)
        var top = pad
        if let title = figure.title {
            let height = type.metrics(title, type.figureTitleFont).height
            report.titleFrame = Rect(x: pad, y: top, width: size.width - 2 * pad, height: height)
            top += height + 6
        }

        // Legend policy.
        var sharedEntries: [LegendEntry] = []
        var sharedTitle: String?
        var legendPanel: Int?
        switch figure.legendMode {
        case .perPanel: break
        case .firstPanelOnly:
            legendPanel = figure.panels.firstIndex { $0.heatMap == nil && !Self.legendEntries(of: $0).isEmpty }
        case .shared(let title):
            sharedTitle = title
            var seen = Set<String>()
            for panel in figure.panels where panel.heatMap == nil {
                for entry in Self.legendEntries(of: panel) {
                    if seen.insert(entry.label).inserted {
                        sharedEntries.append(entry)
                    } else if entry.isEmphasized, let k = sharedEntries.firstIndex(where: { $0.label == entry.label }) {
                        sharedEntries[k].isEmphasized = true  // emphasised anywhere → emphasised in the legend
                    }
                }
            }
        }
        var legendColumn = 0.0
        var sharedSize = Size(width: 0, height: 0)
        if !sharedEntries.isEmpty {
            sharedSize = LegendGeometry.size(entries: sharedEntries, title: sharedTitle, typography: type)
            legendColumn = sharedSize.width + 12
        }

        let grid = Rect(x: pad, y: top, width: max(1, size.width - 2 * pad - legendColumn),
                        height: max(1, size.height - top - pad))
        let shape = figure.gridShape
        let cellWidth = grid.width / Double(shape.columns), cellHeight = grid.height / Double(shape.rows)

        // Data ranges, shared if asked.
        let extents = figure.panels.map(Self.dataExtent(of:))
        var xRanges = zip(figure.panels, extents).map { $0.xAxis.resolvedRange(for: $1.x) }
        var yRanges = zip(figure.panels, extents).map { $0.yAxis.resolvedRange(for: $1.y) }
        let seriesPanels = figure.panels.indices.filter { figure.panels[$0].heatMap == nil }
        if figure.sharesYRange, let first = seriesPanels.first {
            let shared = figure.panels[first].yAxis.resolvedRange(for: seriesPanels.flatMap { extents[$0].y })
            for i in seriesPanels where figure.panels[i].yAxis.range == nil { yRanges[i] = shared }
        }
        if figure.sharesXRange, let first = seriesPanels.first {
            let shared = figure.panels[first].xAxis.resolvedRange(for: seriesPanels.flatMap { extents[$0].x })
            for i in seriesPanels where figure.panels[i].xAxis.range == nil { xRanges[i] = shared }
        }

        // Engines per panel.
        enum Engine { case series(PanelLayoutEngine), heatMap(HeatMapLayoutEngine) }
        let engines: [Engine] = figure.panels.enumerated().map { i, panel in
            let row = i / shape.columns, column = i % shape.columns
            let cell = Rect(x: grid.x + Double(column) * cellWidth, y: grid.y + Double(row) * cellHeight,
                            width: cellWidth, height: cellHeight)
            if let heatMap = panel.heatMap {
                return .heatMap(HeatMapLayoutEngine(panel: panel, heatMap: heatMap, index: i, row: row, column: column,
                                                    cell: cell, type: type))
            }
            let showsLegend: Bool = switch figure.legendMode {
            case .perPanel: true
            case .firstPanelOnly: legendPanel == i
            case .shared: false
            }
            return .series(PanelLayoutEngine(panel: panel, index: i, row: row, column: column, cell: cell,
                                             xRange: xRanges[i], yRange: yRanges[i],
                                             legendEntries: showsLegend ? Self.legendEntries(of: panel) : [],
                                             legendRule: showsLegend ? panel.legend : nil, type: type))
        }

        // Margins: natural, then aligned along rows (top/bottom) and columns (left/right). An automatic legend
        // that finds no free corner moves outside, which changes margins, so repeat once if that happens.
        var outside = Set<Int>()
        for i in engines.indices {
            if case .series(let engine) = engines[i], engine.legendRule?.placement == .outsideRight { outside.insert(i) }
        }
        var layouts: [PanelLayout] = []
        for _ in 0..<3 {
            var margins: [Margins] = engines.enumerated().map { i, engine in
                switch engine {
                case .series(let e): e.naturalMargins(legendOutsideWidth: outside.contains(i) ? e.outsideLegendWidth : 0)
                case .heatMap(let e): e.naturalMargins()
                }
            }
            for r in 0..<shape.rows {
                let members = engines.indices.filter { $0 / shape.columns == r }
                let top = members.map { margins[$0].top }.max() ?? 0
                let bottom = members.map { margins[$0].bottom }.max() ?? 0
                for i in members { margins[i].top = top; margins[i].bottom = bottom }
            }
            for c in 0..<shape.columns {
                let members = engines.indices.filter { $0 % shape.columns == c }
                let left = members.map { margins[$0].left }.max() ?? 0
                let right = members.map { margins[$0].right }.max() ?? 0
                for i in members { margins[i].left = left; margins[i].right = right }
            }
            layouts = []
            var newOutside = outside
            for (i, engine) in engines.enumerated() {
                switch engine {
                case .series(let e):
                    let (layout, needsOutside) = e.layout(margins: margins[i], legendOutside: outside.contains(i))
                    if needsOutside { newOutside.insert(i) }
                    layouts.append(layout)
                case .heatMap(let e):
                    layouts.append(e.layout(margins: margins[i]))
                }
            }
            if newOutside == outside { break }
            outside = newOutside
        }
        report.panels = layouts

        if !sharedEntries.isEmpty {
            let plotTop = layouts.first?.plotArea.minY ?? grid.minY
            report.sharedLegend = LegendLayout(
                frame: Rect(x: grid.maxX + 6, y: plotTop, width: sharedSize.width, height: sharedSize.height),
                placement: .outsideRight, title: sharedTitle, entries: sharedEntries, coveredPointCount: 0)
        }
        return report
    }
}
