/// Why a figure could not be rendered, written or decoded.
public enum PlotError: Error, Equatable, CustomStringConvertible {
    /// The output file could not be created, written or moved into place.
    case cannotWrite(path: String, reason: String)
    /// Cairo reported an error while drawing or encoding.
    case renderingFailed(format: ImageFormat, reason: String)
    /// The figure or image size is not a positive finite number of pixels.
    case invalidSize(width: Double, height: Double)
    /// The file extension does not name a supported format.
    case unknownFormat(path: String)
    /// PNG data could not be decoded.
    case cannotDecode(reason: String)

    /// A one-line message saying what failed and what to do.
    public var description: String {
        switch self {
        case let .cannotWrite(path, reason):
            "cannot write plot to '\(path)': \(reason) (check that the folder exists and is writable)"
        case let .renderingFailed(format, reason):
            "rendering \(format.rawValue.uppercased()) failed: \(reason)"
        case let .invalidSize(width, height):
            "figure size \(width)×\(height) px is invalid: width and height must be positive and finite"
        case let .unknownFormat(path):
            "cannot tell the image format of '\(path)': use the extension .png or .svg, or pass a format"
        case let .cannotDecode(reason):
            "cannot decode PNG: \(reason)"
        }
    }
}

/// Output image formats.
public enum ImageFormat: String, CaseIterable, Equatable, Sendable {
    /// Raster PNG (ARGB32).
    case png
    /// Vector SVG (text as glyph outlines, sizes in px).
    case svg

    /// The format named by a file extension (`png`, `svg`, case-insensitive), or nil.
    public init?(pathExtension: String) {
        self.init(rawValue: pathExtension.lowercased())
    }
}
