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
    let servicesBySlug: [String: Service]

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

        // Each review is evaluated once, services in parallel.
        let staleAfter = config.staleAfterDays
        let perService = content.services.parallelMap { service -> (ServiceReadiness, [(String, ReviewReadiness)]) in
            let evaluated: [(Review, ReviewReadiness)] = (reviews[service.slug] ?? []).compactMap { review in
                checklists[review.checklist].map { (review, Readiness.evaluate(review, checklist: $0)) }
            }
            let readiness = Readiness.service(
                service, evaluated: evaluated, defaultChecklist: content.defaultChecklist,
                staleAfterDays: staleAfter, buildDate: options.buildDate)
            return (readiness, evaluated.map { ($0.0.service + "/" + $0.0.name, $0.1) })
        }
        var readiness: [String: ServiceReadiness] = [:]
        var reviewReadiness: [String: ReviewReadiness] = [:]
        for (service, (serviceReadiness, evaluations)) in zip(content.services, perService) {
            readiness[service.slug] = serviceReadiness
            for (key, value) in evaluations { reviewReadiness[key] = value }
        }
        self.readiness = readiness
        self.reviewReadiness = reviewReadiness
        self.servicesBySlug = Dictionary(uniqueKeysWithValues: content.services.map { ($0.slug, $0) })

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
