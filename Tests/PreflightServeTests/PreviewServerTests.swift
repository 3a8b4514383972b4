import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import PreflightCore
import Testing

@testable import PreflightServe

#if canImport(Glibc)
    import Glibc
#endif

/// The preview server's router, driven in process (no socket).
@Suite struct PreviewServerTests {
    static let checklist = """
        ---
        title: Basic
        ---
        ## Security {#security}

        - [ ] Secrets live in the secret store {#sec-secrets required}
        """

    /// A small site in a temporary folder, removed afterwards.
    final class Site {
        let root: String
        init() throws {
            root = FileManager.default.temporaryDirectory.appendingPathComponent("preflight-serve-\(UUID().uuidString)").path
            try write("content/checklists/basic.md", PreviewServerTests.checklist)
            try write("content/services/svc/index.md", "---\nname: Svc\nowner: team-a\n---\n")
            try write("content/services/svc/reviews/r.md", "---\ndate: 2026-01-01\n---\n- [ ] x {#sec-secrets}\n")
            try write("static/hello.txt", "hello\n")
            try write("secret.txt", "do not serve\n")
        }
        func write(_ path: String, _ text: String) throws {
            let url = URL(fileURLWithPath: root + "/" + path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }
        deinit { try? FileManager.default.removeItem(atPath: root) }
    }

    func server(_ site: Site, allowedHosts: [String] = []) async -> PreviewServer {
        let date = BuildDate(day: Day("2026-02-01")!, isPinned: true)
        let server = PreviewServer(
            options: .init(
                site: BuildOptions(siteDirectory: site.root, buildDate: date.day), buildDate: date, host: "127.0.0.1",
                port: 0, allowedHosts: allowedHosts),
            now: { 0 }, log: { _ in })
        await server.rebuild(initial: true)
        return server
    }

    func test(_ server: PreviewServer, _ body: @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        var logger = Logger(label: "test")
        logger.logLevel = .error
        try await server.application(logger: logger).test(.router, body)
    }

    @Test func servesPagesExportsAndStaticFiles() async throws {
        let site = try Site()
        try await test(await server(site)) { client in
            for path in ["/", "/services/svc/", "/readiness.json", "/badges/svc.svg", "/feed.xml", "/hello.txt"] {
                try await client.execute(uri: path, method: .get) { response in
                    #expect(response.status == .ok, Comment(rawValue: path))
                }
            }
            try await client.execute(uri: "/hello.txt", method: .get) { response in
                #expect(String(buffer: response.body) == "hello\n")
                #expect(response.headers[.contentLength] == "6")
            }
            try await client.execute(uri: "/services/svc", method: .get) { response in
                #expect(response.status == .found)
            }
            try await client.execute(uri: "/no/such/page", method: .get) { response in
                #expect(response.status == .notFound)
            }
        }
    }

    @Test func onlyGetAndHead() async throws {
        let site = try Site()
        try await test(await server(site)) { client in
            for method in [HTTPRequest.Method.post, .put, .delete, .patch, .init("TRACE")!] {
                try await client.execute(uri: "/", method: method) { response in
                    #expect(response.status == .methodNotAllowed, Comment(rawValue: method.rawValue))
                    #expect(response.headers[.allow] == "GET, HEAD")
                }
            }
            try await client.execute(uri: "/", method: .head) { response in
                #expect(response.status == .ok)
                #expect(response.body.readableBytes == 0)
            }
        }
    }

    /// DNS rebinding: a name the server was not told about gets 403.
    @Test func foreignHostNamesAreRefused() async throws {
        let site = try Site()
        try await test(await server(site, allowedHosts: ["preview.internal"])) { client in
            for host in ["evil.example", "evil.example:8000", "127.0.0.1.evil.example"] {
                try await client.execute(uri: "/", method: .get, headers: [.init("Host")!: host]) { response in
                    #expect(response.status == .forbidden, Comment(rawValue: host))
                }
            }
            for host in ["localhost:8000", "127.0.0.1:8000", "[::1]:8000", "app.localhost", "preview.internal", "PREVIEW.internal:80"] {
                try await client.execute(uri: "/", method: .get, headers: [.init("Host")!: host]) { response in
                    #expect(response.status == .ok, Comment(rawValue: host))
                }
            }
        }
    }

    /// The last good site serves only the files the build checked: a static
    /// file swapped for a link or a pipe afterwards is not served, and
    /// nothing blocks.
    @Test(.timeLimit(.minutes(5))) func swappedStaticFilesAreNotServed() async throws {
        let site = try Site()
        let server = await server(site)
        try FileManager.default.removeItem(atPath: site.root + "/static/hello.txt")
        try FileManager.default.createSymbolicLink(atPath: site.root + "/static/hello.txt", withDestinationPath: site.root + "/secret.txt")
        try await test(server) { client in
            try await client.execute(uri: "/hello.txt", method: .get) { response in
                #expect(response.status == .notFound)
                #expect(!String(buffer: response.body).contains("do not serve"))
            }
        }
        try FileManager.default.removeItem(atPath: site.root + "/static/hello.txt")
        #expect(mkfifo(site.root + "/static/hello.txt", 0o644) == 0)
        try await test(server) { client in
            try await client.execute(uri: "/hello.txt", method: .get) { response in
                #expect(response.status == .notFound)
            }
        }
    }

