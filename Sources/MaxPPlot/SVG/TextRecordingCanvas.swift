/// A canvas that draws through another canvas and also records every run of text it is asked to show, grouped
/// into labels (see ``RichTextGrouping``): the source of an SVG's text layer.
final class TextRecordingCanvas: Canvas, RichTextGrouping {
    let base: Canvas
    private(set) var labels: [SVGTextLayer.Label] = []
    private var openLabel: SVGTextLayer.Label?

    init(drawingOn base: Canvas) { self.base = base }

    func saveState() { base.saveState() }
    func restoreState() { base.restoreState() }
    func clip(to rect: Rect) { base.clip(to: rect) }
    func fill(_ path: Path, color: Color) { base.fill(path, color: color) }
    func stroke(_ path: Path, style: StrokeStyle) { base.stroke(path, style: style) }
    func metrics(of text: String, font: Font) -> TextMetrics { base.metrics(of: text, font: font) }

    func showText(_ text: String, at origin: Point, font: Font, color: Color, angle: Double) {
        base.showText(text, at: origin, font: font, color: color, angle: angle)
        guard !text.isEmpty else { return }
        let run = SVGTextLayer.Run(text: text, origin: origin, font: font, width: base.metrics(of: text, font: font).width)
        if openLabel != nil {
            openLabel!.runs.append(run)
        } else {
            labels.append(SVGTextLayer.Label(runs: [run], angle: angle))
        }
    }

    func beginLabel(angle: Double) {
        endLabel()
        openLabel = SVGTextLayer.Label(runs: [], angle: angle)
    }

    func endLabel() {
        if let label = openLabel, !label.runs.isEmpty { labels.append(label) }
        openLabel = nil
    }
}

/// A canvas that wants to know which text runs form one label (a label with `^` superscripts is drawn as
/// several runs), so that it can keep them together.
protocol RichTextGrouping: AnyObject {
    /// The runs shown from now until ``endLabel()`` belong to one label rotated by `angle`.
    func beginLabel(angle: Double)
    /// Closes the label opened by ``beginLabel(angle:)``.
    func endLabel()
}
