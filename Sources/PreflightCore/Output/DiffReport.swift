/// `preflight diff` output: text for a terminal, Markdown for a pull-request
/// comment or `$GITHUB_STEP_SUMMARY`, JSON for tools.
public struct DiffReport: Sendable {
    public enum Format: String, Sendable, CaseIterable {
        case text, markdown, json
    }

    public var comparison: Site.Comparison
    /// What each side is, in words: "main", "the working tree", a folder.
    public var base: String
    public var head: String
    public var asOf: Day
    /// Show the paths of each side's errors as the user named its site folder.
    public var formatters: (base: DiagnosticFormatter, head: DiagnosticFormatter)

    /// Markdown lists at most this many services and checklist edits, this
    /// many check ids per list, and stays under this many bytes: a GitHub
    /// comment holds 65,536 characters. Text and JSON list everything.
    public static let markdownRows = 100
    public static let markdownIDs = 12
    public static let markdownBudget = 60_000

    public init(
        comparison: Site.Comparison, base: String, head: String, asOf: Day,
        formatters: (base: DiagnosticFormatter, head: DiagnosticFormatter)
    ) {
        self.comparison = comparison
        self.base = base
        self.head = head
        self.asOf = asOf
        self.formatters = formatters
    }

    public func render(_ format: Format) -> String {
        switch format {
        case .text: return text()
        case .markdown: return markdown()
        case .json: return json().serialized()
        }
    }

    private var diff: ReadinessDiff { comparison.diff }

    /// "1 regression, 2 improved, 1 added, 4 unchanged", or "no change in 7 services".
    public var summary: String {
        var parts: [String] = []
        for kind in ReadinessDiff.ServiceChange.Kind.allCases {
            let n = diff.services.filter { $0.kind == kind }.count
            guard n > 0 else { continue }
            parts.append(kind == .regression ? (n == 1 ? "1 regression" : "\(n) regressions") : "\(n) \(kind.rawValue)")
        }
        if parts.isEmpty {
            return "no change in \(diff.unchanged) service\(diff.unchanged == 1 ? "" : "s")"
        }
        if diff.unchanged > 0 { parts.append("\(diff.unchanged) unchanged") }
        return parts.joined(separator: ", ")
    }

    // MARK: Text

    func text() -> String {
        var out = "Readiness as of \(asOf), \(visible(base)) → \(visible(head)): \(summary)\n"
        for change in diff.services {
            out += "\n" + heading(change) + "\n"
            if change.kind == .added || change.kind == .removed { continue }
            guard let b = change.before, let a = change.after else { continue }
            for (name, before, after) in figures(b, a, words: false) where before != after {
                out += "  \(name.padding(6)) \(visible(before)) → \(visible(after))"
                out += name == "status" ? " (\(visible(a.reason)))\n" : "\n"
            }
            for (label, ids) in moved(change) { out += "  \(label): \(ids.map(visible).joined(separator: ", "))\n" }
            for id in change.newlyOpen {
                if let reason = change.evidence[id] { out += "  evidence: \(visible(id)) \(visible(reason))\n" }
            }
        }
        if !diff.checklists.isEmpty {
            out += "\nChecklist changes:\n"
            for change in diff.checklists {
                out += "  \(visible(change.checklist)): \(describe(change, code: visible, word: visible))\(moves(change))\n"
            }
        }
        return out
    }

    private func heading(_ change: ReadinessDiff.ServiceChange) -> String {
        let name = visible(change.name == change.slug ? change.slug : "\(change.slug) (\(change.name))")
        switch change.kind {
        case .added:
            return "\(name): added: " + oneLine(change.after!)
        case .removed:
            return "\(name): removed: was " + oneLine(change.before!)
        case .regression:
            return "\(name): regression: " + change.regressions.map(\.label).joined(separator: ", ")
                + (change.baseHadErrors ? " (the base had errors here: not counted by --fail-on)" : "")
        case .improved, .changed:
            return "\(name): \(change.kind.rawValue)"
        }
    }

    private func oneLine(_ f: ReadinessDiff.Facts) -> String {
        var parts = [f.status.rawValue, f.level.map(visible) ?? "no level", f.score.map { "score \($0)" } ?? "no score"]
 if let target = f.target { parts.append("target \(visible(target)) " + (f.targetMet == true ? "met" : "not met")) }
        if f.stale { parts.append("stale") }
        return parts.joined(separator: ", ")
    }

    /// Each figure before and after, in the order the table shows them.
    private func figures(_ b: ReadinessDiff.Facts, _ a: ReadinessDiff.Facts, words: Bool) -> [(String, String, String)] {
        func status(_ s: Status) -> String { words ? s.label : s.rawValue }
        func target(_ f: ReadinessDiff.Facts) -> String {
            guard let t = f.target else { return words ? "—" : "none" }
            return "\(t) " + (f.targetMet == true ? "met" : "not met")
        }
        return [
            ("status", status(b.status), status(a.status)),
            ("level", b.level ?? (words ? "—" : "none"), a.level ?? (words ? "—" : "none")),
            ("score", b.score.map(String.init) ?? "—", a.score.map(String.init) ?? "—"),
            ("target", target(b), target(a)),
            ("stale", b.stale ? "yes" : "no", a.stale ? "yes" : "no"),
        ]
    }

