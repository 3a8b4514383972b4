import ArgumentParser
import PreflightCore

struct Build: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Render the site into a folder of static files.",
        discussion: """
            Reads the site, reports every problem found (path:line:col: error: …) and,
            when there are no errors, writes the site into the output folder. The new
            site replaces the old one only once it is complete: a failed build leaves
            the last good output untouched.
            """
    )

    @OptionGroup var site: SiteOptions

    @Option(name: .shortAndLong, help: "Where to write the site (default: SITE_DIR/public).", completion: .directory)
    var output: String?

    @Option(
        name: .customLong("base-url"),
        help: ArgumentHelp(
            "Override base_url from preflight.yml, e.g. https://example.org/readiness/.",
            discussion: "A path starting with / or an http(s) URL.", valueName: "base-url"))
    var baseURL: BaseURL?

    @Flag(
        help: ArgumentHelp(
            "Replace the output folder even if it holds files Preflight did not write.",
            discussion: "Without it, a folder is replaced only when it is empty or holds what an earlier build wrote (its .preflight-manifest lists them); hidden entries such as .git and a CNAME file are kept either way."))
    var force = false

    @Option(
        help: ArgumentHelp(
            "Keep the build cache in this folder (default: SITE_DIR/.preflight-cache).",
            discussion: "A rebuild parses only the files that changed and renders only the pages whose inputs changed; its output is the same, byte for byte. See docs/format.md, \"Build cache\".",
            valueName: "dir"),
        completion: .directory)
    var cache: String?

    @Flag(name: .customLong("no-cache"), help: "Build everything, without reading or keeping a build cache.")
    var noCache = false

    @Flag(name: .shortAndLong, help: "Print each build phase with its time, and what the build cache gave.")
    var verbose = false

    /// An output or cache that is or holds the site, or lies in its sources,
    /// or a cache that is, holds or lies in the output, is a usage error.
    func validate() throws {
        if noCache && cache != nil { throw ValidationError("--cache and --no-cache cannot be used together") }
        let evidence = site.judging.evidence
        if let refusal = SiteWriter.Target(path: outputPath).refusal(siteDirectory: site.siteDirectory, evidence: evidence) {
            throw ValidationError(refusal)
        }
        if !noCache, let refusal = cacheSettings.refusal(siteDirectory: site.siteDirectory, output: outputPath, evidence: evidence) {
            throw ValidationError(refusal)
        }
    }

    private var cacheSettings: BuildCacheSettings {
        BuildCacheSettings(directory: cache ?? joinPath(site.siteDirectory, ".preflight-cache"), version: Preflight.cacheVersion)
    }

    private var outputPath: String { output ?? joinPath(site.siteDirectory, "public") }

    func run() throws {
        let clock = ContinuousClock()
        let start = clock.now
        var options = site.options(baseURL: baseURL)
        if !noCache { options.cache = cacheSettings }
        let result = Site.build(options, output: SiteWriter.Target(path: outputPath, force: force))
        let elapsed = clock.now - start

        // Errors stop the build and are printed; warnings are `preflight check`'s business.
        let formatter = DiagnosticFormatter(siteDirectory: site.siteDirectory)
        let errors = result.diagnostics.sorted.filter { $0.severity == .error }
        if !errors.isEmpty {
            writeError(formatter.render(errors, as: .text) + "\n")
        }
        for note in result.notes { writeError("note: \(note)\n") }
        if verbose {
            for (name, duration) in result.phases {
                writeError("  \(name.padding(12)) \(milliseconds(duration))\n")
            }
        }
        if let publishError = result.publishError {
            writeError("error: \(publishError)\nerror: the build failed; \(outputPath) was left as it was\n")
            throw ExitCode(1)
        }
        guard result.succeeded else {
            let errors = result.diagnostics.errorCount
            writeError(
                "error: build failed with \(plural(errors, "error"))\(warningsSuffix(result.diagnostics)); "
                    + "\(outputPath) was left as it was\n")
            throw ExitCode(1)
        }
        if result.upToDate {
            print(
                "Nothing changed since the last build: \(outputPath) is up to date "
                    + "(\(plural(result.serviceCount, "service")), \(plural(result.reviewCount, "review")); "
                    + "checked in \(milliseconds(elapsed)))\(warningsSuffix(result.diagnostics))")
            return
        }
        if verbose, let summary = result.cacheSummary { writeError("  cache: \(summary)\n") }
        print(
            "Built \(plural(result.serviceCount, "service")), \(plural(result.reviewCount, "review")) "
                + "into \(outputPath) in \(milliseconds(elapsed))\(warningsSuffix(result.diagnostics))")
    }

    private func warningsSuffix(_ diagnostics: DiagnosticList) -> String {
        let n = diagnostics.warningCount
        return n == 0 ? "" : " (\(plural(n, "warning")): run `preflight check` to see them)"
    }
}

func plural(_ n: Int, _ word: String) -> String {
    "\(n) \(word)\(n == 1 ? "" : "s")"
}

func milliseconds(_ d: Duration) -> String {
    let ms = Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15
    if ms >= 1000 { return "\(Double(Int(ms / 10)) / 100) s" }
    return "\(Double(Int(ms * 10)) / 10) ms"
}

func joinPath(_ a: String, _ b: String) -> String {
    if a == "." { return b }
    return a.hasSuffix("/") ? a + b : a + "/" + b
}

extension String {
    func padding(_ width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }
}
