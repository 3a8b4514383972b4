import Mustache

/// Builds the values each template receives (listed in docs/templates.md).
///
/// Contexts are plain dictionaries made inside the task that renders the page;
/// absent values are `Absent`, so `{{#key}}` sections work and never fall back
/// to a same-named key of an enclosing context.
struct PageContexts {
    let model: SiteModel

    /// Keys every page has: `site`, `root`, `generated`, `nav`.
    func common(root: String) -> [String: Any] {
        [
            "site": ["title": model.config.title, "base_url": model.config.baseURL] as [String: Any],
            "root": root,
            "generated": model.buildDate.description,
            "nav": [
                "checklists": model.content.checklists.map {
                    ["title": $0.title, "url": SiteModel.checklistURL($0.id)]
                },
                "pages": model.pages.map { ["title": $0.title, "url": SiteModel.pageURL($0.slug)] },
                // More than a few checklists or pages fold into a menu, so the
                // navigation stays one row on a phone.
                "checklists_menu": model.content.checklists.count > Self.navInline,
                "pages_menu": model.pages.count > Self.navInline,
                "actions_url": SiteModel.actionsURL,
                "campaigns_url": SiteModel.campaignsURL,
                "teams_url": SiteModel.teamsURL,
                "has_campaigns": !model.campaigns.isEmpty,
            ] as [String: Any],
            "calendar_url": SiteModel.calendarPath,
        ]
    }

    /// Checklists or free pages listed in the navigation one by one; more
    /// than this fold into a "Checklists" or "Pages" menu.
    static let navInline = 2

    /// `../` repeated once per folder level of `url` (a page's own folder URL);
    /// `./` at the top, so that no link or form action is ever empty.
    static func root(for url: String) -> String {
        let depth = url.split(separator: "/").count
        return depth == 0 ? "./" : String(repeating: "../", count: depth)
    }

    func dashboard() -> [String: Any] {
        var context = common(root: Self.root(for: ""))
        var counts: [Status: Int] = [:]
        var levelCounts: [String: Int] = [:]
        var noLevel = 0
        var (targetMet, belowTarget) = (0, 0)
        let ordered = worstFirst(model.content.services)
        for service in ordered {
            let r = model.readiness[service.slug]!
            counts[r.status, default: 0] += 1
            if let level = r.level { levelCounts[level, default: 0] += 1 } else { noLevel += 1 }
            if r.target != nil { if r.belowTarget { belowTarget += 1 } else { targetMet += 1 } }
        }
        let readiness = model.readiness
        context["services"] = LazyList(ordered) { serviceSummary($0, readiness[$0.slug]!) }
        context["service_count"] = ordered.count
        context["service_count_words"] = plural(ordered.count, "service")
        context["counts"] = Status.allCases.map {
            ["status": $0.rawValue, "label": $0.label, "count": counts[$0] ?? 0] as [String: Any]
        }
        let levels: [[String: Any]] = levelNames().compactMap { name in
            guard let name else {
                return noLevel == 0 ? nil : ["name": "No level", "value": "none", "count": noLevel]
            }
            guard let count = levelCounts[name] else { return nil }
            return ["name": name, "value": name, "count": count]
        }
        context["levels"] = levels
        context["has_levels"] = levels.contains { $0["value"] as? String != "none" }
        context["targets"] = fields([
            "met": targetMet, "below": belowTarget, "none": ordered.count - targetMet - belowTarget,
            "any": targetMet + belowTarget > 0 ? true : nil,
        ])
        let attention = attentionRows(ordered)
        context["attention"] = Array(attention.prefix(Self.attentionShown))
        context["has_attention"] = !attention.isEmpty
        context["attention_more"] = attention.count > Self.attentionShown
            ? plural(attention.count - Self.attentionShown, "more service") as Any : Absent()
        let services = model.content.services
        context["filters"] = [
            "statuses": Status.allCases.map { ["value": $0.rawValue, "label": $0.label] },
            "levels": levels.map { ["value": $0["value"]!, "label": $0["name"]!] },
            "owners": Set(services.compactMap(\.owner)).sorted().map { ["value": $0, "label": $0] },
            "tiers": Set(services.compactMap(\.tier)).sorted().map { ["value": $0, "label": $0] },
        ]
        context["history"] = historyContext()
        let campaigns = model.campaigns.map { campaignSummary($0.campaign, $0.progress) }
        context["campaigns"] = campaigns
        context["has_campaigns"] = !campaigns.isEmpty
        return context
    }

