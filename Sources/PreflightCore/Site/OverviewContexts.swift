/// Contexts of the organisation view: campaigns, readiness over time, the
/// teams index with its heat map, and what each review changed.
extension PageContexts {
    // MARK: Campaigns

    func campaigns() -> [String: Any] {
        var context = common(root: Self.root(for: SiteModel.campaignsURL))
        let rows = model.campaigns.map { campaignSummary($0.campaign, $0.progress) }
        context["campaigns"] = rows
        context["has_campaigns"] = !rows.isEmpty
        context["calendar_url"] = SiteModel.calendarPath
        return context
    }

    /// One campaign as listings show it: status, deadline, progress.
    func campaignSummary(_ campaign: Campaign, _ progress: CampaignProgress) -> [String: Any] {
        let (met, total) = (progress.met.count, progress.inScope.count)
        return fields([
            "id": campaign.id, "title": campaign.title, "url": SiteModel.campaignURL(campaign.id),
            "owner": campaign.owner, "deadline": campaign.deadline.description,
            "status": progress.status.rawValue, "status_label": progress.status.label,
            "when": deadlineWords(campaign.deadline, progress.status),
            "met": met, "in_scope": total, "percent": percent(met, of: total),
            "goal": campaign.goal.description, "scope": campaign.scope.description,
        ])
    }

    func campaign(_ campaign: Campaign, _ progress: CampaignProgress) -> [String: Any] {
        var context = common(root: Self.root(for: SiteModel.campaignURL(campaign.id)))
        var summary = campaignSummary(campaign, progress)
        summary["html"] = campaign.html
        summary["extra"] = campaign.extra.map(templateValue) ?? Absent()
        // The goal's checks with their words, from the first checklist that has each.
        let lists = model.content.checklists
        let goalChecks: [[String: Any]] = campaign.goal.checks.map { id in
            ["id": id, "html": lists.lazy.compactMap { $0.check(id: id)?.html }.first ?? escapeHTML(id)]
        }
        summary["goal_level"] = campaign.goal.level ?? Absent()
        summary["goal_checks"] = goalChecks
        summary["has_goal_checks"] = !goalChecks.isEmpty

        // Progress per team (services without an owner together), fewest met first.
        let metSet = Set(progress.met)
        var perTeam: [String: (name: String, url: String?, met: Int, total: Int)] = [:]
        for slug in progress.inScope {
            let owner = model.servicesBySlug[slug]?.owner
            let key = owner.map(SiteModel.teamSlug) ?? ""
            var row = perTeam[key] ?? (owner ?? "No owner", owner.map { SiteModel.teamURL(owner: $0) }, 0, 0)
            row.total += 1
            if metSet.contains(slug) { row.met += 1 }
            perTeam[key] = row
        }
        summary["teams"] = perTeam.sorted { a, b in
            let (pa, pb) = (Double(a.value.met) / Double(a.value.total), Double(b.value.met) / Double(b.value.total))
            return pa != pb ? pa < pb : a.key < b.key
        }.map { _, row in
            fields([
                "name": row.name, "url": row.url, "met": row.met, "in_scope": row.total,
                "percent": percent(row.met, of: row.total),
            ])
        }
        summary["has_teams"] = !perTeam.isEmpty

        let missing: [[String: Any]] = progress.missing.map { lack in
            let service = model.servicesBySlug[lack.slug]
            let checklist = model.readiness[lack.slug]?.checklist.flatMap { model.checklists[$0] }
            return fields([
                "name": service?.name ?? lack.slug, "url": SiteModel.serviceURL(lack.slug),
                "owner": service?.owner, "team_url": service?.owner.map { SiteModel.teamURL(owner: $0) },
                "summary": lack.summary, "unreviewed": lack.unreviewed,
                "checks": lack.checks.map { id in
                    ["id": id, "html": checklist?.check(id: id)?.html ?? escapeHTML(id)] as [String: Any]
                },
                "has_checks": !lack.checks.isEmpty,
            ])
        }
        summary["missing"] = missing
        summary["has_missing"] = !missing.isEmpty
        summary["met_services"] = progress.met.map { slug in
            ["name": model.servicesBySlug[slug]?.name ?? slug, "url": SiteModel.serviceURL(slug)]
        }
        summary["has_met"] = !progress.met.isEmpty

        let points = progress.burnUp.map { (date: $0.date, met: $0.met) }
        summary["burnup_svg"] = Charts.burnUp(
            points: points, inScope: progress.inScope.count, deadline: campaign.deadline, today: model.buildDate,
            title: "Services meeting the goal over time, out of \(progress.inScope.count), deadline \(campaign.deadline)")
        // A long history is listed month by month (the last point of each), the build date last.
        var rows = progress.burnUp
        if rows.count > Self.maxBurnUpRows {
            rows = rows.enumerated().filter { i, point in
                i == rows.count - 1 || point.date.description.prefix(7) != rows[i + 1].date.description.prefix(7)
            }.map(\.element)
        }
        summary["burnup"] = rows.map { ["date": $0.date.description, "met": $0.met] as [String: Any] }
        summary["burnup_monthly"] = rows.count < progress.burnUp.count
        context["campaign"] = summary
        return context
    }