    private func moved(_ change: ReadinessDiff.ServiceChange) -> [(String, [String])] {
        [("newly open", change.newlyOpen), ("newly done", change.newlyDone), ("newly waived", change.newlyWaived)]
            .filter { !$0.1.isEmpty }
    }

    /// "check sec-sbom added (required, Silver)", with ids passed through `code`.
    /// Values (level names, roles) pass through `word`.
    private func describe(_ change: ChecklistChange, code: (String) -> String, word: (String) -> String) -> String {
        let subject = change.subject.map(code) ?? ""
        let before = word(change.before ?? "none")
        let after = word(change.after ?? "none")
        switch change.kind {
        case .checklistAdded: return "checklist added"
        case .checklistRemoved: return "checklist removed"
        case .added: return "check \(subject) added (\(after))"
        case .removed: return "check \(subject) removed (was \(before))"
        case .level: return "check \(subject) level \(before) → \(after)"
        case .weight, .required, .every, .from: return "check \(subject): \(before) → \(after)"
        case .answeredBy: return "check \(subject) answered by \(before) → \(after)"
        case .levels: return "levels \(before) → \(after)"
        case .signoffAdded: return "sign-off by \(subject) now needed for \(after)"
        case .signoffRemoved: return "sign-off by \(subject) no longer needed for \(before)"
        }
    }

    private func moves(_ change: ChecklistChange) -> String {
        guard let n = change.servicesMoved else { return "" }
        return n == 1 ? ": moves 1 service" : ": moves \(n) services"
    }

    // MARK: Markdown

    func markdown() -> String {
        var out = "### Readiness: \(summary)\n\n"
        if !comparison.headErrors.isEmpty {
            out += "> **Error:** this change has \(plural(comparison.headErrors.count, "error")): the site would not build. "
                + "Run `preflight check` to see them.\n\n"
        }
        if !comparison.baseErrors.isEmpty {
            out += "> **Warning:** the base has \(plural(comparison.baseErrors.count, "error")); "
                + "it is compared as far as it could be read.\n\n"
        }
        // Each section stops where the whole would pass its share of the budget.
        func fits(_ text: String, within share: Int) -> Bool { out.utf8.count + text.utf8.count <= share }
        var rows = 0
        if !diff.services.isEmpty {
            out += "| Service | Change | Status | Level | Score | Target | Stale |\n"
            out += "|---|---|---|---|---|---|---|\n"
            for change in diff.services.prefix(Self.markdownRows) {
                let line = row(change) + "\n"
                guard fits(line, within: Self.markdownBudget * 3 / 4) else { break }
                out += line
                rows += 1
            }
            if diff.services.count > rows {
                out += "\n…and \(diff.services.count - rows) more: run `preflight diff` for the whole list.\n"
            }
            out += "\n"
        }
        let movedChecks = diff.services.prefix(rows).filter { !moved($0).isEmpty }
        if !movedChecks.isEmpty {
            out += "<details><summary>Checks that moved</summary>\n\n"
            var listed = 0
            for change in movedChecks {
                let lists = moved(change).map { label, ids in
                    let shown = ids.prefix(Self.markdownIDs).map { id in
                        code(id) + (change.evidence[id].map { " (" + escapeMarkdown(shortened($0)) + ")" } ?? "")
                    }.joined(separator: ", ")
                    return "\(label) " + shown + (ids.count > Self.markdownIDs ? " and \(ids.count - Self.markdownIDs) more" : "")
                }
                let line = "- **\(escapeMarkdown(shortened(change.name)))**: \(lists.joined(separator: "; "))\n"
                guard fits(line, within: Self.markdownBudget * 9 / 10) else { break }
                out += line
                listed += 1
            }
            if movedChecks.count > listed { out += "- …and \(movedChecks.count - listed) more services\n" }
            out += "\n</details>\n\n"
        }
        if !diff.checklists.isEmpty {
            out += "<details><summary>Checklist changes (\(diff.checklists.count))</summary>\n\n"
            out += "| Checklist | Change | Services moved |\n|---|---|---|\n"
            var listed = 0
            for change in diff.checklists.prefix(Self.markdownRows) {
                let line = "| \(code(change.checklist)) | \(describe(change, code: code, word: { escapeMarkdown(shortened($0)) })) | "
                    + "\(change.servicesMoved.map(String.init) ?? "—") |\n"
                guard fits(line, within: Self.markdownBudget - 1_000) else { break }
                out += line
                listed += 1
            }
            if diff.checklists.count > listed { out += "\n…and \(diff.checklists.count - listed) more.\n" }
            out += "\n</details>\n\n"
        }
        out += "<sub>As of \(asOf): \(escapeMarkdown(shortened(base))) → \(escapeMarkdown(shortened(head))). "
            + "Made by `preflight diff`.</sub>\n"
        return out
    }

