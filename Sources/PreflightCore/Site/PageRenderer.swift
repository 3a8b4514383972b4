/// Renders the pages of the site from one immutable model. Which pages exist,
/// and where, is `SitePlan`'s business; this type only knows how to make each.
struct PageRenderer: Sendable {
    let model: SiteModel
    let theme: Theme

    /// One page of the site.
    enum Job: Sendable {
        case dashboard, notFound, actions, campaigns, teams
        case campaign(Int)
        case service(Int)
        case review(String, Int)
        case checklist(Int)
        case page(Int)
        case team(Int)
    }

    /// Every page with the path it is written to: the one place a page's path
    /// is computed. Pages that list every service (checklist matrices, the
    /// dashboard, teams) come first, so the long single pages start early
    /// instead of finishing last on one core.
    static func jobs(_ model: SiteModel) -> [(path: String, job: Job)] {
        var jobs: [(String, Job)] = []
        for (i, checklist) in model.content.checklists.enumerated() {
            jobs.append((SiteModel.checklistURL(checklist.id) + "index.html", .checklist(i)))
        }
        jobs += [
            ("index.html", .dashboard), (SiteModel.actionsURL + "index.html", .actions), ("404.html", .notFound),
            (SiteModel.teamsURL + "index.html", .teams), (SiteModel.campaignsURL + "index.html", .campaigns),
        ]
        for (i, campaign) in model.campaigns.enumerated() {
            jobs.append((SiteModel.campaignURL(campaign.campaign.id) + "index.html", .campaign(i)))
        }
        for (i, team) in model.teams.enumerated() { jobs.append((SiteModel.teamURL(slug: team.slug) + "index.html", .team(i))) }
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
    func render(_ job: Job) -> String {
        String(decoding: renderBytes(job), as: UTF8.self)
    }

    /// `render` as UTF-8 bytes, as a build writes them.
    func renderBytes(_ job: Job) -> [UInt8] {
        let contexts = PageContexts(model: model)
        switch job {
        case .dashboard: return theme.renderBytes("dashboard") { contexts.dashboard() }
        case .notFound: return theme.renderBytes("404") { contexts.notFound() }
        case .actions: return theme.renderBytes("actions") { contexts.actions() }
        case .campaigns: return theme.renderBytes("campaigns") { contexts.campaigns() }
        case .teams: return theme.renderBytes("teams") { contexts.teams() }
        case .campaign(let i):
            let (campaign, progress) = model.campaigns[i]
            return theme.renderBytes("campaign") { contexts.campaign(campaign, progress) }
        case .service(let i): return theme.renderBytes("service") { contexts.service(model.content.services[i]) }
        case .review(let slug, let i): return theme.renderBytes("review") { contexts.review(model.reviews[slug]![i]) }
        case .checklist(let i): return theme.renderBytes("checklist") { contexts.checklist(model.content.checklists[i]) }
        case .page(let i): return theme.renderBytes("page") { contexts.page(model.pages[i]) }
        case .team(let i): return theme.renderBytes("team") { contexts.team(model.teams[i]) }
        }
    }
}
