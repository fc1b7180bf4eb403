/// What a render laid out, in pixels: a plain description of the scene (panels, axes, ticks, series, legends)
/// that tests and callers can check without decoding the image. Cairo's SVG has no `<text>` elements (glyphs
/// are outlines), so this is the place to check labels.
public struct LayoutReport: Equatable, Sendable {
    /// Image size at scale 1.
    public var size: Size
    /// Figure title, if any.
    public var title: String?
    /// Where the figure title was drawn.
    public var titleFrame: Rect?
    /// Panels in row-major order.
    public var panels: [PanelLayout]
    /// The figure-wide legend (`FigureLegendMode.shared`), if drawn.
    public var sharedLegend: LegendLayout?

    /// Every legend drawn (panel legends, then the shared one).
    public var legends: [LegendLayout] { panels.compactMap(\.legend) + (sharedLegend.map { [$0] } ?? []) }
}

/// One tick: its data value, its label (with `^` for superscripts) and its pixel position along the axis.
public struct Tick: Equatable, Sendable {
    /// Data value.
    public var value: Double
    /// Label text.
    public var label: String
    /// Pixel coordinate along the axis (x for horizontal axes, y for vertical ones).
    public var pixel: Double
}

/// A laid-out axis: range, scale, ticks, and the mapping from data to pixels.
public struct AxisLayout: Equatable, Sendable {
    /// Axis title.
    public var label: String?
    /// Scale.
    public var scale: Scale
    /// Data range shown.
    public var range: ClosedRange<Double>
    /// Ticks shown.
    public var ticks: [Tick]
    /// Pixel coordinate of `range.lowerBound`.
    public var pixelStart: Double
    /// Pixel coordinate of `range.upperBound`.
    public var pixelEnd: Double

    /// Tick labels in order.
    public var tickLabels: [String] { ticks.map(\.label) }
    /// Tick values in order.
    public var tickValues: [Double] { ticks.map(\.value) }

    /// Pixel coordinate of a data value (may lie outside the axis if the value is out of range), or nil if the
    /// scale cannot show it.
    public func pixel(for value: Double) -> Double? {
        guard let t = scale.forward(value), let low = scale.forward(range.lowerBound),
              let high = scale.forward(range.upperBound), high > low else { return nil }
        return pixelStart + (t - low) / (high - low) * (pixelEnd - pixelStart)
    }
}

/// What was drawn for one series.
public struct SeriesLayout: Equatable, Sendable {
    /// Legend label.
    public var label: String?
    /// Resolved colour.
    public var color: Color
    /// Resolved marker.
    public var marker: MarkerShape
    /// Number of input points.
    public var pointCount: Int
    /// Points drawn at their position.
    public var plottedPointCount: Int
    /// Points that could not be placed (NaN, ±∞, ≤ 0 on a log axis), drawn as edge marks instead.
    public var markedPointCount: Int
    /// Whether the series is emphasised.
    public var isEmphasized: Bool
    /// Whether a band was drawn.
    public var hasBand: Bool
}

/// One legend row.
public struct LegendEntry: Equatable, Sendable {
    /// Label.
    public var label: String
    /// Colour.
    public var color: Color
    /// Marker.
    public var marker: MarkerShape
    /// Dash of the sample line.
    public var dash: DashPattern
    /// Line width of the sample.
    public var lineWidth: Double
    /// Whether the label is bold (emphasised series).
    public var isEmphasized: Bool
}

/// A laid-out legend.
public struct LegendLayout: Equatable, Sendable {
    /// Box in pixels.
    public var frame: Rect
    /// Resolved placement: `.inside(corner)` or `.outsideRight`.
    public var placement: LegendPlacement
    /// Heading.
    public var title: String?
    /// Rows.
    public var entries: [LegendEntry]
    /// Data points of the panel lying inside the legend box (0 unless a fixed corner was forced).
    public var coveredPointCount: Int
}

/// A laid-out heat map.
public struct HeatMapLayout: Equatable, Sendable {
    /// Rectangle covered by the cells.
    public var cellsFrame: Rect
    /// Number of rows.
    public var rowCount: Int
    /// Number of columns.
    public var columnCount: Int
    /// Colour bar rectangle.
    public var colorBarFrame: Rect
    /// Colour-bar ticks (pixel = y coordinate).
    public var colorBarTicks: [Tick]
    /// The colour scale runs from `-limit` to `limit`.
    public var limit: Double
    /// Whether column labels were rotated to fit.
    public var rotatesColumnLabels: Bool
}

/// A laid-out panel.
public struct PanelLayout: Equatable, Sendable {
    /// Index in the figure's `panels`.
    public var index: Int
    /// Grid row.
    public var row: Int
    /// Grid column.
    public var column: Int
    /// Title.
    public var title: String?
    /// The grid cell the panel owns.
    public var frame: Rect
    /// The data area.
    public var plotArea: Rect
    /// Horizontal axis (for heat maps: ticks are the column labels at indices 0, 1, …).
    public var xAxis: AxisLayout
    /// Vertical axis (for heat maps: ticks are the row labels at indices 0, 1, …).
    public var yAxis: AxisLayout
    /// One entry per series, in input order.
    public var series: [SeriesLayout]
    /// The panel's legend, if it has one.
    public var legend: LegendLayout?
    /// Number of annotations drawn.
    public var annotationCount: Int
    /// The heat map layout, for heat-map panels.
    public var heatMap: HeatMapLayout?

    /// Pixel position of data point (x, y), or nil if either coordinate is unplottable on its scale.
    public func point(x: Double, y: Double) -> Point? {
        guard let px = xAxis.pixel(for: x), let py = yAxis.pixel(for: y) else { return nil }
        return Point(x: px, y: py)
    }
}
