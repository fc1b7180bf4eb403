/// Something drawn on top of a panel's data in data coordinates.
public enum Annotation: Equatable, Sendable {
    /// Text whose anchor point is at data position (`x`, `y`).
    case text(String, x: Double, y: Double, anchor: TextAnchor = .bottomLeft, color: Color? = nil)
    /// A vertical line across the plot at data `x` (e.g. an optimum), with an optional label at its top.
    case verticalLine(x: Double, label: String? = nil, color: Color? = nil, dash: DashPattern = .dashed)
    /// A horizontal line across the plot at data `y` (e.g. a reference value), with an optional label at its right.
    case horizontalLine(y: Double, label: String? = nil, color: Color? = nil, dash: DashPattern = .dashed)
    /// Text in the panel's corner (inside the plot area), independent of the data, e.g. a fitted exponent.
    case note(String, corner: Corner = .bottomRight)
}

/// A corner of a rectangle.
public enum Corner: String, CaseIterable, Equatable, Sendable {
    /// Top right.
    case topRight
    /// Top left.
    case topLeft
    /// Bottom left.
    case bottomLeft
    /// Bottom right.
    case bottomRight
}

/// Which point of a text's bounding box sits at its position.
public struct TextAnchor: Equatable, Hashable, Sendable {
    /// Horizontal alignment of the text box relative to the position.
    public enum Horizontal: Equatable, Hashable, Sendable { case left, center, right }
    /// Vertical alignment of the text box relative to the position (`baseline` = the text's baseline).
    public enum Vertical: Equatable, Hashable, Sendable { case top, middle, baseline, bottom }
    /// Horizontal part.
    public var horizontal: Horizontal
    /// Vertical part.
    public var vertical: Vertical
    /// Creates an anchor.
    public init(_ horizontal: Horizontal, _ vertical: Vertical) {
        self.horizontal = horizontal; self.vertical = vertical
    }
    /// Left edge, bottom.
    public static let bottomLeft = TextAnchor(.left, .bottom)
    /// Centre of the box.
    public static let center = TextAnchor(.center, .middle)
    /// Top edge, horizontally centred.
    public static let topCenter = TextAnchor(.center, .top)
    /// Bottom edge, horizontally centred.
    public static let bottomCenter = TextAnchor(.center, .bottom)
    /// Left edge, vertically centred.
    public static let left = TextAnchor(.left, .middle)
    /// Right edge, vertically centred.
    public static let right = TextAnchor(.right, .middle)
}
