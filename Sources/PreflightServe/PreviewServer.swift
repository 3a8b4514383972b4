import Hummingbird
import Logging
import NIOCore
import NIOPosix
import PreflightCore
import ServiceLifecycle

/// `preflight serve`: builds the site in memory, serves it over HTTP, rebuilds
/// when a source changes and tells open tabs to reload.
public struct PreviewServer: Sendable {
    public struct Options: Sendable {
        /// The site and what to build; its build date is replaced at each rebuild
        /// by `buildDate.current(now:)`.
        public var site: BuildOptions
        public var buildDate: BuildDate
        public var host: String
        public var port: Int
        /// Host names answered besides IP addresses, localhost and `host`.
        public var allowedHosts: [String]

        public init(site: BuildOptions, buildDate: BuildDate, host: String, port: Int, allowedHosts: [String] = []) {
            self.site = site
            self.buildDate = buildDate
            self.host = host
            self.port = port
            self.allowedHosts = allowedHosts
        }

        public var siteDirectory: String { site.siteDirectory }
    }

    let options: Options
    /// Where progress and diagnostics go (the terminal).
    let log: @Sendable (String) -> Void
    /// The clock, in Unix seconds: the build date of an unpinned rebuild.
    let now: @Sendable () -> Int64
    let state = SiteState()
    let hosts: HostCheck

    public init(options: Options, now: @escaping @Sendable () -> Int64, log: @escaping @Sendable (String) -> Void) {
        self.options = options
        self.now = now
        self.log = log
        self.hosts = HostCheck(bound: options.host, allowed: options.allowedHosts)
    }

    /// Runs until SIGINT or SIGTERM.
    public func run() async throws {
        // Watch before the first build and before announcing the URL: an edit made
        // while the site is being read, or right after, is not missed.
        let watcher = Watcher(
            root: options.siteDirectory, outside: options.site.evidence,
            catalog: Catalog.watchedEntries(siteDirectory: options.siteDirectory))
        let changes = watcher?.changes()
        await rebuild(initial: true)
        var logger = Logger(label: "preflight-serve")
        logger.logLevel = .error
        let app = application(logger: logger) { port in
            let base = await state.snapshot.basePath
            log("Serving \(options.siteDirectory) at http://\(options.host):\(port)\(base) (Ctrl-C to stop)")
        }
        let watchService = WatchService(server: self, watcher: watcher, changes: changes)
        // Services shut down in reverse order: the watcher first ends every event
        // stream, then the HTTP server can drain and stop.
        let group = ServiceGroup(
            configuration: .init(
                services: [app, watchService], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }

    /// The HTTP side: every request goes to `respond(to:)`. Tests drive it in
    /// process with Hummingbird's testing support.
    func application(
        logger: Logger, onRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        let responder = CallbackResponder<BasicRequestContext> { request, _ in
            await self.respond(to: request)
        }
        return Application(
            responder: responder,
            configuration: .init(address: .hostname(options.host, port: options.port), serverName: "Preflight"),
            onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? options.port) },
            logger: logger)
    }