    /// A burn-up with more points than this is listed month by month.
    static let maxBurnUpRows = 60

    /// "12 days left", "due today", "5 days overdue"; "done" once every service meets it.
    func deadlineWords(_ deadline: Day, _ status: CampaignProgress.Status) -> String {
        let left = model.buildDate.days(until: deadline)
        if status == .done { return "done" }
        if left > 0 { return "\(plural(left, "day")) left" }
        if left == 0 { return "due today" }
        return "\(plural(-left, "day")) overdue"
    }

    /// The campaigns a service is in, and whether it meets each.
    func serviceCampaigns(_ slug: String) -> [[String: Any]] {
        model.campaigns.compactMap { campaign, progress in
            let (inScope, lack) = progress.standing(of: slug)
            guard inScope else { return nil }
            return fields([
                "title": campaign.title, "url": SiteModel.campaignURL(campaign.id),
                "deadline": campaign.deadline.description, "goal": campaign.goal.description,
                "meets": lack == nil, "lacks": lack?.summary,
                "status": progress.status.rawValue, "status_label": progress.status.label,
            ])
        }
    }

    // MARK: Readiness over time

    /// The dashboard's history: a chart by status and one by level, month by
    /// month, with the same figures as tables.
    func historyContext() -> Any {
        let months = model.history
        guard !months.isEmpty else { return Absent() }
        let labels = months.map(\.label)
        let statusSeries = Status.allCases.map { Charts.Series(name: $0.label, cssClass: "s-\($0.rawValue)") }
        let levels = levelNames()
        let levelSeries = levels.enumerated().map { i, name in
            Charts.Series(name: name ?? "No level", cssClass: name == nil ? "s-level-none" : "s-level-\(i % 6)")
        }
        let levelValues = months.map { month in levels.map { month.levels[$0] ?? 0 } }
        let count = months.last.map { $0.statuses.reduce(0, +) } ?? 0
        return [
            "status_svg": Charts.stackedColumns(
                labels: labels, values: months.map(\.statuses), series: statusSeries,
                title: "Services by status at the end of each month, \(labels.first!) to \(labels.last!)"),
            "level_svg": Charts.stackedColumns(
                labels: labels, values: levelValues, series: levelSeries,
                title: "Services by level at the end of each month, \(labels.first!) to \(labels.last!)"),
            "status_legend": statusSeries.map { ["name": $0.name, "class": $0.cssClass] },
            "level_legend": levelSeries.map { ["name": $0.name, "class": $0.cssClass] },
            "status_names": statusSeries.map(\.name),
            "level_names": levelSeries.map(\.name),
            "months": months.reversed().map { month in
                [
                    "label": month.label, "as_of": month.asOf.description,
                    "statuses": month.statuses, "levels": levels.map { month.levels[$0] ?? 0 },
                ] as [String: Any]
            },
            "service_count": count,
        ] as [String: Any]
    }

    /// Every level name of the site's checklists in ladder order (each once),
    /// then nil for "no level".
    func levelNames() -> [String?] {
        var names: [String?] = []
        var seen: Set<String> = []
        for checklist in model.content.checklists {
            for level in checklist.levels where seen.insert(level).inserted { names.append(level) }
        }
        return names + [nil]
    }

    /// A service's scores with their review dates, as a chart with an axis.
    func trendChart(_ slug: String) -> [(date: Day, score: Int)] {
        (model.reviews[slug] ?? []).compactMap { review in
            model.reviewReadiness[review].map { (review.date, $0.score) }
        }
    }

    // MARK: Teams

