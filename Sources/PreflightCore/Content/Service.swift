/// A service: `content/services/<slug>/index.md` (optional) and its reviews.
public struct Service: Sendable {
    public var slug: String
    /// nil when the folder has reviews but no `index.md`.
    public var path: String?
    public var name: String
    public var owner: String?
    public var tier: String?
    public var lifecycle: String?
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

    public struct Link: Sendable, Equatable {
        public var label: String
        public var url: String
    }

    static let frontMatterKeys = [
        "name", "owner", "tier", "lifecycle", "tags", "links", "checklist", "target", "extra",
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
        if let name = fields.string("name", &diagnostics) { service.name = name }
        service.owner = fields.string("owner", &diagnostics)
        service.tier = fields.string("tier", &diagnostics)
        service.lifecycle = fields.string("lifecycle", &diagnostics)
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
}