    /// Builds the whole site in memory and hands the result to the state.
    func rebuild(initial: Bool = false) async {
        var site = self.options.site
        site.buildDate = self.options.buildDate.current(now: now())
        let options = site
        await timed(initial ? "Built" : "Rebuilt") {
            await Task.detached { LiveSite.build(options) }.value
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
        // The time reported covers reading the edit, not only taking the result.
        let start = ContinuousClock.now
        let update = await Task.detached { site.updating(all) }.value
        switch update {
        case .needsFullRebuild:
            await rebuild()
        case .updated(let updated):
            await timed("Updated", since: start) { (updated, DiagnosticList()) }
        case .failed(let diagnostics):
            await state.rememberFailedChanges(all)
            await timed("Updated", since: start) { (nil, diagnostics) }
        }
    }

    private func timed(
        _ verb: String, since start: ContinuousClock.Instant = .now, _ work: () async -> (LiveSite?, DiagnosticList)
    ) async {
        let clock = ContinuousClock()
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
        // Only reading: a preview has nothing to post to.
        guard request.method == .get || request.method == .head else {
            var headers = HTTPFields()
            headers[.allow] = "GET, HEAD"
            return plain(.methodNotAllowed, "Method not allowed: the preview answers GET and HEAD only.\n", headers: headers)
        }
        // DNS rebinding: a page elsewhere that points its own name at 127.0.0.1
        // must not read the preview; its requests carry its own Host.
        let host = request.headers.first { $0.name.canonicalName == "host" }?.value ?? request.head.authority ?? ""
        guard hosts.allows(host) else {
            return plain(
                .forbidden,
                "Forbidden: this preview does not answer for the host `\(host)`. "
                    + "Start `preflight serve --allowed-host NAME` to allow a name.\n")
        }
        let response = await content(for: request)
        guard request.method == .head else { return response }
        return Response(status: response.status, headers: response.headers, body: .init())
    }

    private func content(for request: Request) async -> Response {
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
        switch await file(relative, snapshot) {
        case .bytes(let bytes)?: return page(relative, bytes, snapshot, status: .ok)
        case .text(let text)?: return page(relative, Array(text.utf8), snapshot, status: .ok)
        // `serve` keeps no build cache: its plan never names an earlier output.
        case .unchanged(_, _, let otherwise)?: return page(relative, otherwise(), snapshot, status: .ok)
        case .staticFile(let file)?:
            if let response = stream(relative, file) { return response }
            return await notFound(snapshot)
        case nil:
            if snapshot.site?.plan.contains(relative + "/index.html") == true { return redirect(to: path + "/") }
            return await notFound(snapshot)
        }
    }

    /// A file of the current site: generated files from the cache, or rendered
    /// now and cached; static files as the build checked them, to be streamed.
    private func file(_ path: String, _ snapshot: SiteState.Snapshot) async -> OutputFile.Contents? {
        if let bytes = await state.cached(path, generation: snapshot.generation) { return .bytes(bytes) }
        guard let site = snapshot.site, let file = site.file(at: path) else { return nil }
        if case .bytes(let bytes) = file.contents {
            await state.store(bytes, for: path, generation: snapshot.generation)
        }
        return file.contents
    }

    /// A static file, read in chunks off the concurrency pool. Nil when the path
    /// no longer names the file the build checked (a link, a pipe, another file).
    private func stream(_ path: String, _ source: StaticFile) -> Response? {
        let file: FileSystem.InputFile
        do {
            file = try source.open()
        } catch {
            log("warning: not serving \(error.path): \(error.reason)")
            return nil
        }
        var headers = HTTPFields()
        headers[.contentType] = ContentTypes.of(path)
        headers[.cacheControl] = "no-store"
        headers[.contentLength] = String(file.size)
        let chunkSize = 256 << 10
        let body = ResponseBody(contentLength: file.size) { writer in
            var offset = 0
            while offset < file.size {
                let (at, count) = (offset, min(chunkSize, file.size - offset))
                let chunk = try await NIOThreadPool.singleton.runIfActive { try file.read(at: at, count: count) }
                if chunk.isEmpty { break }
                try await writer.write(ByteBuffer(bytes: chunk))
                offset += chunk.count
            }
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: headers, body: body)
    }

    private func plain(_ status: HTTPResponse.Status, _ text: String, headers: HTTPFields = HTTPFields()) -> Response {
        var headers = headers
        headers[.contentType] = "text/plain; charset=utf-8"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
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
        if snapshot.site == nil, !snapshot.errors.isEmpty {
            // No good build yet: a page to carry the error overlay, not "Not found".
            let html = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<title>Preflight: the site has errors</title></head><body></body></html>\n"
            return page("index.html", Array(html.utf8), snapshot, status: .serviceUnavailable)
        }
        guard case .bytes(let bytes)? = await file("404.html", snapshot) else {
            return page("404.html", Array("Not found".utf8), snapshot, status: .notFound)
        }
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
    /// Editors save in several steps (a temporary file, a rename, a backup
    /// removed) a millisecond or two apart, and `git checkout` writes many
    /// files: the changes are taken once the folder has been quiet for
    /// `quiet`, or after `longest` whatever happens. A step that comes later
    /// still is applied by the next pass.
    static let quiet = Duration.milliseconds(5)
    static let longest = Duration.milliseconds(100)

    static func settle(_ watcher: Watcher) async {
        await settle(events: { watcher.eventCount }, quiet: quiet, longest: longest)
    }

    /// Waits until `events()` stays the same over `quiet`, or `longest` passed.
    static func settle(events: () -> Int, quiet: Duration, longest: Duration) async {
        let deadline = ContinuousClock.now + longest
        var seen = events()
        while ContinuousClock.now < deadline {
            try? await Task.sleep(for: quiet)
            let now = events()
            if now == seen { return }
            seen = now
        }
    }

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
                await Self.settle(watcher)
                await server.update(watcher.takeChanges())
            }
        } onGracefulShutdown: {
            watcher.stop()
            Task { await server.state.closeAll() }
        }
        await server.state.closeAll()
    }
}
