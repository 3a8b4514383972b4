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
        if let site {
            snapshot.site = site
            snapshot.basePath = site.basePath
            cache.removeAll()
        }
        snapshot.errors = errors
        snapshot.generation += 1
        for continuation in subscribers.values { continuation.yield(snapshot.generation) }
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
