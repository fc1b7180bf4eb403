import Foundation

/// A point in device pixels (origin top-left, y grows downwards).
public struct Point: Equatable, Hashable, Sendable {
    /// Horizontal pixel coordinate.
    public var x: Double
    /// Vertical pixel coordinate (downwards).
    public var y: Double
    /// Creates a point from pixel coordinates.
    public init(x: Double, y: Double) { self.x = x; self.y = y }
}

/// A width and height in device pixels.
public struct Size: Equatable, Hashable, Sendable {
    /// Width in pixels.
    public var width: Double
    /// Height in pixels.
    public var height: Double
    /// Creates a size in pixels.
    public init(width: Double, height: Double) { self.width = width; self.height = height }
}

/// An axis-aligned rectangle in device pixels.
public struct Rect: Equatable, Hashable, Sendable, CustomStringConvertible {
    /// Left edge.
    public var x: Double
    /// Top edge.
    public var y: Double
    /// Width (non-negative).
    public var width: Double
    /// Height (non-negative).
    public var height: Double

    /// Creates a rectangle from its top-left corner and size.
    public init(x: Double, y: Double, width: Double, height: Double) {
        self.x = x; self.y = y; self.width = width; self.height = height
    }

    /// Left edge.
    public var minX: Double { x }
    /// Right edge.
    public var maxX: Double { x + width }
    /// Top edge.
    public var minY: Double { y }
    /// Bottom edge.
    public var maxY: Double { y + height }
    /// Centre point.
    public var center: Point { Point(x: x + width / 2, y: y + height / 2) }

    /// Whether `point` lies inside or on the border.
    public func contains(_ point: Point) -> Bool {
        point.x >= minX && point.x <= maxX && point.y >= minY && point.y <= maxY
    }

    /// Whether the two rectangles share any interior area.
    public func intersects(_ other: Rect) -> Bool {
        minX < other.maxX && other.minX < maxX && minY < other.maxY && other.minY < maxY
    }

    /// Whether `other` lies completely inside this rectangle (borders included).
    public func contains(_ other: Rect) -> Bool {
        other.minX >= minX - 1e-9 && other.maxX <= maxX + 1e-9 && other.minY >= minY - 1e-9 && other.maxY <= maxY + 1e-9
    }

    /// The rectangle shrunk by `amount` on every side (never below zero size).
    public func insetBy(_ amount: Double) -> Rect {
        Rect(x: x + amount, y: y + amount, width: max(0, width - 2 * amount), height: max(0, height - 2 * amount))
    }

    /// Shrinks by separate amounts per side.
    public func inset(top: Double = 0, left: Double = 0, bottom: Double = 0, right: Double = 0) -> Rect {
        Rect(x: x + left, y: y + top, width: max(0, width - left - right), height: max(0, height - top - bottom))
    }

    /// A readable description such as `(10.0, 20.0, 300.0×200.0)`.
    public var description: String {
        func f(_ v: Double) -> String { String(format: "%.1f", v) }
        return "(\(f(x)), \(f(y)), \(f(width))×\(f(height)))"
    }
}
