/// One plot in a figure: a title, two axes, data series, annotations, a legend; or a heat map.
public struct Panel: Sendable {
    /// Title above the plot, or nil.
    public var title: String?
    /// Horizontal axis.
    public var xAxis: Axis
    /// Vertical axis.
    public var yAxis: Axis
    /// Lines, drawn in order (emphasised ones last).
    public var series: [Series]
    /// Extra marks on top of the data.
    public var annotations: [Annotation]
    /// Whether grid lines are drawn at the ticks.
    public var showsGrid: Bool
    /// The legend of this panel.
    public var legend: Legend
    /// Colours given to series without an explicit colour.
    public var palette: Palette
    /// If set, the panel shows this heat map instead of series (the axes then only supply their labels).
    public var heatMap: HeatMap?

    /// Creates a panel of series.
    public init(title: String? = nil, xAxis: Axis = Axis(), yAxis: Axis = Axis(), series: [Series] = [],
                annotations: [Annotation] = [], showsGrid: Bool = true, legend: Legend = Legend(),
                palette: Palette = .categorical) {
        self.title = title; self.xAxis = xAxis; self.yAxis = yAxis; self.series = series
        self.annotations = annotations; self.showsGrid = showsGrid; self.legend = legend; self.palette = palette
    }

    /// Creates a heat-map panel; `xLabel`/`yLabel` caption the columns and rows.
    public init(title: String? = nil, heatMap: HeatMap, xLabel: String? = nil, yLabel: String? = nil) {
        self.init(title: title, xAxis: Axis(label: xLabel), yAxis: Axis(label: yLabel), showsGrid: false,
                  legend: Legend(placement: .hidden))
        self.heatMap = heatMap
    }

    /// The colour series `index` is drawn in (its own, or the palette's).
    public func color(ofSeries index: Int) -> Color { series[index].color ?? palette.color(at: index) }

    /// The marker series `index` is drawn with (its own, or the next of `MarkerShape.cycle`).
    public func marker(ofSeries index: Int) -> MarkerShape {
        series[index].marker ?? MarkerShape.cycle[index % MarkerShape.cycle.count]
    }
}
