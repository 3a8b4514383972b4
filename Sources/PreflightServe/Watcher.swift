import PreflightCore

#if canImport(Glibc)
    import Glibc
#endif

/// Watches a site's sources with inotify: `content/`, `templates/`, `static/`,
/// `evidence/` (recursively, following new folders), `preflight.yml`, and
/// evidence files and folders outside the site (`--evidence`). Each burst of
/// changes yields one value; the consumer debounces, then takes the set of
/// changed paths with `takeChanges()`.
final class Watcher: @unchecked Sendable {
    private let root: String
    private let fd: Int32
    private var watches: [Int32: String] = [:]
    private var stopped = false
    /// Changed paths relative to the root, since the last `takeChanges()`.
    private var pending: Set<String> = []
    /// How many relevant events were seen: the consumer waits for it to stop moving.
    private var events = 0
    private let lock = Lock()
    static let watchedFolders = ["content", "templates", "static", "evidence"]
    /// The change recorded when events were lost: the site folder itself.
    static let everything = "."
    /// Watches of folders outside the site, with the one file name that
    /// matters there (nil: everything in the folder); any change reads the
    /// whole site again.
    private var outside: [Int32: String?] = [:]

    /// Entries of the site folder that matter besides `watchedFolders` and
    /// preflight.yml: where the catalog files are (a folder, watched with
    /// all below it, or a file).
    private let catalogEntries: Set<String>

    /// `outside` are evidence files and folders given with `--evidence`;
    /// `catalog`, the site folder's entries that hold catalog files.
    init?(root: String, outside paths: [String] = [], catalog: [String] = []) {
        self.root = root
        self.catalogEntries = Set(catalog)
        #if os(Linux)
            fd = inotify_init1(Int32(IN_CLOEXEC | IN_NONBLOCK))
            guard fd >= 0 else { return nil }
            add(root, recursive: false)
            for folder in Self.watchedFolders { add(root + "/" + folder, recursive: true) }
            for entry in catalog where FileSystem.kind(root + "/" + entry) == .directory {
                add(root + "/" + entry, recursive: true)
            }
            for path in paths {
                if FileSystem.kind(path) == .directory {
                    for wd in add(path, recursive: true) { outside[wd] = .some(nil) }
                } else {
                    // The folder, not the file: editors save by renaming a new file over it.
                    let slash = path.lastIndex(of: "/")
                    let folder = slash.map { $0 == path.startIndex ? "/" : String(path[..<$0]) } ?? "."
                    let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
                    for wd in add(folder, recursive: false) { outside[wd] = .some(name) }
                }
            }
        #else
            return nil
        #endif
    }

    /// Changes, one element per burst. Ends when `stop()` is called.
    func changes() -> AsyncStream<Void> {
        let (stream, continuation) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        let thread = ThreadRunner { [self] in
            var buffer = [UInt8](repeating: 0, count: 64 * 1024)
            while !isStopped {
                var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
                let ready = poll(&pfd, 1, 100)
                if ready <= 0 { continue }
                let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
                if n <= 0 { continue }
                if handle(buffer, count: n) { continuation.yield(()) }
            }
            continuation.finish()
        }
        thread.start()
        return stream
    }

    /// The paths changed since the last call (relative to the site folder).
    func takeChanges() -> Set<String> {
        lock.withLock {
            let changes = pending
            pending = []
            return changes
        }
    }

    func stop() {
        lock.withLock { stopped = true }
    }

    private var isStopped: Bool { lock.withLock { stopped } }

    deinit {
        close(fd)
    }

    /// Reads inotify records; returns whether any concerns the site.
    func handle(_ buffer: [UInt8], count: Int) -> Bool {
        var relevant = false
        var offset = 0
        while offset + 16 <= count {
            let (wd, mask, length) = buffer.withUnsafeBytes { raw -> (Int32, UInt32, Int) in
                (
                    raw.loadUnaligned(fromByteOffset: offset, as: Int32.self),
                    raw.loadUnaligned(fromByteOffset: offset + 4, as: UInt32.self),
                    Int(raw.loadUnaligned(fromByteOffset: offset + 12, as: UInt32.self))
                )
            }
            let nameBytes = buffer[(offset + 16)..<min(offset + 16 + length, count)].prefix { $0 != 0 }
            let name = String(decoding: nameBytes, as: UTF8.self)
            offset += 16 + length
            if mask & UInt32(IN_Q_OVERFLOW) != 0 {
                // The kernel dropped events: which files changed is unknown, so
                // the whole site is read again (the root is no service's file).
                record(Self.everything)
                relevant = true
                continue
            }
            if let file = outside[wd] {
                if file == nil || file == name {
                    record(Self.everything)
                    relevant = true
                }
                continue
            }
            guard let dir = watches[wd] else { continue }
            if dir == root {
                // In the site folder itself only the config, the watched folders and the catalog matter.
                let folder = Self.watchedFolders.contains(name) || catalogEntries.contains(name)
                guard name == "preflight.yml" || folder else { continue }
                if folder, mask & UInt32(IN_ISDIR) != 0 {
                    add(root + "/" + name, recursive: true)
                }
                record(name)
                relevant = true
                continue
            }
            if mask & UInt32(IN_ISDIR) != 0 && mask & UInt32(IN_CREATE | IN_MOVED_TO) != 0 {
                add(dir + "/" + name, recursive: true)
            }
            // Editors' scratch files (vim's 4913, swap and backup files) are not content.
            if name.hasPrefix(".") || name.hasSuffix("~") || name == "4913" { continue }
            record(String((dir + "/" + name).dropFirst(root.count + 1)))
            relevant = true
        }
        return relevant
    }

    private func record(_ relative: String) {
        lock.withLock {
            pending.insert(relative)
            events += 1
        }
    }

    /// Relevant events so far; unchanged over a short wait means the folder is quiet.
    var eventCount: Int { lock.withLock { events } }

    /// Watches `path` (and its folders, when `recursive`); the watch
    /// descriptors it added.
    @discardableResult
    private func add(_ path: String, recursive: Bool) -> [Int32] {
        #if os(Linux)
            let mask = UInt32(IN_CLOSE_WRITE | IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO | IN_DELETE_SELF)
            let wd = inotify_add_watch(fd, path, mask)
            guard wd >= 0 else { return [] }
            watches[wd] = path
            guard recursive, let dir = opendir(path) else { return [wd] }
            defer { closedir(dir) }
            var subfolders: [String] = []
            while let entry = readdir(dir) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                    String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
                }
                if name == "." || name == ".." || name.hasPrefix(".") { continue }
                if entry.pointee.d_type == UInt8(DT_DIR) { subfolders.append(path + "/" + name) }
            }
            return [wd] + subfolders.flatMap { add($0, recursive: true) }
        #else
            return []
        #endif
    }
}

/// Runs a blocking loop on its own POSIX thread, off the concurrency pool.
final class ThreadRunner: @unchecked Sendable {
    private let body: () -> Void

    init(_ body: @escaping () -> Void) {
        self.body = body
    }

    func start() {
        var thread = pthread_t()
        let box = Unmanaged.passRetained(self)
        pthread_create(&thread, nil, { raw in
            let runner = Unmanaged<ThreadRunner>.fromOpaque(raw!).takeRetainedValue()
            runner.body()
            return nil
        }, box.toOpaque())
        pthread_detach(thread)
    }
}
