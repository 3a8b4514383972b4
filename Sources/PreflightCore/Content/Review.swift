/// A review record: `content/services/<slug>/reviews/<name>.md`.
public struct Review: Sendable {
    public var service: String
    public var name: String
    public var path: String
    public var date: Day
    public var title: String
    /// The resolved checklist id.
    public var checklist: String
    public var decision: Decision
    public var reviewers: [String]
    public var signoffs: [Signoff]
    public var draft: Bool
    public var extra: JSONValue?
    /// The body's HTML, read when the review's page is made (see `TextSpill`).
    public var html: String {
        get { body.string }
        set {
            body = SpilledText(newValue)
            htmlDigest = nil
        }
    }
    var body: SpilledText
    /// Answers by check id; checks not present are unanswered (count as open).
    public var answers: Answers
    public var actionItems: [ActionItem]
    public var markdownLinks: [MarkdownLink]
    /// File lines of the `date` and `decision` keys, for diagnostics about them.
    public var dateLine: Int
    public var decisionLine: Int?
    /// The digest of the file it was read from (`SourceFile.digest`), when
    /// the build keeps a cache; empty otherwise.
    var sourceDigest: Digest?
    /// The digest of `html`, when the build keeps a cache: what the text
    /// derived from it is kept under (`DerivedTexts`).
    var htmlDigest: Digest?

    public enum Decision: String, Sendable, CaseIterable {
        case approved
        case approvedWithConditions = "approved-with-conditions"
        case rejected
        case inProgress = "in-progress"

        /// Words for people.
        public var label: String {
            switch self {
            case .approved: return "Approved"
            case .approvedWithConditions: return "Approved with conditions"
            case .rejected: return "Rejected"
            case .inProgress: return "In progress"
            }
        }
    }

    public struct Signoff: Sendable, Equatable {
        public enum Status: String, Sendable, CaseIterable {
            case approved, pending, rejected
        }

        public var role: String
        public var name: String?
        public var status: Status
        public var date: Day?
    }

    /// Answers by check id, kept in the checklist's order: a slot per check,
    /// with the checklist's own id-to-position table, shared. A site holds
    /// one per review, so a dictionary per review (about 3.7 KB with its
    /// hash buckets) was the largest thing a build kept (issue 16).
    public struct Answers: Sendable, Equatable {
        private let positions: [String: Int]
        private let size: Int
        private var slots: [Answer?] = []

        /// No answers (a review whose checklist is unknown).
        public init() {
            positions = [:]
            size = 0
        }

        /// No answers yet, to checklist `checklist`'s checks.
        init(to checklist: Checklist) {
            positions = checklist.indexByID
            size = checklist.checks.count
        }

        /// The answer to check `id`; nil when it is unanswered or no check of the checklist.
        public subscript(id: String) -> Answer? {
            guard let position = positions[id], position < slots.count else { return nil }
            return slots[position]
        }

        /// Records `answer` to check `id`; false when the checklist has no such check.
        @discardableResult
        mutating func record(_ answer: Answer, for id: String) -> Bool {
            guard let position = positions[id] else { return false }
            if slots.isEmpty { slots = Array(repeating: nil, count: size) }
            slots[position] = answer
            return true
        }

        /// Every answer with its check id, in the checklist's order (the build cache stores them so).
        var recorded: [(id: String, answer: Answer)] {
            positions.filter { $0.value < slots.count && slots[$0.value] != nil }
                .sorted { $0.value < $1.value }
                .map { ($0.key, slots[$0.value]!) }
        }

        /// How many checks are answered.
        public var count: Int { slots.reduce(0) { $0 + ($1 == nil ? 0 : 1) } }
        public var isEmpty: Bool { count == 0 }

        public static func == (a: Answers, b: Answers) -> Bool {
            let ids = Set(a.positions.keys).union(b.positions.keys)
            return ids.allSatisfy { a[$0] == b[$0] }
        }
    }

    /// An answer to a check: its box, its line, and a waiver's terms. The
    /// item's words are not kept: pages show them from the body's HTML, and
    /// a site holds one answer per check per review (16 bytes each).
    public struct Answer: Sendable, Equatable {
        /// A waiver's terms, apart: most answers have none, and a site holds
        /// one answer per check per review.
        private var terms: Terms?
        private var storedLine: Int32
        public var box: TaskItem.Box

