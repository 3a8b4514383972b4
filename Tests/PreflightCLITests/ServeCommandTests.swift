import Foundation
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Output collected from a running process, readable while it runs.
final class OutputBuffer: @unchecked Sendable {
    private let lock = NSLock()
    private var data = Data()

    func append(_ chunk: Data) {
        lock.lock()
        data.append(chunk)
        lock.unlock()
    }

    var text: String {
        lock.lock()
        defer { lock.unlock() }
        return String(decoding: data, as: UTF8.self)
    }
}

/// `preflight serve` on a free 127.0.0.1 port; always stopped by `stop()` or deinit.
final class ServeProcess {
    let process = Process()
    let output = OutputBuffer()
    private(set) var base = ""

    init(site: String, in directory: String) throws {
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["serve", site, "--port", "0", "--host", "127.0.0.1", "--as-of", "2026-02-01"]
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        let pipe = Pipe()
        process.standardError = pipe
        process.standardOutput = pipe
        let output = self.output
        pipe.fileHandleForReading.readabilityHandler = { handle in output.append(handle.availableData) }
        try process.run()
        let deadline = Date().addingTimeInterval(60)
        while true {
            // Checked once more after the deadline, for the same reason as `waitFor`.
            let late = Date() >= deadline
            if let range = output.text.range(of: #"http://127\.0\.0\.1:\d+/\S*"#, options: .regularExpression) {
                base = String(output.text[range])
                return
            }
            if late { break }
            Thread.sleep(forTimeInterval: 0.05)
        }
        stop()
        throw CocoaError(.fileReadUnknown, userInfo: [NSLocalizedDescriptionKey: "serve did not start: \(output.text)"])
    }

    /// Sends SIGTERM and waits up to `timeout` seconds; true when it exited by itself.
    @discardableResult
    func stop(timeout: TimeInterval = 10) -> Bool {
        guard process.isRunning else { return true }
        process.terminate()
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            return false
        }
        return true
    }

    deinit {
        stop(timeout: 2)
    }
}

func fetch(_ url: String) async throws -> (Int, String) {
    let (data, response) = try await URLSession.shared.data(from: URL(string: url)!)
    return ((response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: data, as: UTF8.self))
}

/// Polls `url` until the page meets `condition` or `seconds` pass; returns the
/// last body. The limit is generous (a loaded CI machine can take seconds to
/// rebuild); the wait ends as soon as the page changes. The page is always
/// fetched once more after the deadline: when the test process itself was
/// starved of CPU (its tasks queued behind blocking tests), the last body seen
/// may be older than the deadline, and the server has had all that time.
func waitFor(_ url: String, seconds: Double = 60, _ condition: (String) -> Bool) async throws -> String {
    let deadline = Date().addingTimeInterval(seconds)
    while true {
        let body = try await fetch(url).1
        if condition(body) || Date() >= deadline { return body }
        try await Task.sleep(for: .milliseconds(50))
    }
}

@Suite(.serialized) struct ServeCommandTests {
    @Test func liveEditBreakRecoverAndStop() async throws {
        let ws = try Workspace()
        let server = try ServeProcess(site: "site", in: ws.root)
        let page = server.base + "services/svc/"

        let (status, first) = try await fetch(page)
        #expect(status == 200)
        #expect(first.contains("<h1>Svc</h1>"))
        #expect(first.contains("__preflight/reload.js"))
        #expect(!FileManager.default.fileExists(atPath: ws.site + "/public"))  // serve never writes public/

        try ws.write("site/content/services/svc/index.md", "---\nname: Svc Two\n---\n")
        let edited = try await waitFor(page) { $0.contains("<h1>Svc Two</h1>") }
        #expect(edited.contains("<h1>Svc Two</h1>"))

        try ws.write("site/content/services/svc/reviews/r1.md", "---\ndate: soon\n---\n")
        let broken = try await waitFor(page) { $0.contains("preflight-errors") }
        #expect(broken.contains("<h1>Svc Two</h1>"))  // the last good page is still served
        #expect(broken.contains("`date` must be a day written YYYY-MM-DD"))
        #expect(server.output.text.contains("site/content/services/svc/reviews/r1.md:2:1: error:"))

        try ws.write("site/content/services/svc/reviews/r1.md", "---\ndate: 2026-01-10\n---\n")
        let fixed = try await waitFor(page) { !$0.contains("preflight-errors") }
        #expect(!fixed.contains("preflight-errors"))

        let (missing, _) = try await fetch(server.base + "no/such/page/")
        #expect(missing == 404)

        // A new service is more than an edit: the whole site is read again.
        try ws.write("site/content/services/fresh/index.md", "---\nname: Fresh one\n---\n")
        let added = try await waitFor(server.base + "services/fresh/") { $0.contains("<h1>Fresh one</h1>") }
        #expect(added.contains("<h1>Fresh one</h1>"))
        let dashboard = try await fetch(server.base).1
        #expect(dashboard.contains("Fresh one"))

        // An open event stream (a browser tab) must not keep the server from stopping.
        let stream = try EventStreamClient(url: server.base + "__preflight/events")
        #expect(stream.readUntil("event: hello"))
        #expect(server.stop(timeout: 10))
        #expect(server.process.terminationStatus == 0)
        stream.close()
    }

    @Test func subPathBaseURL() async throws {
        let ws = try Workspace()
        try ws.write("site/preflight.yml", "base_url: https://example.org/readiness/\n")
        let server = try ServeProcess(site: "site", in: ws.root)
        defer { server.stop() }
        #expect(server.base.hasSuffix("/readiness/"))
        let (status, body) = try await fetch(server.base + "services/svc/")
        #expect(status == 200)
        #expect(body.contains("src=\"/readiness/__preflight/reload.js\""))
        let (scriptStatus, _) = try await fetch(server.base + "__preflight/reload.js")
        #expect(scriptStatus == 200)
    }
}

/// A raw HTTP client that opens the live-reload event stream and keeps it open.
final class EventStreamClient {
    private let fd: Int32

    init(url: String) throws {
        let parsed = URL(string: url)!
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(parsed.port!).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else { throw POSIXError(.ECONNREFUSED) }
        let request = "GET \(parsed.path) HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n"
        _ = request.withCString { send(fd, $0, strlen($0), 0) }
    }

    /// Reads until `marker` arrives (or 5 seconds pass).
    func readUntil(_ marker: String) -> Bool {
        var received = ""
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var buffer = [UInt8](repeating: 0, count: 4096)
        while !received.contains(marker) {
            let n = recv(fd, &buffer, buffer.count, 0)
            if n <= 0 { return false }
            received += String(decoding: buffer[0..<n], as: UTF8.self)
        }
        return true
    }

    func close() {
        Glibc.close(fd)
    }
}
