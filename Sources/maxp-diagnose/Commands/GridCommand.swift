import ArgumentParser
import Foundation
import MaxP
import MaxPDiagnostics

/// `maxp-diagnose grid`: a grid of `train` runs from `SWEEP.yaml` (`base_config`, `sweep`: dotted key → list of
/// values, every combination one run; `overrides`: dotted key → value for every run), trained in parallel, each into
/// its own `train` run folder `DIR/runs/<name>/`, indexed by `DIR/grid.csv` (rebuilt from the run folders after every
/// finished run). Runs already finished in DIR are skipped, so a killed grid continues where it stopped; shards
/// (`--shard i/N|auto`) train disjoint parts into the same DIR.
///
/// Exit codes: 0 every run finished (diverged runs count as finished: `status` `diverged`), 1 some run failed
/// (named on stderr; it is redone by the next run of the grid), 2 bad input (one line, nothing written).
struct GridCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "grid",
        abstract: "Train every combination of a sweep over run-configuration keys; one train run folder per combination plus grid.csv.",
        discussion: """
            SWEEP.yaml: base_config (a run configuration inline, or the path of one), sweep (dotted key → list of values), \
            overrides (dotted key → value). Example:
              base_config: {model: {name: mlp, depth: 2}, optimizer: {type: adam}, maxp: {parametrization: mup}}
              sweep: {model.width: [32, 64], optimizer.lr_prefactor: [0.01, 0.1]}
              overrides: {steps: 12}
            maxp-diagnose grid --config sweep.yaml --dry-run --out grid/    (lists the runs, writes nothing)
            Exit codes: 0 done, 1 some run failed (redone by the next run), 2 bad input.
            """)

    @Option(help: ArgumentHelp("The grid, YAML or JSON (base_config, sweep, overrides).", valueName: "sweep.yaml"))
    var config: String
    @Flag(name: .customLong("dry-run"), help: "Print one line per run (its settings and run folder) and write nothing.")
    var dryRun = false
    @Option(help: ArgumentHelp("Run only part i of N (1 ≤ i ≤ N) of the runs, or `auto`: this SLURM array task's / Kubernetes Indexed-Job pod's part; all parts may share --out.", valueName: "i/N|auto"))
    var shard: ShardSpecification?
    @Option(name: .customLong("max-runs"), parsing: .unconditional, help: ArgumentHelp("Refuse a grid of more runs than this.", valueName: "n"))
    var maxRuns: Int?
    @Option(parsing: .unconditional, help: ArgumentHelp("Runs trained at once (default: the number of cores).", valueName: "n"))
    var jobs: Int?
    @Option(help: ArgumentHelp("Grid folder: DIR/runs/<run>/ and DIR/grid.csv (created if missing).", valueName: "dir"))
    var out: String
    @Flag(name: .shortAndLong, help: "No progress output on stderr.")
    var quiet = false

    func validate() throws {
        guard !out.isEmpty else { throw ValidationError("--out: give a grid folder") }
        if let maxRuns, maxRuns < 1 { throw ValidationError("--max-runs: must be at least 1, got \(maxRuns)") }
        if let jobs, jobs < 1 { throw ValidationError("--jobs: must be at least 1, got \(jobs)") }
        if dryRun, jobs != nil { throw ValidationError("--jobs: a dry run trains nothing (drop --jobs or --dry-run)") }
    }

    /// The grid's runs (all of them, in grid order) and the positions this shard trains.
    private func plan() throws -> (spec: GridSpecification, runs: [GridRun], mine: [Int]) {
        let spec: GridSpecification
        let runs: [GridRun]
        do {
            spec = try GridSpecification(contentsOf: URL(fileURLWithPath: config))
            runs = try spec.runs(maxRuns: maxRuns)
        } catch {
            if case let .tooManyRuns(count, limit) = error {
                throw ValidationError("--max-runs: the grid '\(config)' has \(count) runs, more than --max-runs \(limit)")
            }
            throw ValidationError("--config '\(config)': \(error)")
        }
        for run in runs {
            do { try run.configuration.validateModel() } catch {
                throw ValidationError("--config '\(config)': run \(run.settingsLine): \(TrainCommand.message(of: error, labels: [:]))")
            }
        }
        var part: Shard?
        if let shard {
            do { part = try shard.resolved(environment: ProcessInfo.processInfo.environment) } catch { throw ValidationError(error.description) }
            if let part, !(1...max(1, part.count)).contains(part.index) {
                throw ValidationError("--shard: \(part) is not i/N with 1 ≤ i ≤ N")
            }
        }
        let mine = runs.indices.filter { part?.contains(job: $0) ?? true }
        return (spec, runs, mine)
    }

    func run() throws {
        let (spec, runs, mine) = try plan()
        let folder = URL(fileURLWithPath: out)
        if dryRun {
            for index in mine {
                let run = runs[index]
                print("\(run.settingsLine) → \(GridIndex.folder(of: run, in: folder).path)")
            }
            return
        }
        do {
            try FileManager.default.createDirectory(at: folder.appendingPathComponent(GridIndex.runsFolder), withIntermediateDirectories: true)
        } catch {
            throw BadInput(command: "grid", message: "cannot create '\(out)/\(GridIndex.runsFolder)': \(FileIOError.reason(of: error))").exit()
        }
        let pending = mine.filter { GridIndex.row(of: runs[$0], in: folder) == nil }
        let keys = spec.sweptKeys
        do { try GridIndex.rewrite(runs: runs, keys: keys, in: folder) } catch {
            throw BadInput(command: "grid", message: "cannot write grid.csv: \(error)").exit()
        }
        report("grid: \(mine.count) run(s) in this part, \(mine.count - pending.count) already finished, \(pending.count) to train in \(out)")

        let previousThreads = BLASThreads.current
        BLASThreads.set(1)
        defer { BLASThreads.set(previousThreads) }
        let state = GridProgress()
        let command = ReproduceCommand.current()
        let workers = min(jobs ?? ProcessInfo.processInfo.activeProcessorCount, max(pending.count, 1))
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            while let position = state.next(limit: pending.count) {
                let run = runs[pending[position]]
                let line: String
                do {
                    let session = try TrainingSession(run.configuration, dataset: run.dataset)
                    try session.start()
                    let every = run.configuration.logging.every, steps = run.configuration.steps
                    let outcome = try TrainRunFolder.train(session, to: GridIndex.folder(of: run, in: folder), commitFailed: false,
                                                           command: command) { step, loss in
                        guard every > 0, step % every == 0 else { return }
                        report("\(run.settingsLine): step \(step)/\(steps): loss \(String(format: "%.4f", loss))")
                    }
                    switch outcome {
                    case .completed: line = "done, loss \(String(format: "%.4f", session.losses.last ?? .nan))"
                    case let .diverged(step, _): line = "diverged at step \(step)"
                    case let .failed(step, message): line = "FAILED at step \(step): \(message)"; state.fail(run.settingsLine + ": " + message)
                    }
                    try GridIndex.rewrite(runs: runs, keys: keys, in: folder)
                } catch {
                    state.fail(run.settingsLine + ": \(error)")
                    report("grid: \(run.settingsLine): \(error)")
                    continue
                }
                let done = state.finish()
                report("[\(done)/\(pending.count)] \(run.settingsLine): \(line)")
            }
        }
        if let failure = state.firstFailure {
            FileHandle.standardError.write(Data("maxp-diagnose grid: \(state.failures) run(s) failed (they are trained again by the next run of the grid); first: \(failure)\n".utf8))
            throw ExitCode(1)
        }
        print("grid: \(pending.count) run(s) trained, \(mine.count) finished in this part; index \(folder.appendingPathComponent(GridIndex.fileName).path)")
    }

    private func report(_ line: String) {
        guard !quiet else { return }
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}

/// The workers' shared counters (next run, finished runs, failures), behind a lock.
private final class GridProgress: @unchecked Sendable {
    private let lock = NSLock()
    private var handedOut = 0
    private var finished = 0
    private(set) var failures = 0
    private(set) var firstFailure: String?

    /// The next run's position, or nil when all are handed out.
    func next(limit: Int) -> Int? {
        lock.lock(); defer { lock.unlock() }
        guard handedOut < limit else { return nil }
        handedOut += 1
        return handedOut - 1
    }

    /// Counts a finished run; returns how many have finished.
    func finish() -> Int {
        lock.lock(); defer { lock.unlock() }
        finished += 1
        return finished
    }

    /// Records a failed run.
    func fail(_ message: String) {
        lock.lock(); defer { lock.unlock() }
        failures += 1
        if firstFailure == nil { firstFailure = message }
    }
}
