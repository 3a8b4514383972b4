/// One edit of a checklist between two sides of a diff, with how many
/// services it moves on its own.
public struct ChecklistChange: Sendable {
    public enum Kind: String, Sendable {
        case checklistAdded = "checklist-added"
        case checklistRemoved = "checklist-removed"
        /// A check added or removed.
        case added, removed
        /// One attribute of a check that both sides have.
        case level, weight, required, every, from
        /// What answers a check: reviews, evidence (`auto`) or a `rule=`.
        case answeredBy = "answered-by"
        /// The ladder of levels.
        case levels
        case signoffAdded = "signoff-added"
        case signoffRemoved = "signoff-removed"
    }

    public var checklist: String
    public var kind: Kind
    /// The check's id, or the sign-off's role; nil for the checklist and its ladder.
    public var subject: String?
    /// The value before and after, in words ("Silver", "weight 3", "required, Silver").
    public var before: String?
    public var after: String?
    /// Head services whose latest review this change alone moves: their score,
    /// level or status differ when only this change is undone. nil for a
    /// whole checklist added or removed.
    public var servicesMoved: Int?

    /// Undoes one edit on the head's checklist, to see what the edit alone does.
    typealias Undo = @Sendable (Checklist) -> Checklist

    /// Every edit between the two sides' checklists.
    static func all(base: ReadinessDiff.Side, head: ReadinessDiff.Side) -> [ChecklistChange] {
        var changes: [(ChecklistChange, undo: Undo?)] = []
        for id in Set(base.checklists.keys).union(head.checklists.keys).sorted() {
            switch (base.checklists[id], head.checklists[id]) {
            case (nil, _?):
                changes.append((ChecklistChange(checklist: id, kind: .checklistAdded), nil))
            case (_?, nil):
                changes.append((ChecklistChange(checklist: id, kind: .checklistRemoved), nil))
            case let (old?, new?):
                changes += edits(from: old, to: new)
            case (nil, nil):
                break
            }
        }
        let reviewed = head.services.compactMap { entry -> (Review, ServiceReadiness)? in
            entry.latest.map { ($0, entry.readiness) }
        }
        return changes.parallelMap { change, undo in
            guard let undo, let checklist = head.checklists[change.checklist] else { return change }
            var change = change
            let reverted = undo(checklist)
            change.servicesMoved = reviewed.filter { review, readiness in
                review.checklist == change.checklist && moves(review, readiness, without: reverted)
            }.count
            return change
        }
    }

    init(checklist: String, kind: Kind, subject: String? = nil, before: String? = nil, after: String? = nil) {
        self.checklist = checklist
        self.kind = kind
        self.subject = subject
        self.before = before
        self.after = after
    }

    /// Whether the latest `review` of a service scores, levels or stands
    /// differently against `reverted` than it does in `readiness` (already
    /// evaluated against the head's checklist, on the same day, same target).
    private static func moves(_ review: Review, _ readiness: ServiceReadiness, without reverted: Checklist) -> Bool {
        let undone = Readiness.evaluate(
            review, checklist: reverted, asOf: readiness.latest?.asOf, target: readiness.target,
            facts: readiness.latest?.facts)
        return undone.score != readiness.score || undone.level != readiness.level
            || Readiness.status(of: review, undone).0 != readiness.status
    }

