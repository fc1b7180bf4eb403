import Foundation

/// One axis of a panel: its scale, its range (fixed or automatic), its label and how ticks are chosen and written.
public struct Axis: Sendable {
    /// How data values map onto the axis.
    public var scale: Scale
    /// Fixed data range, or nil to fit the data.
    public var range: ClosedRange<Double>?
    /// Margin added on each side of an automatic range, as a fraction of its span in transformed space.
    public var padding: Double
    /// Axis title (e.g. `width`), or nil for none. `^` marks a superscript (`width^-1`).
    public var label: String?
    /// Tick positions; nil uses the scale's default locator.
    public var locator: (any TickLocator)?
    /// Tick labels; nil uses the scale's default formatter.
    public var formatter: (any TickFormatter)?

    /// Creates an axis.
    public init(scale: Scale = .linear, label: String? = nil, range: ClosedRange<Double>? = nil, padding: Double = 0.05,
                locator: (any TickLocator)? = nil, formatter: (any TickFormatter)? = nil) {
        self.scale = scale; self.label = label; self.range = range; self.padding = padding
        self.locator = locator; self.formatter = formatter
    }

    /// The locator in effect.
    public var effectiveLocator: any TickLocator { locator ?? scale.defaultLocator }
    /// The formatter in effect.
    public var effectiveFormatter: any TickFormatter { formatter ?? scale.defaultFormatter }

    /// The range shown for data values `values` (unplottable values ignored): the fixed range clipped to the
    /// scale, or the data extent padded by `padding` in transformed space. Degenerate extents are widened
    /// (±1 on linear, ×/÷ base on log); no plottable data gives [0, 1] or [1, base].
    public func resolvedRange<S: Sequence>(for values: S) -> ClosedRange<Double> where S.Element == Double {
        if let range { return scale.clip(range) }
        var low = Double.infinity, high = -Double.infinity
        for value in values {
            guard let t = scale.forward(value) else { continue }
            low = min(low, t); high = max(high, t)
        }
        if low > high {
            return scale.isLogarithmic ? 1...(scale.base ?? 10) : 0...1
        }
        if high - low < 1e-12 * max(1, abs(high)) {
            low -= 1; high += 1
        } else {
            let margin = (high - low) * padding
            low -= margin; high += margin
        }
        return scale.inverse(low)...scale.inverse(high)
    }
}
