/// The rows of a coord-check CSV from outside, read and checked, before roles are assigned: one sample per
/// (width, seed, t, op) with the statistics the file holds, `t` already shifted so that 0 is initialization.
public struct ImportedRows: Sendable, Equatable {
    /// One measured (width, seed, t, op).
    public struct Row: Sendable, Equatable {
        /// The width.
        public var width: Int
        /// The seed: the file's, or (mup) the order of appearance of this (width, module, t), from 0.
        public var seed: Int
        /// The step, 0 = initialization.
        public var t: Int
        /// The op (module) name.
        public var op: String
        /// `l1`, `rms`, `delta_rms` in this order; NaN for a statistic the file does not hold.
        public var values: [Double]
        /// mup's `mean` of the op's output, when the file has a `mean` column (not judged; carried to
        /// `coord_moments.csv`).
        public var mean: Double? = nil
        /// mup's `std` of the op's output, when the file has a `std` column.
        public var std: Double? = nil
    }

    /// The detected format.
    public var format: ImportFormat
    /// The step of the file that was taken as initialization.
    public var tOrigin: Int
    /// The statistics the file holds, in ``CoordStatistic`` order.
    public var statistics: [CoordStatistic]
    /// The rows, in file order.
    public var rows: [Row]
    /// The ops in order of first appearance.
    public var ops: [String]
    /// The widths, ascending.
    public var widths: [Int]
    /// Header columns that were not used (index, constant settings, statistics we do not judge).
    public var ignoredColumns: [String]
    /// Columns holding one value on every row (`optimizer` → `adam`), for the run description.
    public var constants: [String: String]
    /// Unused columns whose value changes between rows (in a mup file such rows still count as seeds of one run).
    public var varyingColumns: [String]
    /// How many rows of the root module (empty name) were dropped.
    public var droppedRootRows: Int

    /// The column names that hold each statistic (`l2` is mup's name for our `rms`).
    static let statisticColumns: [(names: [String], statistic: CoordStatistic)] = [
        (["l1"], .l1), (["rms", "l2"], .rms), (["delta_rms"], .deltaRMS),
    ]

