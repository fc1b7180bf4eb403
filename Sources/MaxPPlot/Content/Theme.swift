/// Colours, font and text sizes shared by everything in a figure. Sizes are pixels at scale 1.
public struct Theme: Equatable, Sendable {
    /// Font family looked up through fontconfig.
    public var fontFamily: String
    /// Figure background.
    public var figureBackground: Color
    /// Plot-area background.
    public var panelBackground: Color
    /// Grid line colour.
    public var gridColor: Color
    /// Colour of the plot-area frame, or nil for none.
    public var frameColor: Color?
    /// Text colour.
    public var textColor: Color
    /// Tick-label size (≥ 11 keeps them readable at 100%).
    public var tickLabelSize: Double
    /// Axis-label size.
    public var axisLabelSize: Double
    /// Panel-title size.
    public var panelTitleSize: Double
    /// Figure-title size.
    public var figureTitleSize: Double
    /// Legend-entry size.
    public var legendTextSize: Double

    /// Creates a theme.
    public init(fontFamily: String = "DejaVu Sans", figureBackground: Color, panelBackground: Color, gridColor: Color,
                frameColor: Color?, textColor: Color = Color(hex: 0x262626), tickLabelSize: Double = 12,
                axisLabelSize: Double = 13.5, panelTitleSize: Double = 15, figureTitleSize: Double = 18,
                legendTextSize: Double = 12.5) {
        self.fontFamily = fontFamily; self.figureBackground = figureBackground; self.panelBackground = panelBackground
        self.gridColor = gridColor; self.frameColor = frameColor; self.textColor = textColor
        self.tickLabelSize = tickLabelSize; self.axisLabelSize = axisLabelSize; self.panelTitleSize = panelTitleSize
        self.figureTitleSize = figureTitleSize; self.legendTextSize = legendTextSize
    }

    /// Grey plot areas with white grid lines (seaborn's darkgrid, as in mup's coord-check plots).
    public static let darkGrid = Theme(figureBackground: .white, panelBackground: Color(hex: 0xEAEAF2),
                                       gridColor: .white, frameColor: nil)
    /// White plot areas with light grey grid lines and a frame.
    public static let whiteGrid = Theme(figureBackground: .white, panelBackground: .white,
                                        gridColor: Color(hex: 0xDDDDDD), frameColor: Color(hex: 0xBBBBBB))
}
