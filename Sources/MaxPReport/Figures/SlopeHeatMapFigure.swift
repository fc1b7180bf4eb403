import MaxPDiagnostics
import MaxPPlot

/// Builds the slope heat map: rows = ops (graph order), columns = steps t, two panels — the measured slope and
/// its deviation from theory (slope − expected) — on a diverging blue–white–red scale centred on 0, so a red cell
/// in the right panel is an op that grows faster with the swept axis (width, or depth) than it should.
public enum SlopeHeatMapFigure {
    /// The figure for one statistic of `slopes` (ops in `opOrder` when given, else the report's order).
    public static func make(slopes: SlopeReport, statistic: CoordStatistic = .l1, opOrder: [String]? = nil,
                            run: RunDescription) -> Figure {
        let entries = slopes.ops.filter { $0.statistic == statistic }
        var ops: [String] = []
        for op in (opOrder ?? []) + entries.map(\.op) where !ops.contains(op) && entries.contains(where: { $0.op == op }) {
            ops.append(op)
        }
        let steps = Array(Set(entries.map(\.t))).sorted()
        func matrix(_ value: (SlopeReport.Entry) -> Double?) -> [[Double]] {
            ops.map { op in
                steps.map { t in slopes.entry(op: op, t: t, statistic: statistic).flatMap(value) ?? .nan }
            }
        }
        let columns = steps.map { $0 == 0 ? "t=0 (init)" : "t=\($0)" }
        let measured = HeatMap(values: matrix(\.slope), rowLabels: ops, columnLabels: columns,
                               colorBarLabel: "slope (exponent of \(slopes.axis.rawValue))",
                               formatter: SignedSlopeFormatter())
        let deviation = HeatMap(values: matrix { entry in entry.slope.flatMap { s in entry.expected.map { s - $0 } } },
                                rowLabels: ops, columnLabels: columns, colorBarLabel: "slope − expected",
                                formatter: SignedSlopeFormatter())
        let panels = [
            Panel(title: "measured slope", heatMap: measured, xLabel: "step", yLabel: "op"),
            Panel(title: "deviation from theory (slope − expected)", heatMap: deviation, xLabel: "step", yLabel: nil),
        ]
        let head = run.headline
        let what = "log-log slopes of \(FigureText.statisticTitle(statistic)) against \(slopes.axis.rawValue)"
        let width = 2 * (260 + 70 * Double(max(1, steps.count)))
        return Figure(title: head.isEmpty ? what : "\(head): \(what)", panels: panels, columns: 2,
                      size: Size(width: max(1150, width), height: 160 + 30 * Double(max(1, ops.count))),
                      theme: .whiteGrid)
    }
}

/// Slopes in heat-map cells and colour bars: sign and two decimals (`+0.92`, `-0.48`, `+0.00`).
public struct SignedSlopeFormatter: TickFormatter {
    /// Creates the formatter.
    public init() {}
    /// The signed value.
    public func label(for value: Double) -> String { FigureText.signed(value) }
}