    func teams() -> [String: Any] {
        var context = common(root: Self.root(for: SiteModel.teamsURL))
        // A team's sub-teams follow it, indented: each parent's figures roll up theirs.
        var ordered: [(team: SiteModel.Team, depth: Int)] = []
        func visit(_ team: SiteModel.Team, depth: Int) {
            guard !team.services.isEmpty, depth <= 16 else { return }
            ordered.append((team, depth))
            for child in team.children { if let sub = model.team(slug: child) { visit(sub, depth: depth + 1) } }
        }
        for team in model.teams where team.parent.flatMap(model.team(slug:)) == nil { visit(team, depth: 0) }
        let rows: [[String: Any]] = ordered.map { team, depth in
            let figures = teamFigures(team)
            let below = team.services.filter { model.readiness[$0]?.belowTarget == true }.count
            let actions = openActions(of: team).count
            return fields([
                "name": team.name, "url": SiteModel.teamURL(slug: team.slug), "service_count": team.services.count,
                "depth": depth, "is_sub_team": depth > 0 ? true : nil,
                "parent_name": team.parent.flatMap { model.team(slug: $0)?.name },
                "rolled_up": team.ownCount < team.services.count ? true : nil, "own_count": team.ownCount,
                "services_words": plural(team.services.count, "service"),
                "counts": figures.counts,
                "ready": figures.byStatus[.ready] ?? 0, "not_ready": figures.byStatus[.notReady] ?? 0,
                "average_score": figures.averageScore,
                "below_target": below, "actions_open": actions,
                "calendar_url": SiteModel.teamCalendarPath(slug: team.slug),
            ])
        }
        context["teams"] = rows
        context["has_teams"] = !rows.isEmpty
        // Owners of action items who own no service: people, or teams named
        // only in reviews. Each has a page with what is assigned to them.
        let assignees: [[String: Any]] = model.teams.filter { $0.services.isEmpty }.map { team in
            let open = openActions(of: team).count
            return [
                "name": team.name, "url": SiteModel.teamURL(slug: team.slug), "actions_open": open,
                "actions_words": plural(open, "open action item"),
            ]
        }
        context["assignees"] = assignees
        context["has_assignees"] = !assignees.isEmpty
        let unowned = model.content.services.filter { $0.owner == nil }.count
        context["unowned"] = unowned == 0 ? Absent() : plural(unowned, "service") as Any
        context["unowned_verb"] = unowned == 1 ? "is" : "are"
        let maps = model.content.checklists.compactMap(heatMap)
        context["heatmaps"] = maps
        context["has_heatmaps"] = !maps.isEmpty
        return context
    }

    /// A team's services per status (as `{status, label, count}` for the
    /// statuses present, and by status) and their mean score, halves
    /// rounding up as everywhere else (nil when none has a score).
    func teamFigures(_ team: SiteModel.Team) -> (counts: [[String: Any]], byStatus: [Status: Int], averageScore: Int?) {
        var byStatus: [Status: Int] = [:]
        for slug in team.services { byStatus[model.readiness[slug]!.status, default: 0] += 1 }
        let scores = team.services.compactMap { model.readiness[$0]?.score }
        let counts = Status.allCases.filter { byStatus[$0] != nil }.map {
            ["status": $0.rawValue, "label": $0.label, "count": byStatus[$0]!] as [String: Any]
        }
        return (counts, byStatus, scores.isEmpty ? nil : (2 * scores.reduce(0, +) + scores.count) / (2 * scores.count))
    }

    /// Whether any team has a service whose latest review answers `checklist`
    /// (the checklist page links to its heat map only then), without building it.
    func hasHeatMap(_ checklist: Checklist) -> Bool {
        model.teams.contains { team in
            team.services.contains { model.readiness[$0]?.checklist == checklist.id && model.readiness[$0]?.latest != nil }
        }
    }