    /// How many services "Needs attention" lists; the table below has them all.
    static let attentionShown = 12

    /// Worst first: by status (not ready, unreviewed, in review, conditional,
    /// ready), below target before on target, lower score first, then name
    /// (in any case), then slug.
    func worstFirst(_ services: [Service]) -> [Service] {
        services.sorted { a, b in
            let (x, y) = (model.readiness[a.slug]!, model.readiness[b.slug]!)
            if x.status != y.status { return x.status.severity < y.status.severity }
            if x.belowTarget != y.belowTarget { return x.belowTarget }
            if x.score != y.score { return (x.score ?? -1) < (y.score ?? -1) }
            // Not the locale's order: the same site builds the same everywhere.
            let (m, n) = (a.name.lowercased(), b.name.lowercased())
            return m != n ? m < n : a.slug < b.slug
        }
    }

    /// "Who is not ready, why, and by when": every service that is not
    /// ready, worst first, with its reason and its nearest dated deadline:
    /// the calendar's dates for it (open action items, waivers and answers
    /// running out, the re-review) and the deadline of each campaign it does
    /// not yet meet. `worstFirst`: every service, in `worstFirst(_:)` order.
    func attentionRows(_ worstFirst: [Service]) -> [[String: Any]] {
        let words = [
            "action item": "action item due", "waiver": "waiver ends", "re-confirm": "answer runs out", "evidence": "evidence runs out",
            "re-review": "re-review due",
        ]
        return worstFirst.compactMap { service in
            let r = model.readiness[service.slug]!
            guard r.status != .ready else { return nil }
            var deadlines: [(day: Day, what: String)] = Export.deadlines(of: service, model: model).map {
                ($0.day, words[$0.category] ?? $0.category)
            }
            for (campaign, progress) in model.campaigns {
                let (inScope, lack) = progress.standing(of: service.slug)
                if inScope, lack != nil { deadlines.append((campaign.deadline, "campaign " + campaign.title)) }
            }
            let next = deadlines.min { $0.day < $1.day }
            return fields([
                "name": service.name, "url": SiteModel.serviceURL(service.slug), "owner": service.owner,
                "team_url": service.owner.map { SiteModel.teamURL(owner: $0) },
                "status": r.status.rawValue, "status_label": r.status.label,
                "reason_html": reasonHTML(service, r),
                "by": next?.day.description, "by_what": next?.what,
                "overdue": next.map { $0.day < model.buildDate } ?? false ? true : nil,
            ])
        }
    }

    func serviceSummary(_ service: Service, _ r: ServiceReadiness) -> [String: Any] {
        fields([
            "slug": service.slug, "name": service.name, "url": SiteModel.serviceURL(service.slug),
            "owner": service.owner, "team_url": service.owner.map { SiteModel.teamURL(owner: $0) }, "tier": service.tier,
            "lifecycle": service.lifecycle,
            "status": r.status.rawValue, "status_label": r.status.label, "reason": r.reason,
            "reason_html": reasonHTML(service, r),
            "status_rank": r.status.severity, "level_value": r.level ?? "none",
            "score": r.score, "has_score": r.score != nil, "score_sort": r.score, "level": r.level,
            "level_sort": levelRank(r.level, of: r), "target": r.target,
            "target_sort": levelRank(r.target, of: r), "below_target": r.belowTarget,
            "last_review": r.lastReview?.description, "stale": r.stale,
            "badge_url": SiteModel.badgeURL(service.slug),
        ])
    }

