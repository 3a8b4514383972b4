import PreflightCore

/// The last good site, held in memory, and the problems of the latest build.
/// Sites are swapped as a whole, so a request never sees a half-built site;
/// pages are rendered on first request and kept until the next change.
actor SiteState {
    struct Snapshot: Sendable {
        var site: LiveSite?
        var basePath: String
        /// Diagnostics of the latest build when it failed; empty when it succeeded.
        var errors: [String]
        var generation: Int
    }

    private(set) var snapshot = Snapshot(site: nil, basePath: "/", errors: [], generation: 0)
    private var cache: [String: [UInt8]] = [:]
    private var subscribers: [Int: AsyncStream<Int>.Continuation] = [:]
    private var nextSubscriber = 0
    private var closed = false
    /// Files of an edit that failed to apply, retried with the next change, so a
    /// fix is applied as quickly as the edit that broke things.
    private var failedChanges: Set<String>?

    func takeFailedChanges() -> Set<String>? {
        defer { failedChanges = nil }
        return failedChanges
    }

    func rememberFailedChanges(_ changes: Set<String>) {
        failedChanges = changes
    }

    /// Takes a finished build: its site when it succeeded, its errors either way.
    func apply(_ site: LiveSite?, errors: [String]) {
        var old: (LiveSite?, [String: [UInt8]])?
        if let site {
            old = (snapshot.site, cache)
            snapshot.site = site
            snapshot.basePath = site.basePath
            cache = [:]
        }
        snapshot.errors = errors
        snapshot.generation += 1
        for continuation in subscribers.values { continuation.yield(snapshot.generation) }
        // Freeing the previous site (its whole model) takes milliseconds on a
        // large site: done on another task, so that requests for the new pages
        // are not held up behind it.
        if let old { Task.detached(priority: .background) { withExtendedLifetime(old) {} } }
    }

    func cached(_ path: String, generation: Int) -> [UInt8]? {
        generation == snapshot.generation ? cache[path] : nil
    }

    /// Keeps a rendered page, unless the site changed while it was being rendered.
    func store(_ bytes: [UInt8], for path: String, generation: Int) {
        if generation == snapshot.generation { cache[path] = bytes }
    }

    /// A stream of generation numbers, one per rebuild, for the live-reload event stream.
    func subscribe() -> AsyncStream<Int> {
        let (stream, continuation) = AsyncStream<Int>.makeStream(bufferingPolicy: .bufferingNewest(1))
        if closed {
            continuation.finish()
            return stream
        }
        let id = nextSubscriber
        nextSubscriber += 1
        subscribers[id] = continuation
        continuation.onTermination = { _ in Task { await self.unsubscribe(id) } }
        return stream
    }

    private func unsubscribe(_ id: Int) {
        subscribers[id] = nil
    }

    /// Ends every event stream, so open browser tabs cannot hold the server up on shutdown.
    func closeAll() {
        closed = true
        for continuation in subscribers.values { continuation.finish() }
        subscribers.removeAll()
    }
}
