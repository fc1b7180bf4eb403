import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Progress of a long run on stderr, never mixed with results on stdout: a live bar with ETA redrawn in place when
/// stderr is a terminal, plain lines (about every 5 %) when it is not (CI logs), nothing with `--quiet`.
/// Thread-safe: parallel jobs may call ``advance(by:detail:)`` concurrently. Hand ``callback`` to the engine.
final class Progress: @unchecked Sendable {
    /// How progress is shown.
    enum Style: Equatable { case bar, lines, silent }

    let total: Int
    let label: String
    let style: Style
    private let lock = NSLock()
    private var completed = 0
    private var lastLinePercent = -1
    private let start: Double
    private let clock: @Sendable () -> Double
    private let write: @Sendable (String) -> Void
    private var barVisible = false

    /// Creates a reporter for `total` jobs. The style is the bar on a terminal, lines otherwise, silent if `quiet`.
    init(total: Int, label: String, quiet: Bool, isTerminal: Bool = isatty(STDERR_FILENO) != 0,
         clock: @escaping @Sendable () -> Double = { Date().timeIntervalSinceReferenceDate },
         write: @escaping @Sendable (String) -> Void = { FileHandle.standardError.write(Data($0.utf8)) }) {
        self.total = max(0, total)
        self.label = label
        self.style = quiet ? .silent : (isTerminal ? .bar : .lines)
        self.clock = clock
        self.write = write
        self.start = clock()
    }

    /// `(completed, total, detail)` → progress, for engines that report through a closure.
    var callback: @Sendable (Int, Int, String?) -> Void {
        { [self] completed, _, detail in set(completed: completed, detail: detail) }
    }

    /// Marks `count` more jobs done.
    func advance(by count: Int = 1, detail: String? = nil) {
        lock.lock(); defer { lock.unlock() }
        completed = min(total, completed + count)
        show(detail: detail)
    }

    /// Sets the number of completed jobs.
    func set(completed value: Int, detail: String? = nil) {
        lock.lock(); defer { lock.unlock() }
        completed = min(total, max(0, value))
        show(detail: detail)
    }

    /// Prints a message line (above the bar on a terminal).
    func note(_ message: String) {
        lock.lock(); defer { lock.unlock() }
        guard style != .silent else { return }
        write((barVisible ? "\r\u{1B}[2K" : "") + message + "\n")
        barVisible = false
    }

    /// Ends the display (clears the bar line) and prints `summary` if given.
    func finish(_ summary: String? = nil) {
        lock.lock(); defer { lock.unlock() }
        guard style != .silent else { return }
        if barVisible { write("\r\u{1B}[2K") }
        barVisible = false
        if let summary { write(summary + "\n") }
    }

    /// Seconds left, estimated from the mean time per completed job (nil before the first one).
    func estimatedSecondsLeft(now: Double? = nil) -> Double? {
        guard completed > 0 else { return nil }
        let elapsed = (now ?? clock()) - start
        return elapsed / Double(completed) * Double(total - completed)
    }

    /// `0:05`, `1:02:03`.
    static func clockText(_ seconds: Double) -> String {
        let whole = Int(seconds.rounded())
        let (h, m, s) = (whole / 3600, (whole % 3600) / 60, whole % 60)
        return h > 0 ? String(format: "%d:%02d:%02d", h, m, s) : String(format: "%d:%02d", m, s)
    }

    /// The bar line: `label [#####-----] 12/36  33%  ETA 0:05  detail`.
    func barLine(detail: String?, width: Int = 24) -> String {
        let fraction = total > 0 ? Double(completed) / Double(total) : 1
        let filled = Int((fraction * Double(width)).rounded(.down))
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
        let eta = estimatedSecondsLeft().map { "ETA " + Self.clockText($0) } ?? "ETA --:--"
        var line = "\(label) [\(bar)] \(completed)/\(total) \(String(format: "%3d%%", Int(fraction * 100))) \(eta)"
        if let detail, !detail.isEmpty { line += "  " + detail }
        return String(line.prefix(120))
    }

    private func show(detail: String?) {
        switch style {
        case .silent: return
        case .bar:
            write("\r\u{1B}[2K" + barLine(detail: detail))
            barVisible = true
        case .lines:
            let percent = total > 0 ? completed * 100 / total : 100
            guard completed == total || percent >= lastLinePercent + 5 || lastLinePercent < 0 else { return }
            lastLinePercent = percent
            let eta = estimatedSecondsLeft().map { ", about \(Self.clockText($0)) left" } ?? ""
            write("\(label): \(completed)/\(total) (\(percent)%\(eta))" + (detail.map { " — \($0)" } ?? "") + "\n")
        }
    }
}