        private final class Terms: Sendable {
            let reason: String?
            let until: Day?
            let by: String?

            init?(reason: String?, until: Day?, by: String?) {
                if reason == nil && until == nil && by == nil { return nil }
                self.reason = reason
                self.until = until
                self.by = by
            }
        }

        public var line: Int {
            get { Int(storedLine) }
            set { storedLine = Int32(clamping: newValue) }
        }
        /// For a waiver: what the item says beyond the check's own text.
        public var reason: String? {
            get { terms?.reason }
            set { terms = Terms(reason: newValue, until: until, by: by) }
        }
        /// For a waiver: `until=YYYY-MM-DD` (the last day it holds) and `by=NAME`.
        public var until: Day? {
            get { terms?.until }
            set { terms = Terms(reason: reason, until: newValue, by: by) }
        }
        public var by: String? {
            get { terms?.by }
            set { terms = Terms(reason: reason, until: until, by: newValue) }
        }

        public init(box: TaskItem.Box, reason: String? = nil, line: Int, until: Day? = nil, by: String? = nil) {
            self.box = box
            self.storedLine = Int32(clamping: line)
            self.terms = Terms(reason: reason, until: until, by: by)
        }

        public static func == (a: Answer, b: Answer) -> Bool {
            a.box == b.box && a.storedLine == b.storedLine && a.reason == b.reason
                && a.until == b.until && a.by == b.by
        }
    }

    public struct ActionItem: Sendable, Equatable {
        public var text: String
        public var html: String
        public var owner: String?
        public var due: Day?
        public var done: Bool
        public var line: Int
        /// `html` without the owner and due marks (see `display(html:owner:due:)`),
        /// made once here: every list of action items shows it.
        public let displayHTML: String

        public init(text: String, html: String, owner: String?, due: Day?, done: Bool, line: Int) {
            self.init(
                text: text, html: html, owner: owner, due: due, done: done, line: line,
                displayHTML: Self.display(html: html, owner: owner, due: due))
        }

        /// An item as a build cache kept it, with the display HTML made when it was parsed.
        init(text: String, html: String, owner: String?, due: Day?, done: Bool, line: Int, displayHTML: String) {
            self.text = text
            self.html = html
            self.owner = owner
            self.due = due
            self.done = done
            self.line = line
            self.displayHTML = displayHTML
        }
    }

    /// What a review needs from its surroundings to resolve its checklist.
    public struct Context: Sendable {
        public var serviceName: String
        public var serviceChecklist: String?
        public var defaultChecklist: String?
        public var checklists: [String: Checklist]
        public var unsafeHTML: Bool
        /// Site paths of the images and documents published beside the
        /// service's pages, which relative links in a review may name.
        var assets: Set<String> = []
        /// Checklists that exist as files but could not be read at all.
        var unreadableChecklists: Set<String> = []
        /// Where the bodies' HTML waits for its pages; nil keeps it in memory.
        var spill: TextSpill?
        /// The digest of everything above, when the build keeps a cache (`BuildCache.contextDigest`).
        var cacheDigest: Digest?

        public init(
            serviceName: String, serviceChecklist: String?, defaultChecklist: String?,
            checklists: [String: Checklist], unsafeHTML: Bool
        ) {
            self.serviceName = serviceName
            self.serviceChecklist = serviceChecklist
            self.defaultChecklist = defaultChecklist
            self.checklists = checklists
            self.unsafeHTML = unsafeHTML
        }
    }

    static let frontMatterKeys = [
        "date", "title", "checklist", "decision", "reviewers", "signoffs", "draft", "extra",
    ]
    static let signoffKeys = ["role", "name", "status", "date"]

