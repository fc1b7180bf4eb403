import Foundation

/// A progress report of a running sweep, sent after every finished job.
public struct SweepProgress: Sendable, Equatable {
    /// The job that just finished.
    public var job: SweepJob
    /// Jobs finished so far.
    public var completed: Int
    /// Jobs in this run (this shard's).
    public var total: Int
    /// Seconds since the sweep started.
    public var elapsed: Double
    /// Estimated seconds left (work-weighted by the cost of the remaining jobs), `nil` before any estimate.
    public var estimatedRemaining: Double?
    /// Whether the finished job diverged (NaN/Inf).
    public var diverged: Bool

    /// Fraction done, 0…1.
    public var fraction: Double { total == 0 ? 1 : Double(completed) / Double(total) }
}

/// A lock-protected mutable box for collecting results from concurrently running jobs.
final class LockedBox<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value

    init(_ value: Value) { self.value = value }

    func withLock<R>(_ body: (inout Value) throws -> R) rethrows -> R {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }
}
