import Foundation
import _MaxPSupport

/// The text of a figure as SVG `<text>` elements, laid over Cairo's glyph outlines so that an SVG's labels can be
/// searched, selected and read by a screen reader while the picture stays exactly what Cairo drew.
///
/// Every piece of text the renderer draws becomes one `<text>` at the same baseline origin, font family, size,
/// weight and rotation, with `textLength` set to the advance Cairo measured (so a viewer with another font still
/// covers the same box). The layer is transparent (`fill-opacity="0"`): the visible glyphs are Cairo's outlines.
/// A `<title>` naming the figure is added for assistive technology.
struct SVGTextLayer {
    /// One run of text in one font: a whole label, or one part of a label with `^` superscripts.
    struct Run: Equatable {
        /// The characters drawn.
        var text: String
        /// Baseline origin in pixels.
        var origin: Point
        /// The font.
        var font: Font
        /// Advance width measured by Cairo.
        var width: Double
    }

    /// One label: its runs in drawing order and their common rotation (radians, clockwise).
    struct Label: Equatable {
        var runs: [Run]
        var angle: Double
        /// The label's characters (runs joined).
        var text: String { runs.map(\.text).joined() }
    }

    /// The labels in drawing order.
    var labels: [Label] = []
    /// The figure's title, used for the SVG `<title>`.
    var title: String?

    /// `svg` (Cairo's document) with the text layer inserted as the last child of the root and a `<title>` as its
    /// first; returned unchanged if it is not an SVG document.
    func inserted(into svg: Data) -> Data {
        let document = String(decoding: svg, as: UTF8.self)
        guard let rootStart = document.range(of: "<svg"),
              let rootEnd = document.range(of: ">", range: rootStart.upperBound..<document.endIndex),
              let close = document.range(of: "</svg>", options: .backwards) else { return svg }
        var result = String(document[..<rootEnd.upperBound])
        if let title, !title.isEmpty { result += "\n<title>\(Self.escaped(Self.plain(title)))</title>" }
        result += String(document[rootEnd.upperBound..<close.lowerBound])
        result += layerXML()
        result += String(document[close.lowerBound...])
        return Data(result.utf8)
    }

    /// The `<g>` holding one `<text>` per label.
    func layerXML() -> String {
        var xml = "<g id=\"text-layer\" fill=\"#000000\" fill-opacity=\"0\" stroke=\"none\" xml:space=\"preserve\">\n"
        for label in labels where !label.runs.isEmpty {
            xml += Self.textElement(label) + "\n"
        }
        return xml + "</g>\n"
    }

    /// One `<text>`: unrotated labels place their runs at absolute positions; rotated ones are translated to the
    /// first run's origin, rotated, and place the runs in the rotated frame.
    static func textElement(_ label: Label) -> String {
        let first = label.runs[0]
        let cosA = cos(label.angle), sinA = sin(label.angle)
        func local(_ p: Point) -> Point {
            guard label.angle != 0 else { return p }
            let dx = p.x - first.origin.x, dy = p.y - first.origin.y
            return Point(x: dx * cosA + dy * sinA, y: -dx * sinA + dy * cosA)
        }
        var element = "<text" + fontAttributes(first.font)
        if label.angle != 0 {
            element += " transform=\"translate(\(number(first.origin.x)) \(number(first.origin.y))) "
                + "rotate(\(number(label.angle * 180 / Double.pi)))\""
        }
        element += ">"
        for run in label.runs {
            let p = local(run.origin)
            element += "<tspan x=\"\(number(p.x))\" y=\"\(number(p.y))\""
            if run.font.size != first.font.size { element += " font-size=\"\(number(run.font.size))\"" }
            if run.width > 0 { element += " textLength=\"\(number(run.width))\" lengthAdjust=\"spacingAndGlyphs\"" }
            element += ">\(escaped(run.text))</tspan>"
        }
        return element + "</text>"
    }

    static func fontAttributes(_ font: Font) -> String {
        " font-family=\"\(escaped(font.family)), sans-serif\" font-size=\"\(number(font.size))\""
            + (font.weight == .bold ? " font-weight=\"bold\"" : "")
    }

    /// A coordinate with at most 3 decimals, trailing zeros dropped (deterministic, locale-free).
    static func number(_ value: Double) -> String {
        guard value.isFinite else { return "0" }
        var text = String(format: "%.3f", value)
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text == "-0" ? "0" : text
    }

    /// The title without `^` superscript marks (`2^6` → `2⁶` is not attempted: `^` is simply dropped before
    /// an exponent, as a screen reader would read it).
    static func plain(_ text: String) -> String {
        RichText.parse(text).map(\.text).joined()
    }

    /// Escapes `& < > "` and drops the characters XML 1.0 forbids and line breaks (see ``XMLText``).
    static func escaped(_ text: String) -> String { XMLText.escaped(text, apostrophes: false, lineBreaks: false) }
}
