import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A ready-made progress display for long runs, on stderr (never mixed with results on stdout): a live bar with
/// the ETA, redrawn in place when stderr is a terminal; plain lines (about every 5 %) when it is not (CI logs);
/// nothing when silent. `maxp-diagnose` shows its progress with this class too.
///
/// ```swift
/// let result = try check.run(progress: TerminalProgress(label: "my check").sweepCallback)
/// ```
///
/// Thread-safe: parallel jobs may report concurrently. The clock and the output are injectable (tests render it
/// deterministically).
public final class TerminalProgress: @unchecked Sendable {
    /// How progress is shown.
    public enum Style: Sendable, Equatable {
        /// A bar redrawn in place (`\r` and an erase-line escape): for a terminal.
        case bar
        /// A plain line about every 5 % and at the end: for logs.
        case lines
        /// Nothing.
        case silent
    }

    /// Jobs in the run (a sweep's callback takes it from the first report when created with 0).
    public private(set) var total: Int
    /// The label in front of the bar or line.
    public let label: String
    /// How progress is shown.
    public let style: Style
    private let lock = NSLock()
    private var completed = 0
    private var lastLinePercent = -1
    private let start: Double
    private let clock: @Sendable () -> Double
    private let write: @Sendable (String) -> Void
    private var barVisible = false
    private var engineRemaining: Double?

    /// Creates a display for `total` jobs (0: learn it from the sweep's reports). `style` nil picks the bar when
    /// stderr is a terminal (`isTerminal`), lines otherwise; `quiet` makes it silent. `clock` gives seconds,
    /// `write` receives the text (stderr by default).
    public init(total: Int = 0, label: String, style: Style? = nil, quiet: Bool = false,
                isTerminal: Bool = isatty(STDERR_FILENO) != 0,
                clock: @escaping @Sendable () -> Double = { Date().timeIntervalSinceReferenceDate },
                write: @escaping @Sendable (String) -> Void = { FileHandle.standardError.write(Data($0.utf8)) }) {
        self.total = max(0, total)
        self.label = label
        self.style = quiet ? .silent : (style ?? (isTerminal ? .bar : .lines))
        self.clock = clock
        self.write = write
        self.start = clock()
    }

    /// The callback for ``CoordCheck/run(parallel:progress:)``: each finished job advances the display (named,
    /// `(diverged)` when it did), the engine's work-weighted ETA is shown, and the last job clears the bar.
    public var sweepCallback: @Sendable (SweepProgress) -> Void {
        { [self] update in
            lock.lock()
            if total == 0 { total = update.total }
            engineRemaining = update.estimatedRemaining
            lock.unlock()
            set(completed: update.completed, detail: update.job.description + (update.diverged ? " (diverged)" : ""))
            if update.completed == update.total { finish() }
        }
    }

    /// `(completed, total, detail)` → progress, for engines that report through a closure.
    public var callback: @Sendable (Int, Int, String?) -> Void {
        { [self] completed, _, detail in set(completed: completed, detail: detail) }
    }

    /// Marks `count` more jobs done.
    public func advance(by count: Int = 1, detail: String? = nil) {
        lock.lock(); defer { lock.unlock() }
        completed = min(total, completed + count)
        show(detail: detail)
    }

    /// Sets the number of completed jobs.
    public func set(completed value: Int, detail: String? = nil) {
        lock.lock(); defer { lock.unlock() }
        completed = min(total, max(0, value))
        show(detail: detail)
    }

    /// Prints a message line (above the bar on a terminal).
    public func note(_ message: String) {
        lock.lock(); defer { lock.unlock() }
        guard style != .silent else { return }
        write((barVisible ? "\r\u{1B}[2K" : "") + message + "\n")
        barVisible = false
    }

    /// Ends the display (clears the bar line) and prints `summary` if given.
    public func finish(_ summary: String? = nil) {
        lock.lock(); defer { lock.unlock() }
        guard style != .silent else { return }
        if barVisible { write("\r\u{1B}[2K") }
        barVisible = false
        if let summary { write(summary + "\n") }
    }

    /// Seconds left: the engine's estimate when it gave one, else the mean time per completed job times the jobs
    /// left (nil before the first one).
    public func estimatedSecondsLeft(now: Double? = nil) -> Double? {
        if let engineRemaining { return engineRemaining }
        guard completed > 0 else { return nil }
        let elapsed = (now ?? clock()) - start
        return elapsed / Double(completed) * Double(total - completed)
    }

    /// `0:05`, `1:02:03`.
    public static func clockText(_ seconds: Double) -> String {
        let whole = Int(seconds.rounded())
        let (h, m, s) = (whole / 3600, (whole % 3600) / 60, whole % 60)
        return h > 0 ? String(format: "%d:%02d:%02d", h, m, s) : String(format: "%d:%02d", m, s)
    }

    /// The bar line: `label [#####-----] 12/36  33%  ETA 0:05  detail` (at most 120 characters).
    public func barLine(detail: String?, width: Int = 24) -> String {
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
