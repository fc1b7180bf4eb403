import Foundation
import MaxP
import MaxPDiagnostics
import MaxPReport

/// A `train` run folder, written as one unit (``StagedRunFolder``): `config.json`, `metrics.csv`, `history.csv`,
/// `state.json`, `checkpoint.json`, and the traces `alignment.png`/`.svg` (``RunConfiguration/Logging/traces``,
/// completed runs). `train` and every run of `grid` write it through here.
enum TrainRunFolder {
    /// `config.json`.
    static let configFile = "config.json"
    /// `metrics.csv`.
    static let metricsFile = "metrics.csv"
    /// `checkpoint.json`.
    static let checkpointFile = "checkpoint.json"

    /// Cairo and its font setup are drawn from one thread at a time when grid runs finish together.
    private static let drawing = NSLock()

    /// Trains `session` to its configured steps and writes the folder `target`; a run whose controller failed is
    /// committed only when `commitFailed` (train keeps what it computed; a grid leaves the run to be redone).
    /// `progress(step, loss)` after every step. Throws only for I/O (the folder cannot be written).
    static func train(_ session: TrainingSession, to target: URL, commitFailed: Bool, command: String,
                      progress: ((Int, Double) -> Void)? = nil) throws(FileIOError) -> TrainingSession.Outcome {
        let staged: StagedRunFolder
        do { staged = try StagedRunFolder(target: target) } catch { throw FileIOError(path: target.path, reason: error.description) }
        let outcome = session.train(progress: progress)
        if case .failed = outcome, !commitFailed {
            staged.discard()
            return outcome
        }
        let folder = staged.staging
        func write(_ text: String, _ name: String) throws(FileIOError) {
            try AtomicFile.write(Data(text.utf8), to: folder.appendingPathComponent(name))
        }
        try write(session.configuration.value.jsonText(), configFile)
        let history = session.history
        try write(MetricsTable(history: history).csv, metricsFile)
        try write(history.csv, RunFolder.FileName.alignmentHistory)
        do { try session.controller.save(to: folder.appendingPathComponent(RunFolder.FileName.trainingState)) } catch {
            let reason: String
            if case let .stateFile(_, text) = error { reason = text } else { reason = error.description }
            throw FileIOError(path: target.appendingPathComponent(RunFolder.FileName.trainingState).path, reason: reason)
        }
        do { try session.checkpoint.write(to: folder.appendingPathComponent(checkpointFile)) } catch {
            throw FileIOError(path: target.appendingPathComponent(checkpointFile).path, reason: error.description)
        }
        if outcome == .completed, session.configuration.logging.traces, !history.records.isEmpty {
            let figure = AlignmentFigure.make(history: history.records, run: RunDescription(model: session.configuration.summary, command: command))
            drawing.lock()
            defer { drawing.unlock() }
            for format in ["png", "svg"] {
                do { _ = try figure.write(to: folder.appendingPathComponent("alignment.\(format)")) } catch {
                    throw FileIOError(path: target.appendingPathComponent("alignment.\(format)").path, reason: "cannot draw the traces: \(error)")
                }
            }
        }
        do { try staged.commit() } catch { throw FileIOError(path: target.path, reason: error.description) }
        return outcome
    }

    /// Reads a run folder to resume: its configuration document, the checkpoint and the controller state.
    static func saved(_ folder: URL) throws(TrainingSessionError) -> (document: ConfigValue, checkpoint: Checkpoint<Float>, state: AlignmentControllerState) {
        let document: ConfigValue
        do { document = try ConfigDocument.read(folder.appendingPathComponent(configFile)) } catch {
            throw .resume("'\(folder.path)' is not a train run folder: \(error)")
        }
        let checkpoint: Checkpoint<Float>
        do { checkpoint = try Checkpoint<Float>.read(from: folder.appendingPathComponent(checkpointFile)) } catch {
            throw .resume(error.description)
        }
        let state: AlignmentControllerState
        do { state = try AlignmentControllerState.read(from: folder.appendingPathComponent(RunFolder.FileName.trainingState)) } catch {
            throw .resume("\(error)")
        }
        return (document, checkpoint, state)
    }
}
