/// A checklist: the questions a review answers, grouped in categories.
public struct Checklist: Sendable {
    public let id: String
    /// The digest of its file (`SourceFile.digest`): what the build cache checks reviews against.
    var sourceDigest: Digest?
    public let path: String
    public let title: String
    public let description: String?
    /// Level names, lowest first.
    public let levels: [String]
    /// The sign-offs a review needs to reach each level, in the order written.
    public let signoffs: [SignoffRule]
    public let categories: [Category]
    /// The text before the first category, rendered.
    public let introHTML: String
    /// The whole body rendered, each task item's first line replaced by
    /// `Markdown.slotMarker(i)`; `slots[i]` is the id of the check item `i`
    /// became, nil when it became none (it had errors).
    public let bodyHTML: String
    public let slots: [String?]
    /// Ids written on task items that did not become checks because of an
    /// error reported here: reviews answering them get no second error.
    public let brokenIDs: Set<String>
    public let markdownLinks: [MarkdownLink]
    /// Every check in checklist order.
    public let checks: [Check]
    /// Position in `checks` by id, and check id by lower-cased text (the first
    /// check wins when two share a text): built once, used for every review.
    let indexByID: [String: Int]
    let idByText: [String: String]
    /// Letter trigrams of each check's text, for "did you mean" suggestions.
    let trigrams: [Set<String>]

    init(
        id: String, path: String, title: String, description: String?, levels: [String],
        signoffs: [SignoffRule] = [], categories: [Category], introHTML: String, markdownLinks: [MarkdownLink],
        bodyHTML: String = "", slots: [String?] = [], brokenIDs: Set<String> = []
    ) {
        self.bodyHTML = bodyHTML
        self.slots = slots
        self.brokenIDs = brokenIDs
        self.id = id
        self.path = path
        self.title = title
        self.description = description
        self.levels = levels
        self.signoffs = signoffs
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
        self.trigrams = checks.map { Self.trigrams($0.text) }
    }

    /// The check whose text is nearest to `text` (Dice coefficient of letter
    /// trigrams, at least 0.5), for "did you mean". Linear in the texts.
    public func nearestCheck(to text: String) -> Check? {
        let grams = Self.trigrams(text)
        guard !grams.isEmpty else { return nil }
        var best: (score: Double, index: Int)?
        for (i, other) in trigrams.enumerated() where !other.isEmpty {
            let score = 2 * Double(grams.intersection(other).count) / Double(grams.count + other.count)
            if score >= 0.5, score > (best?.score ?? 0) { best = (score, i) }
        }
        return best.map { checks[$0.index] }
    }

    /// The check whose id is nearest to `id` (a typo such as `dr-dril`).
    public func nearestCheck(id: String) -> Check? {
        FrontMatterFields.closest(to: id, in: checks.map(\.id)).flatMap { check(id: $0) }
    }

    static func trigrams(_ text: String) -> Set<String> {
        let letters = Array(text.lowercased().filter { $0.isLetter || $0.isNumber || $0 == " " }.prefix(300))
        guard letters.count >= 3 else { return letters.isEmpty ? [] : [String(letters)] }
        return Set((0...(letters.count - 3)).map { String(letters[$0..<$0 + 3]) })
    }

    public struct Category: Sendable {
        public var id: String
        public var title: String
        public var checks: [Check]
    }

    /// One check. Its fields live in one shared box, copied on write: a
    /// check is copied into every state, pair and category the readiness
    /// rules build, and a copy is then one reference, not sixteen fields.
    public struct Check: Sendable {
        struct Fields {
            var id: String
            var text: String
            var html: String
            var required: Bool
            var level: String?
            var levelRank: Int?
            var weight: Int
            var categoryID: String
            var explicitID: Bool
            var line: Int
            var every: Int?
            var from: Day?
            var auto: Bool
            var rule: CheckRule?
            var guidanceHTML: String
            var guidanceMarkdown: String
        }

