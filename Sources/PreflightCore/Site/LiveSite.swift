#if canImport(Glibc)
    import Glibc
#endif

/// A site held in memory for `serve`: content, readiness and theme, with pages
/// rendered when they are asked for, and edits to a service applied without
/// reading the rest of the site again.
public final class LiveSite: Sendable {
    let options: BuildOptions
    let model: SiteModel
    let theme: Theme
    /// Generated pages, theme assets and static files by output path.
    private let sources: [String: Source]
    /// Exports are built once, on first request (they cover every service).
    private let exports = Lazy<[String: [UInt8]]>()

    private enum Source: Sendable {
        case page(PageRenderer.Job)
        case bytes([UInt8])
        case copy(String)
        case export
    }

    /// The path part of the base URL, where the site is served.
    public var basePath: String { model.config.basePath }

    private init(options: BuildOptions, model: SiteModel, theme: Theme, staticFiles: [OutputFile]) {
        self.options = options
        self.model = model
        self.theme = theme
        var sources: [String: Source] = [:]
        for (path, job) in PageRenderer(model: model, theme: theme).jobs() { sources[path] = .page(job) }
        for name in ["readiness.json", "readiness.csv", "feed.xml", "sitemap.xml", "search-index.json"] {
            sources[name] = .export
        }
        for service in model.content.services { sources["badges/\(service.slug).svg"] = .export }
        for asset in theme.assets { sources[asset.path] = .bytes(asset.bytes) }
        // As in a build, static/ wins over generated files of the same path.
        for file in staticFiles {
            switch file.contents {
            case .bytes(let bytes): sources[file.path] = .bytes(bytes)
            case .copy(let from): sources[file.path] = .copy(from)
            }
        }
        self.sources = sources
    }

    /// Reads and checks the whole site; nil with diagnostics when it has errors.
    public static func build(_ options: BuildOptions) -> (site: LiveSite?, diagnostics: DiagnosticList) {
        let result = Site.prepare(options)
        guard let model = result.model, let theme = result.theme else { return (nil, result.diagnostics) }
        return (LiveSite(options: options, model: model, theme: theme, staticFiles: result.staticFiles), result.diagnostics)
    }

    /// The file served at `path` (relative to the base path), rendered now if it is a page.
    public func file(at path: String) -> [UInt8]? {
        switch sources[path] {
        case .page(let job)?:
            guard case .bytes(let bytes) = PageRenderer(model: model, theme: theme).render(job).contents else { return nil }
            return bytes
        case .bytes(let bytes)?: return bytes
        case .copy(let from)?: return try? FileSystem.read(from, limit: Int.max)
        case .export?:
            return exports.value {
                var map: [String: [UInt8]] = [:]
                for file in Exports.files(model) {
                    if case .bytes(let bytes) = file.contents { map[file.path] = bytes }
                }
                return map
            }[path]
        case nil: return nil
        }
    }

    public enum Update: Sendable {
        /// The edit was applied to these services only.
        case updated(LiveSite)
        /// The edited files have errors; the site as it was stays valid.
        case failed(DiagnosticList)
        /// The change reaches beyond single services: read the whole site again.
        case needsFullRebuild
    }

    /// Applies changes to files (paths relative to the site folder). Edits inside
    /// existing service folders (index.md, reviews/*.md) reload just those
    /// services; anything else asks for a full rebuild.
    public func updating(_ changed: Set<String>) -> Update {
        var slugs: Set<String> = []
        for path in changed {
            let parts = path.split(separator: "/", omittingEmptySubsequences: false)
            guard parts.count >= 4, parts[0] == "content", parts[1] == "services",
                model.servicesBySlug[String(parts[2])] != nil
            else { return .needsFullRebuild }
            let isSource = (parts.count == 4 && parts[3] == "index.md")
                || (parts.count == 5 && parts[3] == "reviews" && parts[4].hasSuffix(".md"))
            if !isSource {
                // Editors and `sed -i` save through a temporary file renamed over the
                // real one: a stray name that is already gone changed nothing.
                if FileSystem.kind(options.siteDirectory + "/" + path) == nil { continue }
                return .needsFullRebuild
            }
            slugs.insert(String(parts[2]))
        }
        guard !slugs.isEmpty else { return .needsFullRebuild }
        let (content, diagnostics) = ContentLoader.reload(slugs, in: model.content, siteDirectory: options.siteDirectory)
        guard let content else { return .failed(diagnostics) }
        let updated = SiteModel(updating: model, content: content, changed: slugs)
        var staticFiles: [OutputFile] = []
        for (path, source) in sources {
            if case .copy(let from) = source { staticFiles.append(OutputFile(path: path, copyFrom: from)) }
        }
        return .updated(LiveSite(options: options, model: updated, theme: theme, staticFiles: staticFiles))
    }
}

/// A value computed once, on first use, by whichever thread asks first.
final class Lazy<Value: Sendable>: @unchecked Sendable {
    private var mutex = pthread_mutex_t()
    private var stored: Value?

    init() {
        pthread_mutex_init(&mutex, nil)
    }

    deinit {
        pthread_mutex_destroy(&mutex)
    }

    func value(_ make: () -> Value) -> Value {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        if let stored { return stored }
        let made = make()
        stored = made
        return made
    }
}