    /// An edit to one review reaches the served page without a full rebuild.
    @Test func liveUpdateOfOneService() async throws {
        let site = try Site()
        let server = await server(site)
        try site.write("content/services/svc/reviews/r.md", "---\ndate: 2026-01-01\ndecision: approved\n---\n- [x] x {#sec-secrets}\n")
        await server.update(["content/services/svc/reviews/r.md"])
        try await test(server) { client in
            try await client.execute(uri: "/readiness.json", method: .get) { response in
                #expect(String(buffer: response.body).contains("\"status\": \"ready\""))
            }
        }
    }

    /// Changes are taken once events stop coming, however many there were, and
    /// even when they never stop.
    @Test func changesAreTakenWhenTheFolderIsQuiet() async {
        final class Counter: @unchecked Sendable {
            var reads = 0
            var stopsAfter: Int
            init(stopsAfter: Int) { self.stopsAfter = stopsAfter }
            func next() -> Int {
                reads += 1
                return min(reads, stopsAfter)
            }
        }
        let settling = Counter(stopsAfter: 4)
        await WatchService.settle(events: settling.next, quiet: .milliseconds(1), longest: .seconds(600))
        #expect(settling.reads == 5)  // 4 readings that moved, then one that did not
        let busy = Counter(stopsAfter: .max)
        await WatchService.settle(events: busy.next, quiet: .milliseconds(1), longest: .milliseconds(30))
        #expect(busy.reads > 1)
    }

    /// An editor's save in several steps (vim: the file renamed to a backup, a
    /// new file written, the backup removed) is taken as one change of the file.
    @Test(.timeLimit(.minutes(5))) func anEditorsSaveIsOneChangeOfTheFile() async throws {
        let site = try Site()
        let watcher = try #require(Watcher(root: site.root))
        let changes = watcher.changes()
        defer { watcher.stop() }
        let path = site.root + "/content/services/svc/index.md"
        try FileManager.default.moveItem(atPath: path, toPath: path + "~")
        try site.write("content/services/svc/index.md", "---\nname: Svc Two\n---\n")
        try FileManager.default.removeItem(atPath: path + "~")
        var taken: Set<String> = []
        for await _ in changes {
            await WatchService.settle(watcher)
            taken.formUnion(watcher.takeChanges())
            if taken.contains("content/services/svc/index.md") { break }
        }
        #expect(taken == ["content/services/svc/index.md"])  // the backup is not content
    }

    /// When the kernel drops events (its queue overflowed), which files changed
    /// is unknown: the whole site is read again, so nothing stays stale.
    @Test func lostEventsReadTheWholeSiteAgain() async throws {
        let site = try Site()
        let server = await server(site)
        let watcher = try #require(Watcher(root: site.root))
        var record = [UInt8](repeating: 0, count: 16)  // struct inotify_event, no name
        withUnsafeBytes(of: Int32(-1)) { record.replaceSubrange(0..<4, with: $0) }
        withUnsafeBytes(of: UInt32(IN_Q_OVERFLOW)) { record.replaceSubrange(4..<8, with: $0) }
        #expect(watcher.handle(record, count: record.count))
        let changes = watcher.takeChanges()
        #expect(changes == [Watcher.everything])
        try site.write("content/services/fresh/index.md", "---\nname: Fresh\n---\n")
        await server.update(changes)
        try await test(server) { client in
            try await client.execute(uri: "/services/fresh/", method: .get) { response in
                #expect(response.status == .ok)
            }
        }
    }

    /// Catalog files (`catalog:` in preflight.yml), evidence/ and evidence
    /// outside the site (`--evidence`) are watched: a change reads the site again.
    @Test(.timeLimit(.minutes(5))) func catalogAndEvidenceChangesAreSeen() async throws {
        let site = try Site()
        try site.write("catalog/a.yaml", "")
        try site.write("opslevel.yml", "")
        try site.write("evidence/ci.jsonl", "")
        let outside = FileManager.default.temporaryDirectory.appendingPathComponent("outside-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: outside, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: outside) }
        FileManager.default.createFile(atPath: outside + "/more.jsonl", contents: Data())
        let watcher = try #require(Watcher(root: site.root, outside: [outside + "/more.jsonl"], catalog: ["catalog", "opslevel.yml"]))
        let changes = watcher.changes()
        defer { watcher.stop() }
        try site.write("catalog/teams/b.yaml", "kind: Group\n")
        try site.write("opslevel.yml", "version: 1\n")
        try site.write("evidence/ci.jsonl", "{}\n")
        try Data("{}\n".utf8).write(to: URL(fileURLWithPath: outside + "/more.jsonl"))
        try site.write("unrelated.txt", "x")
        var taken: Set<String> = []
        let wanted: Set<String> = ["catalog/teams", "opslevel.yml", "evidence/ci.jsonl", Watcher.everything]
        for await _ in changes {
            await WatchService.settle(watcher)
            taken.formUnion(watcher.takeChanges())
            if wanted.isSubset(of: taken) { break }
        }
        #expect(wanted.isSubset(of: taken), "\(taken)")
        #expect(!taken.contains("unrelated.txt"))
    }
}