    public static func parse(
        service: String, name: String, file: SourceFile, context: Context, diagnostics: inout DiagnosticList
    ) -> Review? {
        guard var fields = FrontMatterFields.parse(file, diagnostics: &diagnostics) else { return nil }
        let date = fields.day("date", &diagnostics)
        if fields.value("date") == nil {
            diagnostics.error(
                "`date` is required", at: SourceLocation(path: file.path),
                hint: "add `date: YYYY-MM-DD` (the day of the review) to the front matter")
        }
        let title = fields.string("title", &diagnostics)

        var checklistID: String?
        if let (_, at) = fields.value("checklist"), let id = fields.string("checklist", &diagnostics) {
            if context.checklists[id] != nil {
                checklistID = id
            } else if context.unreadableChecklists.contains(id) {
                // Its own errors say why; the review is left out quietly.
            } else {
                diagnostics.error(
                    "unknown checklist `\(id)`", at: at,
                    hint: knownChecklistsHint(context.checklists))
            }
        } else if let id = context.serviceChecklist ?? context.defaultChecklist {
            // An unknown service or site default is reported once, where it is written.
            if context.checklists[id] != nil { checklistID = id }
        } else if !context.checklists.isEmpty {
            diagnostics.error(
                "review names no checklist and the site has no default", at: SourceLocation(path: file.path),
                hint: "add `checklist: <id>` here, or `default_checklist: <id>` to preflight.yml")
        } else {
            diagnostics.error(
                "review needs a checklist, but the site has none", at: SourceLocation(path: file.path),
                hint: "add one as content/checklists/<id>.md")
        }

        var decision = Decision.inProgress
        let dateLine = fields.value("date")?.at.line ?? 1
        let decisionLine = fields.value("decision")?.at.line
        if let (_, at) = fields.value("decision"), let text = fields.string("decision", &diagnostics) {
            if let d = Decision(rawValue: text) {
                decision = d
            } else {
                let near = FrontMatterFields.closest(to: text, in: Decision.allCases.map(\.rawValue))
                diagnostics.error(
                    "`decision` must be one of \(Decision.allCases.map { "`\($0.rawValue)`" }.joined(separator: ", ")), not `\(text)`",
                    at: at, hint: near.map { "did you mean `\($0)`?" })
            }
        }
        let reviewers = fields.stringList("reviewers", &diagnostics) ?? []
        var signoffs: [Signoff] = []
        for var item in fields.mappingList("signoffs", &diagnostics) ?? [] {
            if let signoff = parseSignoff(&item, &diagnostics) { signoffs.append(signoff) }
        }
        let draft = fields.bool("draft", &diagnostics) ?? false
        let extra = fields.freeValue("extra", &diagnostics)
        fields.reportUnknownKeys(&diagnostics, severity: .warning, allowed: frontMatterKeys)

        // A review's page sits one folder below its file (`reviews/r1.md` is
        // `reviews/r1/`): a relative link to a file beside it gains a `../`.
        let folder = String(file.path[..<(file.path.lastIndex(of: "/") ?? file.path.startIndex)])
        let assets = context.assets
        let markdown = Markdown.render(
            file.body, firstLine: file.bodyFirstLine, unsafeHTML: context.unsafeHTML,
            rewriteLink: assets.isEmpty ? nil : { url in
                guard let path = sitePath(of: url, from: folder), assets.contains(path) else { return nil }
                return "../" + url
            })
        diagnostics.warn(markdown.notes, in: file.path)
        let checklist = checklistID.flatMap { context.checklists[$0] }
        var answers = checklist.map(Answers.init(to:)) ?? Answers()
        var actionItems: [ActionItem] = []
        if let checklist {
            matchItems(
                markdown.taskItems, checklist: checklist, path: file.path, answers: &answers,
                actionItems: &actionItems, diagnostics: &diagnostics)
        }

        guard let date, let checklistID else { return nil }
        return Review(
            service: service, name: name, path: file.path, date: date,
            title: title ?? "\(context.serviceName) review, \(date)", checklist: checklistID,
            decision: decision, reviewers: reviewers, signoffs: signoffs, draft: draft, extra: extra,
            body: context.spill?.store(markdown.html) ?? SpilledText(markdown.html), answers: answers,
            actionItems: actionItems, markdownLinks: markdown.links,
            dateLine: dateLine, decisionLine: decisionLine)
    }

