/// Contexts of the pages that list across services: checklists (with their
/// service-by-check matrix), teams, open action items, free pages and 404.
extension PageContexts {
    func checklist(_ checklist: Checklist) -> [String: Any] {
        let url = SiteModel.checklistURL(checklist.id)
        var context = common(root: Self.root(for: url))
        context["checklist"] = fields([
            "id": checklist.id, "title": checklist.title, "description": checklist.description,
            "levels": checklist.levels, "has_levels": !checklist.levels.isEmpty,
            "signoffs": checklist.signoffs.map { ["role": $0.role, "level": $0.level] },
            "has_signoffs": !checklist.signoffs.isEmpty,
            "intro_html": checklist.introHTML,
            "body_html": bodyHTML(checklist),
            "matrix": matrix(checklist),
            "heatmap_url": hasHeatMap(checklist) ? SiteModel.teamsURL + "#heatmap-" + checklist.id : nil,
            "categories": checklist.categories.map { category in
                [
                    "id": category.id, "title": category.title,
                    "checks": category.checks.map { check in
                        fields([
                            "id": check.id, "text": check.text, "html": check.html, "required": check.required,
                            "level": check.level, "weight": check.weight, "weighted": check.weight != 1,
                            "every": check.every, "from": check.from?.description,
                            "upcoming": check.isUpcoming(on: model.buildDate),
                            "guidance_html": check.guidanceHTML.isEmpty ? nil : check.guidanceHTML,
                        ])
                    },
                ] as [String: Any]
            },
        ])
        return context
    }

    func page(_ page: FreePage) -> [String: Any] {
        var context = common(root: Self.root(for: SiteModel.pageURL(page.slug)))
        context["page"] = fields([
            "slug": page.slug, "title": page.title, "html": page.html, "extra": page.extra.map(templateValue),
        ])
        return context
    }

    /// The whole checklist as written, each check shown in place: its id, its
    /// text and its marks on one line, an anchor for the matrix to link to.
    /// (Guidance stays where the writer put it, under the check.)
    func bodyHTML(_ checklist: Checklist) -> String {
        let html = checklist.bodyHTML
        var out = ""
        out.reserveCapacity(html.utf8.count + checklist.checks.count * 120)
        var rest = Substring(html)
        while let open = rest.firstIndex(of: "\u{E000}") {
            out += rest[..<open]
            let after = rest[rest.index(after: open)...]
            guard let close = after.firstIndex(of: "\u{E001}"), let slot = Int(after[..<close]),
                checklist.slots.indices.contains(slot)
            else {
                // Not one of ours (a writer typed the character): keep it.
                out += "\u{E000}"
                rest = after
                continue
            }
            rest = after[after.index(after: close)...]
            if let id = checklist.slots[slot], let check = checklist.check(id: id) {
                out += checkLine(check)
            }
        }
        out += rest
        return out
    }

    private func checkLine(_ check: Checklist.Check) -> String {
        var line = "<p class=\"check\" id=\"check-\(escapeHTML(check.id))\"><code>\(escapeHTML(check.id))</code> "
        line += check.html
        if check.required { line += " <span class=\"required\">required</span>" }
        if let level = check.level { line += " <span class=\"level\">" + escapeHTML(level) + "</span>" }
        if check.weight != 1 { line += " <span class=\"weight\">weight \(check.weight)</span>" }
        if check.auto {
            line += " <span class=\"answered-by\">auto: answered by CI evidence"
                + (check.every.map { ", at most \($0) days old" } ?? "") + "</span>"
        } else if let rule = check.rule {
            line += " <span class=\"answered-by\">rule: <code>" + escapeHTML(rule.description) + "</code></span>"
        } else if let every = check.every {
            line += " <span class=\"every\">re-confirm every \(every) days</span>"
        }
        if let from = check.from {
            let words = check.isUpcoming(on: model.buildDate) ? "counts from" : "since"
            line += " <span class=\"upcoming\">\(words) \(from)</span>"
        }
        return line + "</p>"
    }

    /// The 404 page is served at any depth, so its links start from the base path.
    func notFound() -> [String: Any] {
        common(root: model.config.basePath)
    }


