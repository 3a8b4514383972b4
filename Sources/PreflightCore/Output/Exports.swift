/// The machine-readable outputs: exports, feed, sitemap, badges, search index.
/// Each is rendered on its own, so `serve` makes only the one asked for.
enum Export: Sendable, Hashable {
    case readinessJSON, readinessCSV, feed, sitemap, searchIndex, calendar, evidenceSchema
    case badge(slug: String)
    /// A team's deadline calendar, by team slug.
    case teamCalendar(slug: String)

    /// Every export of the site with its output path.
    static func all(_ model: SiteModel) -> [(path: String, export: Export)] {
        let fixed: [Export] = [.readinessJSON, .readinessCSV, .feed, .sitemap, .searchIndex, .calendar, .evidenceSchema]
        let badges = model.content.services.map { Export.badge(slug: $0.slug) }
        let calendars = model.teams.map { Export.teamCalendar(slug: $0.slug) }
        return (fixed + badges + calendars).map { ($0.path, $0) }
    }

    var path: String {
        switch self {
        case .readinessJSON: return "readiness.json"
        case .readinessCSV: return "readiness.csv"
        case .feed: return "feed.xml"
        case .sitemap: return "sitemap.xml"
        case .searchIndex: return "search-index.json"
        case .badge(let slug): return SiteModel.badgeURL(slug)
        case .calendar: return SiteModel.calendarPath
        case .evidenceSchema: return EvidenceSchema.path
        case .teamCalendar(let slug): return SiteModel.teamCalendarPath(slug: slug)
        }
    }

    func render(_ model: SiteModel) -> String {
        switch self {
        case .readinessJSON:
            let config = model.config
            return ReadinessExport.json(
                Self.rows(model), campaigns: model.campaigns, title: config.title, baseURL: config.baseURL,
                generated: model.buildDate)
        case .readinessCSV: return ReadinessExport.csv(Self.rows(model))
        case .feed: return Self.feed(model)
        case .sitemap: return Self.sitemap(model)
        case .searchIndex: return Self.searchIndex(model)
        case .badge(let slug): return Self.badge(model.readiness[slug]!)
        case .calendar: return Self.deadlines(model, team: nil)
        case .evidenceSchema: return EvidenceSchema.json
        case .teamCalendar(let slug): return Self.deadlines(model, team: model.teams.first { $0.slug == slug })
        }
    }

    static func rows(_ model: SiteModel) -> [ReadinessExport.Row] {
        model.content.services.map { service in
            var row = ReadinessExport.Row(
                service: service, readiness: model.readiness[service.slug]!, url: SiteModel.serviceURL(service.slug))
            if let answered = model.answeredChecks(of: service) { row.answered = (answered.states, answered.reviewed) }
            return row
        }
    }

    static func badge(_ r: ServiceReadiness) -> String {
        let value: String
        switch (r.level, r.score) {
        case let (level?, score?): value = "\(level) \(score)%"
        case let (nil, score?): value = "\(r.status.label) \(score)%"
        default: value = r.status.label.lowercased()
        }
        return Badge.svg(label: "readiness", value: value, color: Badge.color(for: r.status))
    }

    static func allReviews(_ model: SiteModel) -> [Review] {
        model.content.services.flatMap { model.reviews[$0.slug] ?? [] }
    }

    static func feed(_ model: SiteModel) -> String {
        let reviews = allReviews(model).sorted { ($0.date, $0.service, $0.name) > ($1.date, $1.service, $1.name) }
        let entries = reviews.prefix(100).map { review -> Feeds.Entry in
            let score = model.reviewReadiness[review]?.score
            let service = model.servicesBySlug[review.service]?.name ?? review.service
            let changes = model.changes(of: review).map { "; " + $0.summary } ?? ""
            return Feeds.Entry(
                title: review.title, url: SiteModel.reviewURL(review), date: review.date,
                summary: "\(service): \(review.decision.rawValue)\(score.map { ", score \($0)%" } ?? "")\(changes)")
        }
        return Feeds.atom(title: model.config.title, baseURL: model.config.baseURL, entries: Array(entries), buildDate: model.buildDate)
    }

