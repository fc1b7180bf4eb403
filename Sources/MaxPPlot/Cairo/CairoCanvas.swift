import CCairo
import Foundation

/// A `Canvas` that draws through a Cairo context (any surface: image, SVG, or a 1×1 scratch surface used only
/// to measure text). Text uses Cairo's toy font API, which resolves families through fontconfig.
final class CairoCanvas: Canvas {
    let context: OpaquePointer

    /// Wraps `context` (retained for the canvas' lifetime) and sets antialiasing and unhinted font metrics, so
    /// that text measures the same on every surface type.
    init(context: OpaquePointer) {
        self.context = cairo_reference(context)
        cairo_set_antialias(context, CAIRO_ANTIALIAS_DEFAULT)
        cairo_set_line_join(context, CAIRO_LINE_JOIN_ROUND)
        cairo_set_line_cap(context, CAIRO_LINE_CAP_BUTT)
        if let options = cairo_font_options_create() {
            cairo_font_options_set_antialias(options, CAIRO_ANTIALIAS_GRAY)
            cairo_font_options_set_hint_metrics(options, CAIRO_HINT_METRICS_OFF)
            cairo_font_options_set_hint_style(options, CAIRO_HINT_STYLE_SLIGHT)
            cairo_set_font_options(context, options)
            cairo_font_options_destroy(options)
        }
    }

    deinit { cairo_destroy(context) }

    func saveState() { cairo_save(context) }
    func restoreState() { cairo_restore(context) }

    func clip(to rect: Rect) {
        cairo_rectangle(context, rect.x, rect.y, rect.width, rect.height)
        cairo_clip(context)
    }

    private func setColor(_ color: Color) {
        cairo_set_source_rgba(context, color.red, color.green, color.blue, color.alpha)
    }

    private func build(_ path: Path) {
        cairo_new_path(context)
        for element in path.elements {
            switch element {
            case .move(let p): cairo_move_to(context, p.x, p.y)
            case .line(let p): cairo_line_to(context, p.x, p.y)
            case .close: cairo_close_path(context)
            case .rect(let r): cairo_rectangle(context, r.x, r.y, r.width, r.height)
            case .circle(let c, let radius):
                cairo_new_sub_path(context)
                cairo_arc(context, c.x, c.y, radius, 0, 2 * Double.pi)
                cairo_close_path(context)
            }
        }
    }

    func fill(_ path: Path, color: Color) {
        guard !path.isEmpty else { return }
        build(path)
        setColor(color)
        cairo_fill(context)
    }

    func stroke(_ path: Path, style: StrokeStyle) {
        guard !path.isEmpty, style.width > 0 else { return }
        build(path)
        setColor(style.color)
        cairo_set_line_width(context, style.width)
        style.dash.withUnsafeBufferPointer { buffer in
            cairo_set_dash(context, buffer.baseAddress, Int32(buffer.count), 0)
        }
        cairo_stroke(context)
        cairo_set_dash(context, nil, 0, 0)
    }

    private func select(_ font: Font) {
        cairo_select_font_face(context, font.family, CAIRO_FONT_SLANT_NORMAL,
                               font.weight == .bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL)
        cairo_set_font_size(context, font.size)
    }

    func showText(_ text: String, at origin: Point, font: Font, color: Color, angle: Double) {
        guard !text.isEmpty else { return }
        select(font)
        setColor(color)
        cairo_save(context)
        cairo_translate(context, origin.x, origin.y)
        if angle != 0 { cairo_rotate(context, angle) }
        cairo_new_path(context)
        cairo_move_to(context, 0, 0)
        cairo_show_text(context, text)
        cairo_restore(context)
    }

    func metrics(of text: String, font: Font) -> TextMetrics {
        select(font)
        var fontExtents = cairo_font_extents_t()
        cairo_font_extents(context, &fontExtents)
        var width = 0.0
        if !text.isEmpty {
            var extents = cairo_text_extents_t()
            cairo_text_extents(context, text, &extents)
            width = extents.x_advance
        }
        return TextMetrics(width: width, ascent: fontExtents.ascent, descent: fontExtents.descent)
    }
}