    func service(_ service: Service) -> [String: Any] {
        let url = SiteModel.serviceURL(service.slug)
        var context = common(root: Self.root(for: url))
        let r = model.readiness[service.slug]!
        context["service"] = fields([
            "slug": service.slug, "name": service.name, "owner": service.owner, "tier": service.tier,
            // A catalog group's display name; the owner as written otherwise.
            "owner_name": service.owner.map { owner in model.content.catalog.groups[SiteModel.teamSlug(owner)]?.name ?? owner },
            "system": service.system.map { model.content.catalog.systems[$0] ?? $0 },
            "team_url": service.owner.map { SiteModel.teamURL(owner: $0) }, "lifecycle": service.lifecycle, "tags": service.tags, "has_tags": !service.tags.isEmpty,
            "links": service.links.map { ["label": $0.label, "url": $0.url] },
            "has_links": !service.links.isEmpty, "html": service.html, "extra": service.extra.map(templateValue),
        ])

        var readiness = serviceSummary(service, r)
        readiness["trend"] = r.trend
        readiness["trend_text"] = r.trend.map(String.init).joined(separator: ", ")
        if let svg = sparkline(r.trend) { readiness["trend_svg"] = svg }
        let dated = trendChart(service.slug)
        if dated.count >= 2, let chart = Charts.trend(points: dated, title: "Score per review, \(dated.first!.date) to \(dated.last!.date)") {
            readiness["trend_chart"] = chart
            readiness["trend_points"] = dated.enumerated().map { i, point in
                ["date": point.date.description, "score": point.score, "last": i == dated.count - 1] as [String: Any]
            }
        }
        readiness["categories"] = r.categories.map(categoryContext)
        readiness["target_met"] = r.target != nil && !r.belowTarget
        let reviews = model.reviews[service.slug] ?? []
        if let latest = reviews.last, let evaluation = r.latest, let checklist = model.checklists[latest.checklist] {
            readiness["checklist"] = ["title": checklist.title, "url": SiteModel.checklistURL(checklist.id)]
            let openRequired = r.openRequired.compactMap { checklist.check(id: $0) }.map {
                ["id": $0.id, "html": $0.html]
            }
            readiness["open_required"] = openRequired
            readiness["has_open_required"] = !openRequired.isEmpty
            let checksByID = Dictionary(uniqueKeysWithValues: evaluation.checks.map { ($0.id, $0) })
            let waivers: [[String: Any]] = r.waivers.compactMap { waiver in
                guard let check = checklist.check(id: waiver.check), let state = checksByID[waiver.check] else { return nil }
                return checkContext(check, state, on: evaluation.asOf)
            }
            readiness["waivers"] = waivers
            readiness["has_waivers"] = !waivers.isEmpty
            let expiredAnswers: [[String: Any]] = r.expired.compactMap { id in
                guard let check = checklist.check(id: id), let state = checksByID[id], state.answer?.box == .done,
                    state.verdict == nil
                else { return nil }
                return checkContext(check, state, on: evaluation.asOf)
            }
            readiness["expired_answers"] = expiredAnswers
            readiness["has_expired_answers"] = !expiredAnswers.isEmpty
            readiness["ladder"] = ladder(checklist, level: r.level, target: r.target)
            readiness["has_ladder"] = !checklist.levels.isEmpty
            readiness["to_next"] = toNextLevel(checklist, r, checksByID, on: evaluation.asOf)
            readiness["signoffs"] = latest.signoffs.map(signoffContext)
            readiness["has_signoffs"] = !latest.signoffs.isEmpty
            let actions = latest.actionItems.filter { !$0.done }.map { actionItemContext($0) }
            readiness["action_items"] = actions
            readiness["has_action_items"] = !actions.isEmpty
        }
        // From the latest review, or, unreviewed, from the evidence alone: both on the build date.
        if let (checklist, states, _) = model.answeredChecks(of: service) {
            let byID = Dictionary(uniqueKeysWithValues: states.map { ($0.id, $0) })
            let evidence = evidenceRows(checklist, states: byID, on: model.buildDate)
            readiness["evidence"] = evidence
            readiness["has_evidence"] = !evidence.isEmpty
            readiness["evidence_as_of"] = model.buildDate.description
        }
        context["readiness"] = readiness
        let reviewRows: [[String: Any]] = reviews.reversed().map { review in
            fields([
                "title": review.title, "date": review.date.description, "url": SiteModel.reviewURL(review),
                "decision": review.decision.rawValue, "decision_label": review.decision.label, "draft": review.draft,
                "score": model.reviewReadiness[review]?.score,
            ])
        }
        context["reviews"] = reviewRows
        context["has_reviews"] = !reviewRows.isEmpty
        let campaigns = serviceCampaigns(service.slug)
        context["campaigns"] = campaigns
        context["has_campaigns"] = !campaigns.isEmpty
        return context
    }

