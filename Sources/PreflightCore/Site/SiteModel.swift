/// Content plus derived readiness: everything page contexts are built from.
/// Immutable and `Sendable`, so pages render in parallel from one model.
struct SiteModel: Sendable {
    let content: SiteContent
    let config: SiteConfig
    let buildDate: Day
    let includeDrafts: Bool
    let checklists: [String: Checklist]
    /// Reviews that are published (drafts only when asked for), oldest first.
    let reviews: [String: [Review]]
    let pages: [FreePage]
    let readiness: [String: ServiceReadiness]
    /// Keyed by `Review.key`.
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
        let config = content.config
        let checklists = Dictionary(uniqueKeysWithValues: content.checklists.map { ($0.id, $0) })
        let drafts = options.includeDrafts
        let derived = Self.derive(
            content.services, content: content, checklists: checklists, config: config,
            buildDate: options.buildDate, drafts: drafts)
        self.init(
            content: content, config: config, buildDate: options.buildDate, includeDrafts: drafts,
            checklists: checklists, reviews: derived.reviews,
            pages: content.pages.filter { drafts || !$0.draft },
            readiness: derived.readiness, reviewReadiness: derived.reviewReadiness)
    }

    /// The model after the services in `changed` were reloaded into `content`;
    /// every other service keeps its figures (what `serve` does on an edit).
    init(updating previous: SiteModel, content: SiteContent, changed: Set<String>) {
        let services = content.services.filter { changed.contains($0.slug) }
        let derived = Self.derive(
            services, content: content, checklists: previous.checklists, config: previous.config,
            buildDate: previous.buildDate, drafts: previous.includeDrafts)
        var reviews = previous.reviews
        var readiness = previous.readiness
        var reviewReadiness = previous.reviewReadiness
        for slug in changed {
            reviews[slug] = nil
            readiness[slug] = nil
            for review in previous.reviews[slug] ?? [] { reviewReadiness[review.key] = nil }
        }
        reviews.merge(derived.reviews) { $1 }
        readiness.merge(derived.readiness) { $1 }
        reviewReadiness.merge(derived.reviewReadiness) { $1 }
        self.init(
            content: content, config: previous.config, buildDate: previous.buildDate,
            includeDrafts: previous.includeDrafts, checklists: previous.checklists, reviews: reviews,
            pages: previous.pages, readiness: readiness, reviewReadiness: reviewReadiness)
    }

    private init(
        content: SiteContent, config: SiteConfig, buildDate: Day, includeDrafts: Bool,
        checklists: [String: Checklist], reviews: [String: [Review]], pages: [FreePage],
        readiness: [String: ServiceReadiness], reviewReadiness: [String: ReviewReadiness]
    ) {
        self.content = content
        self.config = config
        self.buildDate = buildDate
        self.includeDrafts = includeDrafts
        self.checklists = checklists
        self.reviews = reviews
        self.pages = pages
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

    /// Published reviews and readiness of `services`; each review is evaluated once,
    /// services in parallel.
    private static func derive(
        _ services: [Service], content: SiteContent, checklists: [String: Checklist], config: SiteConfig,
        buildDate: Day, drafts: Bool
    ) -> (reviews: [String: [Review]], readiness: [String: ServiceReadiness], reviewReadiness: [String: ReviewReadiness]) {
        let staleAfter = config.staleAfterDays
        let perService = services.parallelMap { service -> ([Review], ServiceReadiness, [(String, ReviewReadiness)]) in
            let published = (content.reviews[service.slug] ?? []).filter { drafts || !$0.draft }
            let target = Readiness.target(of: service, config: config)
            let evaluated = Readiness.evaluateAll(
                published, checklists: checklists, buildDate: buildDate, target: target)
            let unreviewedChecklist = (service.checklist ?? content.defaultChecklist).flatMap { checklists[$0] }
            let readiness = Readiness.service(
                service, evaluated: evaluated, defaultChecklist: content.defaultChecklist,
                staleAfterDays: staleAfter, buildDate: buildDate, target: target,
                levels: unreviewedChecklist?.levels ?? [])
            return (published, readiness, evaluated.map { ($0.0.key, $0.1) })
        }
        var reviews: [String: [Review]] = [:]
        var readiness: [String: ServiceReadiness] = [:]
        var reviewReadiness: [String: ReviewReadiness] = [:]
        for (service, (published, serviceReadiness, evaluations)) in zip(services, perService) {
            if !published.isEmpty { reviews[service.slug] = published }
            readiness[service.slug] = serviceReadiness
            for (key, value) in evaluations { reviewReadiness[key] = value }
        }
        return (reviews, readiness, reviewReadiness)
    }

    static func teamSlug(_ owner: String) -> String {
        let slug = Slug.make(owner)
        return slug.isEmpty ? "team" : slug
    }

    static func serviceURL(_ slug: String) -> String { "services/\(slug)/" }
    static func reviewURL(_ review: Review) -> String { reviewURL(service: review.service, name: review.name) }
    static func reviewURL(service: String, name: String) -> String { "services/\(service)/reviews/\(name)/" }
    static func checklistURL(_ id: String) -> String { "checklists/\(id)/" }
    static func pageURL(_ slug: String) -> String { "pages/\(slug)/" }
    static func teamURL(owner: String) -> String { teamURL(slug: teamSlug(owner)) }
    static func teamURL(slug: String) -> String { "teams/\(slug)/" }
    static func badgeURL(_ slug: String) -> String { "badges/\(slug).svg" }
    static let actionsURL = "actions/"
}

extension Review {
    /// `service/name`: a review's key in `SiteModel.reviewReadiness`.
    var key: String { service + "/" + name }
}