    /// Teams × the checklist's categories: each cell the share of counted
    /// checks done across the team's services whose latest review answers
    /// this checklist (waived and upcoming checks left out), worst team first.
    /// Nil when no team has such a service.
    func heatMap(_ checklist: Checklist) -> [String: Any]? {
        struct Row {
            var team: SiteModel.Team
            var done: [Int]
            var open: [Int]
            var services = 0
            var share: Double { let t = done.reduce(0, +) + open.reduce(0, +); return t == 0 ? 1 : Double(done.reduce(0, +)) / Double(t) }
        }
        let categories = checklist.categories
        var rows: [Row] = []
        for team in model.teams {
            var row = Row(team: team, done: Array(repeating: 0, count: categories.count), open: Array(repeating: 0, count: categories.count))
            for slug in team.services {
                guard let r = model.readiness[slug], r.checklist == checklist.id, r.latest != nil else { continue }
                row.services += 1
                for (i, category) in r.categories.enumerated() where i < categories.count && category.id == categories[i].id {
                    row.done[i] += category.done
                    row.open[i] += category.open
                }
            }
            if row.services > 0 { rows.append(row) }
        }
        guard !rows.isEmpty else { return nil }
        rows.sort { $0.share != $1.share ? $0.share < $1.share : $0.team.slug < $1.team.slug }
        return [
            "id": checklist.id, "title": checklist.title, "url": SiteModel.checklistURL(checklist.id),
            "anchor": "heatmap-" + checklist.id,
            "categories": categories.map { ["title": $0.title, "id": $0.id] },
            "rows": rows.map { row in
                [
                    "name": row.team.name, "url": SiteModel.teamURL(slug: row.team.slug),
                    "services_words": plural(row.services, "service"),
                    "total": percent(row.done.reduce(0, +), of: row.done.reduce(0, +) + row.open.reduce(0, +)).map { "\($0)%" } ?? "—",
                    "cells": zip(row.done, row.open).enumerated().map { i, counts in
                        let (done, open) = counts
                        let share = percent(done, of: done + open)
                        return [
                            "text": share.map { "\($0)%" } ?? "—",
                            "class": share.map { "heat-\(min($0 / 20, 4))" } ?? "heat-none",
                            "title": "\(row.team.name), \(categories[i].title): \(done) of \(plural(done + open, "check")) done",
                        ] as [String: Any]
                    },
                ] as [String: Any]
            },
        ] as [String: Any]
    }

    // MARK: What a review changed

    func changesContext(_ review: Review) -> Any {
        guard let changes = model.changes(of: review), let previous = changes.previous else { return Absent() }
        let checklist = model.checklists[review.checklist]
        // Each check's line is built here, as `item_html` is: a review can
        // move dozens of checks, and every template tag costs a lookup.
        func moved(_ list: [ReviewChanges.Moved], as state: String) -> [[String: Any]] {
            list.map { m in
                let html = checklist?.check(id: m.id)?.html ?? escapeHTML(m.id)
                let was = m.was?.rawValue ?? "not in the checklist"
                var line = "<span class=\"state state-\(state)\">\(state)</span> "
                if m.isRegression && state == "open" { line += "<span class=\"regression\">regression</span> " }
                line += "<code>" + escapeHTML(m.id) + "</code>: " + html + " <span class=\"was\">(was " + was + ")</span>"
                return [
                    "id": m.id, "html": html, "was": was, "regression": m.isRegression, "line_html": line,
                ]
            }
        }
        let before = model.reviews[review.service]?.first { $0.name == previous.name }
        let switched = before.flatMap { $0.checklist == review.checklist ? nil : model.checklists[$0.checklist]?.title }
        return fields([
            "checklist_before": switched,
            "previous_date": previous.date.description,
            "previous_url": SiteModel.reviewURL(service: review.service, name: previous.name),
            "score_before": changes.scoreBefore, "score_after": changes.scoreAfter,
            "score_changed": changes.scoreBefore != changes.scoreAfter,
            "level_before": changes.levelBefore ?? "none", "level_after": changes.levelAfter ?? "none",
            "level_changed": changes.levelBefore != changes.levelAfter,
            "done": moved(changes.newlyDone, as: "done"), "has_done": !changes.newlyDone.isEmpty,
            "open": moved(changes.newlyOpen, as: "open"), "has_open": !changes.newlyOpen.isEmpty,
            "waived": moved(changes.newlyWaived, as: "waived"), "has_waived": !changes.newlyWaived.isEmpty,
            "unwaived_count": changes.unwaived.count,
            "nothing_moved": changes.newlyDone.isEmpty && changes.newlyOpen.isEmpty && changes.newlyWaived.isEmpty,
            "summary": changes.summary,
        ])
    }

    // MARK: Words and numbers

    /// round-half-up percentage; nil when there is nothing to count.
    func percent(_ part: Int, of total: Int) -> Int? {
        total == 0 ? nil : Readiness.score(done: part, open: total - part)
    }
}
