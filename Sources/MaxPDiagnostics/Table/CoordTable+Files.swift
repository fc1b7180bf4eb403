import Foundation
import _MaxPSupport

extension CoordTable {
    /// The contract header of `coord_data.csv`.
    public static let csvHeader = "axis_value,seed,t,op,kind,l1,rms,delta_rms"

    /// The table as CSV: the contract header, then one line per row in stored order, `\n`-terminated. Doubles are
    /// written with the shortest text that parses back exactly; non-finite values as `nan`, `inf`, `-inf`. mup's
    /// `mean`/`std` and the gradient sizes go to ``momentsCSVString()`` (`coord_moments.csv`), metadata to JSON.
    public func csvString() -> String {
        var text = CoordTable.csvHeader + "\n"
        for row in rows {
            let fields = [String(row.axisValue), String(row.seed), String(row.t), TextFormat.csvField(row.op),
                          TextFormat.csvField(row.kind), TextFormat.number(row.l1), TextFormat.number(row.rms),
                          TextFormat.number(row.deltaRMS)]
            text += fields.joined(separator: ",") + "\n"
        }
        return text
    }

    /// Reads a table from CSV text with the contract header. Metadata is taken from `metadata` and completed with the
    /// axis values, seeds and steps found in the rows when it does not list them. Errors name the 1-based line.
    public init(csv: String, metadata: CoordTableMetadata = CoordTableMetadata()) throws(CoordTableError) {
        let lines = TextFormat.lines(of: csv)
        let normalizedHeader = lines.first.map(String.init) ?? ""
        guard normalizedHeader == CoordTable.csvHeader else {
            throw .csvHeaderMismatch(found: normalizedHeader, expected: CoordTable.csvHeader)
        }
        let columns = CoordTable.csvHeader.split(separator: ",").map(String.init)
        var rows: [CoordRow] = []
        rows.reserveCapacity(lines.count)
        for (offset, line) in lines.enumerated().dropFirst() {
            let lineNumber = offset + 1
            if line.isEmpty { continue }
            guard let fields = TextFormat.splitCSVLine(line) else { throw .csvUnterminatedQuote(line: lineNumber) }
            guard fields.count == columns.count else {
                throw .csvFieldCount(line: lineNumber, expected: columns.count, found: fields.count)
            }
            func integer(_ index: Int, minimum: Int) throws(CoordTableError) -> Int {
                guard let value = Int(fields[index].trimmingCharacters(in: .whitespaces)) else {
                    throw .csvInvalidNumber(line: lineNumber, column: columns[index], text: fields[index])
                }
                guard value >= minimum else {
                    throw .csvImpossibleValue(line: lineNumber, column: columns[index], text: fields[index],
                                              requirement: minimum == 0 ? "0 or more" : "at least \(minimum)")
                }
                return value
            }
            func real(_ index: Int) throws(CoordTableError) -> Double {
                guard let value = TextFormat.parseNumber(fields[index]) else {
                    throw .csvInvalidNumber(line: lineNumber, column: columns[index], text: fields[index])
                }
                return value
            }
            rows.append(CoordRow(axisValue: try integer(0, minimum: 1), seed: try integer(1, minimum: 0),
                                 t: try integer(2, minimum: 0), op: fields[3],
                                 kind: fields[4], l1: try real(5), rms: try real(6), deltaRMS: try real(7)))
        }
        var metadata = metadata
        if metadata.axisValues.isEmpty { metadata.axisValues = Array(Set(rows.map(\.axisValue))).sorted() }
        if metadata.seeds.isEmpty { metadata.seeds = Array(Set(rows.map(\.seed))).sorted() }
        if metadata.steps == 0 { metadata.steps = rows.map(\.t).max() ?? 0 }
        self.init(metadata: metadata, rows: rows)
    }

    /// The table (metadata and rows) as pretty-printed JSON with sorted keys; non-finite numbers as the strings
    /// `"nan"`, `"inf"`, `"-inf"`. Same table → same bytes.
    public func jsonData() throws(CoordTableError) -> Data {
        do { return try JSONFormat.encode(self) } catch { throw .encoding(String(describing: error)) }
    }

    /// Reads a table written by ``jsonData()``.
    public init(json: Data) throws(CoordTableError) {
        do {
            self = try JSONFormat.decoder().decode(CoordTable.self, from: json)
        } catch {
            throw .jsonDecoding(TextFormat.describe(error))
        }
    }

    /// Writes ``csvString()`` to `url` atomically.
    public func writeCSV(to url: URL) throws(CoordTableError) {
        do { try AtomicFile.write(Data(csvString().utf8), to: url) } catch {
            throw .io(path: url.path, reason: error.reason)
        }
    }

    /// Writes ``jsonData()`` to `url` atomically.
    public func writeJSON(to url: URL) throws(CoordTableError) {
        let data = try jsonData()
        do { try AtomicFile.write(data, to: url) } catch {
            throw .io(path: url.path, reason: error.reason)
        }
    }

    /// Reads a CSV file (see ``init(csv:metadata:)``).
    public static func readCSV(from url: URL, metadata: CoordTableMetadata = CoordTableMetadata()) throws(CoordTableError) -> CoordTable {
        let text: String
        do { text = try InputFile.readText(url) } catch {
            throw .io(path: url.path, reason: error.reason)
        }
        return try CoordTable(csv: text, metadata: metadata)
    }

    /// Reads a JSON file (see ``init(json:)``).
    public static func readJSON(from url: URL) throws(CoordTableError) -> CoordTable {
        let data: Data
        do { data = try InputFile.read(url) } catch {
            throw .io(path: url.path, reason: error.reason)
        }
        return try CoordTable(json: data)
    }
}
