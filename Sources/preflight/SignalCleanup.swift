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
                if let folder = path.folder.withLock({ $0 }) { FileSystem.removeTree(folder) }
                _exit(128 + number)
            }
            source.resume()
            return source
        }
        // A closed pipe (`diff … | head`) is an error from write, not a silent death.
        signal(SIGPIPE, SIG_IGN)
    }

    /// The folder to remove from now on, or none.
    func guarding(_ folder: String?) {
        path.folder.withLock { $0 = folder }
    }

    /// Removes the folder now and stops guarding it.
    func removeNow() {
        if let folder = path.folder.withLock({ value -> String? in
            defer { value = nil }
            return value
        }) {
            FileSystem.removeTree(folder)
        }
    }

    deinit {
        for source in sources { source.cancel() }
    }
}
