/// Font weight of drawn text.
public enum FontWeight: Equatable, Hashable, Sendable {
    /// Normal text.
    case regular
    /// Bold text (titles, emphasised legend entries).
    case bold
}

/// A font request: family (resolved through fontconfig by Cairo), size in pixels and weight.
public struct Font: Equatable, Hashable, Sendable {
    /// Family name, e.g. `DejaVu Sans`.
    public var family: String
    /// Size in pixels (the em size).
    public var size: Double
    /// Weight.
    public var weight: FontWeight
    /// Creates a font request.
    public init(family: String = "DejaVu Sans", size: Double, weight: FontWeight = .regular) {
        self.family = family; self.size = size; self.weight = weight
    }
    /// The same font at another size.
    public func withSize(_ size: Double) -> Font { Font(family: family, size: size, weight: weight) }
}

/// Measured extent of a single run of text: its advance width and the font's ascent and descent.
public struct TextMetrics: Equatable, Sendable {
    /// Horizontal advance in pixels.
    public var width: Double
    /// Distance from baseline to the top of the tallest glyphs of the font (positive).
    public var ascent: Double
    /// Distance from baseline to the bottom of descending glyphs (positive).
    public var descent: Double
    /// Creates metrics.
    public init(width: Double, ascent: Double, descent: Double) {
        self.width = width; self.ascent = ascent; self.descent = descent
    }
    /// `ascent + descent`.
    public var height: Double { ascent + descent }
}

/// How a path is stroked.
public struct StrokeStyle: Equatable, Sendable {
    /// Line colour.
    public var color: Color
    /// Line width in pixels.
    public var width: Double
    /// On/off dash lengths in pixels; empty for a solid line.
    public var dash: [Double]
    /// Creates a stroke style.
    public init(color: Color, width: Double = 1, dash: [Double] = []) {
        self.color = color; self.width = width; self.dash = dash
    }
}

/// A vector path built from moves, lines, rectangles and circles, in pixels.
public struct Path: Equatable, Sendable {
    /// One drawing instruction.
    public enum Element: Equatable, Sendable {
        /// Start a new sub-path at a point.
        case move(Point)
        /// Straight line to a point.
        case line(Point)
        /// Close the current sub-path.
        case close
        /// A whole rectangle sub-path.
        case rect(Rect)
        /// A whole circle sub-path.
        case circle(center: Point, radius: Double)
    }
    /// Instructions in order.
    public private(set) var elements: [Element] = []

    /// An empty path.
    public init() {}

    /// Starts a sub-path at `point`.
    public mutating func move(to point: Point) { elements.append(.move(point)) }
    /// Adds a line from the current point to `point`.
    public mutating func line(to point: Point) { elements.append(.line(point)) }
    /// Closes the current sub-path.
    public mutating func close() { elements.append(.close) }
    /// Adds a rectangle sub-path.
    public mutating func addRect(_ rect: Rect) { elements.append(.rect(rect)) }
    /// Adds a circle sub-path.
    public mutating func addCircle(center: Point, radius: Double) { elements.append(.circle(center: center, radius: radius)) }
    /// Adds a polyline through `points` (a move then lines).
    public mutating func addLines(_ points: [Point]) {
        guard let first = points.first else { return }
        move(to: first)
        for point in points.dropFirst() { line(to: point) }
    }
    /// Whether the path has no elements.
    public var isEmpty: Bool { elements.isEmpty }

    /// Every coordinate the path mentions (for checks such as "no NaN reached the canvas").
    public var coordinates: [Double] {
        elements.flatMap { element -> [Double] in
            switch element {
            case .move(let p), .line(let p): [p.x, p.y]
            case .close: []
            case .rect(let r): [r.x, r.y, r.width, r.height]
            case .circle(let c, let r): [c.x, c.y, r]
            }
        }
    }

    /// A rectangle path.
    public static func rect(_ rect: Rect) -> Path { var p = Path(); p.addRect(rect); return p }
    /// A circle path.
    public static func circle(center: Point, radius: Double) -> Path {
        var p = Path(); p.addCircle(center: center, radius: radius); return p
    }
    /// A polyline path.
    public static func lines(_ points: [Point]) -> Path { var p = Path(); p.addLines(points); return p }
    /// A closed polygon path.
    public static func polygon(_ points: [Point]) -> Path { var p = Path(); p.addLines(points); p.close(); return p }
}

/// The drawing surface the figure renderer talks to. Everything the plotting layer draws goes through these
/// few primitives, so one drawing routine serves PNG and SVG (and test doubles that record calls).
public protocol Canvas: AnyObject {
    /// Pushes the current clip onto a stack.
    func saveState()
    /// Restores the clip saved by the matching `saveState()`.
    func restoreState()
    /// Restricts later drawing to `rect` (intersected with the current clip).
    func clip(to rect: Rect)
    /// Fills `path` with `color` (non-zero winding).
    func fill(_ path: Path, color: Color)
    /// Strokes `path`.
    func stroke(_ path: Path, style: StrokeStyle)
    /// Draws one run of text with its baseline starting at `origin`, rotated by `angle` radians (clockwise,
    /// since y points down) around `origin`.
    func showText(_ text: String, at origin: Point, font: Font, color: Color, angle: Double)
    /// Measures one run of text (no drawing).
    func metrics(of text: String, font: Font) -> TextMetrics
}
