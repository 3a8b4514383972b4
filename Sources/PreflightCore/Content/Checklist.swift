/// A checklist: the questions a review answers, grouped in categories.
public struct Checklist: Sendable {
    public let id: String
    public let path: String
    public let title: String
    public let description: String?
    /// Level names, lowest first.
    public let levels: [String]
    public let categories: [Category]
    /// The text before the first category, rendered.
    public let introHTML: String
    public let markdownLinks: [MarkdownLink]
    /// Every check in checklist order.
    public let checks: [Check]
    /// Position in `checks` by id, and check id by lower-cased text (the first
    /// check wins when two share a text): built once, used for every review.
    let indexByID: [String: Int]
    let idByText: [String: String]

    init(
        id: String, path: String, title: String, description: String?, levels: [String], categories: [Category],
        introHTML: String, markdownLinks: [MarkdownLink]
    ) {
        self.id = id
        self.path = path
        self.title = title
        self.description = description
        self.levels = levels
        self.categories = categories
        self.introHTML = introHTML
        self.markdownLinks = markdownLinks
        let checks = categories.flatMap(\.checks)
        self.checks = checks
        var indexByID: [String: Int] = [:]
        var idByText: [String: String] = [:]
        for (i, check) in checks.enumerated() {
            indexByID[check.id] = indexByID[check.id] ?? i
            let key = check.text.lowercased()
            if idByText[key] == nil { idByText[key] = check.id }
        }
        self.indexByID = indexByID
        self.idByText = idByText
    }

    public struct Category: Sendable {
        public var id: String
        public var title: String
        public var checks: [Check]
    }

    public struct Check: Sendable {
        public var id: String
        public var text: String
        public var html: String
        public var required: Bool
        public var level: String?
        /// Index of `level` in the checklist's `levels`.
        public var levelRank: Int?
        public var weight: Int
        public var categoryID: String
        public var explicitID: Bool
        public var line: Int
    }

    /// Finds a check by id.
    public func check(id: String) -> Check? {
        indexByID[id].map { checks[$0] }
    }

    static let frontMatterKeys = ["title", "description", "levels"]
    static let maxWeight = 1_000_000

    /// Parses `content/checklists/<id>.md`.
    public static func parse(
        id: String, file: SourceFile, unsafeHTML: Bool, diagnostics: inout DiagnosticList
    ) -> Checklist? {
        guard var fields = FrontMatterFields.parse(file, diagnostics: &diagnostics) else { return nil }
        let title = fields.requiredString(
            "title", &diagnostics, hint: "add `title: Production readiness` to the front matter")
        let description = fields.string("description", &diagnostics)
        var levels: [String] = []
        if let (_, at) = fields.value("levels"), let list = fields.stringList("levels", &diagnostics) {
            for level in list {
                if levels.contains(level) {
                    diagnostics.error("level `\(level)` is listed twice in `levels`", at: at)
                } else {
                    levels.append(level)
                }
            }
        }
        fields.reportUnknownKeys(&diagnostics, severity: .error, allowed: frontMatterKeys)

        let markdown = Markdown.render(file.body, firstLine: file.bodyFirstLine, unsafeHTML: unsafeHTML)
        var categories: [Category] = []
        var categoryLines: [String: Int] = [:]
        for heading in markdown.headings where heading.level == 2 {
            let categoryID = heading.attributes?.id ?? Slug.make(heading.text)
            let at = SourceLocation(path: file.path, line: heading.line, column: heading.column)
            if categoryID.isEmpty {
                diagnostics.error(
                    "category `\(heading.text)` has no id", at: at,
                    hint: "add an explicit id at the end of the heading, e.g. `## \(heading.text) {#security}`")
                continue
            }
            if let first = categoryLines[categoryID] {
                diagnostics.error(
                    "category id `\(categoryID)` is used twice (first on line \(first))", at: at,
                    hint: "give one of the headings another `{#id}`")
                continue
            }
            categoryLines[categoryID] = heading.line
            categories.append(Category(id: categoryID, title: heading.text, checks: []))
        }

        var checkLines: [String: Int] = [:]
        for item in markdown.taskItems {
            let at = SourceLocation(path: file.path, line: item.line, column: item.column)
            guard let heading = item.headings.last(where: { $0.level == 2 }),
                let index = categories.firstIndex(where: {
                    $0.id == (heading.attributes?.id ?? Slug.make(heading.text))
                })
            else {
                diagnostics.error(
                    "check `\(item.text)` is not under a category", at: at,
                    hint: "put checks below a level-2 heading such as `## Security {#security}`")
                continue
            }
            guard
                let check = parseCheck(
                    item, categoryID: categories[index].id, levels: levels, at: at, diagnostics: &diagnostics)
            else { continue }
            if let first = checkLines[check.id] {
                diagnostics.error(
                    "check id `\(check.id)` is used twice (first on line \(first))", at: at,
                    hint: "check ids must be unique within a checklist")
                continue
            }
            checkLines[check.id] = check.line
            categories[index].checks.append(check)
        }
        if markdown.taskItems.isEmpty {
            diagnostics.error(
                "checklist has no checks", at: SourceLocation(path: file.path, line: file.bodyFirstLine),
                hint: "add task-list items such as `- [ ] Alerts page the on-call {#mon-alerts}` under a `## Category`")
        }
        guard let title else { return nil }
        var introHTML = markdown.html
        if let first = markdown.headings.first(where: { $0.level == 2 }) {
            let introLines = SourceFile.lines(Substring(file.body)).prefix(first.line - file.bodyFirstLine)
            introHTML = Markdown.render(introLines.joined(separator: "\n"), unsafeHTML: unsafeHTML).html
        }
        return Checklist(
            id: id, path: file.path, title: title, description: description, levels: levels,
            categories: categories, introHTML: introHTML, markdownLinks: markdown.links)
    }