    static func sitemap(_ model: SiteModel) -> String {
        var pages: [(String, Day?)] = [
            ("", nil), (SiteModel.actionsURL, nil), (SiteModel.teamsURL, nil), (SiteModel.campaignsURL, nil),
        ]
        pages += model.campaigns.map { (SiteModel.campaignURL($0.campaign.id), nil) }
        for service in model.content.services {
            let reviews = model.reviews[service.slug] ?? []
            pages.append((SiteModel.serviceURL(service.slug), reviews.last?.date))
            pages += reviews.map { (SiteModel.reviewURL($0), $0.date) }
        }
        pages += model.content.checklists.map { (SiteModel.checklistURL($0.id), nil) }
        pages += model.teams.map { (SiteModel.teamURL(slug: $0.slug), nil) }
        pages += model.pages.map { (SiteModel.pageURL($0.slug), nil) }
        return Feeds.sitemap(baseURL: model.config.baseURL, pages: pages)
    }

    /// Non-empty words, each once, in order.
    static func distinct(_ words: [String]) -> [String] {
        var seen: Set<String> = []
        return words.filter { !$0.isEmpty && seen.insert($0).inserted }
    }

    /// The words of a review for the search index, kept by the build cache
    /// (when there is one) under the digest of the review's HTML.
    static func searchText(of review: Review, _ model: SiteModel) -> String {
        guard let derived = model.derived, let key = review.htmlDigest else { return SearchIndex.text(ofHTML: [review.html]) }
        return derived.text("search-text/" + review.path, key: key) { SearchIndex.text(ofHTML: [review.html]) }
    }

    /// `search-index.json`: each service's entry, then each service's
    /// reviews, then checklists and their checks, teams, campaigns and pages.
    /// With the build cache, each service's two parts are kept under the
    /// digest of the site's facts and of its latest review's HTML (the only
    /// prose of its reviews the index holds): an edit of one review's prose
    /// makes that service's parts again and takes the others as they were.
    static func searchIndex(_ model: SiteModel) -> String {
        var writer = SearchIndex.Writer()
        let latestKeys = Set(model.content.services.compactMap { model.reviews[$0.slug]?.last?.key })
        func part(_ name: String, of service: Service, _ make: () -> [SearchIndex.Entry]) -> String {
            guard let derived = model.derived, let facts = model.siteFacts else { return SearchIndex.items(make()) }
            var d = FastDigest()
            d.add("search")
            d.add(facts)
            d.add(model.reviews[service.slug]?.last?.htmlDigest?.hex ?? "-")
            return derived.text("search/\(name)/" + service.slug, key: d.value) { SearchIndex.items(make()) }
        }
        for service in model.content.services {
            writer.add(part("service", of: service) { [searchEntry(of: service, model)] })
        }
        // The words of each service's latest review are searchable; earlier
        // reviews by their title, date, decision and people (history; this
        // keeps the index near 1 KB per service: docs/PERFORMANCE.md).
        for service in model.content.services {
            writer.add(part("reviews", of: service) {
                (model.reviews[service.slug] ?? []).map { searchEntry(of: $0, latestKeys: latestKeys, model) }
            })
        }
        writer.add(SearchIndex.items(otherSearchEntries(model)))
        return writer.finish()
    }