        private final class Box: @unchecked Sendable {
            // Written only while uniquely referenced (see `fields`).
            var fields: Fields
            init(_ fields: Fields) { self.fields = fields }
        }

        private var box: Box

        private var fields: Fields {
            get { box.fields }
            _modify {
                if !isKnownUniquelyReferenced(&box) { box = Box(box.fields) }
                yield &box.fields
            }
        }

        init(
            id: String, text: String, html: String, required: Bool, level: String?, levelRank: Int?, weight: Int,
            categoryID: String, explicitID: Bool, line: Int, every: Int?, from: Day?, auto: Bool = false,
            rule: CheckRule? = nil, guidanceHTML: String = "", guidanceMarkdown: String = ""
        ) {
            box = Box(Fields(
                id: id, text: text, html: html, required: required, level: level, levelRank: levelRank,
                weight: weight, categoryID: categoryID, explicitID: explicitID, line: line, every: every,
                from: from, auto: auto, rule: rule, guidanceHTML: guidanceHTML, guidanceMarkdown: guidanceMarkdown))
        }

        public var id: String { get { box.fields.id } set { fields.id = newValue } }
        public var text: String { get { box.fields.text } set { fields.text = newValue } }
        public var html: String { get { box.fields.html } set { fields.html = newValue } }
        public var required: Bool { get { box.fields.required } set { fields.required = newValue } }
        public var level: String? { get { box.fields.level } set { fields.level = newValue } }
        /// Index of `level` in the checklist's `levels`.
        public var levelRank: Int? { get { box.fields.levelRank } set { fields.levelRank = newValue } }
        public var weight: Int { get { box.fields.weight } set { fields.weight = newValue } }
        public var categoryID: String { get { box.fields.categoryID } set { fields.categoryID = newValue } }
        public var explicitID: Bool { get { box.fields.explicitID } set { fields.explicitID = newValue } }
        public var line: Int { get { box.fields.line } set { fields.line = newValue } }
        /// `every=N`: a done answer holds for this many days after the review.
        public var every: Int? { get { box.fields.every } set { fields.every = newValue } }
        /// `from=YYYY-MM-DD`: before this day the check is upcoming.
        public var from: Day? { get { box.fields.from } set { fields.from = newValue } }
        /// `auto`: evidence records answer the check (`every=` bounds their age).
        public var auto: Bool { get { box.fields.auto } set { fields.auto = newValue } }
        /// `rule=`: the service's front matter answers the check.
        public var rule: CheckRule? { get { box.fields.rule } set { fields.rule = newValue } }
        /// Markdown nested under the item: how to meet the check. Rendered, and
        /// as written (for `new review`); empty when there is none.
        public var guidanceHTML: String { get { box.fields.guidanceHTML } set { fields.guidanceHTML = newValue } }
        public var guidanceMarkdown: String {
            get { box.fields.guidanceMarkdown }
            set { fields.guidanceMarkdown = newValue }
        }

        /// Upcoming on `day`: shown, but counted nowhere.
        public func isUpcoming(on day: Day) -> Bool {
            box.fields.from.map { day < $0 } ?? false
        }
    }

    /// `signoffs:` in the front matter: to reach `level`, a review needs an
    /// approved sign-off of `role`.
    public struct SignoffRule: Sendable, Equatable {
        public var role: String
        public var level: String
        public var levelRank: Int
    }

    /// The rank of a level name in `levels`, nil when it is not one.
    public func rank(of level: String?) -> Int? {
        level.flatMap { levels.firstIndex(of: $0) }
    }

    /// Finds a check by id.
    public func check(id: String) -> Check? {
        indexByID[id].map { checks[$0] }
    }

