import CCairo
import Foundation
import _MaxPSupport

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Encoded image bytes together with the layout that was drawn.
public struct RenderedFigure: Sendable {
    /// PNG or SVG bytes.
    public var data: Data
    /// Format of `data`.
    public var format: ImageFormat
    /// What was laid out.
    public var layout: LayoutReport
}

extension Figure {
    private func validatedSize(_ size: Size?) throws(PlotError) -> Size {
        let size = size ?? self.size
        guard size.width.isFinite, size.height.isFinite, size.width >= 1, size.height >= 1,
              size.width <= 20_000, size.height <= 20_000 else {
            throw .invalidSize(width: size.width, height: size.height)
        }
        return size
    }

    /// Lays the figure out at `size` (default: its own) without drawing, measuring text with Cairo.
    public func layout(size: Size? = nil) -> LayoutReport {
        let size = size ?? self.size
        return CairoSurfaces.withMeasuringCanvas { canvas in
            FigureLayoutEngine(figure: self, size: size, type: Typography(theme: theme, canvas: canvas)).layout()
        }
    }

    /// Lays out and draws the figure on any canvas (sized `size`, default the figure's), returning the layout.
    @discardableResult
    public func draw(on canvas: Canvas, size: Size? = nil) -> LayoutReport {
        let type = Typography(theme: theme, canvas: canvas)
        let report = FigureLayoutEngine(figure: self, size: size ?? self.size, type: type).layout()
        FigureRenderer(figure: self, report: report, type: type).draw()
        return report
    }

    /// Renders to PNG or SVG bytes in memory. `scale` multiplies the PNG's pixel size (2 for high-DPI
    /// screens); the SVG is always sized in px at scale 1.
    public func render(format: ImageFormat, scale: Double = 1) throws(PlotError) -> RenderedFigure {
        let size = try validatedSize(nil)
        var report: LayoutReport?
        switch format {
        case .png:
            guard scale > 0, scale.isFinite else { throw .invalidSize(width: size.width * scale, height: size.height * scale) }
            let surface = try CairoSurfaces.drawImage(size: size, scale: scale) { report = draw(on: $0, size: size) }
            defer { cairo_surface_destroy(surface) }
            return RenderedFigure(data: try CairoSurfaces.pngData(of: surface), format: .png, layout: report!)
        case .svg:
            // Cairo draws text as glyph outlines; a transparent layer of real <text> goes on top (same positions).
            var labels: [SVGTextLayer.Label] = []
            let data = try CairoSurfaces.svgData(size: size) { cairo in
                let recorder = TextRecordingCanvas(drawingOn: cairo)
                report = draw(on: recorder, size: size)
                labels = recorder.labels
            }
            let layered = SVGTextLayer(labels: labels, title: title).inserted(into: data)
            return RenderedFigure(data: layered, format: .svg, layout: report!)
        }
    }

    /// Renders to pixels (for checks; `scale` as in `render`).
    public func rasterize(scale: Double = 1) throws(PlotError) -> (image: RasterImage, layout: LayoutReport) {
        let size = try validatedSize(nil)
        var report: LayoutReport?
        let surface = try CairoSurfaces.drawImage(size: size, scale: scale) { report = draw(on: $0, size: size) }
        defer { cairo_surface_destroy(surface) }
        return (CairoSurfaces.raster(of: surface), report!)
    }

    /// Writes the figure to `url` as PNG or SVG (default: from the extension). The bytes go to a temporary
    /// file in the same folder that is then renamed over `url`, so readers never see a half-written file.
    @discardableResult
    public func write(to url: URL, format: ImageFormat? = nil, scale: Double = 1) throws(PlotError) -> LayoutReport {
        guard let format = format ?? ImageFormat(pathExtension: url.pathExtension) else {
            throw .unknownFormat(path: url.path)
        }
        let rendered = try render(format: format, scale: scale)
        do { try AtomicFile.write(rendered.data, to: url) } catch {
            throw .cannotWrite(path: url.path, reason: error.reason)
        }
        return rendered.layout
    }
}
