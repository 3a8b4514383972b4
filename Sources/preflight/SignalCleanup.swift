import Dispatch
import PreflightCore
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Removes a temporary folder when the process is interrupted (Ctrl-C, a
/// CI job cancelled, a terminal closed) as well as when it ends normally.
/// A `defer` does not run on a signal: the folder would stay behind.
final class SignalCleanup {
    /// The folder, shared with the signal handlers (they run on another thread).
    private final class Guarded: Sendable {
        let folder = Mutex<String?>(nil)
    }

    private let path = Guarded()
    private let sources: [any DispatchSourceSignal]

    init() {
        let path = self.path
        sources = [SIGINT, SIGTERM, SIGHUP].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                // The lock is held through the removal and the exit: the main
                // thread, whose writes now fail, would otherwise report the
                // error and exit while the folder is half removed.
                path.folder.withLock { folder in
                    if let folder { Self.removeWhileWritten(folder) }
                    _exit(128 + number)
                }
            }
            source.resume()
            return source
        }
        // A closed pipe (`diff … | head`) is an error from write, not a silent death.
        signal(SIGPIPE, SIG_IGN)
    }

    /// Removes `folder` while other threads may still be writing into it
    /// (the base is written on every core). Removing it in place raced them:
    /// a file made after the listing kept its folder alive. So the folder is
    /// renamed away and a plain file put at its path first: a write in flight
    /// then fails (its parent is not a folder) instead of making the path again.
    private static func removeWhileWritten(_ folder: String) {
        let doomed = folder + ".removing"
        guard rename(folder, doomed) == 0 else {
            FileSystem.removeTree(folder)
            return
        }
        let placeholder = open(folder, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0o600)
        if placeholder >= 0 { close(placeholder) }
        // A writer that opened its folder before the rename still writes into
        // it (by descriptor) until its batch ends: pass again until nothing is
        // left, for two seconds at most.
        for _ in 0..<2_000 {
            FileSystem.removeTree(doomed)
            if FileSystem.kind(doomed) == nil { break }
            usleep(1_000)
        }
        unlink(folder)
    }

    /// Makes a folder with `make` and guards it, under the lock the signal
    /// handlers take: a signal between the two would otherwise find nothing
    /// to remove and leave the new folder behind.
    func guardingNew(_ make: () -> String?) -> String? {
        path.folder.withLock { folder in
            folder = make()
            return folder
        }
    }

    /// Removes the folder now and stops guarding it. The removal runs under
    /// the lock: a signal arriving meanwhile waits for it to finish instead
    /// of exiting with the folder half removed.
    func removeNow() {
        path.folder.withLock { folder in
            if let folder { FileSystem.removeTree(folder) }
            folder = nil
        }
    }

    deinit {
        for source in sources { source.cancel() }
    }
}
