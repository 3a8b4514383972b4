/// A site held in memory for `serve`: the output plan of one build, with
/// entries rendered when they are asked for, and edits to a service applied
/// without reading the rest of the site again.
public struct LiveSite: Sendable {
    let options: BuildOptions
    let prepared: Site.Prepared
    public let plan: SitePlan

    private init(options: BuildOptions, prepared: Site.Prepared, plan: SitePlan? = nil) {
        self.options = options
        self.prepared = prepared
        self.plan = plan ?? SitePlan(prepared)
    }

    /// Reads and checks the whole site; nil with diagnostics when it has errors.
    public static func build(_ options: BuildOptions) -> (site: LiveSite?, diagnostics: DiagnosticList) {
        let (prepared, report) = Site.prepare(options)
        return (prepared.map { LiveSite(options: options, prepared: $0) }, report.diagnostics)
    }

    /// The path part of the base URL, where the site is served.
    public var basePath: String { plan.basePath }

    /// The file at `path` (relative to the base path), rendered now if it is a
    /// page or an export. A static file comes as `.staticFile`, to be streamed.
    public func file(at path: String) -> OutputFile? {
        plan.file(at: path)
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
        let model = prepared.model
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
        let (content, diagnostics) = ContentLoader.reload(
            slugs, changed: changed, in: model.content, siteDirectory: options.siteDirectory)
        guard let content else { return .failed(diagnostics) }
        let updated = Site.Prepared(
            model: SiteModel(updating: model, content: content, changed: slugs), theme: prepared.theme,
            staticFiles: prepared.staticFiles)
        let plan = SitePlan(reusing: self.plan, for: updated.model, changed: slugs)
        return .updated(LiveSite(options: options, prepared: updated, plan: plan))
    }
}
