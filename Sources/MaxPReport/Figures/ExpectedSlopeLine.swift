import Foundation
import MaxPDiagnostics
import MaxPPlot

/// What theory expects, drawn beside what was measured: for a flagged (op, t), a dashed line with the expected
/// log-log slope through the measured mean at the middle of the swept axis, labelled `expected −0.50` at its right
/// end. A flat measured line next to a falling dashed one reads "should shrink like width^-0.5, does not".
struct ExpectedSlopeLine {
    /// The dashed line (two points: the smallest and largest swept value).
    var series: Series
    /// The `expected −0.50` label at the line's right end.
    var label: Annotation

    /// Legend text of the one entry that explains every dashed line of a figure.
    static let legendLabel = "dashed: slope theory expects"

    /// Line width of the dashed lines.
    static let lineWidth = 2.0

    /// The line for a measured curve (`x` ascending, `mean` per x) and the expected slope, in `color`; nil when
    /// fewer than two points are positive and finite (nothing to anchor a log-log line on).
    init?(x: [Double], mean: [Double], expected: Double, color: Color) {
        let points = zip(x, mean).filter { $0.0 > 0 && $0.1 > 0 && $0.0.isFinite && $0.1.isFinite }
        guard points.count >= 2, expected.isFinite, let first = points.first?.0, let last = points.last?.0 else { return nil }
        let (middleX, middleY) = Self.middle(points)
        func value(at x: Double) -> Double { middleY * pow(x / middleX, expected) }
        series = Series(x: [first, last], y: [value(at: first), value(at: last)], label: nil, color: color,
                        lineWidth: Self.lineWidth, dash: .dashed, marker: MarkerShape.none)
        label = .text("expected \(FigureText.figureSigned(expected))", x: last, y: value(at: last),
                      anchor: TextAnchor(.right, .bottom), color: color.mixed(with: .black, fraction: 0.25))
    }

    /// The middle point of a curve: the middle sample for an odd count, else the geometric mean of the two middle
    /// samples (the middle of the log-log axes).
    static func middle(_ points: [(Double, Double)]) -> (Double, Double) {
        let n = points.count
        if n % 2 == 1 { return points[n / 2] }
        let (a, b) = (points[n / 2 - 1], points[n / 2])
        return ((a.0 * b.0).squareRoot(), (a.1 * b.1).squareRoot())
    }

    /// An empty series that only carries the legend entry explaining the dashed lines.
    static func legendSeries(color: Color) -> Series {
        Series(x: [], y: [], label: legendLabel, color: color, lineWidth: lineWidth, dash: .dashed, marker: MarkerShape.none)
    }
}
