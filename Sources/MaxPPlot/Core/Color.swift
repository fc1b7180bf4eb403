/// An sRGB colour with alpha, each channel in [0, 1].
public struct Color: Equatable, Hashable, Sendable, CustomStringConvertible {
    /// Red channel in [0, 1].
    public var red: Double
    /// Green channel in [0, 1].
    public var green: Double
    /// Blue channel in [0, 1].
    public var blue: Double
    /// Opacity in [0, 1].
    public var alpha: Double

    /// Creates a colour from channels in [0, 1] (values outside are clamped).
    public init(red: Double, green: Double, blue: Double, alpha: Double = 1) {
        func c(_ v: Double) -> Double { v.isNaN ? 0 : min(1, max(0, v)) }
        self.red = c(red); self.green = c(green); self.blue = c(blue); self.alpha = c(alpha)
    }

    /// Creates an opaque colour from a 24-bit `0xRRGGBB` value.
    public init(hex: UInt32, alpha: Double = 1) {
        self.init(red: Double((hex >> 16) & 0xFF) / 255, green: Double((hex >> 8) & 0xFF) / 255,
                  blue: Double(hex & 0xFF) / 255, alpha: alpha)
    }

    /// The same colour with a different opacity.
    public func withAlpha(_ alpha: Double) -> Color { Color(red: red, green: green, blue: blue, alpha: alpha) }

    /// Linear interpolation towards `other` by `fraction` in [0, 1] (0 gives `self`).
    public func mixed(with other: Color, fraction: Double) -> Color {
        let t = min(1, max(0, fraction))
        return Color(red: red + (other.red - red) * t, green: green + (other.green - green) * t,
                     blue: blue + (other.blue - blue) * t, alpha: alpha + (other.alpha - alpha) * t)
    }

    /// Relative luminance (Rec. 709 weights, on the gamma-encoded channels; good enough to pick text colour).
    public var luminance: Double { 0.2126 * red + 0.7152 * green + 0.0722 * blue }

    /// The 8-bit channels `(r, g, b)` rounded to nearest.
    public var rgb8: (red: UInt8, green: UInt8, blue: UInt8) {
        (UInt8((red * 255).rounded()), UInt8((green * 255).rounded()), UInt8((blue * 255).rounded()))
    }

    /// `#RRGGBB` (alpha omitted).
    public var description: String {
        let c = rgb8
        return "#" + [c.red, c.green, c.blue].map { v in
            let s = String(v, radix: 16, uppercase: true)
            return s.count == 1 ? "0" + s : s
        }.joined()
    }

    /// Opaque black.
    public static let black = Color(red: 0, green: 0, blue: 0)
    /// Opaque white.
    public static let white = Color(red: 1, green: 1, blue: 1)
    /// Fully transparent.
    public static let clear = Color(red: 0, green: 0, blue: 0, alpha: 0)
}
