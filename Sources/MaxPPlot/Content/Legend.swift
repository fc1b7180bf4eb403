/// Where a panel's legend goes.
public enum LegendPlacement: Equatable, Hashable, Sendable, CustomStringConvertible {
    /// Inside the plot, in the corner whose box covers no data point or line; outside to the right if every
    /// corner would cover data.
    case automatic
    /// Inside the plot at this corner, whatever it covers.
    case inside(Corner)
    /// To the right of the plot area (the plot shrinks to make room).
    case outsideRight
    /// No legend.
    case hidden

    /// `automatic`, `inside(topRight)`, `outsideRight` or `hidden`.
    public var description: String {
        switch self {
        case .automatic: "automatic"
        case .inside(let corner): "inside(\(corner.rawValue))"
        case .outsideRight: "outsideRight"
        case .hidden: "hidden"
        }
    }
}

/// A panel's legend: where it goes and an optional heading.
public struct Legend: Equatable, Sendable {
    /// Placement rule.
    public var placement: LegendPlacement
    /// Heading above the entries (e.g. `layer`), or nil.
    public var title: String?
    /// Creates a legend.
    public init(placement: LegendPlacement = .automatic, title: String? = nil) {
        self.placement = placement; self.title = title
    }
}

/// How a figure with several panels shows legends.
public enum FigureLegendMode: Equatable, Sendable {
    /// Every panel has its own legend (following the panel's `legend`).
    case perPanel
    /// Only the first panel that has labelled series shows a legend (mup's style).
    case firstPanelOnly
    /// One legend for the whole figure, right of the panel grid, listing each distinct label once.
    case shared(title: String? = nil)
}
