import PreflightCore

/// The last good site, held in memory, and the problems of the latest build.
/// Pages are swapped as a whole, so a request never sees a half-built site.
actor SiteState {
    struct Snapshot: Sendable {
        var files: [String: [UInt8]]
        var basePath: String
        /// Diagnostics of the latest build when it failed; empty when it succeeded.
        var errors: [String]
        var generation: Int
    }

    private(set) var snapshot = Snapshot(files: [:], basePath: "/", errors: [], generation: 0)
    private var subscribers: [Int: AsyncStream<Int>.Continuation] = [:]
    private var nextSubscriber = 0
    private var closed = false

    /// Takes a finished build: its pages when it succeeded, its errors either way.
    func apply(_ files: [String: [UInt8]]?, basePath: String?, errors: [String]) {
        if let files { snapshot.files = files }
        if let basePath { snapshot.basePath = basePath }
        snapshot.errors = errors
        snapshot.generation += 1
        for continuation in subscribers.values { continuation.yield(snapshot.generation) }
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