    /// Reads CSV `text` (named `path` in messages). `tOrigin` overrides the origin the format implies.
    public init(csv text: String, path: String, tOrigin: Int? = nil) throws(ImportError) {
        if let tOrigin, tOrigin != 0 && tOrigin != 1 { throw .invalidTOrigin(tOrigin) }
        // The header: the first line (without a byte-order mark or `\r`).
        var headerLine = Substring(text.prefix { $0 != "\n" && $0 != "\r\n" })
        if headerLine.hasPrefix("\u{FEFF}") { headerLine = headerLine.dropFirst() }
        guard !headerLine.trimmingCharacters(in: .whitespaces).isEmpty else { throw .empty(path: path) }
        guard let header = TextFormat.splitCSVLine(headerLine)?.map({ $0.trimmingCharacters(in: .whitespaces) }) else {
            throw .unterminatedQuote(path: path, line: 1)
        }
        func column(_ names: [String]) -> Int? { names.lazy.compactMap { header.firstIndex(of: $0) }.first }
        let seedColumn = column(["seed"])
        let format: ImportFormat = seedColumn == nil ? .mup : .tidy
        let widthNames = format == .mup ? ["width"] : ["width", "axis_value"]
        let opNames = format == .mup ? ["module"] : ["module", "op"]
        guard let widthColumn = column(widthNames) else {
            throw .missingColumn(path: path, column: widthNames.joined(separator: "` or `"), found: header)
        }
        guard let opColumn = column(opNames) else {
            throw .missingColumn(path: path, column: opNames.joined(separator: "` or `"), found: header)
        }
        guard let tColumn = column(["t"]) else { throw .missingColumn(path: path, column: "t", found: header) }
        var statisticColumn: [Int?] = Array(repeating: nil, count: CoordStatistic.allCases.count)
        for (names, statistic) in Self.statisticColumns {
            statisticColumn[CoordStatistic.allCases.firstIndex(of: statistic)!] = column(names)
        }
        guard statisticColumn.contains(where: { $0 != nil }) else { throw .noStatistic(path: path, found: header) }
        let meanColumn = column(["mean"]), stdColumn = column(["std"])
        let used = Set([widthColumn, opColumn, tColumn] + [seedColumn, meanColumn, stdColumn].compactMap { $0 }
                       + statisticColumn.compactMap { $0 })
        let extra = header.indices.filter { !used.contains($0) }
        let origin = tOrigin ?? format.detectedTOrigin

        var rows: [Row] = []
        rows.reserveCapacity(text.utf8.count / 32)
        var rowLines: [Int] = []
        rowLines.reserveCapacity(text.utf8.count / 32)
        var opIndex: [String: Int] = [:]
        var ops: [String] = []
        struct Site: Hashable { var width: Int; var t: Int; var op: Int; var seed: Int }
        var blockCount: [Site: Int] = [:]
        var firstLine: [Site: Int] = [:]
        if seedColumn == nil { blockCount.reserveCapacity(text.utf8.count / 32) } else { firstLine.reserveCapacity(text.utf8.count / 32) }
        var extraValues: [String?] = Array(repeating: nil, count: header.count)
        var extraConstant: [Bool] = Array(repeating: true, count: header.count)
        var dropped = 0
        try CSVScanner.forEachLine(in: text) { (lineNumber: Int, parsed: [String]?) throws(ImportError) in
            guard lineNumber > 1 else { return }
            guard let fields = parsed else { throw ImportError.unterminatedQuote(path: path, line: lineNumber) }
            guard fields.count == header.count else {
                throw ImportError.raggedRow(path: path, line: lineNumber, expected: header.count, found: fields.count)
            }
            func integer(_ index: Int) throws(ImportError) -> Int {
                if let value = Int(fields[index]) { return value }
                let text = fields[index].trimmingCharacters(in: .whitespaces)
                if let value = Int(text) { return value }
                if let value = Double(text), value.isFinite, value == value.rounded(), abs(value) < 1e15 { return Int(value) }
                throw .invalidNumber(path: path, line: lineNumber, column: header[index], text: fields[index])
            }
            let op = fields[opColumn]
            if op.allSatisfy(\.isWhitespace) { dropped += 1; return }
            let width = try integer(widthColumn)
            guard width > 0 else {
                throw .nonPositive(path: path, line: lineNumber, column: header[widthColumn], text: fields[widthColumn])
            }
            let fileT = try integer(tColumn)
            guard fileT >= origin else { throw ImportError.stepBeforeOrigin(path: path, line: lineNumber, t: fileT, origin: origin) }
            let t = fileT - origin
            var values = [Double.nan, .nan, .nan]
            for (position, index) in statisticColumn.enumerated() {
                guard let index else { continue }
                guard let value = Double(fields[index]) ?? TextFormat.parseNumber(fields[index]) else {
                    throw .invalidNumber(path: path, line: lineNumber, column: header[index], text: fields[index])
                }
                values[position] = value
            }
            let seed: Int
            let id: Int
            if let known = opIndex[op] {
                id = known
            } else {
                id = ops.count
                opIndex[op] = id
                ops.append(op)
            }
            let key = Site(width: width, t: t, op: id, seed: 0)
            if let seedColumn {
                seed = try integer(seedColumn)
                var seeded = key
                seeded.seed = seed
                if let first = firstLine[seeded] {
                    throw .duplicateRow(path: path, line: lineNumber, firstLine: first)
                }
                firstLine[seeded] = lineNumber
            } else {
                seed = blockCount[key, default: 0]
                blockCount[key] = seed + 1
            }
            for index in extra where extraConstant[index] {
                if let value = extraValues[index] {
                    if value != fields[index] { extraConstant[index] = false }
                } else {
                    extraValues[index] = fields[index]
                }
            }
            func moment(_ index: Int?) throws(ImportError) -> Double? {
                guard let index else { return nil }
                guard let value = Double(fields[index]) ?? TextFormat.parseNumber(fields[index]) else {
                    throw .invalidNumber(path: path, line: lineNumber, column: header[index], text: fields[index])
                }
                return value
            }
            rows.append(Row(width: width, seed: seed, t: t, op: op, values: values, mean: try moment(meanColumn),
                            std: try moment(stdColumn)))
            rowLines.append(lineNumber)
        }
        guard !rows.isEmpty else { throw .noRows(path: path) }

        // A statistic column that is NaN on every row was not recorded (our own files write `nan` for it).
        var statistics: [CoordStatistic] = []
        for (position, statistic) in CoordStatistic.allCases.enumerated() {
            guard let index = statisticColumn[position] else { continue }
            if rows.allSatisfy({ $0.values[position].isNaN }) { continue }
            statistics.append(statistic)
            for (row, sample) in rows.enumerated() {
                let value = sample.values[position]
                if !value.isFinite {
                    throw .nonFinite(path: path, line: rowLines[row], column: header[index], text: TextFormat.number(value))
                }
                // The change since init is 0 at init by definition; a size must be positive.
                if statistic.measuresChange ? value < 0 : value <= 0 {
                    throw .nonPositive(path: path, line: rowLines[row], column: header[index], text: TextFormat.number(value))
                }
            }
        }
        guard !statistics.isEmpty else { throw .noStatistic(path: path, found: header) }
        let widths = Array(Set(rows.map(\.width))).sorted()
        guard widths.count >= 3 else { throw .tooFewWidths(path: path, column: header[widthColumn], widths: widths) }

        var constants: [String: String] = [:]
        for index in extra where extraConstant[index] && !header[index].isEmpty {
            if let value = extraValues[index] { constants[header[index]] = value }
        }
        self.format = format
        self.tOrigin = origin
        self.statistics = statistics
        self.rows = rows
        self.ops = ops
        self.widths = widths
        self.ignoredColumns = extra.map { header[$0].isEmpty ? "(unnamed index)" : header[$0] }
        self.constants = constants
        self.varyingColumns = extra.filter { !extraConstant[$0] && !header[$0].isEmpty }.map { header[$0] }
        self.droppedRootRows = dropped
    }
}
