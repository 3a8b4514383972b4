/// A campaign, `content/campaigns/<id>.md`: a goal (a level and/or checks)
/// that the services in its scope must meet by a deadline (FORMAT.md v2,
/// "Campaigns"). The body is the brief.
public struct Campaign: Sendable {
    public var id: String
    public var path: String
    public var title: String
    public var deadline: Day
    /// Who runs it.
    public var owner: String?
    /// Left out of the site unless drafts are asked for, as free pages are.
    public var draft: Bool
    public var scope: Scope
    public var goal: Goal
    public var extra: JSONValue?
    public var html: String
    public var markdownLinks: [MarkdownLink]
    /// Where `goal` and `scope` are written, for warnings about them.
    var goalLocation: SourceLocation
    var scopeLocation: SourceLocation

    /// Which services the campaign covers: for every key given, the service's
    /// value (any of its tags) must be in the list. Nil keys are not given.
    public struct Scope: Sendable, Equatable {
        public var tier: [String]?
        public var owner: [String]?
        public var lifecycle: [String]?
        public var tags: [String]?

        public init(tier: [String]? = nil, owner: [String]? = nil, lifecycle: [String]? = nil, tags: [String]? = nil) {
            self.tier = tier
            self.owner = owner
            self.lifecycle = lifecycle
            self.tags = tags
        }

        /// Whether `service` is in scope. A key given makes a service without
        /// that value out of scope; tier values compare as text.
        public func contains(_ service: Service) -> Bool {
            func matches(_ list: [String]?, _ value: String?) -> Bool {
                guard let list else { return true }
                guard let value else { return false }
                return list.contains(value)
            }
            guard matches(tier, service.tier), matches(owner, service.owner), matches(lifecycle, service.lifecycle)
            else { return false }
            guard let tags else { return true }
            return service.tags.contains { tags.contains($0) }
        }

        /// The scope in words: "tier 1 or 2, tagged payments"; "every service" when empty.
        public var description: String {
            var parts: [String] = []
            func list(_ values: [String]) -> String {
                values.count <= 1 ? values.joined() : values.dropLast().joined(separator: ", ") + " or " + values.last!
            }
            if let tier { parts.append(tier.isEmpty ? "no tier" : "tier " + list(tier)) }
            if let owner { parts.append(owner.isEmpty ? "no owner" : "owned by " + list(owner)) }
            if let lifecycle { parts.append(lifecycle.isEmpty ? "no lifecycle" : "lifecycle " + list(lifecycle)) }
            if let tags { parts.append(tags.isEmpty ? "no tag" : "tagged " + list(tags)) }
            return parts.isEmpty ? "every service" : parts.joined(separator: ", ")
        }

        static let keys = ["tier", "owner", "lifecycle", "tags"]
    }

    /// What a service in scope must reach: a level, checks done or waived, or both.
    public struct Goal: Sendable, Equatable {
        public var level: String?
        /// Check ids, as written (each once).
        public var checks: [String]

        public init(level: String? = nil, checks: [String] = []) {
            self.level = level
            self.checks = checks
        }

        /// "Silver, and sec-threat-model and mon-slo done": the goal in words.
        public var description: String {
            var parts: [String] = []
            if let level { parts.append(level) }
            if !checks.isEmpty { parts.append(checks.joined(separator: ", ") + " done or waived") }
            return parts.joined(separator: ", and ")
        }

        static let keys = ["level", "checks"]
    }

    static let frontMatterKeys = ["title", "deadline", "owner", "draft", "scope", "goal", "extra"]

    /// Reads a campaign file; nil when a required key is missing or malformed.
    /// Unknown keys are errors, at the top as inside `scope` and `goal`: a
    /// misspelled `scope` (or a key inside it) would silently put every
    /// service in scope of a campaign that can fail CI.
    public static func parse(
        id: String, file: SourceFile, unsafeHTML: Bool, diagnostics: inout DiagnosticList
    ) -> Campaign? {
        guard var fields = FrontMatterFields.parse(file, diagnostics: &diagnostics) else { return nil }
        let before = diagnostics.errorCount
        let title = fields.requiredString("title", &diagnostics, hint: "for example `title: Tier 1 reaches Silver`")
        let deadline: Day?
        if fields.value("deadline") == nil {
            diagnostics.error(
                "`deadline` is required", at: fields.location, hint: "for example `deadline: 2027-03-31`")
            deadline = nil
        } else {
            deadline = fields.day("deadline", &diagnostics)
        }
        let owner = fields.string("owner", &diagnostics)
        let draft = fields.bool("draft", &diagnostics) ?? false

        var scope = Scope()
        let scopeLocation = fields.value("scope")?.at ?? fields.location
        if var map = fields.mapping("scope", &diagnostics) {
            scope.tier = map.stringList("tier", &diagnostics)
            scope.owner = map.stringList("owner", &diagnostics)
            scope.lifecycle = map.stringList("lifecycle", &diagnostics)
            scope.tags = map.stringList("tags", &diagnostics)
            map.reportUnknownKeys(&diagnostics, severity: .error, allowed: Scope.keys)
        }

        var goal = Goal()
        var goalLocation = fields.location
        if let (_, at) = fields.value("goal") {
            goalLocation = at
            let errorsBefore = diagnostics.errorCount
            if var map = fields.mapping("goal", &diagnostics) {
                goal.level = map.string("level", &diagnostics)
                var seen: Set<String> = []
                goal.checks = (map.stringList("checks", &diagnostics) ?? []).filter { seen.insert($0).inserted }
                map.reportUnknownKeys(&diagnostics, severity: .error, allowed: Goal.keys)
                if goal.level == nil && goal.checks.isEmpty && diagnostics.errorCount == errorsBefore {
                    diagnostics.error(
                        "`goal` names neither a level nor checks", at: at,
                        hint: "for example `goal: {level: Silver}` or `goal: {checks: [sec-threat-model]}`")
                }
            }
        } else {
            diagnostics.error(
                "`goal` is required", at: fields.location,
                hint: "for example `goal: {level: Silver}` or `goal: {checks: [sec-threat-model]}`")
        }
        let extra = fields.freeValue("extra", &diagnostics)
        fields.reportUnknownKeys(&diagnostics, severity: .error, allowed: frontMatterKeys)
        let markdown = Markdown.render(file.body, firstLine: file.bodyFirstLine, unsafeHTML: unsafeHTML)
        diagnostics.warn(markdown.notes, in: file.path)
        guard diagnostics.errorCount == before, let title, let deadline else { return nil }
        return Campaign(
            id: id, path: file.path, title: title, deadline: deadline, owner: owner, draft: draft, scope: scope, goal: goal,
            extra: extra, html: markdown.html, markdownLinks: markdown.links, goalLocation: goalLocation,
            scopeLocation: scopeLocation)
    }
}
