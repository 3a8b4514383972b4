/// `readiness.json` and `readiness.csv`: one row per service, sorted by slug.
public enum ReadinessExport {
    public struct Row: Sendable {
        public var service: Service
        public var readiness: ServiceReadiness
        public var url: String
        /// Its `auto` and `rule=` checks on the build date, in checklist
        /// order (`SiteModel.answeredChecks`); `reviewed` false when they
        /// stand by evidence alone.
        public var answered: (states: [CheckState], reviewed: Bool) = ([], false)
    }

    /// `evidence` of one service (docs/format.md, "Where evidence shows").
    static func evidence(_ row: Row, on day: Day) -> JSONValue {
        .array(row.answered.states.map { state in
            let verdict = state.verdict
            let record = verdict?.record
            func text(_ s: String?) -> JSONValue { s.map(JSONValue.string) ?? .null }
            return .object([
                ("check", .string(state.id)),
                ("kind", text(verdict?.kind.rawValue)),
                ("state", row.answered.reviewed ? .string(state.state.rawValue) : .null),
                ("result", text(verdict?.kind == .rule ? (state.verdict?.state == .done ? "pass" : "fail") : record?.result.rawValue)),
                ("at", text(record?.at.text)),
                ("day", text(record?.day.description)),
                ("age_days", record.map { .int($0.age(on: day)) } ?? .null),
                ("source", text(record?.source)),
                ("note", text(record?.note)),
                ("holds_until", text(verdict?.holdsUntil?.description)),
                ("reason", text(state.verdictReason)),
            ])
        })
    }

    public static func json(
        _ rows: [Row], campaigns: [(campaign: Campaign, progress: CampaignProgress)] = [], title: String,
        baseURL: String, generated: Day
    ) -> String {
        // Written a service at a time: at 20,000 services the whole document
        // as one value was the largest thing a build held (issue 31).
        func service(_ row: Row) -> JSONValue {
            let r = row.readiness
            let s = row.service
            let head: [(String, JSONValue)] = [
                ("slug", .string(s.slug)),
                ("name", .string(s.name)),
                ("owner", s.owner.map(JSONValue.string) ?? .null),
                ("tier", s.tier.map(JSONValue.string) ?? .null),
                ("lifecycle", s.lifecycle.map(JSONValue.string) ?? .null),
                ("status", .string(r.status.rawValue)),
                ("status_reason", .string(r.reason)),
                ("stale", .bool(r.stale)),
                ("score", r.score.map(JSONValue.int) ?? .null),
                ("level", r.level.map(JSONValue.string) ?? .null),
                ("last_review", r.lastReview.map { .string($0.description) } ?? .null),
                ("checklist", r.checklist.map(JSONValue.string) ?? .null),
                ("url", .string(row.url)),
                ("trend", .array(r.trend.map(JSONValue.int))),
                ("open_required", .array(r.openRequired.map(JSONValue.string))),
                ("action_items_open", .int(r.actionItemsOpen)),
                ("signoffs_pending", .int(r.signoffsPending)),
                ("target", r.target.map(JSONValue.string) ?? .null),
                ("below_target", .bool(r.belowTarget)),
                ("next_level", r.nextLevel.map(JSONValue.string) ?? .null),
                ("to_next_level", .array(r.toNextLevel.map(JSONValue.string))),
                ("signoffs_to_next_level", .array(r.signoffsToNextLevel.map(JSONValue.string))),
            ]
            let tail: [(String, JSONValue)] = [
                ("waivers", .array(r.waivers.map { w in
                    .object([
                        ("check", .string(w.check)),
                        ("until", w.until.map { .string($0.description) } ?? .null),
                        ("by", w.by.map(JSONValue.string) ?? .null),
                        ("expired", .bool(w.expired)),
                    ])
                })),
                ("expired", .array(r.expired.map(JSONValue.string))),
                ("evidence", evidence(row, on: generated)),
                ("categories", .array(r.categories.map { c in
                    .object([
                        ("id", .string(c.id)),
                        ("title", .string(c.title)),
                        ("done", .int(c.done)),
                        ("open", .int(c.open)),
                        ("waived", .int(c.waived)),
                        ("score", .int(c.score)),
                        ("level", c.level.map(JSONValue.string) ?? .null),
                    ])
                })),
            ]
            return .object(head + tail)
        }
        var out = ""
        JSONValue.writeObject(
            [
                ("format", .value(.int(3))),
                ("generated", .value(.string(generated.description))),
                ("title", .value(.string(title))),
                ("base_url", .value(.string(baseURL))),
                ("services", .lazyArray(count: rows.count) { service(rows[$0]) }),
                ("campaigns", .value(.array(campaigns.map { campaign, progress in
                .object([
                    ("id", .string(campaign.id)),
                    ("title", .string(campaign.title)),
                    ("deadline", .string(campaign.deadline.description)),
                    ("status", .string(progress.status.rawValue)),
                    ("in_scope", .int(progress.inScope.count)),
                    ("met", .int(progress.met.count)),
                    ("missing", .array(progress.missing.map { .string($0.slug) })),
                ])
            }))),
            ], into: &out)
        out += "\n"
        return out
    }

    static let csvColumns = [
        "slug", "name", "owner", "tier", "lifecycle", "status", "stale", "score", "level", "last_review",
        "checklist", "url", "trend", "open_required", "action_items_open", "signoffs_pending",
        "target", "below_target", "next_level",
    ]

    /// RFC 4180 CSV. Lists (trend, open_required) are space-separated in one cell.
    public static func csv(_ rows: [Row]) -> String {
        var out = csvColumns.joined(separator: ",") + "\r\n"
        for row in rows {
            let r = row.readiness
            let s = row.service
            let cells: [String] = [
                cell(s.slug), cell(s.name), cell(s.owner ?? ""), cell(s.tier ?? ""), cell(s.lifecycle ?? ""),
                r.status.rawValue, r.stale ? "true" : "false", r.score.map(String.init) ?? "",
                cell(r.level ?? ""), r.lastReview?.description ?? "", cell(r.checklist ?? ""), cell(row.url),
                r.trend.map(String.init).joined(separator: " "), cell(r.openRequired.joined(separator: " ")),
                String(r.actionItemsOpen), String(r.signoffsPending),
                cell(r.target ?? ""), r.belowTarget ? "true" : "false", cell(r.nextLevel ?? ""),
            ]
            out += cells.joined(separator: ",") + "\r\n"
        }
        return out
    }

    /// Quotes a text cell, and defuses cells a spreadsheet would run as a formula.
    static func cell(_ text: String) -> String {
        var value = text
        if let first = value.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) {
            value = "'" + value
        }
        guard value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return value }
        return "\"" + value.replacing("\"", with: "\"\"") + "\""
    }
}
