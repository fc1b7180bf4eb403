import Foundation

/// Remembers ``Theory``'s unconditional expectations so that each (op, phase, statistic kind) is derived once.
///
/// Theory's rules recurse into every input, and most ops look at their inputs twice (their size and their change):
/// without memory the recursion visits a depth-`L` transformer's residual stream `2^L` times (depth 8 took more
/// than 13 minutes). An unconditional expectation depends only on the op, on whether `t = 0` (theory has no other
/// dependence on the step) and on whether the statistic measures the change since init, so those three form the
/// key. Conditional expectations (given measured input slopes) are never stored.
///
/// Safe to share between threads: look-ups and stores take a lock, the derivation itself runs outside it (it
/// re-enters the memo for the inputs).
final class ExpectationMemo: @unchecked Sendable {
    /// What an entry is stored under.
    struct Key: Hashable {
        /// The op's position in topological order.
        var op: Int
        /// Whether the step is initialization (`t = 0`).
        var atInit: Bool
        /// Whether the statistic measures the change since init.
        var change: Bool
    }

    private let lock = NSLock()
    /// The stored expectations; a stored `nil` means "no rule" and is remembered too.
    private var entries: [Key: ExpectedSlope?] = [:]
    private var derived = 0

    /// How many expectations were derived (not found stored): at most four per op once every op has been asked.
    var derivationCount: Int {
        lock.lock()
        defer { lock.unlock() }
        return derived
    }

    /// Returns the stored expectation for `key`, or derives it with `derive`, stores it and returns it.
    func value(for key: Key, derive: () -> ExpectedSlope?) -> ExpectedSlope? {
        lock.lock()
        let stored = entries[key]
        lock.unlock()
        if let stored { return stored }
        let derived = derive()
        lock.lock()
        if entries[key] == nil { self.derived += 1 }
        entries[key] = .some(derived)
        lock.unlock()
        return derived
    }
}
