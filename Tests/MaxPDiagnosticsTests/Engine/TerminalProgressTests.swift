import Foundation
import Testing
@testable import MaxPDiagnostics

/// The library's ready-made progress display (``TerminalProgress``), rendered with an injected clock and stream:
/// a redrawn bar on a terminal, a plain line about every 5 % otherwise, nothing when silent.
@Suite("Terminal progress")
struct TerminalProgressTests {
    /// Collects what the display writes; the clock is advanced by hand.
    final class Recorder: @unchecked Sendable {
        private let lock = NSLock()
        private var chunks: [String] = []
        private var now = 100.0
        var text: String { lock.withLock { chunks.joined() } }
        var count: Int { lock.withLock { chunks.count } }
        func write(_ chunk: String) { lock.withLock { chunks.append(chunk) } }
        func advance(_ seconds: Double) { lock.withLock { now += seconds } }
        func time() -> Double { lock.withLock { now } }
    }

    static func update(_ completed: Int, of total: Int, remaining: Double?, diverged: Bool = false) -> SweepProgress {
        SweepProgress(job: SweepJob(axisValue: 64 * completed, seed: 0), completed: completed, total: total, elapsed: 0,
                      estimatedRemaining: remaining, diverged: diverged)
    }

    @Test("terminal: the bar is redrawn in place with the count, percent and ETA, and cleared at the end")
    func bar() {
        let out = Recorder()
        let progress = TerminalProgress(label: "check", isTerminal: true, clock: out.time, write: out.write)
        #expect(progress.style == .bar)
        let callback = progress.sweepCallback
        callback(Self.update(1, of: 4, remaining: 65))
        #expect(progress.total == 4)  // learnt from the first report
        #expect(out.text == "\r\u{1B}[2Kcheck [██████░░░░░░░░░░░░░░░░░░] 1/4  25% ETA 1:05  value 64, seed 0")
        callback(Self.update(2, of: 4, remaining: nil, diverged: true))
        #expect(out.text.hasSuffix("\r\u{1B}[2Kcheck [████████████░░░░░░░░░░░░] 2/4  50% ETA 0:00  value 128, seed 0 (diverged)"))
        callback(Self.update(4, of: 4, remaining: 0))
        #expect(out.text.hasSuffix("4/4 100% ETA 0:00  value 256, seed 0\r\u{1B}[2K"))  // the bar line is erased
    }

    @Test("not a terminal: one plain line per 5 % (not per job), with the time left from the clock")
    func lines() {
        let out = Recorder()
        let progress = TerminalProgress(total: 100, label: "sweep", isTerminal: false, clock: out.time, write: out.write)
        #expect(progress.style == .lines)
        for done in 1...100 {
            out.advance(0.5)
            progress.set(completed: done)
        }
        #expect(out.count == 21)  // at 1, 6, 11, …, 96 % and at the end
        let first = out.text.split(separator: "\n")[0]
        #expect(first == "sweep: 1/100 (1%, about 0:50 left)")  // 0.5 s per job, 99 jobs left
        #expect(out.text.hasSuffix("sweep: 100/100 (100%, about 0:00 left)\n"))
    }

    @Test("quiet is silent; clock text")
    func silentAndClock() {
        let out = Recorder()
        let progress = TerminalProgress(total: 3, label: "x", quiet: true, isTerminal: true, clock: out.time, write: out.write)
        progress.sweepCallback(Self.update(1, of: 3, remaining: 1))
        progress.note("hello")
        progress.finish("done")
        #expect(progress.style == .silent && out.count == 0)
        #expect(TerminalProgress.clockText(3725) == "1:02:05" && TerminalProgress.clockText(59.6) == "1:00")
    }
}
