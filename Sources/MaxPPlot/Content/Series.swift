/// The shape drawn at each data point of a series.
public enum MarkerShape: String, CaseIterable, Equatable, Sendable {
    /// No marker.
    case none
    /// Filled circle.
    case circle
    /// Filled square.
    case square
    /// Filled diamond.
    case diamond
    /// Filled triangle pointing up.
    case triangleUp
    /// Filled triangle pointing down.
    case triangleDown
    /// Diagonal cross (stroked).
    case cross
    /// Upright plus (stroked).
    case plus

    /// Shapes in the order series get them by default (all filled, so they stay visible at small sizes).
    public static let cycle: [MarkerShape] = [.circle, .square, .triangleUp, .diamond, .triangleDown]
}

/// The on/off pattern of a stroked line.
public enum DashPattern: Equatable, Sendable {
    /// Continuous line.
    case solid
    /// Long dashes.
    case dashed
    /// Dots.
    case dotted
    /// Dash–dot.
    case dashDot
    /// Explicit on/off lengths in multiples of the line width.
    case custom([Double])

    /// On/off lengths in pixels for a line of width `lineWidth` (empty for solid).
    public func lengths(lineWidth: Double) -> [Double] {
        let w = max(1, lineWidth)
        switch self {
        case .solid: return []
        case .dashed: return [3.7 * w, 1.6 * w]
        case .dotted: return [1 * w, 1.65 * w]
        case .dashDot: return [6.4 * w, 1.6 * w, 1 * w, 1.6 * w]
        case .custom(let pattern): return pattern.map { $0 * w }
        }
    }
}

/// A shaded band around a series, e.g. mean ± a confidence interval across seeds. One lower and one upper value
/// per point; the band is skipped at points where either bound is unplottable.
public struct Band: Equatable, Sendable {
    /// Lower bound per point.
    public var lower: [Double]
    /// Upper bound per point.
    public var upper: [Double]
    /// Fill opacity (the series colour is used).
    public var opacity: Double

    /// Creates a band; `lower` and `upper` must have the series' point count.
    public init(lower: [Double], upper: [Double], opacity: Double = 0.2) {
        precondition(lower.count == upper.count, "Band: lower has \(lower.count) values, upper has \(upper.count)")
        self.lower = lower; self.upper = upper; self.opacity = opacity
    }
}

/// One line of data: points connected in order, optional markers, optional band, a legend label.
///
/// Points whose x or y cannot be shown on the panel's scales (NaN, ±∞, or ≤ 0 on a log axis) are left out of
/// the line (it joins the neighbouring valid points) and drawn as a small hollow marker on the panel edge,
/// so they are visible but never distort the axes.
public struct Series: Equatable, Sendable {
    /// X values.
    public var x: [Double]
    /// Y values (same count as `x`).
    public var y: [Double]
    /// Legend text, or nil to leave the series out of the legend. `^` marks a superscript.
    public var label: String?
    /// Line and marker colour; nil takes the next palette colour.
    public var color: Color?
    /// Line width in pixels (0 draws markers only).
    public var lineWidth: Double
    /// Line dash pattern.
    public var dash: DashPattern
    /// Marker shape; nil takes the next shape of `MarkerShape.cycle`.
    public var marker: MarkerShape?
    /// Marker diameter in pixels.
    public var markerSize: Double
    /// Shaded band around the line.
    public var band: Band?
    /// Drawn thicker and on top, with a bold legend entry (e.g. a layer whose check failed).
    public var isEmphasized: Bool

    /// Creates a series; `x` and `y` must have the same count.
    public init(x: [Double], y: [Double], label: String? = nil, color: Color? = nil, lineWidth: Double = 2,
                dash: DashPattern = .solid, marker: MarkerShape? = nil, markerSize: Double = 7, band: Band? = nil,
                isEmphasized: Bool = false) {
        precondition(x.count == y.count, "Series '\(label ?? "")': x has \(x.count) values, y has \(y.count)")
        if let band {
            precondition(band.lower.count == x.count,
                         "Series '\(label ?? "")': band has \(band.lower.count) values for \(x.count) points")
        }
        self.x = x; self.y = y; self.label = label; self.color = color; self.lineWidth = lineWidth
        self.dash = dash; self.marker = marker; self.markerSize = markerSize; self.band = band
        self.isEmphasized = isEmphasized
    }

    /// Number of points.
    public var count: Int { x.count }
}
