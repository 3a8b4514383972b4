/// Renders every page of the site, in parallel, from one immutable model.
struct PageRenderer: Sendable {
    let model: SiteModel
    let theme: Theme

    enum Job: Sendable {
        case dashboard, notFound
        case service(Int)
        case review(String, Int)
        case checklist(Int)
        case page(Int)
        case team(Int)
        case actions
    }

    func renderAll() -> [OutputFile] {
        jobs().map(\.job).parallelMap(render)
    }

    /// Every page of the site with the path it is written to. Pages that list
    /// every service (checklist matrices, the dashboard, teams) come first, so
    /// the long single pages start early instead of finishing last on one core.
    func jobs() -> [(path: String, job: Job)] {
        var jobs: [(String, Job)] = []
        for (i, checklist) in model.content.checklists.enumerated() {
            jobs.append((SiteModel.checklistURL(checklist.id) + "index.html", .checklist(i)))
        }
        jobs += [("index.html", .dashboard), (SiteModel.actionsURL + "index.html", .actions), ("404.html", .notFound)]
        for (i, team) in model.teams.enumerated() { jobs.append(("teams/\(team.slug)/index.html", .team(i))) }
        for (i, service) in model.content.services.enumerated() {
            jobs.append((SiteModel.serviceURL(service.slug) + "index.html", .service(i)))
        }
        for service in model.content.services {
            for (i, review) in (model.reviews[service.slug] ?? []).enumerated() {
                jobs.append((SiteModel.reviewURL(review) + "index.html", .review(service.slug, i)))
            }
        }
        for (i, page) in model.pages.enumerated() { jobs.append((SiteModel.pageURL(page.slug) + "index.html", .page(i))) }
        return jobs
    }

    /// Builds the job's context inside this task (contexts are not `Sendable`) and renders it.
    func render(_ job: Job) -> OutputFile {
        let contexts = PageContexts(model: model)
        switch job {
        case .dashboard:
            return OutputFile(path: "index.html", text: theme.render("dashboard", contexts.dashboard()))
        case .notFound:
            return OutputFile(path: "404.html", text: theme.render("404", contexts.notFound()))
        case .service(let i):
            let service = model.content.services[i]
            return OutputFile(
                path: SiteModel.serviceURL(service.slug) + "index.html",
                text: theme.render("service", contexts.service(service)))
        case .review(let slug, let i):
            let review = model.reviews[slug]![i]
            return OutputFile(
                path: SiteModel.reviewURL(review) + "index.html",
                text: theme.render("review", contexts.review(review)))
        case .checklist(let i):
            let checklist = model.content.checklists[i]
            return OutputFile(
                path: SiteModel.checklistURL(checklist.id) + "index.html",
                text: theme.render("checklist", contexts.checklist(checklist)))
        case .page(let i):
            let page = model.pages[i]
            return OutputFile(
                path: SiteModel.pageURL(page.slug) + "index.html", text: theme.render("page", contexts.page(page)))
        case .team(let i):
            let team = model.teams[i]
            return OutputFile(path: "teams/\(team.slug)/index.html", text: theme.render("team", contexts.team(team)))
        case .actions:
            return OutputFile(path: SiteModel.actionsURL + "index.html", text: theme.render("actions", contexts.actions()))
        }
    }
}

/// The machine-readable outputs: exports, feed, sitemap, badges, search index.
enum Exports {
    static func files(_ model: SiteModel) -> [OutputFile] {
        let services = model.content.services
        let rows = services.map {
            ReadinessExport.Row(service: $0, readiness: model.readiness[$0.slug]!, url: SiteModel.serviceURL($0.slug))
        }
        let base = model.config.baseURL
        var files = [
            OutputFile(
                path: "readiness.json",
                text: ReadinessExport.json(rows, title: model.config.title, baseURL: base, generated: model.buildDate)),
            OutputFile(path: "readiness.csv", text: ReadinessExport.csv(rows)),
            OutputFile(path: "feed.xml", text: feed(model)),
            OutputFile(path: "sitemap.xml", text: sitemap(model)),
            OutputFile(path: "search-index.json", text: SearchIndex.json(searchEntries(model))),
        ]
        for service in services {
            let r = model.readiness[service.slug]!
            let value: String
            switch (r.level, r.score) {
            case let (level?, score?): value = "\(level) \(score)%"
            case let (nil, score?): value = "\(r.status.label) \(score)%"
            default: value = r.status.label.lowercased()
            }
            files.append(
                OutputFile(
                    path: "badges/\(service.slug).svg",
                    text: Badge.svg(label: "readiness", value: value, color: Badge.color(for: r.status))))
        }
        return files
    }

