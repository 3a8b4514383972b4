/// Content plus derived readiness: everything page contexts are built from.
/// Immutable and `Sendable`, so pages render in parallel from one model.
struct SiteModel: Sendable {
    let content: SiteContent
    let config: SiteConfig
    let buildDate: Day
    let checklists: [String: Checklist]
    /// Reviews that are published (drafts only when asked for), oldest first.
    let reviews: [String: [Review]]
    let pages: [FreePage]
    let readiness: [String: ServiceReadiness]
    /// Keyed by `service/name`.
    let reviewReadiness: [String: ReviewReadiness]
    /// Owners, sorted by slug; owners whose names slug alike are one team.
    let teams: [Team]

    struct Team: Sendable {
        var slug: String
        var name: String
        /// Slugs of its services, sorted.
        var services: [String]
    }

    init(content: SiteContent, options: BuildOptions) {
        self.content = content
        var config = content.config
        if let base = options.baseURL { config.baseURL = base }
        self.config = config
        self.buildDate = options.buildDate
        let checklists = Dictionary(uniqueKeysWithValues: content.checklists.map { ($0.id, $0) })
        self.checklists = checklists
        let drafts = options.includeDrafts
        let reviews = content.reviews.mapValues { $0.filter { drafts || !$0.draft } }
        self.reviews = reviews
        self.pages = content.pages.filter { drafts || !$0.draft }

        var readiness: [String: ServiceReadiness] = [:]
        var reviewReadiness: [String: ReviewReadiness] = [:]
        for service in content.services {
            let list = reviews[service.slug] ?? []
            readiness[service.slug] = Readiness.service(
                service, reviews: list, checklists: checklists, defaultChecklist: content.defaultChecklist,
                staleAfterDays: config.staleAfterDays, buildDate: options.buildDate)
            for review in list {
                if let checklist = checklists[review.checklist] {
                    reviewReadiness[review.service + "/" + review.name] = Readiness.evaluate(review, checklist: checklist)
                }
            }
        }
        self.readiness = readiness
        self.reviewReadiness = reviewReadiness

        var teams: [String: Team] = [:]
        for service in content.services {
            guard let owner = service.owner else { continue }
            let slug = Self.teamSlug(owner)
            teams[slug, default: Team(slug: slug, name: owner, services: [])].services.append(service.slug)
        }
        self.teams = teams.values.sorted { $0.slug < $1.slug }
    }

    static func teamSlug(_ owner: String) -> String {
        let slug = Slug.make(owner)
        return slug.isEmpty ? "team" : slug
    }

    static func serviceURL(_ slug: String) -> String { "services/\(slug)/" }
    static func reviewURL(_ review: Review) -> String { "services/\(review.service)/reviews/\(review.name)/" }
    static func checklistURL(_ id: String) -> String { "checklists/\(id)/" }
    static func pageURL(_ slug: String) -> String { "pages/\(slug)/" }
    static func teamURL(_ owner: String) -> String { "teams/\(teamSlug(owner))/" }
    static let actionsURL = "actions/"
}
