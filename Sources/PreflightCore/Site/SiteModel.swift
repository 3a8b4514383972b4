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
    }

    static func serviceURL(_ slug: String) -> String { "services/\(slug)/" }
    static func reviewURL(_ review: Review) -> String { "services/\(review.service)/reviews/\(review.name)/" }
    static func checklistURL(_ id: String) -> String { "checklists/\(id)/" }
    static func pageURL(_ slug: String) -> String { "pages/\(slug)/" }
}