    /// Sorts task items into check answers and action items (FORMAT.md, "Review record").
    static func matchItems(
        _ items: [TaskItem], checklist: Checklist, path: String, answers: inout Answers,
        actionItems: inout [ActionItem], diagnostics: inout DiagnosticList
    ) {
        for item in items {
            let at = SourceLocation(path: path, line: item.line, column: item.column)
            if let block = item.unreadableAttributes {
                // An answer whose block cannot be read would silently count as open.
                diagnostics.append(Attributes.unreadable(block, at: at))
                continue
            }
            let checkID: String?
            if let id = item.attributes?.id {
                guard checklist.check(id: id) != nil else {
                    // A check the checklist failed to declare is reported there, once.
                    if checklist.brokenIDs.contains(id) { continue }
                    let near = checklist.nearestCheck(id: id) ?? checklist.nearestCheck(to: item.text)
                    diagnostics.error(
                        "`\(id)` is not a check of checklist `\(checklist.id)`", at: at,
                        hint: near.map { "did you mean `\($0.id)` (“\($0.text)”)?" }
                            ?? "check the id against \(checklist.path)")
                    continue
                }
                checkID = id
            } else {
                checkID = checklist.idByText[item.text.lowercased()]
            }
            let (until, by) = waiverAttributes(item, isAnswer: checkID != nil, at: at, diagnostics: &diagnostics)
            if let checkID {
                // The first answer is kept: the table knows its line.
                if let first = answers[checkID]?.line {
                    diagnostics.error(
                        "check `\(checkID)` is answered twice (first on line \(first))", at: at,
                        hint: "keep one answer per check")
                    continue
                }
                let check = checklist.check(id: checkID)!
                answers.record(Answer(
                    box: item.box,
                    reason: item.box == .waived ? waiverReason(item, checkText: check.text) : nil,
                    line: item.line, until: until, by: by), for: check.id)
            } else if item.headings.contains(where: { $0.text.lowercased() == "action items" }) {
                actionItems.append(actionItem(item, at: at, diagnostics: &diagnostics))
            } else {
                // Most often a check's text that drifted from the checklist's:
                // it would count as unanswered while the page shows it ticked.
                let near = checklist.nearestCheck(to: item.text)
                diagnostics.warning(
                    "task item answers no check of checklist `\(checklist.id)`", at: at,
                    hint: near.map { "did you mean `\($0.id)` (“\($0.text)”)? Answer it with `{#\($0.id)}`" }
                        ?? "answer a check with its `{#id}`, or put follow-ups under an `## Action items` heading")
            }
        }
    }

    static let answerAttributesHint = "a review's task item takes `#id`, and on a waiver `until=YYYY-MM-DD` and `by=NAME`"

    /// `until=` and `by=` of a waived answer. Anything else in the block is an
    /// error (levels and weights belong on the check); the two on an item that
    /// is not a waiver are ignored, with a warning.
    static func waiverAttributes(
        _ item: TaskItem, isAnswer: Bool, at: SourceLocation, diagnostics: inout DiagnosticList
    ) -> (until: Day?, by: String?) {
        guard let attributes = item.attributes else { return (nil, nil) }
        for flag in attributes.flags {
            diagnostics.error(
                "a review's task item takes no `\(flag)`", at: at,
                hint: flag == "required" || flag == "auto"
                    ? "`\(flag)`, `level` and `weight` belong on the check in the checklist"
                    : Attributes.quoteHint(flag, after: attributes.values.last) ?? answerAttributesHint)
        }
        var until: Day?
        var by: String?
        var waiverKeys: [String] = []
        for pair in attributes.values {
            if waiverKeys.contains(pair.key) {
                diagnostics.error("attribute `\(pair.key)` is given twice", at: at)
                continue
            }
            switch pair.key {
            case "until":
                waiverKeys.append(pair.key)
                if let day = Day(pair.value) {
                    until = day
                } else {
                    diagnostics.error(
                        Day.problem("until", pair.value), at: at,
                        hint: "the last day the waiver holds, e.g. `until=2027-03-31`")
                }
            case "by":
                waiverKeys.append(pair.key)
                by = pair.value
            default:
                let suggestion = FrontMatterFields.closest(to: pair.key, in: ["until", "by"])
                diagnostics.error(
                    "a review's task item takes no `\(pair.key)=`", at: at,
                    hint: suggestion.map { "did you mean `\($0)`?" }
                        ?? (["level", "weight", "every", "from", "rule"].contains(pair.key)
                            ? "`\(pair.key)` belongs on the check in the checklist" : answerAttributesHint))
            }
        }
        guard !waiverKeys.isEmpty, item.box != .waived || !isAnswer else { return (until, by) }
        let keys = waiverKeys.map { "`\($0)`" }.joined(separator: " and ")
        diagnostics.warning(
            isAnswer ? "\(keys) only appl\(waiverKeys.count == 1 ? "ies" : "y") to a waived answer `[~]`; ignored here" : "\(keys) on a task item that answers no check; ignored",
            at: at, hint: isAnswer ? "remove it, or mark the item `[~]` if the check is waived" : "add the check's `{#id}`")
        return (nil, nil)
    }

