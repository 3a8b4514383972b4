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
            rebuilds when anything under content/, templates/, static/ or evidence/, the
            catalog files preflight.yml names, an --evidence path, or preflight.yml itself
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

    @Option(
        name: .customLong("allowed-host"),
        help: ArgumentHelp(
            "Also answer requests for this host name (repeatable).",
            discussion: "Requests whose Host is not an IP address, localhost or the --host name get 403, so that a web page elsewhere cannot read the preview through DNS rebinding.",
            valueName: "name"))
    var allowedHosts: [String] = []

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be from 0 to 65535") }
    }

    func run() async throws {
        let server = PreviewServer(
            options: .init(
                site: site.options(), buildDate: site.buildDate, host: host, port: port, allowedHosts: allowedHosts),
            now: { Int64(time(nil)) },
            log: { line in writeError(line + "\n") })
        do {
            try await server.run()
        } catch {
            let text = String(describing: error)
            if text.contains("Address already in use") || text.contains("errno: 98") {
                writeError(
                    "error: cannot listen on \(host):\(port): another program is using that port\n"
                        + "    hint: stop it (perhaps another `preflight serve`), or choose a port with `--port \(port == 65535 ? 8001 : port + 1)`\n")
            } else {
                writeError("error: \(text)\n")
            }
            throw ExitCode(1)
        }
    }
}