    /// At most 80 characters of a name, for a table that must stay readable.
    private func shortened(_ text: String) -> String {
        text.count <= 80 ? text : String(text.prefix(79)) + "…"
    }

    private func row(_ change: ReadinessDiff.ServiceChange) -> String {
        let name = "\(escapeMarkdown(shortened(change.name))) \(code(change.slug))"
        var cells = [name]
        switch change.kind {
        case .added, .removed:
            cells.append(change.kind.rawValue)
            let facts = (change.after ?? change.before)!
            cells += figures(facts, facts, words: true).map { escapeMarkdown($0.2) }
        case .regression, .improved, .changed:
            let worse = Set(change.regressions)
            cells.append(change.kind == .regression
                ? "**regression**: " + change.regressions.map(\.label).joined(separator: ", ")
                    + (change.baseHadErrors ? " (the base had errors here: not counted)" : "")
                : change.kind.rawValue)
            let columns: [ReadinessDiff.Condition] = [.statusDrop, .levelDrop, .scoreDrop, .belowTarget, .stale]
            for ((_, before, after), condition) in zip(figures(change.before!, change.after!, words: true), columns) {
                let (b, a) = (escapeMarkdown(before), escapeMarkdown(after))
                cells.append(before == after ? a : worse.contains(condition) ? "\(b) → **\(a)**" : "\(b) → \(a)")
            }
        }
        return "| " + cells.joined(separator: " | ") + " |"
    }

    /// An id in a code span; ids are words, digits and dashes, but a service
    /// folder may be named anything (a pipe would end a table cell even in code).
    private func code(_ id: String) -> String {
        let id = shortened(id)
        return id.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value < 0x7F && $0 != "`" && $0 != "|" })
            ? "`\(id)`" : escapeMarkdown(id)
    }

    // MARK: JSON

    func json() -> JSONValue {
        func facts(_ f: ReadinessDiff.Facts?) -> JSONValue {
            guard let f else { return .null }
            return .object([
                ("status", .string(f.status.rawValue)),
                ("status_reason", .string(f.reason)),
                ("level", f.level.map(JSONValue.string) ?? .null),
                ("score", f.score.map(JSONValue.int) ?? .null),
                ("target", f.target.map(JSONValue.string) ?? .null),
                ("target_met", f.targetMet.map(JSONValue.bool) ?? .null),
                ("stale", .bool(f.stale)),
            ])
        }
        func strings(_ list: [String]) -> JSONValue { .array(list.map(JSONValue.string)) }
        var counts = ReadinessDiff.ServiceChange.Kind.allCases.map { kind in (kind.rawValue, JSONValue.int(diff.services.filter { $0.kind == kind }.count)) }
        counts.append(("unchanged", .int(diff.unchanged)))
        let errors = comparison.baseErrors.map { ("base", formatters.base.fields($0)) }
            + comparison.headErrors.map { ("head", formatters.head.fields($0)) }
        return .object([
            ("format", .int(1)),
            ("as_of", .string(asOf.description)),
            ("base", .string(base)),
            ("head", .string(head)),
            ("summary", .object(counts)),
            ("services", .array(diff.services.map { change in
                .object([
                    ("slug", .string(change.slug)),
                    ("name", .string(change.name)),
                    ("change", .string(change.kind.rawValue)),
                    ("regressions", strings(change.regressions.map(\.rawValue))),
                    ("base_had_errors", .bool(change.baseHadErrors)),
                    ("before", facts(change.before)),
                    ("after", facts(change.after)),
                    ("newly_done", strings(change.newlyDone)),
                    ("newly_open", strings(change.newlyOpen)),
                    ("newly_waived", strings(change.newlyWaived)),
                    ("evidence", .object(change.newlyOpen.compactMap { id in
                        change.evidence[id].map { (id, JSONValue.string($0)) }
                    })),
                ])
            })),
            ("checklists", .array(diff.checklists.map { change in
                .object([
                    ("checklist", .string(change.checklist)),
                    ("change", .string(change.kind.rawValue)),
                    ("subject", change.subject.map(JSONValue.string) ?? .null),
                    ("before", change.before.map(JSONValue.string) ?? .null),
                    ("after", change.after.map(JSONValue.string) ?? .null),
                    ("services_moved", change.servicesMoved.map(JSONValue.int) ?? .null),
                ])
            })),
            ("errors", .array(errors.map { side, fields in
                .object([("side", .string(side))] + fields)
            })),
        ])
    }

    /// Names and ids as a terminal should show them: control characters escaped.
    private func visible(_ s: String) -> String { DiagnosticFormatter.visible(s) }

    private func plural(_ n: Int, _ word: String) -> String { n == 1 ? "1 \(word)" : "\(n) \(word)s" }
}

extension String {
    fileprivate func padding(_ width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }
}