    func review(_ review: Review) -> [String: Any] {
        let url = SiteModel.reviewURL(review)
        var context = common(root: Self.root(for: url))
        let service = model.servicesBySlug[review.service]
        let checklist = model.checklists[review.checklist]!
        let evaluation = model.reviewReadiness[review]!
        // Made again on each read (see `DerivedChecks`): read once per page.
        let evaluated = evaluation.checks
        let states = Dictionary(uniqueKeysWithValues: evaluated.map { ($0.id, $0) })
        let rule = Readiness.statusRule(of: review, evaluation)
        let (status, reason) = (rule.status, rule.reason)
        let reasonHTML: String
        if case .requiredOpen(let open, let expired) = rule {
            reasonHTML = Self.requiredOpenHTML(open, expired: expired, checklist)
        } else {
            reasonHTML = escapeHTML(reason)
        }
        let isLatest = model.reviews[review.service]?.last?.key == review.key
        let blocking: [[String: Any]] = evaluation.openRequired.compactMap { id in
            guard let check = checklist.check(id: id), let state = states[id] else { return nil }
            return checkContext(check, state, on: evaluation.asOf)
        }
        let openItems = review.actionItems.filter { !$0.done }.map { actionItemContext($0, current: isLatest) }
        let categories: [[String: Any]] = evaluation.categories.map(categoryContext)
        let evidence = evidenceRows(checklist, states: states, on: evaluation.asOf)
        let targetRank = checklist.rank(of: evaluation.target)
        var upcoming: [[String: Any]] = []
        // Done checks show ticked in the record itself; list what it leaves
        // open or waived (with its marks and guidance), and upcoming checks apart.
        let checkGroups: [[String: Any]] = checklist.categories.compactMap { category in
            var checks: [[String: Any]] = []
            for check in category.checks {
                guard let state = states[check.id], state.state != .done else { continue }
                let forTarget = targetRank.map { rank in check.levelRank.map { $0 <= rank } ?? false } ?? false
                let context = checkContext(check, state, on: evaluation.asOf, forTarget: forTarget)
                if state.state == .upcoming { upcoming.append(context) } else { checks.append(context) }
            }
            return checks.isEmpty ? nil : ["title": category.title, "checks": checks] as [String: Any]
        }
        context["review"] = fields([
            "title": review.title, "name": review.name, "date": review.date.description,
            "decision": review.decision.rawValue, "decision_label": review.decision.label, "draft": review.draft,
            "status": status.rawValue, "status_label": status.label, "reason": reason, "reason_html": reasonHTML,
            "blocking": blocking, "has_blocking": !blocking.isEmpty, "is_latest": isLatest,
            "open_action_items": openItems, "has_open_action_items": !openItems.isEmpty,
            "score": evaluation.score, "level": evaluation.level, "target": evaluation.target,
            "below_target": evaluation.belowTarget, "as_of": evaluation.asOf.description,
            "service_name": service?.name ?? review.service, "service_url": SiteModel.serviceURL(review.service),
            "checklist_title": checklist.title, "checklist_url": SiteModel.checklistURL(checklist.id),
            "reviewers": review.reviewers, "has_reviewers": !review.reviewers.isEmpty,
            "signoffs": review.signoffs.map(signoffContext), "has_signoffs": !review.signoffs.isEmpty,
            "action_items": review.actionItems.map { actionItemContext($0, current: isLatest) },
            "html": review.html, "categories": categories, "extra": review.extra.map(templateValue),
            "check_groups": checkGroups, "has_check_groups": !checkGroups.isEmpty,
            "done_count": evaluated.filter { $0.state == .done }.count,
            "evidence": evidence, "has_evidence": !evidence.isEmpty,
            "upcoming": upcoming, "has_upcoming": !upcoming.isEmpty,
            "changes": changesContext(review),
        ])
        return context
    }

