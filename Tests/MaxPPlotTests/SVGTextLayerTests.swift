import Foundation
import Testing
@testable import MaxPPlot
#if canImport(FoundationXML)
import FoundationXML
#endif

/// Collects every `<text>` element's characters and attributes, and the `<title>`.
final class SVGTextCollector: NSObject, XMLParserDelegate {
    struct Text { var attributes: [String: String]; var content: String; var parents: [String] }
    var texts: [Text] = []
    var title = ""
    private var stack: [String] = []
    private var current: Text?
    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
        if elementName == "text" { current = Text(attributes: attributes, content: "", parents: stack) }
        stack.append(elementName)
    }
    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?) {
        stack.removeLast()
        if elementName == "text", let current { texts.append(current); self.current = nil }
    }
    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if current != nil { current!.content += string } else if stack.last == "title" { title += string }
    }
}

@Suite("SVG text layer")
struct SVGTextLayerTests {
    static func figure() -> Figure {
        var figure = OutputTests.smallFigure()
        figure.title = "coordinate check of 2^6 widths"
        return figure
    }

    static func collect(_ data: Data) throws -> SVGTextCollector {
        let parser = XMLParser(data: data)
        let collector = SVGTextCollector()
        parser.delegate = collector
        #expect(parser.parse(), "SVG does not parse: \(String(describing: parser.parserError))")
        return collector
    }

    @Test("the SVG holds real <text> for the title, axis labels, ticks and legend, with the font named")
    func textElements() throws {
        let figure = Self.figure()
        let svg = try figure.render(format: .svg)
        let collector = try Self.collect(svg.data)
        let contents = collector.texts.map(\.content)
        // A label with a superscript stays one <text> (runs in <tspan>s): "2^6" reads "26" in the layer.
        #expect(contents.contains("coordinate check of 26 widths"))
        #expect(contents.contains("width") && contents.contains("l1") && contents.contains("a"))
        #expect(contents.contains("up") && contents.contains("down"))
        #expect(contents.contains("26") && contents.contains("29"))  // tick labels 2^6 … 2^9
        #expect(collector.title == "coordinate check of 26 widths")
        let title = try #require(collector.texts.first { $0.content.hasPrefix("coordinate check") })
        #expect(title.attributes["font-family"] == "DejaVu Sans, sans-serif")
        #expect(title.attributes["font-size"] == "18")
        #expect(title.parents.last == "g")
        // The y label is rotated a quarter turn counter-clockwise about its origin.
        let yLabel = try #require(collector.texts.first { $0.content == "l1" })
        #expect(yLabel.attributes["transform"]?.hasSuffix("rotate(-90)") == true)
        // Every piece of text the renderer drew is in the layer, once.
        let labels = CairoSurfaces.withMeasuringCanvas { canvas in
            let recorder = TextRecordingCanvas(drawingOn: canvas)
            figure.draw(on: recorder)
            return recorder.labels
        }
        #expect(collector.texts.count == labels.count && labels.count > 10)
    }

    @Test("the text layer sits on Cairo's drawing unchanged: same glyph outlines, same PNG pixels")
    func pictureUnchanged() throws {
        let figure = Self.figure()
        let size = figure.size
        let layered = String(decoding: try figure.render(format: .svg).data, as: UTF8.self)
        let plain = String(decoding: try CairoSurfaces.svgData(size: size) { figure.draw(on: $0, size: size) }, as: UTF8.self)
        // Remove the added <title> line and the layer: what remains is exactly Cairo's document.
        var stripped = layered
        let layerStart = try #require(stripped.range(of: "<g id=\"text-layer\""))
        let layerEnd = try #require(stripped.range(of: "</g>\n", range: layerStart.upperBound..<stripped.endIndex))
        stripped.removeSubrange(layerStart.lowerBound..<layerEnd.upperBound)
        let titleLine = try #require(stripped.range(of: "\n<title>coordinate check of 26 widths</title>"))
        stripped.removeSubrange(titleLine)
        // Cairo numbers its surfaces process-wide (`<g id="surface12">`): compare with the ids masked.
        func masked(_ text: String) -> String {
            text.replacingOccurrences(of: "id=\"surface[0-9]+\"", with: "id=\"surface\"", options: .regularExpression)
        }
        #expect(masked(stripped) == masked(plain))
        #expect(plain.components(separatedBy: "<use").count > 20)
        // The PNG path draws straight on Cairo; drawing through the recorder gives the same pixels.
        let direct = try CairoSurfaces.rasterImage(size: size, scale: 1) { figure.draw(on: $0, size: size) }
        let recorded = try CairoSurfaces.rasterImage(size: size, scale: 1) {
            figure.draw(on: TextRecordingCanvas(drawingOn: $0), size: size)
        }
        #expect(direct == recorded)
        #expect(try figure.rasterize().image == direct)
        #expect(try RasterImage(pngData: try figure.render(format: .png).data) == direct)
    }

    @Test("labels are escaped and placed at the baseline origin with the advance Cairo measured")
    func escapingAndPlacement() {
        let run = SVGTextLayer.Run(text: "a<b & \"c\"", origin: Point(x: 10.5, y: 20.25), font: Font(size: 12, weight: .bold),
                                   width: 40.125)
        let element = SVGTextLayer.textElement(SVGTextLayer.Label(runs: [run], angle: 0))
        #expect(element == "<text font-family=\"DejaVu Sans, sans-serif\" font-size=\"12\" font-weight=\"bold\">"
                + "<tspan x=\"10.5\" y=\"20.25\" textLength=\"40.125\" lengthAdjust=\"spacingAndGlyphs\">"
                + "a&lt;b &amp; &quot;c&quot;</tspan></text>")
        // A rotated label with a superscript: runs in the rotated frame of the first run.
        let base = SVGTextLayer.Run(text: "x", origin: Point(x: 100, y: 200), font: Font(size: 10), width: 6)
        let sup = SVGTextLayer.Run(text: "2", origin: Point(x: 96, y: 194), font: Font(size: 7.2), width: 4)
        let rotated = SVGTextLayer.textElement(SVGTextLayer.Label(runs: [base, sup], angle: -Double.pi / 2))
        #expect(rotated.contains("transform=\"translate(100 200) rotate(-90)\""))
        #expect(rotated.contains("<tspan x=\"6\" y=\"-4\" font-size=\"7.2\""))
        #expect(SVGTextLayer.number(-0.0001) == "0" && SVGTextLayer.number(3) == "3")
    }
}
