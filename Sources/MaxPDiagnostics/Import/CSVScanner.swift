/// A fast reader of CSV lines for large imported files: one pass over the UTF-8 bytes, fields split at commas, with
/// RFC 4180 quotes handled by ``TextFormat/splitCSVLine(_:)`` on the (rare) lines that hold a quote. Lines end with
/// `\n` or `\r\n`; a UTF-8 byte-order mark before the first line is skipped.
enum CSVScanner {
    /// Calls `body(lineNumber, fields)` for every line (1-based numbers, empty lines skipped); `fields` is `nil` when a
    /// quoted field is not closed.
    static func forEachLine(in text: String, _ body: (Int, [String]?) throws(ImportError) -> Void) throws(ImportError) {
        var text = text
        text.makeContiguousUTF8()
        let result: Result<Void, ImportError>? = text.utf8.withContiguousStorageIfAvailable { bytes in
            do throws(ImportError) {
                try scan(bytes, body)
                return .success(())
            } catch {
                return .failure(error)
            }
        }
        switch result {
        case .failure(let error)?: throw error
        case .success?: return
        case nil: try scan(UnsafeBufferPointer(start: nil, count: 0), body)  // unreachable: contiguous after makeContiguousUTF8
        }
    }

    private static func scan(_ bytes: UnsafeBufferPointer<UInt8>,
                             _ body: (Int, [String]?) throws(ImportError) -> Void) throws(ImportError) {
        let newline = UInt8(ascii: "\n"), carriageReturn = UInt8(ascii: "\r"), comma = UInt8(ascii: ","),
            quote = UInt8(ascii: "\"")
        var start = 0
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { start = 3 }
        var lineNumber = 0
        var fields: [String] = []
        while start < bytes.count {
            lineNumber += 1
            var end = start
            var hasQuote = false
            while end < bytes.count, bytes[end] != newline {
                if bytes[end] == quote { hasQuote = true }
                end += 1
            }
            var contentEnd = end
            if contentEnd > start, bytes[contentEnd - 1] == carriageReturn { contentEnd -= 1 }
            if contentEnd > start {
                if hasQuote {
                    let line = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<contentEnd]), as: UTF8.self)
                    try body(lineNumber, TextFormat.splitCSVLine(Substring(line)))
                } else {
                    fields.removeAll(keepingCapacity: true)
                    var fieldStart = start
                    for index in start...contentEnd where index == contentEnd || bytes[index] == comma {
                        fields.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[fieldStart..<index]), as: UTF8.self))
                        fieldStart = index + 1
                    }
                    try body(lineNumber, fields)
                }
            }
            start = end + 1
        }
    }
}
