/// A free page, `content/pages/<slug>.md`: a process guide, a glossary.
public struct FreePage: Sendable {
    public var slug: String
    public var path: String
    public var title: String
    public var draft: Bool
    public var extra: JSONValue?
    public var html: String
    public var markdownLinks: [MarkdownLink]

    static let frontMatterKeys = ["title", "draft", "extra"]

    public static func parse(
        slug: String, file: SourceFile, unsafeHTML: Bool, diagnostics: inout DiagnosticList
    ) -> FreePage? {
        guard var fields = FrontMatterFields.parse(file, diagnostics: &diagnostics) else { return nil }
        let title = fields.string("title", &diagnostics) ?? slug
        let draft = fields.bool("draft", &diagnostics) ?? false
        let extra = fields.freeValue("extra", &diagnostics)
        fields.reportUnknownKeys(&diagnostics, severity: .warning, allowed: frontMatterKeys)
        let markdown = Markdown.render(file.body, firstLine: file.bodyFirstLine, unsafeHTML: unsafeHTML)
        diagnostics.warn(markdown.notes, in: file.path)
        return FreePage(
            slug: slug, path: file.path, title: title, draft: draft, extra: extra, html: markdown.html,
            markdownLinks: markdown.links)
    }
}
