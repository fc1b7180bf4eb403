import Foundation
import _MaxPSupport
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A run's output folder written as ONE unit: every file of the run goes into a hidden staging folder next to the
/// target (`.NAME.staging-…`), and ``commit()`` swaps it in — the earlier run's folder is renamed away
/// (`.NAME.old-…`), the staging folder renamed to NAME, the old one removed. A reader therefore sees the earlier run
/// or the new one, never a mix, and no file of the earlier run survives (a PNG left from an earlier `png,svg` run
/// beside a new SVG-only one).
///
/// While open, the folder is locked (`flock` on `.NAME.lock` next to it): a second writer of the same folder fails
/// at once with ``ReportError/busy(path:lock:)``. The lock dies with the process; staging folders a killed process
/// left behind are removed by the next writer. An existing target is replaced only when it is empty or an earlier
/// run's folder (see ``RunFolder/foreignEntry(in:)``): a folder of other files is refused, never deleted.
///
/// ``discard()`` (also on deinit, and ``discardAllInProgress()`` for a signal handler) removes the staging folder.
public final class StagedRunFolder: @unchecked Sendable {
    /// The folder the run is committed to.
    public let target: URL
    /// The hidden folder the run's files are written into until ``commit()``.
    public let staging: URL
    /// The lock file next to the target.
    let lockURL: URL
    /// The open lock file descriptor (`-1` once released).
    private var lockDescriptor: Int32
    /// Whether ``commit()`` or ``discard()`` ran.
    public private(set) var isFinished = false

    /// Opens `target` for a new run: checks it can be written and replaced, takes the lock, removes stale staging
    /// folders of killed writers, creates the target (empty) if it is missing, and creates the staging folder.
    public init(target: URL) throws(ReportError) {
        // A symbolic link to a run folder keeps pointing at the new run: the folder it names is the one swapped.
        let target = target.standardizedFileURL.resolvingSymlinksInPath()
        self.target = target
        let path = target.path
        let name = target.lastPathComponent
        guard path != "/", !name.isEmpty, name != ".", name != ".." else {
            throw .unwritableFolder(path: path, reason: "a run needs a folder of its own, not '\(path)'")
        }
        let parent = target.deletingLastPathComponent()
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        if manager.fileExists(atPath: path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else { throw .unwritableFolder(path: path, reason: "it is a file, not a folder") }
        } else {
            do { try manager.createDirectory(at: parent, withIntermediateDirectories: true) } catch {
                throw .unwritableFolder(path: path, reason: "cannot create it (\(FileIOError.reason(of: error)))")
            }
        }
        guard access(parent.path, W_OK | X_OK) == 0 else {
            throw .unwritableFolder(path: path, reason: "its parent folder '\(parent.path)' is not writable (\(FileIOError.lastPOSIXReason))")
        }
        lockURL = parent.appendingPathComponent(".\(name).lock")
        lockDescriptor = try Self.lock(lockURL, target: path)
        staging = parent.appendingPathComponent(".\(name).staging-\(getpid())-\(UUID().uuidString)")
        // Registered before the staging folder exists, so a stop signal at any later moment removes it.
        StagingRegistry.shared.add(staging: staging, lock: lockURL)
        do throws(ReportError) {
            if let entry = RunFolder.foreignEntry(in: target) { throw ReportError.notARunFolder(path: path, entry: entry) }
            Self.removeStale(named: name, in: parent)
            if !manager.fileExists(atPath: path) {
                do { try manager.createDirectory(at: target, withIntermediateDirectories: false) } catch {
                    throw ReportError.unwritableFolder(path: path, reason: "cannot create it (\(FileIOError.reason(of: error)))")
                }
            }
            do { try manager.createDirectory(at: staging, withIntermediateDirectories: false) } catch {
                throw ReportError.unwritableFolder(path: path, reason: "cannot create a staging folder next to it (\(FileIOError.reason(of: error)))")
            }
        } catch {
            StagingRegistry.shared.remove(staging: staging)  // before the lock is released: it is no longer ours after
            releaseLock()
            throw error
        }
    }

    deinit { discard() }