    static func searchEntry(of service: Service, _ model: SiteModel) -> SearchIndex.Entry {
        let r = model.readiness[service.slug]!
        var keywords = [service.slug, service.owner ?? "", service.owner.map(SiteModel.teamSlug) ?? ""]
        keywords += [service.tier.map { "tier \($0)" } ?? "", service.lifecycle ?? ""] + service.tags
        keywords += [r.status.label, r.status.rawValue, r.level ?? "", r.level.map { "level \($0)" } ?? ""]
        if r.stale { keywords.append("stale") }
        let latest = model.reviews[service.slug]?.last
        let openItems = latest?.actionItems.filter { !$0.done } ?? []
        if openItems.contains(where: { $0.isOverdue(on: model.buildDate) }) { keywords.append("overdue") }
        // Who its open action items are assigned to finds it too.
        let assignees = distinct(openItems.compactMap(\.owner)).joined(separator: " ")
        // The target is prose, not a keyword: "gold" finds the Gold services
        // before those that only aim for Gold.
        let target = r.target.map { r.belowTarget ? "below target \($0)" : "target \($0) met" } ?? ""
        let detail = [r.status.label, r.level ?? "", r.score.map { "\($0)%" } ?? "", service.owner ?? ""]
            .filter { !$0.isEmpty }.joined(separator: " · ")
        return SearchIndex.Entry(
            kind: "service", title: service.name, url: SiteModel.serviceURL(service.slug),
            keywords: distinct(keywords).joined(separator: " "), detail: detail,
            text: [target.lowercased(), assignees.lowercased(), SearchIndex.text(ofHTML: [service.html])]
                .filter { !$0.isEmpty }.joined(separator: " "))
    }

    static func searchEntry(of review: Review, latestKeys: Set<String>, _ model: SiteModel) -> SearchIndex.Entry {
        let service = model.servicesBySlug[review.service]
        let score = model.reviewReadiness[review]?.score
        return SearchIndex.Entry(
            kind: "review", title: review.title, url: SiteModel.reviewURL(review),
            keywords: ([service?.name ?? "", review.service, review.date.description, review.decision.rawValue,
                review.decision.label] + review.reviewers + review.signoffs.map(\.role))
                .filter { !$0.isEmpty }.joined(separator: " "),
            detail: ([service?.name ?? review.service, review.date.description, review.decision.label]
                + [score.map { "\($0)%" } ?? ""]).filter { !$0.isEmpty }.joined(separator: " · "),
            text: latestKeys.contains(review.key) ? searchText(of: review, model) : "")
    }

    /// Checklists and their checks, teams, campaigns and pages.
    static func otherSearchEntries(_ model: SiteModel) -> [SearchIndex.Entry] {
        var entries: [SearchIndex.Entry] = []
        for checklist in model.content.checklists {
            entries.append(
                SearchIndex.Entry(kind: "checklist", title: checklist.title, url: SiteModel.checklistURL(checklist.id), keywords: checklist.id))
            for category in checklist.categories {
                for check in category.checks {
                    entries.append(
                        SearchIndex.Entry(
                            kind: "check", title: check.text, url: SiteModel.checklistURL(checklist.id) + "#check-\(check.id)",
                            keywords: ([check.id, category.title, check.level ?? ""] + (check.required ? ["required"] : []))
                                .filter { !$0.isEmpty }.joined(separator: " "),
                            detail: checklist.title + " · " + category.title,
                            text: SearchIndex.text(ofHTML: [check.guidanceHTML])))
                }
            }
        }
        for team in model.teams {
            entries.append(
                SearchIndex.Entry(
                    kind: "team", title: team.name, url: SiteModel.teamURL(slug: team.slug), keywords: team.slug,
                    detail: plural(team.services.count, "service")))
        }
        for (campaign, progress) in model.campaigns {
            entries.append(
                SearchIndex.Entry(
                    kind: "campaign", title: campaign.title, url: SiteModel.campaignURL(campaign.id),
                    keywords: ([campaign.id, campaign.owner ?? "", campaign.goal.description, progress.status.label])
                        .filter { !$0.isEmpty }.joined(separator: " "),
                    detail: "\(progress.status.label) · deadline \(campaign.deadline)",
                    text: SearchIndex.text(ofHTML: [campaign.html])))
        }
        for page in model.pages {
            entries.append(
                SearchIndex.Entry(
                    kind: "page", title: page.title, url: SiteModel.pageURL(page.slug), keywords: page.slug,
                    text: SearchIndex.text(ofHTML: [page.html])))
        }
        return entries
    }
}
