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

    @OptionGroup var site: SiteOptions

    @Option(help: "The address to listen on.")
    var host: String = "127.0.0.1"

    @Option(help: "The port to listen on (0 picks a free one).")
    var port: Int = 8000

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be from 0 to 65535") }
    }

    func run() async throws {
        // A pinned date (--as-of, SOURCE_DATE_EPOCH) holds for the whole session;
        // otherwise each rebuild judges staleness as of its own day.
        let pinned = site.asOf != nil || environment()["SOURCE_DATE_EPOCH"] != nil
        let server = PreviewServer(
            options: .init(
                siteDirectory: site.siteDirectory, host: host, port: port,
                asOf: pinned ? try site.buildDate() : nil, includeDrafts: site.drafts),
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