    /// One check as pages show it: its state, its marks, its guidance (only
    /// where it is open, expired or waived) and when its answer or waiver runs
    /// out, as fields and as one ready line of HTML. The line is built here,
    /// as matrix cells are: review pages list many checks, and each template
    /// tag costs a lookup (see docs/PERFORMANCE.md).
    func checkContext(
        _ check: Checklist.Check, _ state: CheckState, on day: Day, forTarget: Bool = false
    ) -> [String: Any] {
        let showGuidance = state.counts == .open || state.state == .waived || state.state == .expired
        let waiver = state.answer?.box == .waived
        let expiry = state.expiry(on: day) ?? (state.state == .waived ? "no end date" : nil)
        let guidance = showGuidance && !check.guidanceHTML.isEmpty ? check.guidanceHTML : nil
        let reason = waiver ? state.answer?.reason : nil

        var line = "<span class=\"state state-\(state.state.rawValue)\">\(state.state.rawValue)</span> <code>"
        line += escapeHTML(check.id) + "</code> " + check.html
        if let reason { line += ": <em>" + escapeHTML(reason) + "</em>" }
        if check.required { line += " <span class=\"required\">required</span>" }
        if forTarget { line += " <span class=\"for-target\">for target</span>" }
        if let level = check.level { line += " <span class=\"level\">" + escapeHTML(level) + "</span>" }
        if state.state == .upcoming, let from = check.from { line += " <span class=\"upcoming\">counts from \(from)</span>" }
        if let verdict = state.verdict { line += " " + Self.verdictHTML(verdict, on: day) }
        if let expiry {
            var words = expiry
            if waiver, let until = state.answer?.until { words = "until \(until), " + words }
            if !waiver, let every = check.every {
                words = (check.auto ? "evidence holds \(every) days; " : "re-confirm every \(every) days; ") + words
            }
            if waiver, let by = state.answer?.by { words += " · granted by " + by }
            line += " <span class=\"expiry\">" + escapeHTML(words) + "</span>"
        }
        if let guidance { line += "<details class=\"guidance\"><summary>How to meet it</summary>" + guidance + "</details>" }

        return fields([
            "id": check.id, "html": check.html, "state": state.state.rawValue,
            "required": check.required, "level": check.level, "from": check.from?.description,
            "every": check.every, "reason": reason, "expiry": expiry, "for_target": forTarget,
            "holds_until": state.holdsUntil?.description, "until": state.answer?.until?.description,
            "by": waiver ? state.answer?.by : nil, "guidance_html": guidance, "item_html": line,
            "answered_by": state.verdict?.kind.rawValue,
        ])
    }

    /// What evidence or a rule says of a check, as one span for a check's
    /// line: "auto: failed 2026-11-24 · source", "rule: links.runbook is not set".
    static func verdictHTML(_ verdict: CheckVerdict, on day: Day) -> String {
        var words: String
        switch verdict.kind {
        case .rule: words = verdict.reason.map(escapeHTML) ?? "holds"
        case .auto:
            if let record = verdict.record {
                words = (record.result == .pass ? "passed " : "failed ") + record.day.description
                    + " (" + ageWords(record.age(on: day)) + ")"
                if verdict.state == .expired, let reason = verdict.reason { words += ", " + escapeHTML(reason) }
                if let note = record.note { words += ": " + escapeHTML(note) }
                words += " · " + sourceHTML(record)
            } else {
                words = "no evidence yet"
            }
        }
        return "<span class=\"verdict verdict-\(verdict.kind.rawValue)\"><span class=\"verdict-kind\">\(verdict.kind == .auto ? "evidence" : "rule")</span> \(words)</span>"
    }

    /// A record's source: a link when it is an http(s) URL, else its text.
    static func sourceHTML(_ record: EvidenceRecord) -> String {
        record.sourceIsLink
            ? "<a href=\"\(escapeHTML(record.source))\">source</a>"
            : "<span class=\"source\">" + escapeHTML(record.source) + "</span>"
    }

    /// "today", "yesterday", "12 days ago" (a record after the day: "in 3 days").
    static func ageWords(_ days: Int) -> String {
        switch days {
        case 0: return "today"
        case 1: return "yesterday"
        case let n where n < 0: return n == -1 ? "tomorrow" : "in \(-n) days"
        default: return "\(days) days ago"
        }
    }

