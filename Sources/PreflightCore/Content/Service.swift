/// A service: `content/services/<slug>/index.md` (optional) and its reviews.
public struct Service: Sendable {
    public var slug: String
    /// nil when the folder has reviews but no `index.md`.
    public var path: String?
    public var name: String
    public var owner: String?
    public var tier: String?
    public var lifecycle: String?
    /// The system it belongs to (a catalog's `spec.system`, or `system:`).
    public var system: String?
    public var tags: [String]
    public var links: [Link]
    /// The checklist this service's reviews use unless they name one.
    public var checklist: String?
    var checklistLocation: SourceLocation?
    /// The `target` front matter key: the level this service must reach
    /// (overrides preflight.yml `targets`).
    public var target: String?
    var targetLocation: SourceLocation?
    public var extra: JSONValue?
    public var html: String
    /// Links written in the description.
    public var markdownLinks: [MarkdownLink] = []
    /// The `links:` of the front matter, located at their keys.
    public var frontMatterLinks: [MarkdownLink] = []
    /// The front matter keys its `index.md` sets: what it overrides of a
    /// catalog entity of the same id.
    var keysSet: Set<String> = []
    /// Where a catalog declares it, when one does.
    public var catalogLocation: SourceLocation?
    /// The digest of its `index.md` (`SourceFile.digest`), when the build keeps a cache.
    var sourceDigest: Digest?

    public struct Link: Sendable, Equatable {
        public var label: String
        public var url: String
    }

    static let frontMatterKeys = [
        "name", "owner", "tier", "lifecycle", "system", "tags", "links", "checklist", "target", "extra",
    ]

    /// A service known only from its folder.
    public init(slug: String) {
        self.slug = slug
        self.path = nil
        self.name = slug
        self.tags = []
        self.links = []
        self.html = ""
    }

    public static func parse(
        slug: String, file: SourceFile, unsafeHTML: Bool, diagnostics: inout DiagnosticList
    ) -> Service? {
        var service = Service(slug: slug)
        service.path = file.path
        guard var fields = FrontMatterFields.parse(file, diagnostics: &diagnostics) else { return nil }
        service.keysSet = Set(fields.entries.filter { !FrontMatterFields.isNull($0.value) }.map(\.key))
        if let name = fields.string("name", &diagnostics) { service.name = name }
        service.owner = fields.string("owner", &diagnostics)
        service.tier = fields.string("tier", &diagnostics)
        service.lifecycle = fields.string("lifecycle", &diagnostics)
        service.system = fields.string("system", &diagnostics)
        service.tags = fields.stringList("tags", &diagnostics) ?? []
        if let links = fields.mapping("links", &diagnostics) {
            for entry in links.entries {
                var inner = links
                if let url = inner.string(entry.key, &diagnostics) {
                    if isSafeURL(url) {
                        service.links.append(Link(label: entry.key, url: url))
                        // Checked like the description's links (a relative one
                        // must reach a page or file of the site).
                        let at = links.location(entry.keyMark)
                        service.frontMatterLinks.append(
                            MarkdownLink(url: url, isImage: false, line: at.line, column: at.column))
                    } else {
                        diagnostics.error(
                            "link `\(entry.key)` must be an http(s), mailto or relative URL, not `\(url)`",
                            at: links.location(entry.keyMark))
                    }
                }
            }
        }
        if let (_, at) = fields.value("checklist") {
            service.checklist = fields.string("checklist", &diagnostics)
            service.checklistLocation = at
        }
        if let (_, at) = fields.value("target") {
            service.target = fields.string("target", &diagnostics)
            service.targetLocation = at
        }
        service.extra = fields.freeValue("extra", &diagnostics)
        fields.reportUnknownKeys(&diagnostics, severity: .warning, allowed: frontMatterKeys)
        let markdown = Markdown.render(file.body, firstLine: file.bodyFirstLine, unsafeHTML: unsafeHTML)
        diagnostics.warn(markdown.notes, in: file.path)
        service.html = markdown.html
        service.markdownLinks = markdown.links
        return service
    }

    /// Front matter URLs land in `href` attributes: keep script and data URLs out.
    static func isSafeURL(_ url: String) -> Bool {
        let lower = url.lowercased().trimmingSpaces()
        guard let colon = lower.firstIndex(of: ":") else { return true }
        let scheme = lower[..<colon]
        // A colon after a `/`, `?` or `#` is not a scheme separator.
        if scheme.contains(where: { $0 == "/" || $0 == "?" || $0 == "#" }) { return true }
        return scheme == "http" || scheme == "https" || scheme == "mailto"
    }

    /// This service, declared by a catalog, with what its `index.md` (parsed
    /// as `own`) sets: each front matter key it sets overrides the catalog's
    /// value, and its prose follows the catalog's description
    /// (docs/format.md, "One merge rule").
    func merged(with own: Service) -> Service {
        var merged = self
        merged.path = own.path
        let keys = own.keysSet
        if keys.contains("name") { merged.name = own.name }
        if keys.contains("owner") { merged.owner = own.owner }
        if keys.contains("tier") { merged.tier = own.tier }
        if keys.contains("lifecycle") { merged.lifecycle = own.lifecycle }
        if keys.contains("system") { merged.system = own.system }
        if keys.contains("tags") { merged.tags = own.tags }
        if keys.contains("links") {
            merged.links = own.links
            merged.frontMatterLinks = own.frontMatterLinks
        }
        if keys.contains("checklist") {
            merged.checklist = own.checklist
            merged.checklistLocation = own.checklistLocation
        }
        if keys.contains("target") {
            merged.target = own.target
            merged.targetLocation = own.targetLocation
        }
        if keys.contains("extra") { merged.extra = own.extra }
        merged.html = html + own.html
        merged.markdownLinks = own.markdownLinks
        merged.keysSet = keys
        return merged
    }
}
