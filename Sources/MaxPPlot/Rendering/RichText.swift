import Foundation

/// Text with `^` superscripts (`2^6`, `width^-1`) measured and drawn from runs on a `Canvas`, with alignment
/// and rotation. A `^` starts a superscript only when followed by an optional sign and letters, digits or `.`;
/// the superscript ends at the first other character.
struct RichText {
    struct Run { var text: String; var isSuperscript: Bool }

    /// Superscript size relative to the base font.
    static let superscriptScale = 0.72
    /// Baseline raise of a superscript relative to the base font size.
    static let superscriptRaise = 0.42

    let runs: [Run]
    let font: Font

    init(_ text: String, font: Font) {
        self.font = font
        self.runs = RichText.parse(text)
    }

    static func parse(_ text: String) -> [Run] {
        var runs: [Run] = []
        var current = ""
        let characters = Array(text)
        var index = 0
        func isExponentCharacter(_ c: Character) -> Bool { c.isLetter || c.isNumber || c == "." }
        while index < characters.count {
            let c = characters[index]
            if c == "^", index + 1 < characters.count {
                var end = index + 1
                if characters[end] == "-" || characters[end] == "+" || characters[end] == "−" { end += 1 }
                let start = end
                while end < characters.count, isExponentCharacter(characters[end]) { end += 1 }
                if end > start {
                    if !current.isEmpty { runs.append(Run(text: current, isSuperscript: false)) }
                    current = ""
                    let exponent = String(characters[(index + 1)..<end]).replacingOccurrences(of: "-", with: "\u{2212}")
                    runs.append(Run(text: exponent, isSuperscript: true))
                    index = end
                    continue
                }
            }
            current.append(c)
            index += 1
        }
        if !current.isEmpty || runs.isEmpty { runs.append(Run(text: current, isSuperscript: false)) }
        return runs
    }

    private func runFont(_ run: Run) -> Font {
        run.isSuperscript ? font.withSize(font.size * RichText.superscriptScale) : font
    }

    /// Width, ascent (including raised superscripts) and descent.
    func metrics(using canvas: Canvas) -> TextMetrics {
        var width = 0.0, ascent = 0.0, descent = 0.0
        for run in runs {
            let m = canvas.metrics(of: run.text, font: runFont(run))
            width += m.width
            if run.isSuperscript {
                ascent = max(ascent, m.ascent + font.size * RichText.superscriptRaise)
            } else {
                ascent = max(ascent, m.ascent); descent = max(descent, m.descent)
            }
        }
        if descent == 0 { descent = canvas.metrics(of: "", font: font).descent }
        return TextMetrics(width: width, ascent: ascent, descent: descent)
    }

    /// Draws the text so that the `anchor` point of its (unrotated) box is at `position`; the box is rotated by
    /// `angle` radians around that point.
    func draw(at position: Point, anchor: TextAnchor, color: Color, angle: Double = 0, using canvas: Canvas) {
        let m = metrics(using: canvas)
        let dx: Double = switch anchor.horizontal {
        case .left: 0
        case .center: -m.width / 2
        case .right: -m.width
        }
        let dy: Double = switch anchor.vertical {  // offset of the baseline below the anchor
        case .top: m.ascent
        case .middle: (m.ascent - m.descent) / 2
        case .baseline: 0
        case .bottom: -m.descent
        }
        let cosA = cos(angle), sinA = sin(angle)
        func place(_ x: Double, _ y: Double) -> Point {
            Point(x: position.x + x * cosA - y * sinA, y: position.y + x * sinA + y * cosA)
        }
        let grouping = canvas as? RichTextGrouping
        grouping?.beginLabel(angle: angle)
        defer { grouping?.endLabel() }
        var cursor = dx
        for run in runs {
            let f = runFont(run)
            let raise = run.isSuperscript ? -font.size * RichText.superscriptRaise : 0
            canvas.showText(run.text, at: place(cursor, dy + raise), font: f, color: color, angle: angle)
            cursor += canvas.metrics(of: run.text, font: f).width
        }
    }
}