    static let frontMatterKeys = ["title", "description", "levels", "signoffs"]
    static let signoffKeys = ["role", "level"]
    static let checkAttributes = ["level", "weight", "every", "from", "rule"]
    static let checkFlags = ["required", "auto"]
    static let checkAttributesHint = "a check takes `#id`, `required`, `auto`, `level=NAME`, `weight=N`, `every=DAYS`, `from=YYYY-MM-DD` and `rule=RULE`"
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
        // When `levels` itself is wrong (reported there), checks naming a
        // level are not reported again, once per check.
        let levelErrorsBefore = diagnostics.errorCount
        if let (_, at) = fields.value("levels"), let list = fields.stringList("levels", &diagnostics) {
            var seen: Set<String> = []
            for level in list {
                if level.trimmingSpaces().isEmpty || level != collapseWhitespace(level) {
                    diagnostics.error(
                        "level `\(level)` must be a name without leading, trailing or repeated spaces", at: at)
                } else if !seen.insert(level).inserted {
                    diagnostics.error("level `\(level)` is listed twice in `levels`", at: at)
                } else {
                    levels.append(level)
                }
            }
        }
        let levelsBroken = diagnostics.errorCount > levelErrorsBefore
        var signoffs: [SignoffRule] = []
        var roles: Set<String> = []
        let rankByLevel = Dictionary(levels.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        for var item in fields.mappingList("signoffs", &diagnostics) ?? [] {
            let role = item.requiredString("role", &diagnostics, hint: "for example `role: Security`")
            let levelAt = item.value("level")?.at ?? item.location
            let level = item.requiredString(
                "level", &diagnostics, hint: "the level this sign-off gates, e.g. `level: \(levels.first ?? "Bronze")`")
            item.reportUnknownKeys(&diagnostics, severity: .error, allowed: signoffKeys)
            guard let role, let level else { continue }
            if role.trimmingSpaces().isEmpty {
                diagnostics.error("`\(item.context).role` is empty", at: item.location, hint: "for example `role: SRE`")
                continue
            }
            guard let rank = rankByLevel[level] else {
                diagnostics.error(
                    "sign-off level `\(level)` is not one of the checklist's levels", at: levelAt,
                    hint: levelsHint(levels))
                continue
            }
            if !roles.insert(normalizedRole(role)).inserted {
                diagnostics.error(
                    "sign-off role `\(role)` is listed twice", at: item.location,
                    hint: "a role gates one level: keep the lowest level it must approve")
                continue
            }
            signoffs.append(SignoffRule(role: role, level: level, levelRank: rank))
        }
        fields.reportUnknownKeys(&diagnostics, severity: .error, allowed: frontMatterKeys)

        // The page puts each check where `Markdown.slotMarker` left its mark;
        // the two private-use characters it is made of cannot come from the writer.
        let body = file.body.contains(where: { $0 == "\u{E000}" || $0 == "\u{E001}" })
            ? String(file.body.map { $0 == "\u{E000}" || $0 == "\u{E001}" ? "\u{FFFD}" : $0 }) : file.body
        let markdown = Markdown.render(
            body, firstLine: file.bodyFirstLine, unsafeHTML: unsafeHTML, itemDetails: true, checkSlots: true)
        diagnostics.warn(markdown.notes, in: file.path)
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
        var slots: [String?] = []
        var brokenIDs: Set<String> = []
        let categoryIndex = Dictionary(categories.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
        for item in markdown.taskItems {
            slots.append(nil)
            let at = SourceLocation(path: file.path, line: item.line, column: item.column)
            guard let heading = item.headings.last(where: { $0.level == 2 }),
                let index = categoryIndex[heading.attributes?.id ?? Slug.make(heading.text)]
            else {
                diagnostics.error(
                    "check `\(item.text)` is not under a category", at: at,
                    hint: "put checks below a level-2 heading such as `## Security {#security}`")
                if let id = item.attributes?.id ?? item.unreadableAttributes.flatMap(Attributes.salvagedID) {
                    brokenIDs.insert(id)
                }
                continue
            }
            guard
                let check = parseCheck(
                    item, categoryID: categories[index].id, levels: levels, levelsBroken: levelsBroken, at: at,
                    line: { SourceFile.lines(Substring(file.body)).dropFirst(item.line - file.bodyFirstLine).first },
                    diagnostics: &diagnostics)
            else { continue }
            if let first = checkLines[check.id] {
                diagnostics.error(
                    "check id `\(check.id)` is used twice (first on line \(first))", at: at,
                    hint: "check ids must be unique within a checklist")
                continue
            }
            checkLines[check.id] = check.line
            categories[index].checks.append(check)
            slots[slots.count - 1] = check.id
        }
        if markdown.taskItems.isEmpty {
            diagnostics.error(
                "checklist has no checks", at: SourceLocation(path: file.path, line: file.bodyFirstLine),
                hint: "add task-list items such as `- [ ] Alerts page the on-call {#mon-alerts}` under a `## Category`")
        }
        var introHTML = markdown.html
        if let first = markdown.headings.first(where: { $0.level == 2 }) {
            let introLines = SourceFile.lines(Substring(file.body)).prefix(first.line - file.bodyFirstLine)
            introHTML = Markdown.render(introLines.joined(separator: "\n"), unsafeHTML: unsafeHTML).html
        }
        // Without a title the checklist is still returned (its error is
        // reported above), so reviews answering it are checked, not refused.
        return Checklist(
            id: id, path: file.path, title: title ?? id, description: description, levels: levels,
            signoffs: signoffs, categories: categories, introHTML: introHTML, markdownLinks: markdown.links,
            bodyHTML: markdown.html, slots: slots, brokenIDs: brokenIDs)
    }

    /// The check an item declares. An attribute in error is reported and left
    /// out, and the check is still returned under its id, so that reviews
    /// answering it are not told a second time that something is wrong.
    private static func parseCheck(
        _ item: TaskItem, categoryID: String, levels: [String], levelsBroken: Bool, at: SourceLocation,
        line: () -> Substring? = { nil }, diagnostics: inout DiagnosticList
    ) -> Check? {
        var attributes = item.attributes ?? Attributes()
        var ok = true
        if let block = item.unreadableAttributes {
            diagnostics.append(Attributes.unreadable(block, at: at))
            ok = false
            attributes = Attributes()
            attributes.id = Attributes.salvagedID(block)
        }
        var required = false
        var auto = false
        for flag in attributes.flags {
            if flag == "required" || flag == "auto" {
                if flag == "required" ? required : auto {
                    ok = false
                    diagnostics.error("attribute `\(flag)` is given twice on check", at: at)
                }
                if flag == "required" { required = true } else { auto = true }
            } else {
                ok = false
                diagnostics.error(
                    "unknown attribute `\(flag)` on check", at: at,
                    hint: FrontMatterFields.closest(to: flag, in: checkAttributes + checkFlags).map { "did you mean `\($0)`?" }
                        ?? Attributes.quoteHint(flag, after: attributes.values.last) ?? checkAttributesHint)
            }
        }
        var level: String?
        var levelRank: Int?
        var weight = 1
        var every: Int?
        var from: Day?
        var rule: CheckRule?
        var seen: Set<String> = []
        var reported: Set<String> = []
        for pair in attributes.values {
            if !seen.insert(pair.key).inserted {
                ok = false
                if reported.insert(pair.key).inserted {
                    diagnostics.error("attribute `\(pair.key)` is given twice on check", at: at)
                }
                continue
            }
            switch pair.key {
            case "level":
                if let rank = levels.firstIndex(of: pair.value) {
                    level = pair.value
                    levelRank = rank
                } else if levelsBroken {
                    ok = false
                } else {
                    ok = false
                    diagnostics.error(
                        "level `\(pair.value)` is not one of the checklist's levels", at: at,
                        hint: levelsHint(levels))
                }
            case "weight":
                if let n = Int(pair.value), n >= 1, n <= maxWeight {
                    weight = n
                } else {
                    ok = false
                    diagnostics.error(
                        "weight must be a whole number from 1 to \(maxWeight), not `\(pair.value)`", at: at)
                }
            case "every":
                if let n = Int(pair.value), n >= 1, n <= maxEvery {
                    every = n
                } else {
                    ok = false
                    diagnostics.error(
                        "every must be a number of days from 1 to \(maxEvery), not `\(pair.value)`", at: at,
                        hint: "for example `every=90`: a done answer holds for 90 days after the review")
                }
            case "from":
                if let day = Day(pair.value) {
                    from = day
                } else {
                    ok = false
                    diagnostics.error(
                        Day.problem("from", pair.value), at: at,
                        hint: "for example `from=2027-01-01`: the check counts from that day")
                }
            case "rule":
                switch CheckRule.parse(pair.value) {
                case .success(let parsed): rule = parsed
                case .failure(let problem):
                    ok = false
                    // At the rule itself: the column of `rule=` in the item's line.
                    var ruleAt = at
                    if let text = line(), let found = text.firstRange(of: "rule=") {
                        ruleAt.column = text[..<found.lowerBound].unicodeScalars.count + 1
                    }
                    diagnostics.error("cannot read `rule=\(pair.value)`: \(problem.message)", at: ruleAt, hint: CheckRule.vocabulary)
                }
            default:
                ok = false
                let suggestion = FrontMatterFields.closest(to: pair.key, in: checkAttributes)
                diagnostics.error(
                    "unknown attribute `\(pair.key)` on check", at: at,
                    hint: suggestion.map { "did you mean `\($0)`?" } ?? checkAttributesHint)
            }
        }
        if auto && attributes.values.contains(where: { $0.key == "rule" }) {
            ok = false
            diagnostics.error(
                "a check is `auto` or has a `rule=`, not both", at: at,
                hint: "`auto`: evidence records answer it; `rule=`: the service's front matter does")
            auto = false
            rule = nil
        } else if rule != nil, every != nil {
            ok = false
            diagnostics.error(
                "`every=` does not apply to a `rule=` check", at: at,
                hint: "a rule reads the service's front matter as it is now; it has no age")
            every = nil
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
            if ok {
                let shown = id.count > 40 ? "a \(id.count)-character id made from its text" : "`\(id)`"
                diagnostics.warning(
                    "check has no explicit id; using \(shown)", at: at,
                    hint: "add a short `{#id}` at the end of the item, e.g. `{#\(suggestedID(id))}`, so renaming its text keeps answers linked")
            }
        }
        return Check(
            id: id, text: item.text, html: item.html, required: required, level: level,
            levelRank: levelRank, weight: weight, categoryID: categoryID, explicitID: explicit,
            line: item.line, every: every, from: from, auto: auto, rule: rule, guidanceHTML: item.detailHTML,
            guidanceMarkdown: item.detailMarkdown)
    }

    static let maxEvery = 36_500

    /// A short id from a long generated one: its first words, at most 32 characters.
    static func suggestedID(_ id: String) -> String {
        guard id.count > 32 else { return id }
        var words: [Substring] = []
        for word in id.split(separator: "-") {
            if (words.map(\.count).reduce(0, +) + words.count + word.count) > 32 { break }
            words.append(word)
        }
        return words.isEmpty ? String(id.prefix(32)) : words.joined(separator: "-")
    }

    static func levelsHint(_ levels: [String]) -> String {
        levels.isEmpty
            ? "declare levels in the front matter, e.g. `levels: [Bronze, Silver, Gold]`"
            : "use one of: \(levels.joined(separator: ", "))"
    }

    /// Sign-off roles match with case and surrounding space ignored.
    static func normalizedRole(_ role: String) -> String {
        role.trimmingSpaces().lowercased()
    }
}
