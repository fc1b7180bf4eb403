import Foundation
import Testing
@testable import MaxPPlot
#if canImport(FoundationXML)
import FoundationXML
#endif

/// Collects the root element's attributes and counts elements.
final class SVGInspector: NSObject, XMLParserDelegate {
    var rootName: String?
    var rootAttributes: [String: String] = [:]
    var elementCounts: [String: Int] = [:]
    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
        if rootName == nil { rootName = elementName; rootAttributes = attributes }
        elementCounts[elementName, default: 0] += 1
    }
}

@Suite("Output")
struct OutputTests {
    static func smallFigure() -> Figure {
        let xs = [64.0, 128, 256, 512]
        return Figure(title: "small", panels: [
            Panel(title: "a", xAxis: Axis(scale: .log2, label: "width"), yAxis: Axis(scale: .log2, label: "l1"),
                  series: [Series(x: xs, y: [1, 2, 4, 8], label: "up", color: Color(hex: 0xC44E52), lineWidth: 4),
                           Series(x: xs, y: [8, 4, 2, 1], label: "down", color: Color(hex: 0x4C72B0), lineWidth: 4,
                                  band: Band(lower: [7, 3.5, 1.8, 0.9], upper: [9, 4.5, 2.2, 1.1]))]),
        ], size: Size(width: 480, height: 320))
    }

    @Test("SVG output is well-formed XML with the figure's pixel size")
    func svg() throws {
        let rendered = try Self.smallFigure().render(format: .svg)
        let parser = XMLParser(data: rendered.data)
        let inspector = SVGInspector()
        parser.delegate = inspector
        #expect(parser.parse(), "SVG does not parse: \(String(describing: parser.parserError))")
        #expect(inspector.rootName == "svg")
        #expect(inspector.rootAttributes["width"].map { $0.replacingOccurrences(of: "px", with: "") } == "480")
        #expect(inspector.rootAttributes["height"].map { $0.replacingOccurrences(of: "px", with: "") } == "320")
        #expect((inspector.elementCounts["path"] ?? 0) > 10)
        #expect(rendered.layout.panels.count == 1 && rendered.layout.panels[0].series.count == 2)
    }

    @Test("PNG output has the signature and IHDR size, scaled when asked")
    func pngHeader() throws {
        for scale in [1.0, 2.0] {
            let data = [UInt8](try Self.smallFigure().render(format: .png, scale: scale).data)
            #expect(Array(data.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
            #expect(String(decoding: data[12..<16], as: UTF8.self) == "IHDR")
            func be32(_ offset: Int) -> Int { data[offset..<(offset + 4)].reduce(0) { $0 << 8 | Int($1) } }
            #expect(be32(16) == Int(480 * scale))
            #expect(be32(20) == Int(320 * scale))
        }
    }

    @Test("decoded PNG pixels are not blank and contain the series and background colours")
    func pngPixels() throws {
        let figure = Self.smallFigure()
        let image = try RasterImage(pngData: try figure.render(format: .png).data)
        #expect(image.width == 480 && image.height == 320)
        #expect(image.distinctColorCount > 50)
        #expect(image.count(of: Color(hex: 0xC44E52)) > 100)
        #expect(image.count(of: Color(hex: 0x4C72B0)) > 100)
        #expect(image.count(of: Theme.darkGrid.panelBackground, tolerance: 2) > 10_000)
        // In-memory rasterisation agrees with the decoded PNG.
        let (raster, _) = try figure.rasterize()
        #expect(raster.width == image.width && raster.count(of: Color(hex: 0xC44E52)) == image.count(of: Color(hex: 0xC44E52)))
        // The band is drawn: pixels inside the band near its middle are tinted towards blue.
        let layout = figure.layout().panels[0]
        let inside = try #require(layout.point(x: 181, y: 2.0 * 1.07))
        let c = raster.color(x: Int(inside.x), y: Int(inside.y))
        #expect(c.blue > c.red)
    }

    @Test("garbage is not decoded as PNG")
    func decodeGarbage() {
        #expect(throws: PlotError.self) { try RasterImage(pngData: Data("not a png".utf8)) }
    }

    @Test("write puts the file in place atomically and leaves no temporary file")
    func writeFiles() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("maxpplot-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let figure = Self.smallFigure()
        try figure.write(to: folder.appendingPathComponent("plot.png"))
        try figure.write(to: folder.appendingPathComponent("plot.svg"))
        try figure.write(to: folder.appendingPathComponent("plot.svg"))  // overwrite works
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        #expect(names == ["plot.png", "plot.svg"])
        let svg = try String(contentsOf: folder.appendingPathComponent("plot.svg"), encoding: .utf8)
        #expect(svg.contains("<svg"))
    }

    @Test("unwritable paths and unknown formats throw typed errors naming the path")
    func writeErrors() throws {
        let figure = Self.smallFigure()
        let missing = URL(fileURLWithPath: "/nonexistent-maxpplot-folder/plot.png")
        #expect {
            try figure.write(to: missing)
        } throws: { error in
            guard case PlotError.cannotWrite(let path, _) = error else { return false }
            return path == missing.path && "\(error)".contains(missing.path)
        }
        // A "folder" that is a regular file.
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("maxpplot-file-\(UUID().uuidString)")
        try Data("x".utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        #expect(throws: PlotError.self) { try figure.write(to: file.appendingPathComponent("plot.svg")) }
        #expect(throws: PlotError.unknownFormat(path: "/tmp/plot.jpg")) {
            try figure.write(to: URL(fileURLWithPath: "/tmp/plot.jpg"))
        }
        var bad = figure
        bad.size = Size(width: 0, height: 100)
        #expect(throws: PlotError.invalidSize(width: 0, height: 100)) { try bad.render(format: .png) }
    }
}
