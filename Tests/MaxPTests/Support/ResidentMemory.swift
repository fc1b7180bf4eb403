import Foundation

/// This process's resident memory, read from `/proc/self/statm` (Linux): for memory-growth tests.
enum ResidentMemory {
    /// The resident set size in bytes now, or `nil` where `/proc/self/statm` is unreadable.
    static func currentBytes() -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return nil }
        let fields = text.split(separator: " ")
        guard fields.count >= 2, let pages = Int(fields[1]) else { return nil }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }
}