    /// The "Evidence" table of a service or review page: every `auto` and
    /// `rule=` check of `checklist`, in checklist order, with its state on
    /// `day` (from `states`), its last result, age, source and note.
    func evidenceRows(_ checklist: Checklist, states: [String: CheckState], on day: Day) -> [[String: Any]] {
        checklist.checks.compactMap { check in
            guard let state = states[check.id], let verdict = state.verdict else { return nil }
            let record = verdict.record
            return fields([
                "id": check.id, "html": check.html, "kind": verdict.kind.rawValue,
                "kind_label": verdict.kind == .auto ? "CI evidence" : "rule: " + (check.rule?.description ?? ""),
                "state": state.state.rawValue, "counts_open": state.counts == .open ? true : nil,
                // A failure speaks for itself in the result and note columns.
                "reason": record?.result == .fail && state.state == .open ? nil : state.verdictReason,
                "result": record?.result.rawValue, "day": record?.day.description, "at": record?.at.text,
                "age": record.map { Self.ageWords($0.age(on: day)) },
                "source": record?.source, "source_url": record.flatMap { $0.sourceIsLink ? $0.source : nil },
                "note": record?.note, "every": record?.result == .pass ? check.every : nil,
                "holds_until": verdict.holdsUntil?.description,
                "contradicted": state.isContradicted ? true : nil,
            ])
        }
    }

    /// The checklist's levels, lowest first, with the service's level and target marked.
    func ladder(_ checklist: Checklist, level: String?, target: String?) -> [[String: Any]] {
        let rank = checklist.rank(of: level) ?? -1
        return checklist.levels.enumerated().map { i, name in
            ["name": name, "reached": i <= rank, "current": name == level, "target": name == target]
        }
    }

    /// "To reach Silver": the open checks up to the next level, by category,
    /// and the sign-offs still missing. Absent at the top of the ladder.
    func toNextLevel(_ checklist: Checklist, _ r: ServiceReadiness, _ states: [String: CheckState], on day: Day) -> Any {
        guard let next = r.nextLevel else { return Absent() }
        let wanted = Set(r.toNextLevel)
        let groups: [[String: Any]] = checklist.categories.compactMap { category in
            let checks = category.checks.filter { wanted.contains($0.id) }.compactMap { check in
                states[check.id].map { checkContext(check, $0, on: day) }
            }
            return checks.isEmpty ? nil : ["title": category.title, "checks": checks] as [String: Any]
        }
        let rules = checklist.signoffs.filter { r.signoffsToNextLevel.contains($0.role) }
        var parts: [String] = []
        if !wanted.isEmpty { parts.append(plural(wanted.count, "check")) }
        if !rules.isEmpty { parts.append(plural(rules.count, "sign-off")) }
        return [
            "level": next, "summary": parts.joined(separator: ", "), "groups": groups,
            "signoffs": rules.map { ["role": $0.role, "level": $0.level] },
            "has_signoffs": !rules.isEmpty, "is_target": next == r.target,
        ] as [String: Any]
    }

    /// A status reason for people: open required checks named by their text
    /// (the plain reason gives their ids, for CI logs and exports).
    func reasonHTML(_ service: Service, _ r: ServiceReadiness) -> String {
        guard r.status == .notReady, let checklist = r.checklist.flatMap({ model.checklists[$0] })
        else { return escapeHTML(r.reason) }
        if !r.openRequired.isEmpty { return Self.requiredOpenHTML(r.openRequired, expired: r.expired, checklist) }
        // Below target: say what the next level still needs.
        guard r.belowTarget, let next = r.nextLevel else { return escapeHTML(r.reason) }
        var needs: [String] = []
        if !r.toNextLevel.isEmpty { needs.append(plural(r.toNextLevel.count, "check")) }
        if !r.signoffsToNextLevel.isEmpty {
            let roles = r.signoffsToNextLevel.map(escapeHTML).joined(separator: ", ")
            needs.append("the sign-off\(r.signoffsToNextLevel.count == 1 ? "" : "s") of " + roles)
        }
        guard !needs.isEmpty else { return escapeHTML(r.reason) }
        return escapeHTML(r.reason) + "; " + escapeHTML(next) + " needs " + needs.joined(separator: " and ")
    }