    private static func parseCheck(
        _ item: TaskItem, categoryID: String, levels: [String], at: SourceLocation,
        diagnostics: inout DiagnosticList
    ) -> Check? {
        let attributes = item.attributes ?? Attributes()
        var ok = true
        var required = false
        for flag in attributes.flags {
            if flag == "required" {
                required = true
            } else {
                ok = false
                diagnostics.error(
                    "unknown attribute `\(flag)` on check", at: at,
                    hint: "a check takes `#id`, `required`, `level=NAME` and `weight=N`")
            }
        }
        var level: String?
        var levelRank: Int?
        var weight = 1
        for pair in attributes.values {
            switch pair.key {
            case "level":
                if let rank = levels.firstIndex(of: pair.value) {
                    level = pair.value
                    levelRank = rank
                } else {
                    ok = false
                    diagnostics.error(
                        "level `\(pair.value)` is not one of the checklist's levels", at: at,
                        hint: levels.isEmpty
                            ? "declare levels in the front matter, e.g. `levels: [Bronze, Silver, Gold]`"
                            : "use one of: \(levels.joined(separator: ", "))")
                }
            case "weight":
                if let n = Int(pair.value), n >= 1, n <= maxWeight {
                    weight = n
                } else {
                    ok = false
                    diagnostics.error(
                        "weight must be a whole number from 1 to \(maxWeight), not `\(pair.value)`", at: at)
                }
            default:
                ok = false
                let suggestion = FrontMatterFields.closest(to: pair.key, in: ["level", "weight"])
                diagnostics.error(
                    "unknown attribute `\(pair.key)` on check", at: at,
                    hint: suggestion.map { "did you mean `\($0)`?" }
                        ?? "a check takes `#id`, `required`, `level=NAME` and `weight=N`")
            }
        }
        var id = attributes.id ?? ""
        let explicit = attributes.id != nil
        if explicit && !Slug.isValid(id) {
            ok = false
            diagnostics.error(
                "check id `\(id)` must be lower-case letters, digits and `-`", at: at,
                hint: "for example `{#sec-secrets}`")
        }
        if !explicit {
            id = Slug.make(item.text)
            if id.isEmpty {
                diagnostics.error(
                    "check needs an id", at: at, hint: "add `{#some-id}` at the end of the item")
                return nil
            }
            diagnostics.warning(
                "check has no explicit id; using `\(id)`", at: at,
                hint: "add `{#\(id)}` at the end of the item so renaming its text keeps answers linked")
        }
        guard ok else { return nil }
        return Check(
            id: id, text: item.text, html: item.html, required: required, level: level,
            levelRank: levelRank, weight: weight, categoryID: categoryID, explicitID: explicit,
            line: item.line)
    }
}
