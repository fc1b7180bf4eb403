import Foundation
import MaxP

/// User data for the MLP: a CSV file of numeric features with an integer class label in the last column.
/// Lines may end with `\n`, `\r\n` or `\r`. The first line is a header when none of its fields is a number and
/// some are not empty (`x1,x2,label`); a first line holding numbers is data, so a bad first row (an empty or
/// malformed field) is reported, never silently dropped as a header. Rows must all have the same number of fields.
public struct CSVDataset: Sendable, Equatable {
    /// Features `[rows, featureCount]`.
    public let features: Tensor<Float>
    /// One class label per row (`0…classes−1`).
    public let labels: [Int]

    /// Number of feature columns.
    public var featureCount: Int { features.lastDimension }
    /// Number of classes (largest label + 1).
    public var classes: Int { (labels.max() ?? 0) + 1 }

    /// Parses CSV text; errors name the 1-based line and column.
    public init(csv text: String, source: String = "CSV") throws(CSVDatasetError) {
        var rows: [[Float]] = []
        var labels: [Int] = []
        var width: Int?
        for (offset, rawLine) in TextLines.split(text).enumerated() {
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            let number = offset + 1
            if line.isEmpty { continue }
            let fields = line.split(separator: ",", omittingEmptySubsequences: false)
                .map { $0.trimmingCharacters(in: .whitespaces) }
            let numbers = fields.dropLast().map { Float($0) }
            if offset == 0 && Self.isHeader(fields) { continue }
            guard fields.count >= 2 else { throw .tooFewColumns(source: source, line: number, found: fields.count) }
            if let width, fields.count != width + 1 {
                throw .fieldCount(source: source, line: number, expected: width + 1, found: fields.count)
            }
            var row: [Float] = []
            row.reserveCapacity(fields.count - 1)
            for (column, value) in numbers.enumerated() {
                guard let value, value.isFinite else {
                    throw .invalidNumber(source: source, line: number, column: column + 1, text: fields[column])
                }
                row.append(value)
            }
            guard let label = Int(fields[fields.count - 1]), label >= 0 else {
                throw .invalidLabel(source: source, line: number, text: fields[fields.count - 1])
            }
            width = fields.count - 1
            rows.append(row)
            labels.append(label)
        }
        guard let width, !rows.isEmpty else { throw .empty(source: source) }
        features = Tensor(shape: [rows.count, width], scalars: rows.flatMap { $0 })
        self.labels = labels
    }

    /// Whether a first line is a header: no field is a number, and some field is not empty.
    static func isHeader(_ fields: [String]) -> Bool {
        fields.contains { !$0.isEmpty } && !fields.contains { Float($0) != nil }
    }

    /// Reads a CSV file.
    public init(contentsOf url: URL) throws(CSVDatasetError) {
        let text: String
        do { text = try InputFile.readText(url) } catch {
            throw .unreadable(path: url.path, reason: error.reason)
        }
        try self.init(csv: text, source: url.path)
    }

    /// `size` rows drawn without replacement (with replacement when the file is smaller) by the generator seeded
    /// with `(seed, index)`.
    public func batch(size: Int, seed: UInt64, index: Int) -> TaskBatch {
        var generator = SeededGenerator.derived(from: seed, 0xC5F, index)
        let n = labels.count, d = featureCount
        var order = Array(0..<n)
        if size <= n {
            for i in 0..<size {
                let j = i + Int(generator.next() % UInt64(n - i))
                order.swapAt(i, j)
            }
        }
        let picks = size <= n ? Array(order.prefix(size)) : (0..<size).map { _ in Int(generator.next() % UInt64(n)) }
        var scalars = [Float]()
        scalars.reserveCapacity(size * d)
        for row in picks { scalars.append(contentsOf: features.scalars[(row * d)..<((row + 1) * d)]) }
        return .features(Tensor(shape: [size, d], scalars: scalars), labels: picks.map { labels[$0] })
    }
}

/// Why a CSV data file could not be used; messages name the file, line and column.
public enum CSVDatasetError: Error, Equatable, CustomStringConvertible {
    /// The file could not be read.
    case unreadable(path: String, reason: String)
    /// No data rows.
    case empty(source: String)
    /// A line has fewer than two fields (features + label).
    case tooFewColumns(source: String, line: Int, found: Int)
    /// A line has a different number of fields than the first data line.
    case fieldCount(source: String, line: Int, expected: Int, found: Int)
    /// A feature is not a finite number.
    case invalidNumber(source: String, line: Int, column: Int, text: String)
    /// The label (last column) is not a non-negative integer.
    case invalidLabel(source: String, line: Int, text: String)

    /// A message a user can act on.
    public var description: String {
        switch self {
        case let .unreadable(path, reason): "cannot read data file `\(path)`: \(reason)"
        case let .empty(source): "\(source): no data rows (expected lines of numeric features followed by an integer label)"
        case let .tooFewColumns(source, line, found):
            "\(source), line \(line): \(found) field(s); need at least one feature and a label"
        case let .fieldCount(source, line, expected, found):
            "\(source), line \(line): \(found) fields, expected \(expected) like the first data line"
        case let .invalidNumber(source, line, column, text):
            "\(source), line \(line), column \(column): `\(text)` is not a finite number"
        case let .invalidLabel(source, line, text):
            "\(source), line \(line): label `\(text)` (last column) is not a non-negative integer"
        }
    }
}