    /// Services × checks: how each service that answers this checklist stands on
    /// every check, from its latest review (unreviewed services: all unanswered).
    func matrix(_ checklist: Checklist) -> [String: Any] {
        // A cell's content is built here, not in the template: a 2,000-service
        // matrix has 80,000 cells, and each template tag costs a lookup.
        let symbols: [CheckState.State: String] = [
            .done: "✓", .open: "✗", .waived: "~", .unanswered: "·", .expired: "!", .upcoming: "–",
        ]
        // Columns by category, as the checklist groups them.
        let checks = checklist.categories.flatMap(\.checks)
        let answering = worstFirst(model.content.services).compactMap { service -> (Service, ServiceReadiness)? in
            let r = model.readiness[service.slug]!
            return r.checklist == checklist.id ? (service, r) : nil
        }
        // Rows are made as the template reaches them: 20,000 services × 40
        // checks would otherwise hold 800,000 cell contexts at once.
        let rows = LazyList(answering) { service, r -> Any in
            let states = Dictionary(uniqueKeysWithValues: (r.latest?.checks ?? []).map { ($0.id, $0.state) })
            let cells: [[String: Any]] = checks.map { check in
                let state = states[check.id] ?? .unanswered
                // Cells that evidence or a rule answers are marked apart (a
                // dotted outline, and words for screen readers).
                let source = check.auto ? " (from evidence)" : check.rule != nil ? " (by rule)" : ""
                return [
                    "state": state.rawValue, "auto": !source.isEmpty,
                    "title": "\(service.name) · \(check.id): \(state.rawValue)\(source)",
                    "html": "<span aria-hidden=\"true\">\(symbols[state]!)</span><span class=\"visually-hidden\">"
                        + "\(escapeHTML(check.id)): \(state.rawValue)\(source)</span>",
                ]
            }
            return [
                "name": service.name, "url": SiteModel.serviceURL(service.slug), "cells": cells,
                "status": r.status.rawValue, "status_label": r.status.label,
            ] as [String: Any]
        }
        return [
            "checks": checks.map {
                [
                    "id": $0.id, "text": $0.text, "required": $0.required,
                    "auto": $0.auto || $0.rule != nil,
                ] as [String: Any]
            },
            "has_auto": checks.contains { $0.auto || $0.rule != nil },
            "categories": checklist.categories.filter { !$0.checks.isEmpty }.map {
                ["title": $0.title, "span": $0.checks.count] as [String: Any]
            },
            "rows": rows,
            "has_rows": !rows.isEmpty,
        ]
    }

    func team(_ team: SiteModel.Team) -> [String: Any] {
        var context = common(root: Self.root(for: SiteModel.teamURL(slug: team.slug)))
        let rows: [[String: Any]] = worstFirst(team.services.compactMap { model.servicesBySlug[$0] }).map {
            serviceSummary($0, model.readiness[$0.slug]!)
        }
        let figures = teamFigures(team)
        let actions = openActions(of: team)
        let below = team.children.compactMap(model.team(slug:)).filter { !$0.services.isEmpty }
        let subTeams: [[String: Any]] = below.enumerated().map { i, sub in
            [
                "name": sub.name, "url": SiteModel.teamURL(slug: sub.slug), "services_words": plural(sub.services.count, "service"),
                "last": i == below.count - 1,
            ]
        }
        context["team"] = fields([
            "parent": team.parent.flatMap(model.team(slug:)).map { ["name": $0.name, "url": SiteModel.teamURL(slug: $0.slug)] },
            "sub_teams": subTeams, "has_sub_teams": !subTeams.isEmpty,
            "slug": team.slug, "name": team.name, "services": rows, "service_count": rows.count,
            "service_count_words": plural(rows.count, "service"), "has_services": !rows.isEmpty,
            "counts": figures.counts, "average_score": figures.averageScore,
            "actions": actions, "has_actions": !actions.isEmpty,
            "calendar_url": SiteModel.teamCalendarPath(slug: team.slug),
        ])
        context["hide_owner"] = true
        return context
    }

    /// Every open action item of every service's latest review.
    func actions() -> [String: Any] {
        var context = common(root: Self.root(for: SiteModel.actionsURL))
        let items = openActions()
        context["actions"] = items
        context["has_actions"] = !items.isEmpty
        context["overdue_count"] = items.filter { $0["overdue"] as? Bool == true }.count
        return context
    }

    /// A team's open action items: those of its services and those
    /// assigned to it (`@owner`) in any other service's review.
    func openActions(of team: SiteModel.Team) -> [[String: Any]] {
        let services = Set(team.services)
        return openActions(in: model.reach(of: team).compactMap { model.servicesBySlug[$0] }) { service, item in
            services.contains(service.slug) || SiteModel.isAssigned(item, to: team.slug)
        }
    }

    /// Open action items of `services` (every service when nil), overdue
    /// first, then by due date (undated last), then by service and line.
    func openActions(
        in services: [Service]? = nil, where include: (Service, Review.ActionItem) -> Bool = { _, _ in true }
    ) -> [[String: Any]] {
        var items: [(Review.ActionItem, Service, Review)] = []
        for service in services ?? model.content.services {
            guard let reviews = model.reviews[service.slug], let latest = reviews.last else { continue }
            for item in latest.actionItems where !item.done && include(service, item) { items.append((item, service, latest)) }
        }
        let today = model.buildDate
        items.sort { a, b in
            let (ao, bo) = (a.0.isOverdue(on: today), b.0.isOverdue(on: today))
            if ao != bo { return ao }
            switch (a.0.due, b.0.due) {
            case let (x?, y?) where x != y: return x < y
            case (.some, nil): return true
            case (nil, .some): return false
            default: return (a.1.slug, a.0.line) < (b.1.slug, b.0.line)
            }
        }
        return items.map { item, service, review in
            var context = actionItemContext(item)
            context["service_name"] = service.name
            context["service_url"] = SiteModel.serviceURL(service.slug)
            context["review_url"] = SiteModel.reviewURL(review)
            context["review_date"] = review.date.description
            return context
        }
    }
}