    /// The edits from `old` to `new`, each with how to undo it on `new` alone.
    private static func edits(from old: Checklist, to new: Checklist) -> [(ChecklistChange, undo: Undo?)] {
        var out: [(ChecklistChange, undo: Undo?)] = []
        let id = new.id
        if old.levels != new.levels {
            out.append((
                ChecklistChange(
                    checklist: id, kind: .levels, before: ladder(old.levels), after: ladder(new.levels)),
                { $0.rebuilt(levels: old.levels) }))
        }
        let oldIDs = Set(old.checks.map(\.id))
        for check in new.checks where !oldIDs.contains(check.id) {
            out.append((
                ChecklistChange(checklist: id, kind: .added, subject: check.id, after: describe(check)),
                { $0.rebuilt(removing: check.id) }))
        }
        for check in old.checks {
            guard let now = new.check(id: check.id) else {
                let category = old.categories.first { $0.id == check.categoryID }
                out.append((
                    ChecklistChange(checklist: id, kind: .removed, subject: check.id, before: describe(check)),
                    { $0.rebuilt(adding: check, category: category) }))
                continue
            }
            func edit(_ kind: Kind, _ before: String?, _ after: String?, _ revert: @escaping @Sendable (inout Checklist.Check) -> Void) {
                guard before != after else { return }
                out.append((
                    ChecklistChange(checklist: id, kind: kind, subject: check.id, before: before, after: after),
                    { $0.rebuilt(changing: check.id, revert) }))
            }
            edit(.level, check.level, now.level) { $0.level = check.level }
            edit(.weight, "weight \(check.weight)", "weight \(now.weight)") { $0.weight = check.weight }
            edit(.required, check.required ? "required" : "not required", now.required ? "required" : "not required") {
                $0.required = check.required
            }
            edit(.every, check.every.map { "every \($0) days" }, now.every.map { "every \($0) days" }) { $0.every = check.every }
            edit(.from, check.from.map { "from \($0)" }, now.from.map { "from \($0)" }) { $0.from = check.from }
            edit(.answeredBy, answeredBy(check), answeredBy(now)) {
                $0.auto = check.auto
                $0.rule = check.rule
            }
        }
        let key: @Sendable (Checklist.SignoffRule) -> String = { rule in Checklist.normalizedRole(rule.role) + "\u{0}" + rule.level }
        let oldRules = Set(old.signoffs.map(key))
        let newRules = Set(new.signoffs.map(key))
        for rule in new.signoffs where !oldRules.contains(key(rule)) {
            out.append((
                ChecklistChange(checklist: id, kind: .signoffAdded, subject: rule.role, after: rule.level),
                { $0.rebuilt(signoffs: $0.signoffs.filter { key($0) != key(rule) }) }))
        }
        for rule in old.signoffs where !newRules.contains(key(rule)) {
            out.append((
                ChecklistChange(checklist: id, kind: .signoffRemoved, subject: rule.role, before: rule.level),
                { $0.rebuilt(signoffs: $0.signoffs + [rule]) }))
        }
        return out
    }

    /// "reviews", "evidence" or "rule `links.runbook`": what answers a check.
    static func answeredBy(_ check: Checklist.Check) -> String {
        if check.auto { return "evidence" }
        if let rule = check.rule { return "rule `\(rule.description)`" }
        return "reviews"
    }

    static func ladder(_ levels: [String]) -> String {
        levels.isEmpty ? "no levels" : levels.joined(separator: " < ")
    }

    /// "required, Silver, weight 2": what a check asks, in words.
    static func describe(_ check: Checklist.Check) -> String {
        var parts: [String] = []
        if check.required { parts.append("required") }
        if let level = check.level { parts.append(level) }
        if check.weight != 1 { parts.append("weight \(check.weight)") }
        if let every = check.every { parts.append("every \(every) days") }
        if let from = check.from { parts.append("from \(from)") }
        if check.auto || check.rule != nil { parts.append("answered by " + answeredBy(check)) }
        return parts.isEmpty ? "optional" : parts.joined(separator: ", ")
    }
}

extension Checklist {
    /// This checklist with other levels, sign-offs or categories; every level
    /// rank is worked out again by name (a name the ladder lacks has none, and
    /// a sign-off for it gates nothing).
    fileprivate func rebuilt(
        levels: [String]? = nil, signoffs: [SignoffRule]? = nil, categories: [Category]? = nil
    ) -> Checklist {
        let levels = levels ?? self.levels
        var categories = categories ?? self.categories
        for i in categories.indices {
            for j in categories[i].checks.indices {
                categories[i].checks[j].levelRank = categories[i].checks[j].level.flatMap { levels.firstIndex(of: $0) }
            }
        }
        let rules = (signoffs ?? self.signoffs).map { rule in
            var rule = rule
            rule.levelRank = levels.firstIndex(of: rule.level) ?? Int.max
            return rule
        }
        return Checklist(
            id: id, path: path, title: title, description: description, levels: levels, signoffs: rules,
            categories: categories, introHTML: "", markdownLinks: [])
    }

    fileprivate func rebuilt(removing id: String) -> Checklist {
        rebuilt(categories: categories.map { category in
            var category = category
            category.checks.removeAll { $0.id == id }
            return category
        })
    }

    fileprivate func rebuilt(adding check: Check, category: Category?) -> Checklist {
        var categories = self.categories
        if let i = categories.firstIndex(where: { $0.id == check.categoryID }) {
            categories[i].checks.append(check)
        } else {
            categories.append(Category(id: check.categoryID, title: category?.title ?? check.categoryID, checks: [check]))
        }
        return rebuilt(categories: categories)
    }

    fileprivate func rebuilt(changing id: String, _ change: (inout Check) -> Void) -> Checklist {
        rebuilt(categories: categories.map { category in
            var category = category
            for i in category.checks.indices where category.checks[i].id == id { change(&category.checks[i]) }
            return category
        })
    }
}