    static func allReviews(_ model: SiteModel) -> [Review] {
        model.content.services.flatMap { model.reviews[$0.slug] ?? [] }
    }

    static func feed(_ model: SiteModel) -> String {
        let reviews = allReviews(model).sorted { ($0.date, $0.service, $0.name) > ($1.date, $1.service, $1.name) }
        let entries = reviews.prefix(100).map { review -> Feeds.Entry in
            let score = model.reviewReadiness[review.service + "/" + review.name]?.score
            let service = model.servicesBySlug[review.service]?.name ?? review.service
            return Feeds.Entry(
                title: review.title, url: SiteModel.reviewURL(review), date: review.date,
                summary: "\(service): \(review.decision.rawValue)\(score.map { ", score \($0)%" } ?? "")")
        }
        return Feeds.atom(title: model.config.title, baseURL: model.config.baseURL, entries: Array(entries), buildDate: model.buildDate)
    }

    static func sitemap(_ model: SiteModel) -> String {
        var pages: [(String, Day?)] = [("", nil), (SiteModel.actionsURL, nil)]
        for service in model.content.services {
            let reviews = model.reviews[service.slug] ?? []
            pages.append((SiteModel.serviceURL(service.slug), reviews.last?.date))
            pages += reviews.map { (SiteModel.reviewURL($0), $0.date) }
        }
        pages += model.content.checklists.map { (SiteModel.checklistURL($0.id), nil) }
        pages += model.teams.map { ("teams/\($0.slug)/", nil) }
        pages += model.pages.map { (SiteModel.pageURL($0.slug), nil) }
        return Feeds.sitemap(baseURL: model.config.baseURL, pages: pages)
    }

    static func searchEntries(_ model: SiteModel) -> [SearchIndex.Entry] {
        var entries: [SearchIndex.Entry] = []
        for service in model.content.services {
            let keywords = [service.slug, service.owner ?? "", service.tier.map { "tier \($0)" } ?? ""] + service.tags
            entries.append(
                SearchIndex.Entry(
                    kind: "service", title: service.name, url: SiteModel.serviceURL(service.slug),
                    keywords: keywords.filter { !$0.isEmpty }.joined(separator: " ")))
        }
        for review in allReviews(model) {
            entries.append(
                SearchIndex.Entry(
                    kind: "review", title: review.title, url: SiteModel.reviewURL(review),
                    keywords: ([review.service, review.date.description, review.decision.rawValue] + review.reviewers)
                        .joined(separator: " ")))
        }
        for checklist in model.content.checklists {
            entries.append(
                SearchIndex.Entry(kind: "checklist", title: checklist.title, url: SiteModel.checklistURL(checklist.id), keywords: checklist.id))
            for check in checklist.checks {
                entries.append(
                    SearchIndex.Entry(
                        kind: "check", title: check.text, url: SiteModel.checklistURL(checklist.id) + "#check-\(check.id)",
                        keywords: check.id))
            }
        }
        for team in model.teams {
            entries.append(SearchIndex.Entry(kind: "team", title: team.name, url: "teams/\(team.slug)/", keywords: team.slug))
        }
        for page in model.pages {
            entries.append(SearchIndex.Entry(kind: "page", title: page.title, url: SiteModel.pageURL(page.slug), keywords: page.slug))
        }
        return entries
    }
}
