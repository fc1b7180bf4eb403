/// A whole image: an optional title above a grid of panels, at a size in pixels.
public struct Figure: Sendable {
    /// Title above all panels, or nil. `^` marks a superscript.
    public var title: String?
    /// Panels in row-major order.
    public var panels: [Panel]
    /// Grid columns; nil puts all panels in one row (or fills `rows` rows).
    public var columns: Int?
    /// Grid rows; nil derives it from `columns` and the panel count.
    public var rows: Int?
    /// Image size in pixels at scale 1.
    public var size: Size
    /// Colours and text sizes.
    public var theme: Theme
    /// How legends are shown across panels.
    public var legendMode: FigureLegendMode
    /// If true, every series panel uses the same y range (the union of their data, as mup does).
    public var sharesYRange: Bool
    /// If true, every series panel uses the same x range.
    public var sharesXRange: Bool

    /// Creates a figure.
    public init(title: String? = nil, panels: [Panel], columns: Int? = nil, rows: Int? = nil,
                size: Size = Size(width: 1200, height: 420), theme: Theme = .darkGrid,
                legendMode: FigureLegendMode = .perPanel, sharesYRange: Bool = false, sharesXRange: Bool = false) {
        self.title = title; self.panels = panels; self.columns = columns; self.rows = rows; self.size = size
        self.theme = theme; self.legendMode = legendMode; self.sharesYRange = sharesYRange
        self.sharesXRange = sharesXRange
    }

    /// The grid shape `(rows, columns)` the panels are laid out in.
    public var gridShape: (rows: Int, columns: Int) {
        let count = max(1, panels.count)
        switch (rows, columns) {
        case let (r?, c?): return (max(1, r), max(1, c))
        case let (nil, c?): let c = max(1, c); return ((count + c - 1) / c, c)
        case let (r?, nil): let r = max(1, r); return (r, (count + r - 1) / r)
        case (nil, nil): return (1, count)
        }
    }
}
