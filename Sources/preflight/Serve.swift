import ArgumentParser
import PreflightCore
import PreflightServe

#if canImport(Glibc)
    import Glibc
#endif

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Preview the site with live reload.",
        discussion: """
            Builds the site in memory (public/ is never written), serves it over HTTP and
            rebuilds when anything under content/, templates/ or static/, or preflight.yml,
            changes; open browser tabs reload by themselves. A broken edit is reported here
            and as an overlay in the browser while the last good site keeps being served.
            Stop with Ctrl-C.
            """
    )

    @Argument(help: "The site folder (holding content/ and preflight.yml).", completion: .directory)
    var siteDirectory: String = "."

    @Option(help: "The address to listen on.")
    var host: String = "127.0.0.1"

    @Option(help: "The port to listen on (0 picks a free one).")
    var port: Int = 8000

    @Option(name: .customLong("as-of"), help: "Judge staleness and overdue items as of this day (YYYY-MM-DD); default today.")
    var asOf: String?

    @Flag(help: "Include reviews and pages marked `draft: true`.")
    var drafts = false

    func validate() throws {
        guard FileSystem.kind(siteDirectory) == .directory else {
            throw ValidationError("site folder `\(siteDirectory)` does not exist or is not a folder")
        }
        if let asOf, Day(asOf) == nil {
            throw ValidationError("--as-of must be a date written YYYY-MM-DD, not `\(asOf)`")
        }
        guard (0...65535).contains(port) else { throw ValidationError("--port must be from 0 to 65535") }
    }

    func run() async throws {
        let fixed = try BuildDate.resolve(asOf: asOf, environment: environment(), now: Int64(time(nil)))
        let pinned = asOf != nil || environment()["SOURCE_DATE_EPOCH"] != nil
        let server = PreviewServer(
            options: .init(
                siteDirectory: siteDirectory, host: host, port: port, asOf: pinned ? fixed : nil,
                includeDrafts: drafts),
            today: { Day(unixSeconds: Int64(time(nil))) },
            log: { line in writeError(line + "\n") })
        do {
            try await server.run()
        } catch {
            writeError("error: \(error)\n")
            throw ExitCode(1)
        }
    }
}