    static func requiredOpenHTML(_ open: [String], expired: [String], _ checklist: Checklist) -> String {
        let expired = Set(expired)
        let names = open.map { id in
            let text = checklist.check(id: id)?.text ?? id
            return "<q>" + escapeHTML(text) + "</q>" + (expired.contains(id) ? " (expired)" : "")
        }
        // Two names say why; a longer list would bury the status (pages list
        // every open required check apart).
        let shown = names.count > 3 ? Array(names.prefix(2)) + ["\(names.count - 2) more"] : names
        let list: String
        switch shown.count {
        case 1: list = shown[0]
        case 2: list = shown[0] + " and " + shown[1]
        default: list = shown.dropLast().joined(separator: ", ") + " and " + shown.last!
        }
        return names.count == 1 ? "required check \(list) is open" : "required checks \(list) are open"
    }

    /// A level's place on its service's checklist ladder, for sorting.
    func levelRank(_ level: String?, of r: ServiceReadiness) -> Int? {
        guard let level, let checklist = r.checklist.flatMap({ model.checklists[$0] }) else { return nil }
        return checklist.rank(of: level)
    }

    func categoryContext(_ c: CategoryReadiness) -> [String: Any] {
        fields([
            "id": c.id, "title": c.title, "done": c.done, "open": c.open, "waived": c.waived,
            "score": c.score, "level": c.level,
        ])
    }

    func signoffContext(_ s: Review.Signoff) -> [String: Any] {
        fields([
            "role": s.role, "name": s.name, "status": s.status.rawValue, "date": s.date?.description,
            "approved": s.status == .approved, "symbol": s.status == .approved ? "✓" : s.status == .rejected ? "✗" : "…",
        ])
    }

    /// An action item; `overdue` only where it is still open in its
    /// service's latest review (`current`), since a later review supersedes it.
    func actionItemContext(_ a: Review.ActionItem, current: Bool = true) -> [String: Any] {
        let overdue = current && a.isOverdue(on: model.buildDate)
        return fields([
            "text": a.text, "html": a.html, "display_html": a.displayHTML, "owner": a.owner,
            "owner_url": a.owner.map(SiteModel.teamSlug).flatMap { model.teamSlugs.contains($0) ? SiteModel.teamURL(slug: $0) : nil },
            "due": a.due?.description, "done": a.done,
            "overdue": overdue, "days_overdue": current ? a.daysOverdue(on: model.buildDate) : nil,
        ])
    }

    /// An inline SVG line of scores (0–100), oldest left; nil with fewer than two points.
    func sparkline(_ trend: [Int]) -> String? {
        guard trend.count >= 2 else { return nil }
        let width = 100.0
        let height = 30.0
        let step = width / Double(trend.count - 1)
        let points = trend.enumerated().map { i, score in
            let x = (Double(i) * step * 10).rounded() / 10
            let y = (height - 2 - Double(score) / 100 * (height - 4)) * 10
            return "\(x),\(y.rounded() / 10)"
        }
        let label = "Score trend: " + trend.map(String.init).joined(separator: ", ")
        return "<svg viewBox=\"0 0 100 30\" role=\"img\" aria-label=\"\(escapeHTML(label))\">"
            + "<polyline points=\"\(points.joined(separator: " "))\"/></svg>"
    }
}

/// Turns nil values into `Absent`, which templates see as false and empty.
/// Leaving the key out instead would let Mustache look the name up in the
/// enclosing contexts: a check without a `reason` would show the review's.
func fields(_ values: [String: Any?]) -> [String: Any] {
    values.mapValues { $0 ?? Absent() }
}

/// A value that is there but empty: stops Mustache's lookup in outer contexts.
struct Absent: MustacheCustomRepresentation {
    var representation: Any? { nil }
}

/// `extra` fields as template values: maps, lists and scalars mustache understands.
func templateValue(_ value: JSONValue) -> Any {
    switch value {
    case .null: return ""
    case .bool(let b): return b
    case .int(let i): return i
    case .string(let s): return s
    case .array(let items): return items.map(templateValue)
    case .object(let pairs):
        var dict: [String: Any] = [:]
        for (k, v) in pairs { dict[k] = templateValue(v) }
        return dict
    }
}
