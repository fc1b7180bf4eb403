import Foundation

/// Decoded pixels of a rendered (or read-back) PNG, for checks such as "not blank" and "this colour appears".
public struct RasterImage: Equatable, Sendable {
    /// Width in pixels.
    public let width: Int
    /// Height in pixels.
    public let height: Int
    /// Pixels row-major as premultiplied `0xAARRGGBB` (Cairo's ARGB32 layout).
    public let premultipliedARGB: [UInt32]

    /// Wraps pixel data; `premultipliedARGB.count` must be `width × height`.
    public init(width: Int, height: Int, premultipliedARGB: [UInt32]) {
        precondition(premultipliedARGB.count == width * height, "RasterImage: pixel count does not match size")
        self.width = width; self.height = height; self.premultipliedARGB = premultipliedARGB
    }

    /// Decodes PNG bytes (through Cairo's PNG reader).
    public init(pngData: Data) throws(PlotError) {
        self = try CairoSurfaces.withDecodedPNG(pngData)
    }

    /// The un-premultiplied colour at (x, y), origin top-left.
    public func color(x: Int, y: Int) -> Color {
        let v = premultipliedARGB[y * width + x]
        let a = Double((v >> 24) & 0xFF)
        guard a > 0 else { return .clear }
        return Color(red: Double((v >> 16) & 0xFF) / a, green: Double((v >> 8) & 0xFF) / a,
                     blue: Double(v & 0xFF) / a, alpha: a / 255)
    }

    /// Number of pixels within `tolerance` (per 8-bit channel) of `color`'s RGB.
    public func count(of color: Color, tolerance: Int = 6) -> Int {
        let target = color.rgb8
        var count = 0
        for y in 0..<height {
            for x in 0..<width {
                let c = self.color(x: x, y: y).rgb8
                if abs(Int(c.red) - Int(target.red)) <= tolerance, abs(Int(c.green) - Int(target.green)) <= tolerance,
                   abs(Int(c.blue) - Int(target.blue)) <= tolerance { count += 1 }
            }
        }
        return count
    }

    /// Number of distinct pixel values (a blank image has 1).
    public var distinctColorCount: Int { Set(premultipliedARGB).count }
}
