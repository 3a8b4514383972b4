import Hummingbird
import Logging
import NIOCore
import PreflightCore
import ServiceLifecycle

/// `preflight serve`: builds the site in memory, serves it over HTTP, rebuilds
/// when a source changes and tells open tabs to reload.
public struct PreviewServer: Sendable {
    public struct Options: Sendable {
        public var siteDirectory: String
        public var host: String
        public var port: Int
        /// A fixed build date, or nil for today at each rebuild.
        public var asOf: Day?
        public var includeDrafts: Bool

        public init(siteDirectory: String, host: String, port: Int, asOf: Day?, includeDrafts: Bool) {
            self.siteDirectory = siteDirectory
            self.host = host
            self.port = port
            self.asOf = asOf
            self.includeDrafts = includeDrafts
        }
    }

    let options: Options
    /// Where progress and diagnostics go (the terminal).
    let log: @Sendable (String) -> Void
    /// The build date when `asOf` is nil.
    let today: @Sendable () -> Day
    let state = SiteState()

    public init(options: Options, today: @escaping @Sendable () -> Day, log: @escaping @Sendable (String) -> Void) {
        self.options = options
        self.today = today
        self.log = log
    }

    /// Runs until SIGINT or SIGTERM.
    public func run() async throws {
        // Watch before the first build and before announcing the URL: an edit made
        // while the site is being read, or right after, is not missed.
        let watcher = Watcher(root: options.siteDirectory)
        let changes = watcher?.changes()
        await rebuild(initial: true)
        let responder = CallbackResponder<BasicRequestContext> { request, _ in
            await self.respond(to: request)
        }
        var logger = Logger(label: "preflight-serve")
        logger.logLevel = .error
        let app = Application(
            responder: responder,
            configuration: .init(address: .hostname(options.host, port: options.port), serverName: "Preflight"),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? options.port
                let base = await state.snapshot.basePath
                log("Serving \(options.siteDirectory) at http://\(options.host):\(port)\(base) (Ctrl-C to stop)")
            },
            logger: logger)
        let watchService = WatchService(server: self, watcher: watcher, changes: changes)
        // Services shut down in reverse order: the watcher first ends every event
        // stream, then the HTTP server can drain and stop.
        let group = ServiceGroup(
            configuration: .init(
                services: [app, watchService], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }

    /// Builds the whole site in memory and hands the result to the state.
    func rebuild(initial: Bool = false) async {
        let options = BuildOptions(
            siteDirectory: self.options.siteDirectory, buildDate: self.options.asOf ?? today(),
            includeDrafts: self.options.includeDrafts)
        await timed(initial ? "Built" : "Rebuilt") {
            let (site, diagnostics) = await Task.detached { LiveSite.build(options) }.value
            return (site, diagnostics)
        }
    }

    /// Applies changed files: only the services they belong to when that is
    /// enough, else a full rebuild (also after a failed build, to start clean).
    func update(_ changes: Set<String>) async {
        // A wake-up whose changes an earlier pass already took has nothing to do.
        guard !changes.isEmpty else { return }
        let snapshot = await state.snapshot
        let retry = await state.takeFailedChanges()
        guard let site = snapshot.site, snapshot.errors.isEmpty || retry != nil else {
            await rebuild()
            return
        }
        let all = changes.union(retry ?? [])
        let update = await Task.detached { site.updating(all) }.value
        switch update {
        case .needsFullRebuild:
            await rebuild()
        case .updated(let updated):
            await timed("Updated") { (updated, DiagnosticList()) }
        case .failed(let diagnostics):
            await state.rememberFailedChanges(all)
            await timed("Updated") { (nil, diagnostics) }
        }
    }

    private func timed(_ verb: String, _ work: () async -> (LiveSite?, DiagnosticList)) async {
        let clock = ContinuousClock()
        let start = clock.now
        let (site, diagnostics) = await work()
        let formatter = DiagnosticFormatter(siteDirectory: options.siteDirectory)
        let errors = diagnostics.sorted.filter { $0.severity == .error }.map(formatter.text)
        await state.apply(errors.isEmpty ? site : nil, errors: errors)
        let elapsed = clock.now - start
        if errors.isEmpty {
            let ms = elapsed.components.attoseconds / 1_000_000_000_000_000 + elapsed.components.seconds * 1000
            log("\(verb) in \(ms) ms")
        } else {
            log(errors.joined(separator: "\n"))
            log("Build failed with \(errors.count) error\(errors.count == 1 ? "" : "s"); still serving the last good site")
        }
    }

    func respond(to request: Request) async -> Response {
        let snapshot = await state.snapshot
        let path = request.uri.path
        let base = snapshot.basePath
        guard path.hasPrefix(base) || path + "/" == base else {
            if path == "/" { return redirect(to: base) }
            return await notFound(snapshot)
        }
        if path + "/" == base { return redirect(to: base) }
        var relative = String(path.dropFirst(base.count)).removingPercentEncoding()
        if relative.hasPrefix("__preflight/") { return await internalResource(String(relative.dropFirst(12)), snapshot) }
        if relative.split(separator: "/").contains("..") { return await notFound(snapshot) }
        if relative.isEmpty || relative.hasSuffix("/") { relative += "index.html" }
        if let bytes = await file(relative, snapshot) {
            return page(relative, bytes, snapshot, status: .ok)
        }
        if await file(relative + "/index.html", snapshot) != nil { return redirect(to: path + "/") }
        return await notFound(snapshot)
    }

    /// A file of the current site: from the cache, or rendered now and cached.
    private func file(_ path: String, _ snapshot: SiteState.Snapshot) async -> [UInt8]? {
        if let bytes = await state.cached(path, generation: snapshot.generation) { return bytes }
        guard let site = snapshot.site, let bytes = site.file(at: path) else { return nil }
        await state.store(bytes, for: path, generation: snapshot.generation)
        return bytes
    }

    private func page(_ path: String, _ bytes: [UInt8], _ snapshot: SiteState.Snapshot, status: HTTPResponse.Status) -> Response {
        var body = bytes
        let type = ContentTypes.of(path)
        if type.hasPrefix("text/html") {
            body = LiveReload.inject(into: bytes, snapshot: snapshot)
        }
        var headers = HTTPFields()
        headers[.contentType] = type
        headers[.cacheControl] = "no-store"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }

    private func notFound(_ snapshot: SiteState.Snapshot) async -> Response {
        let bytes = await file("404.html", snapshot) ?? Array("Not found".utf8)
        return page("404.html", bytes, snapshot, status: .notFound)
    }

    private func redirect(to location: String) -> Response {
        var headers = HTTPFields()
        headers[.location] = location
        return Response(status: .found, headers: headers)
    }

    private func internalResource(_ name: String, _ snapshot: SiteState.Snapshot) async -> Response {
        switch name {
        case "reload.js", "overlay.css":
            var headers = HTTPFields()
            headers[.contentType] = ContentTypes.of(name)
            headers[.cacheControl] = "no-store"
            let text = name == "reload.js" ? LiveReload.script : LiveReload.overlayStyle
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
        case let events where events.hasPrefix("events"):
            return await eventStream()
        default:
            return await notFound(snapshot)
        }
    }

    /// Server-sent events: `reload` after every rebuild. The stream ends when the
    /// server shuts down (`SiteState.closeAll`) or the tab goes away.
    private func eventStream() async -> Response {
        let updates = await state.subscribe()
        let generation = await state.snapshot.generation
        var headers = HTTPFields()
        headers[.contentType] = "text/event-stream"
        headers[.cacheControl] = "no-store"
        return Response(
            status: .ok, headers: headers,
            body: .init { writer in
                try await writer.write(ByteBuffer(string: "retry: 1000\nevent: hello\ndata: \(generation)\n\n"))
                for await next in updates {
                    try await writer.write(ByteBuffer(string: "event: reload\ndata: \(next)\n\n"))
                }
                try await writer.finish(nil)
            })
    }
}

/// Rebuilds on file changes; on shutdown, ends the event streams first.
struct WatchService: ServiceLifecycle.Service {
    let server: PreviewServer
    let watcher: Watcher?
    let changes: AsyncStream<Void>?

    func run() async throws {
        guard let watcher, let changes else {
            server.log("warning: cannot watch files here; restart `preflight serve` to see changes")
            try? await gracefulShutdown()
            await server.state.closeAll()
            return
        }
        await withGracefulShutdownHandler {
            for await _ in changes {
                // Debounce: editors write a file in several steps.
                try? await Task.sleep(for: .milliseconds(20))
                await server.update(watcher.takeChanges())
            }
        } onGracefulShutdown: {
            watcher.stop()
            Task { await server.state.closeAll() }
        }
        await server.state.closeAll()
    }
}
