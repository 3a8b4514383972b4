/// The build pipeline: load → readiness → render → exports → write.
///
/// Each phase takes values and returns values; only `write` touches the
/// output folder, and `serve` can run the same phases without it.
public enum Site {
    public struct Result: Sendable {
        public var diagnostics: DiagnosticList
        /// nil when the content had errors.
        public var files: [OutputFile]?
        public var phases: [(name: String, duration: Duration)]
        public var serviceCount = 0
        public var reviewCount = 0
        public var fileCount = 0
        /// The content and derived readiness, when the content had no errors.
        var model: SiteModel?
        var theme: Theme?
        var staticFiles: [OutputFile] = []
        /// Why writing the output failed (a full or read-only disk), when it did.
        public var publishError: String?
        /// The path part of the site's base URL (`/`, `/readiness/`), when the content had no errors.
        public var basePath: String? { model?.config.basePath }
    }

    /// Builds in memory and adds the warnings of `SiteChecks`, and the
    /// `--fail-on` errors: what `preflight check` reports.
    public static func check(_ options: BuildOptions, failOn: Set<SiteChecks.Condition> = []) -> Result {
        var result = build(options)
        if let model = result.model, let files = result.files {
            result.diagnostics.append(contentsOf: SiteChecks.run(model, files: files, failOn: failOn))
        }
        return result
    }

    /// Everything before rendering: load, theme, static files, readiness.
    /// `serve` stops here and renders pages when they are asked for.
    static func prepare(_ options: BuildOptions) -> Result {
        var result = Result(diagnostics: DiagnosticList(), files: nil, phases: [])

        let (content, loadDiagnostics, fileCount) = result.phase("load") {
            ContentLoader.load(siteDirectory: options.siteDirectory)
        }
        result.diagnostics = loadDiagnostics
        result.fileCount = fileCount
        var themeDiagnostics = DiagnosticList()
        let theme = result.phase("theme") { Theme.load(siteDirectory: options.siteDirectory, diagnostics: &themeDiagnostics) }
        result.diagnostics.append(contentsOf: themeDiagnostics.items)
        var staticDiagnostics = DiagnosticList()
        result.staticFiles = result.phase("static") {
            StaticFiles.collect(siteDirectory: options.siteDirectory, diagnostics: &staticDiagnostics)
        }
        result.diagnostics.append(contentsOf: staticDiagnostics.items)
        if let base = options.baseURL, SiteConfig.normalizeBaseURL(base) == nil {
            result.diagnostics.error(
                "--base-url must be a path starting with `/` or an http(s) URL, not `\(base)`",
                at: SourceLocation(path: SiteConfig.fileName))
        }
        guard let content, let theme, !result.diagnostics.hasErrors else { return result }
        result.serviceCount = content.services.count

        var options = options
        options.baseURL = options.baseURL.flatMap(SiteConfig.normalizeBaseURL)
        let model = result.phase("readiness") { SiteModel(content: content, options: options) }
        result.model = model
        result.theme = theme
        result.reviewCount = model.reviews.values.reduce(0) { $0 + $1.count }
        return result
    }

    /// Builds the site in memory, and publishes it to `output` when given.
    public static func build(_ options: BuildOptions, output: String? = nil) -> Result {
        var result = prepare(options)
        guard let model = result.model, let theme = result.theme else { return result }
        let staticFiles = result.staticFiles

        var files = result.phase("render") { PageRenderer(model: model, theme: theme).renderAll() }
        result.phase("exports") { files += Exports.files(model) }
        files += theme.assets.map { OutputFile(path: $0.path, bytes: $0.bytes) }
        files += staticFiles
        // A later file with the same path wins: static/ overrides theme assets and pages.
        var seen: Set<String> = []
        files = files.reversed().filter { seen.insert($0.path).inserted }.reversed()
        files.sort { $0.path < $1.path }
        result.files = files

        if let output {
            let failure = result.phase("write") { () -> SiteWriter.Failure? in
                do throws(SiteWriter.Failure) {
                    try SiteWriter.publish(files, to: output)
                    return nil
                } catch {
                    return error
                }
            }
            if let failure {
                result.publishError = failure.message
                result.files = nil
            }
        }
        return result
    }
}

extension Site.Result {
    /// Runs one named phase of the build and records how long it took (`--verbose`).
    mutating func phase<T>(_ name: String, _ body: () -> T) -> T {
        let clock = ContinuousClock()
        let start = clock.now
        let value = body()
        phases.append((name, clock.now - start))
        return value
    }
}
