/// Colour choices for data: a categorical palette for unordered series and continuous colour maps for ordered
/// ones (step-coloured lines, heat maps).
public struct Palette: Equatable, Sendable {
    /// The colours handed out in order; indices past the end wrap around.
    public var colors: [Color]

    /// Creates a palette from explicit colours (must not be empty).
    public init(colors: [Color]) {
        precondition(!colors.isEmpty, "Palette needs at least one colour")
        self.colors = colors
    }

    /// The colour for the `index`-th series (wraps around).
    public func color(at index: Int) -> Color {
        colors[((index % colors.count) + colors.count) % colors.count]
    }

    /// Ten well-separated categorical colours (the seaborn "deep" set, which mup's plots use).
    public static let categorical = Palette(colors: [
        0x4C72B0, 0xDD8452, 0x55A868, 0xC44E52, 0x8172B3,
        0x937860, 0xDA8BC3, 0x8C8C8C, 0xCCB974, 0x64B5CD,
    ].map { Color(hex: $0) })

    /// `count` colours sampled evenly from `map` (for series that have an order, e.g. one line per step t).
    public static func sampled(from map: ColorMap, count: Int) -> Palette {
        guard count > 1 else { return Palette(colors: [map.color(at: 0.5)]) }
        return Palette(colors: (0..<count).map { map.color(at: Double($0) / Double(count - 1)) })
    }
}

/// A continuous colour map from [0, 1] to colours, defined by evenly spaced control colours and linear
/// interpolation between them.
public struct ColorMap: Equatable, Sendable {
    /// Control colours at evenly spaced positions from 0 to 1.
    public var stops: [Color]

    /// Creates a colour map from at least two evenly spaced control colours.
    public init(stops: [Color]) {
        precondition(stops.count >= 2, "ColorMap needs at least two stops")
        self.stops = stops
    }

    /// The colour at `position` in [0, 1] (clamped; NaN gives the midpoint).
    public func color(at position: Double) -> Color {
        let t = position.isNaN ? 0.5 : min(1, max(0, position))
        let scaled = t * Double(stops.count - 1)
        let lower = min(stops.count - 2, Int(scaled.rounded(.down)))
        return stops[lower].mixed(with: stops[lower + 1], fraction: scaled - Double(lower))
    }

    /// Diverging blue–white–red map, like matplotlib's coolwarm but with a white centre so that 0 reads as "nothing".
    public static let diverging = ColorMap(stops: [
        0x3B4CC0, 0x6F91F2, 0xAAC7FD, 0xF7F7F7, 0xF7B89C, 0xE7745B, 0xB40426,
    ].map { Color(hex: $0) })

    /// Sequential coolwarm-like map (blue → muted violet → red), good for colouring lines by training step.
    /// Unlike matplotlib's coolwarm, the middle is a mid-tone rather than near-white, so every line stays visible
    /// on white and grey plot backgrounds.
    public static let coolwarm = ColorMap(stops: [
        0x3B4CC0, 0x6282EA, 0x8D96D0, 0xAE86A8, 0xD4756F, 0xC8403B, 0xB40426,
    ].map { Color(hex: $0) })

    /// Sequential light-pink → dark-purple map (seaborn's default for numeric hues).
    public static let sequential = ColorMap(stops: [
        0xF2D0C4, 0xDC93A0, 0xB65E8B, 0x7E3A7A, 0x3F1F55,
    ].map { Color(hex: $0) })
}