    /// Why a check was waived: what the item says beyond the check's own text on
    /// its line, else what it says below (a second paragraph or a nested list).
    static func waiverReason(_ item: TaskItem, checkText: String) -> String? {
        waiverReason(item.text, checkText: checkText) ?? (item.detail.isEmpty ? nil : item.detail)
    }

    /// The words of a waived item that are not the check's own text.
    static func waiverReason(_ text: String, checkText: String) -> String? {
        var rest = Substring(text)
        if rest.lowercased().hasPrefix(checkText.lowercased()) {
            rest = rest.dropFirst(checkText.count)
        }
        let separators: Set<Character> = [" ", ":", "-", "–", "—", ",", ";", "(", ")", "."]
        while let first = rest.first, separators.contains(first) { rest.removeFirst() }
        while let last = rest.last, last == " " || last == ")" { rest.removeLast() }
        return rest.isEmpty ? nil : String(rest)
    }

    static func actionItem(_ item: TaskItem, at: SourceLocation, diagnostics: inout DiagnosticList) -> ActionItem {
        var owner: String?
        var due: Day?
        let words = item.text.split(separator: " ")
        for (index, word) in words.enumerated() {
            if owner == nil, word.hasPrefix("@"), word.count > 1 {
                let name = word.dropFirst().prefix {
                    $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "."
                }
                var trimmed = Substring(name)
                while trimmed.last == "." { trimmed.removeLast() }
                if !trimmed.isEmpty { owner = String(trimmed) }
            } else if word.lowercased().hasPrefix("due:") {
                let value = word.dropFirst(4).prefix(10)
                if let day = Day(String(value)) {
                    due = day
                } else if value.isEmpty {
                    let next = index + 1 < words.count ? String(words[index + 1]) : ""
                    diagnostics.error(
                        "`due:` is not followed by a date",
                        at: at,
                        hint: Day(next) != nil
                            ? "write it without a space: `due:\(next)`" : "write the date right after it, e.g. `due:2026-03-31`")
                } else {
                    diagnostics.error(
                        Day.problem("due date", String(word.dropFirst(4))), at: at,
                        hint: "for example `due:2026-03-31`")
                }
            }
        }
        return ActionItem(
            text: item.text, html: item.html, owner: owner, due: due, done: item.box != .open, line: item.line)
    }

    private static func parseSignoff(_ fields: inout FrontMatterFields, _ diagnostics: inout DiagnosticList) -> Signoff? {
        let role = fields.requiredString("role", &diagnostics, hint: "for example `role: Security`")
        let name = fields.string("name", &diagnostics)
        var status = Signoff.Status.pending
        if let (_, at) = fields.value("status"), let text = fields.string("status", &diagnostics) {
            if let s = Signoff.Status(rawValue: text) {
                status = s
            } else {
                let near = FrontMatterFields.closest(to: text, in: Signoff.Status.allCases.map(\.rawValue))
                diagnostics.error(
                    "sign-off `status` must be `approved`, `pending` or `rejected`, not `\(text)`", at: at,
                    hint: near.map { "did you mean `\($0)`?" })
            }
        }
        let date = fields.day("date", &diagnostics)
        fields.reportUnknownKeys(&diagnostics, severity: .warning, allowed: signoffKeys)
        guard let role else { return nil }
        return Signoff(role: role, name: name, status: status, date: date)
    }

    /// The site path a relative `url` written in a file of `folder` names,
    /// query and fragment left out; nil for absolute URLs, fragments only,
    /// and paths that leave the site.
    static func sitePath(of url: String, from folder: String) -> String? {
        guard !url.isEmpty, !url.hasPrefix("/"), !url.hasPrefix("#"), !url.hasPrefix("?"),
            !url.hasURLScheme
        else { return nil }
        let path = url.prefix { $0 != "#" && $0 != "?" }
        return resolvedPath(folder.split(separator: "/") + path.split(separator: "/"))?.joined(separator: "/")
    }

    static func knownChecklistsHint(_ checklists: [String: Checklist]) -> String {
        checklists.isEmpty
            ? "the site has no checklists yet; add one as content/checklists/<id>.md"
            : "known checklists: \(checklists.keys.sorted().joined(separator: ", "))"
    }
}
