/// A matrix of values drawn as coloured cells with row and column labels and a colour bar, using a diverging
/// colour scale centred on 0 (so positive and negative entries read as opposite colours, zero as white).
public struct HeatMap: Sendable {
    /// Values, `values[row][column]`; all rows have the same length. NaN cells are drawn grey.
    public var values: [[Double]]
    /// Label for each row (drawn left of the cells, top to bottom).
    public var rowLabels: [String]
    /// Label for each column (drawn below the cells).
    public var columnLabels: [String]
    /// Colour map; position 0.5 corresponds to the value 0.
    public var colorMap: ColorMap
    /// Largest magnitude of the colour scale (values beyond saturate); nil uses the largest finite |value|.
    public var limit: Double?
    /// Caption of the colour bar, or nil.
    public var colorBarLabel: String?
    /// Whether each cell shows its value as text.
    public var showsValues: Bool
    /// Formats cell values and colour bar ticks.
    public var formatter: any TickFormatter

    /// Creates a heat map; label counts must match the matrix shape.
    public init(values: [[Double]], rowLabels: [String], columnLabels: [String], colorMap: ColorMap = .diverging,
                limit: Double? = nil, colorBarLabel: String? = nil, showsValues: Bool = true,
                formatter: any TickFormatter = PlainNumberFormatter(significantDigits: 2)) {
        precondition(values.count == rowLabels.count, "HeatMap: \(values.count) rows but \(rowLabels.count) row labels")
        for (index, row) in values.enumerated() {
            precondition(row.count == columnLabels.count,
                         "HeatMap: row \(index) has \(row.count) values but there are \(columnLabels.count) column labels")
        }
        self.values = values; self.rowLabels = rowLabels; self.columnLabels = columnLabels; self.colorMap = colorMap
        self.limit = limit; self.colorBarLabel = colorBarLabel; self.showsValues = showsValues; self.formatter = formatter
    }

    /// The symmetric colour range ±limit actually used (never 0).
    public var resolvedLimit: Double {
        if let limit, limit > 0, limit.isFinite { return limit }
        let largest = values.joined().filter(\.isFinite).map(abs).max() ?? 0
        return largest > 0 ? largest : 1
    }

    /// Colour for `value`: 0 maps to the centre of the map, ±limit to its ends; NaN and ±∞ get a neutral grey
    /// (±∞ saturate).
    public func color(for value: Double) -> Color {
        if value.isNaN { return Color(hex: 0xBDBDBD) }
        let limit = resolvedLimit
        let clamped = min(limit, max(-limit, value))
        return colorMap.color(at: 0.5 + 0.5 * clamped / limit)
    }
}
