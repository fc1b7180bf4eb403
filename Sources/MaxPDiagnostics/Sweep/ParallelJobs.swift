import Dispatch
import MaxP

/// The one parallel-job scaffold of the runners (``SweepRunner``'s coordinate checks, ``LRTransferRunner``'s
/// grids): independent jobs on every core, the costliest first so that no large job is left to run alone at the
/// end, results returned in the jobs' own order whatever the schedule.
///
/// The caller sets OpenBLAS to one thread (one job per core). `finished` is called after each job, serialized
/// (from worker threads), with the job's index and outcome — for progress reports.
enum ParallelJobs {
    /// Runs `count` jobs (`body(index)`) — in parallel unless `parallel` is `false` (then one after another,
    /// costliest first too: the same results) — and returns every outcome by index.
    static func run<Output: Sendable, Failure: Error>(
        count: Int, cost: (Int) -> Double, parallel: Bool = true,
        finished: ((Int, Result<Output, Failure>) -> Void)? = nil,
        _ body: @escaping @Sendable (Int) throws(Failure) -> Output
    ) -> [Result<Output, Failure>] {
        ComputeEnvironment.retainFreedTensorMemory()  // before any worker thread allocates
        let costs = (0..<count).map(cost)
        let order = (0..<count).sorted { costs[$0] > costs[$1] || (costs[$0] == costs[$1] && $0 < $1) }
        let outcomes = LockedBox([Result<Output, Failure>?](repeating: nil, count: count))
        let callback = UncheckedCallback(finished)
        let work: @Sendable (Int) -> Void = { position in
            let index = order[position]
            let outcome: Result<Output, Failure>
            do throws(Failure) { outcome = .success(try body(index)) } catch { outcome = .failure(error) }
            outcomes.withLock { all in
                all[index] = outcome
                callback.call(index, outcome)
            }
        }
        if parallel && count > 1 {
            DispatchQueue.concurrentPerform(iterations: count, execute: work)
        } else {
            for position in 0..<count { work(position) }
        }
        return outcomes.withLock { $0.map { $0! } }
    }
}

/// The `finished` callback, called only under the results' lock (so never concurrently).
private struct UncheckedCallback<Output, Failure: Error>: @unchecked Sendable {
    let body: ((Int, Result<Output, Failure>) -> Void)?
    init(_ body: ((Int, Result<Output, Failure>) -> Void)?) { self.body = body }
    func call(_ index: Int, _ outcome: Result<Output, Failure>) { body?(index, outcome) }
}
