import CCairo
import Foundation

/// Collects bytes from Cairo's stream writers (passed to C as an unretained opaque pointer).
final class ByteSink {
    var data = Data()
}

/// Feeds bytes to Cairo's PNG stream reader.
final class ByteSource {
    let data: Data
    var offset = 0
    init(_ data: Data) { self.data = data }
}

/// Cairo surfaces for the output formats, each drawn through a `CairoCanvas`.
enum CairoSurfaces {
    static func statusText(_ status: cairo_status_t) -> String { String(cString: cairo_status_to_string(status)) }

    /// A 1×1 image surface canvas used only to measure text.
    static func withMeasuringCanvas<T>(_ body: (CairoCanvas) -> T) -> T {
        let surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 1, 1)
        let context = cairo_create(surface)!
        defer { cairo_destroy(context); cairo_surface_destroy(surface) }
        return body(CairoCanvas(context: context))
    }

    /// Draws into an ARGB32 image of `size × scale` pixels and returns the surface (caller destroys it).
    static func drawImage(size: Size, scale: Double, draw: (CairoCanvas) -> Void) throws(PlotError) -> OpaquePointer {
        let width = Int32((size.width * scale).rounded(.up)), height = Int32((size.height * scale).rounded(.up))
        guard let surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, width, height) else {
            throw .renderingFailed(format: .png, reason: "cannot create a \(width)×\(height) image surface")
        }
        let status = cairo_surface_status(surface)
        guard status == CAIRO_STATUS_SUCCESS else {
            cairo_surface_destroy(surface)
            throw .renderingFailed(format: .png, reason: statusText(status))
        }
        let context = cairo_create(surface)!
        cairo_scale(context, scale, scale)
        draw(CairoCanvas(context: context))
        let drawStatus = cairo_status(context)
        cairo_destroy(context)
        cairo_surface_flush(surface)
        guard drawStatus == CAIRO_STATUS_SUCCESS else {
            cairo_surface_destroy(surface)
            throw .renderingFailed(format: .png, reason: statusText(drawStatus))
        }
        return surface
    }

    /// Draws into an ARGB32 image (as ``drawImage(size:scale:draw:)``) and returns its pixels.
    static func rasterImage(size: Size, scale: Double, draw: (CairoCanvas) -> Void) throws(PlotError) -> RasterImage {
        let surface = try drawImage(size: size, scale: scale, draw: draw)
        defer { cairo_surface_destroy(surface) }
        return raster(of: surface)
    }

    /// PNG bytes of an image surface.
    static func pngData(of surface: OpaquePointer) throws(PlotError) -> Data {
        let sink = ByteSink()
        let status = withExtendedLifetime(sink) {
            cairo_surface_write_to_png_stream(surface, { closure, bytes, length in
                guard let closure, let bytes else { return CAIRO_STATUS_WRITE_ERROR }
                Unmanaged<ByteSink>.fromOpaque(closure).takeUnretainedValue().data.append(bytes, count: Int(length))
                return CAIRO_STATUS_SUCCESS
            }, Unmanaged.passUnretained(sink).toOpaque())
        }
        guard status == CAIRO_STATUS_SUCCESS else { throw .renderingFailed(format: .png, reason: statusText(status)) }
        return sink.data
    }

    /// SVG bytes (document unit px) of a drawing of `size`.
    static func svgData(size: Size, draw: (CairoCanvas) -> Void) throws(PlotError) -> Data {
        let sink = ByteSink()
        let status: cairo_status_t = withExtendedLifetime(sink) {
            let surface = cairo_svg_surface_create_for_stream({ closure, bytes, length in
                guard let closure, let bytes else { return CAIRO_STATUS_WRITE_ERROR }
                Unmanaged<ByteSink>.fromOpaque(closure).takeUnretainedValue().data.append(bytes, count: Int(length))
                return CAIRO_STATUS_SUCCESS
            }, Unmanaged.passUnretained(sink).toOpaque(), size.width, size.height)!
            defer { cairo_surface_destroy(surface) }
            cairo_svg_surface_set_document_unit(surface, CAIRO_SVG_UNIT_PX)
            let context = cairo_create(surface)!
            draw(CairoCanvas(context: context))
            let drawStatus = cairo_status(context)
            cairo_destroy(context)
            cairo_surface_finish(surface)
            return drawStatus != CAIRO_STATUS_SUCCESS ? drawStatus : cairo_surface_status(surface)
        }
        guard status == CAIRO_STATUS_SUCCESS else { throw .renderingFailed(format: .svg, reason: statusText(status)) }
        return sink.data
    }

    /// Decodes PNG bytes into an image surface (caller destroys it).
    static func decodePNG(_ data: Data) throws(PlotError) -> OpaquePointer {
        let source = ByteSource(data)
        let surface: OpaquePointer? = withExtendedLifetime(source) {
            cairo_image_surface_create_from_png_stream({ closure, buffer, length in
                guard let closure, let buffer else { return CAIRO_STATUS_READ_ERROR }
                let source = Unmanaged<ByteSource>.fromOpaque(closure).takeUnretainedValue()
                let count = Int(length)
                guard source.offset + count <= source.data.count else { return CAIRO_STATUS_READ_ERROR }
                source.data.copyBytes(to: buffer, from: source.offset..<(source.offset + count))
                source.offset += count
                return CAIRO_STATUS_SUCCESS
            }, Unmanaged.passUnretained(source).toOpaque())
        }
        guard let surface else { throw .cannotDecode(reason: "Cairo returned no surface") }
        let status = cairo_surface_status(surface)
        guard status == CAIRO_STATUS_SUCCESS else {
            cairo_surface_destroy(surface)
            throw .cannotDecode(reason: statusText(status))
        }
        return surface
    }

    /// Decodes PNG bytes straight into a `RasterImage`.
    static func withDecodedPNG(_ data: Data) throws(PlotError) -> RasterImage {
        let surface = try decodePNG(data)
        defer { cairo_surface_destroy(surface) }
        return raster(of: surface)
    }

    /// Copies an image surface's pixels into a `RasterImage`.
    static func raster(of surface: OpaquePointer) -> RasterImage {
        cairo_surface_flush(surface)
        let width = Int(cairo_image_surface_get_width(surface)), height = Int(cairo_image_surface_get_height(surface))
        let stride = Int(cairo_image_surface_get_stride(surface))
        var pixels = [UInt32](repeating: 0, count: width * height)
        if let base = cairo_image_surface_get_data(surface) {
            let format = cairo_image_surface_get_format(surface)
            for y in 0..<height {
                let row = UnsafeRawPointer(base + y * stride)
                for x in 0..<width {
                    if format == CAIRO_FORMAT_RGB24 {
                        pixels[y * width + x] = row.load(fromByteOffset: 4 * x, as: UInt32.self) | 0xFF00_0000
                    } else {
                        pixels[y * width + x] = row.load(fromByteOffset: 4 * x, as: UInt32.self)
                    }
                }
            }
        }
        return RasterImage(width: width, height: height, premultipliedARGB: pixels)
    }
}
