/// Sizes of legend boxes and the rule that places them where they cover no data.
enum LegendGeometry {
    static let padding = 8.0
    static let sampleWidth = 28.0
    static let sampleGap = 7.0
    static let cornerInset = 6.0

    static func rowHeight(_ type: Typography) -> Double { type.lineHeight(type.legendFont) * 1.12 + 3 }

    /// Box size for `entries` with an optional title.
    static func size(entries: [LegendEntry], title: String?, typography type: Typography) -> Size {
        var width = 0.0
        for entry in entries {
            let font = entry.isEmphasized ? type.legendTitleFont : type.legendFont
            width = max(width, sampleWidth + sampleGap + type.metrics(entry.label, font).width)
        }
        var height = Double(entries.count) * rowHeight(type)
        if let title {
            width = max(width, type.metrics(title, type.legendTitleFont).width)
            height += rowHeight(type)
        }
        return Size(width: width + 2 * padding, height: height + 2 * padding - 2)
    }

    /// The frame of a legend of `size` in `corner` of `area`.
    static func frame(size: Size, corner: Corner, in area: Rect) -> Rect {
        let x = corner == .topLeft || corner == .bottomLeft ? area.minX + cornerInset : area.maxX - cornerInset - size.width
        let y = corner == .topLeft || corner == .topRight ? area.minY + cornerInset : area.maxY - cornerInset - size.height
        return Rect(x: x, y: y, width: size.width, height: size.height)
    }

    /// Corners in order of preference (matplotlib's "best" order).
    static let cornerPreference: [Corner] = [.topRight, .topLeft, .bottomLeft, .bottomRight]

    /// The first preferred corner whose box (grown by a small margin) contains none of `samples`, or nil.
    static func freeCorner(size: Size, in area: Rect, samples: [Point]) -> Corner? {
        guard size.width <= area.width * 0.9 - 2 * cornerInset, size.height <= area.height * 0.9 - 2 * cornerInset else {
            return nil
        }
        for corner in cornerPreference {
            let box = frame(size: size, corner: corner, in: area).insetBy(-3)
            if !samples.contains(where: box.contains) { return corner }
        }
        return nil
    }
}