    /// Swaps the staged run in: the earlier folder is renamed away, the staging folder renamed to the target, the
    /// earlier folder removed; then the lock is released. On failure the earlier folder is put back and the staging
    /// folder removed.
    public func commit() throws(ReportError) {
        guard !isFinished else { return }
        let path = target.path
        do throws(ReportError) {
            try StagingRegistry.shared.whileCommitting(self) { () throws(ReportError) in
                let manager = FileManager.default
                var old: URL?
                if manager.fileExists(atPath: path) {
                    if let entry = RunFolder.foreignEntry(in: target) {
                        throw .notARunFolder(path: path, entry: entry)
                    }
                    let away = staging.deletingLastPathComponent()
                        .appendingPathComponent(".\(target.lastPathComponent).old-\(getpid())-\(UUID().uuidString)")
                    guard rename(path, away.path) == 0 else {
                        throw .cannotWrite(path: path, reason: "cannot move the earlier run away (\(FileIOError.lastPOSIXReason))")
                    }
                    old = away
                }
                guard rename(staging.path, path) == 0 else {
                    let reason = FileIOError.lastPOSIXReason
                    if let old { _ = rename(old.path, path) }
                    throw .cannotWrite(path: path, reason: "cannot move the new run into place (\(reason))")
                }
                if let old { try? manager.removeItem(at: old) }
            }
        } catch {
            isFinished = true
            releaseLock()
            throw error
        }
        isFinished = true
        releaseLock()
    }

    /// Removes the staging folder (the target keeps the earlier run) and releases the lock.
    public func discard() {
        guard !isFinished else { return }
        isFinished = true
        StagingRegistry.shared.remove(staging: staging)
        try? FileManager.default.removeItem(at: staging)
        releaseLock()
    }

    /// Removes the staging folder and lock file of every run of this process still in progress: what a SIGTERM/SIGINT
    /// handler calls just before the process exits, so that a stopped run leaves no hidden folder or temporary file
    /// behind. A commit under way is finished first; no run of this process can commit afterwards.
    public static func discardAllInProgress() {
        StagingRegistry.shared.discardAll()
    }

    // MARK: - Lock

    /// Opens and `flock`s `url` without waiting; retries when the file was replaced between open and lock.
    private static func lock(_ url: URL, target: String) throws(ReportError) -> Int32 {
        for _ in 0..<8 {
            let descriptor = open(url.path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
            guard descriptor >= 0 else {
                throw .unwritableFolder(path: target, reason: "cannot create the lock file '\(url.path)' (\(FileIOError.lastPOSIXReason))")
            }
            if flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
                let code = errno
                close(descriptor)
                if code == EWOULDBLOCK { throw .busy(path: target, lock: url.path) }
                throw .unwritableFolder(path: target, reason: "cannot lock '\(url.path)' (\(String(cString: strerror(code))))")
            }
            // The holder before us may have removed the file after we opened it: lock the file that is there now.
            var opened = stat(), current = stat()
            if fstat(descriptor, &opened) == 0, stat(url.path, &current) == 0,
               opened.st_ino == current.st_ino, opened.st_dev == current.st_dev {
                return descriptor
            }
            close(descriptor)
        }
        throw .busy(path: target, lock: url.path)
    }

    private func releaseLock() {
        guard lockDescriptor >= 0 else { return }
        unlink(lockURL.path)  // while still holding it: a waiting writer re-checks the inode (see `lock`)
        close(lockDescriptor)
        lockDescriptor = -1
    }

    /// Staging and old folders of `name` a killed writer left (we hold the lock, so no live writer owns them).
    private static func removeStale(named name: String, in parent: URL) {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: parent.path) else { return }
        for entry in entries where entry.hasPrefix(".\(name).staging-") || entry.hasPrefix(".\(name).old-") {
            try? FileManager.default.removeItem(at: parent.appendingPathComponent(entry))
        }
    }
}

/// The staged run folders of this process in progress, for ``StagedRunFolder/discardAllInProgress()``.
final class StagingRegistry: @unchecked Sendable {
    static let shared = StagingRegistry()
    private let lock = NSRecursiveLock()
    /// Staging folder and lock file of each folder in progress, by staging path.
    private var folders: [String: (staging: URL, lock: URL)] = [:]
    private var discarding = false

    func add(staging: URL, lock lockFile: URL) {
        lock.lock(); defer { lock.unlock() }
        folders[staging.path] = (staging, lockFile)
    }

    func remove(staging: URL) {
        lock.lock(); defer { lock.unlock() }
        folders[staging.path] = nil
    }

    /// Runs a commit's renames under the registry lock, so a signal handler never interrupts them halfway.
    func whileCommitting(_ folder: StagedRunFolder, _ body: () throws(ReportError) -> Void) throws(ReportError) {
        lock.lock(); defer { lock.unlock() }
        guard !discarding else { throw .cannotWrite(path: folder.target.path, reason: "the process is being stopped") }
        folders[folder.staging.path] = nil
        do { try body() } catch {
            try? FileManager.default.removeItem(at: folder.staging)
            throw error
        }
    }

    func discardAll() {
        lock.lock(); defer { lock.unlock() }
        discarding = true
        for (staging, lock) in folders.values {
            try? FileManager.default.removeItem(at: staging)
            unlink(lock.path)  // still ours: the process holds the lock until it exits
        }
        folders.removeAll()
    }
}
