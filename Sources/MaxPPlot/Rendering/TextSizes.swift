/// Fonts of a theme and text measurement through a canvas (rich text aware).
struct Typography {
    let theme: Theme
    let canvas: Canvas

    var tickFont: Font { Font(family: theme.fontFamily, size: theme.tickLabelSize) }
    var axisLabelFont: Font { Font(family: theme.fontFamily, size: theme.axisLabelSize) }
    var panelTitleFont: Font { Font(family: theme.fontFamily, size: theme.panelTitleSize) }
    var figureTitleFont: Font { Font(family: theme.fontFamily, size: theme.figureTitleSize) }
    var legendFont: Font { Font(family: theme.fontFamily, size: theme.legendTextSize) }
    var legendTitleFont: Font { Font(family: theme.fontFamily, size: theme.legendTextSize, weight: .bold) }

    func metrics(_ text: String, _ font: Font) -> TextMetrics { RichText(text, font: font).metrics(using: canvas) }

    /// Height of a line of `font` including a raised superscript (used for label rows).
    func lineHeight(_ font: Font) -> Double { metrics("0^0", font).height }

    func draw(_ text: String, at point: Point, anchor: TextAnchor, font: Font, color: Color? = nil, angle: Double = 0) {
        RichText(text, font: font).draw(at: point, anchor: anchor, color: color ?? theme.textColor, angle: angle,
                                        using: canvas)
    }
}
