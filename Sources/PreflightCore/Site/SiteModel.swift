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
    /// By service and review name.
    let reviewReadiness: ReviewTable
    /// Latest reviews judged on their own date (where that is not the build
    /// date), by service and review name: what a review changed compares reviews
    /// as they were made. See `asMade(_:)`.
    let latestAsMade: ReviewTable
    /// Each service's history, oldest first, by slug (see `Standing`).
    let standings: [String: [Standing]]
    /// Sorted by id, with their progress.
    let campaigns: [(campaign: Campaign, progress: CampaignProgress)]
    /// Readiness over time, month by month.
    let history: [History.Month]
    /// Owners, sorted by slug; owners whose names slug alike are one team.
    let teams: [Team]
    /// The slugs of `teams`: which owners have a page.
    let teamSlugs: Set<String>
    /// By team slug: the services whose latest review has an open action
    /// item assigned to that team (`@owner`).
    let assignedServices: [String: Set<String>]
    let servicesBySlug: ServicesBySlug
    /// Where a build with a cache keeps texts derived from one input (the
    /// words of a review for the search index) for the next build; nil
    /// without a cache.
    var derived: (any DerivedTexts)?
    /// With `derived`: the digest of the site's facts (`BuildCache.siteKeys`),
    /// which keys what is derived from across the site.
    var siteFacts: Digest?

    /// Services by slug, as positions in `content.services` (shared, not
    /// copied): an edit in `serve` keeps the positions and costs nothing here.
    struct ServicesBySlug: Sendable {
        let services: [Service]
        let positions: [String: Int]

        subscript(slug: String) -> Service? {
            positions[slug].map { services[$0] }
        }
    }

    struct Team: Sendable {
        var slug: String
        var name: String
        /// Slugs of its services, sorted: its own and, rolled up, those of
        /// the teams below it (a catalog's groups and their parents).
        var services: [String]
        /// The team it is part of (a catalog group's parent), and the teams
        /// part of it, sorted by slug.
        var parent: String?
        var children: [String] = []
        /// How many of its services are its own (the rest are its sub-teams').
        var ownCount = 0

        init(slug: String, name: String, services: [String]) {
            self.slug = slug
            self.name = name
            self.services = services
        }
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
            readiness: derived.readiness, reviewReadiness: derived.reviewReadiness, latestAsMade: derived.latestAsMade,
            standings: derived.standings)
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
        var latestAsMade = previous.latestAsMade
        var standings = previous.standings
        for slug in changed {
            reviews[slug] = nil
            readiness[slug] = nil
            standings[slug] = nil
            reviewReadiness[service: slug] = derived.reviewReadiness[service: slug]
            latestAsMade[service: slug] = derived.latestAsMade[service: slug]
        }
        reviews.merge(derived.reviews) { $1 }
        readiness.merge(derived.readiness) { $1 }
        standings.merge(derived.standings) { $1 }
        // The history is counted again for the changed services only.
        let history = History.monthly(
            updating: previous.history,
            removing: changed.map { Self.timeline($0, readiness: previous.readiness, standings: previous.standings) },
            adding: changed.map { Self.timeline($0, readiness: readiness, standings: standings) },
            first: History.firstReview(standings.values.lazy.compactMap { $0.first?.from }, buildDate: previous.buildDate),
            buildDate: previous.buildDate)
        self.init(
            content: content, config: previous.config, buildDate: previous.buildDate,
            includeDrafts: previous.includeDrafts, checklists: previous.checklists, reviews: reviews,
            pages: previous.pages, readiness: readiness, reviewReadiness: reviewReadiness, latestAsMade: latestAsMade,
            standings: standings, history: history,
            // A reload replaces services where they stand (`ContentLoader.reload`).
            servicePositions: previous.servicesBySlug.positions)
    }

    /// One service's history for `History`: its standings, and where it stands now.
    private static func timeline(
        _ slug: String, readiness: [String: ServiceReadiness], standings: [String: [Standing]]
    ) -> History.Timeline {
        let r = readiness[slug]!
        let past = (standings[slug] ?? []).map { ($0.from, $0.status, $0.level) }
        return History.Timeline(reviews: past, current: (r.status, r.level))
    }

    private init(
        content: SiteContent, config: SiteConfig, buildDate: Day, includeDrafts: Bool,
        checklists: [String: Checklist], reviews: [String: [Review]], pages: [FreePage],
        readiness: [String: ServiceReadiness], reviewReadiness: ReviewTable,
        latestAsMade: ReviewTable, standings: [String: [Standing]], history: [History.Month]? = nil,
        servicePositions: [String: Int]? = nil
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
        self.latestAsMade = latestAsMade
        self.standings = standings
        self.servicesBySlug = ServicesBySlug(
            services: content.services,
            positions: servicePositions
                ?? Dictionary(uniqueKeysWithValues: content.services.enumerated().map { ($1.slug, $0) }))
        // Services are read in place, field by field: `for service in` copies
        // every service, which an edit in `serve` pays for each one.
        let services = content.services
        // Owners repeat across services: each name is made a slug once.
        var slugs: [String: String] = [:]
        func teamSlug(_ owner: String) -> String {
            if let slug = slugs[owner] { return slug }
            let slug = Self.teamSlug(owner)
            slugs[owner] = slug
            return slug
        }
        var teams: [String: Team] = [:]
        for i in services.indices {
            guard let owner = services[i].owner else { continue }
            let slug = teamSlug(owner)
            teams[slug, default: Team(slug: slug, name: owner, services: [])].services.append(services[i].slug)
        }
        // An action item's owner who owns no service still gets a page: the
        // items assigned to them, linked from every list that names them.
        var assigned: [String: Set<String>] = [:]
        for i in services.indices {
            let service = services[i].slug
            guard let list = reviews[service], !list.isEmpty else { continue }
            for item in list[list.count - 1].actionItems where !item.done {
                guard let owner = item.owner else { continue }
                let slug = teamSlug(owner)
                if teams[slug] == nil { teams[slug] = Team(slug: slug, name: owner, services: []) }
                assigned[slug, default: []].insert(service)
            }
        }
        self.assignedServices = assigned
        Self.addGroups(content.catalog.groups, to: &teams)
        self.teams = teams.values.sorted { $0.slug < $1.slug }
        self.teamSlugs = Set(teams.keys)
        self.campaigns = Self.published(content.campaigns, drafts: includeDrafts).enumerated().map { i, campaign in
            (campaign, Self.progress(
                of: campaign, index: i, content: content, reviews: reviews, reviewReadiness: reviewReadiness,
                standings: standings, checklists: checklists, buildDate: buildDate))
        }
        self.history = history ?? History.monthly(
            content.services.map { Self.timeline($0.slug, readiness: readiness, standings: standings) },
            buildDate: buildDate)
    }

    /// A catalog's groups: their display names, their parents (added as
    /// teams, so a parent has a page of its own), and each team's services
    /// rolled up into every team above it. A parent chain that loops stops
    /// where it would repeat.
    private static func addGroups(_ groups: [String: Catalog.Group], to teams: inout [String: Team]) {
        for slug in teams.keys { teams[slug]!.ownCount = teams[slug]!.services.count }
        guard !groups.isEmpty else { return }
        let own = teams.mapValues(\.services)
        for slug in own.keys.sorted() {
            if let group = groups[slug] { teams[slug]!.name = group.name }
            var current = slug
            var seen: Set<String> = [slug]
            while let parent = groups[current]?.parent, seen.insert(parent).inserted {
                teams[current]!.parent = parent
                if teams[parent] == nil { teams[parent] = Team(slug: parent, name: groups[parent]?.name ?? parent, services: []) }
                teams[parent]!.services += own[slug]!
                current = parent
            }
        }
        for slug in teams.keys {
            teams[slug]!.services = Array(Set(teams[slug]!.services)).sorted()
            if let parent = teams[slug]!.parent { teams[parent]!.children.append(slug) }
        }
        for slug in teams.keys { teams[slug]!.children.sort() }
    }

    /// The campaigns the site shows (drafts only when asked for), in one
    /// place: each `Standing.meets` is indexed by this list.
    private static func published(_ campaigns: [Campaign], drafts: Bool) -> [Campaign] {
        campaigns.filter { drafts || !$0.draft }
    }

    /// A campaign's progress over the services in its scope; `index` is its
    /// place among the published campaigns (and in each `Standing.meets`).
    private static func progress(
        of campaign: Campaign, index: Int, content: SiteContent, reviews: [String: [Review]],
        reviewReadiness: ReviewTable, standings: [String: [Standing]],
        checklists: [String: Checklist], buildDate: Day
    ) -> CampaignProgress {
        let entries = content.services.filter { campaign.scope.contains($0) }.map { service in
            let latest = reviews[service.slug]?.last.flatMap { review -> CampaignProgress.Answer? in
                guard let evaluation = reviewReadiness[review], let checklist = checklists[review.checklist]
                else { return nil }
                return CampaignProgress.Answer(review: review, evaluation: evaluation, checklist: checklist)
            }
            let history = (standings[service.slug] ?? []).map { (from: $0.from, meets: $0.meets[index]) }
            return CampaignProgress.Entry(slug: service.slug, latest: latest, history: history)
        }
        return CampaignProgress(goal: campaign.goal, deadline: campaign.deadline, entries: entries, buildDate: buildDate)
    }

    /// Published reviews and readiness of `services`; each review is evaluated once,
    /// services in parallel, plus once per day its figures change (history).
    private static func derive(
        _ services: [Service], content: SiteContent, checklists: [String: Checklist], config: SiteConfig,
        buildDate: Day, drafts: Bool
    ) -> (
        reviews: [String: [Review]], readiness: [String: ServiceReadiness], reviewReadiness: ReviewTable,
        latestAsMade: ReviewTable, standings: [String: [Standing]]
    ) {
        let staleAfter = config.staleAfterDays
        let campaigns = published(content.campaigns, drafts: drafts)
        typealias Derived = (
            published: [Review], readiness: ServiceReadiness, evaluations: [(String, ReviewReadiness)],
            asMade: ReviewReadiness?, standings: [Standing]
        )
        let perService = services.parallelMap { service -> Derived in
            // The content's own array when nothing is left out: shared, not copied.
            let all = content.reviews[service.slug] ?? []
            let published = drafts || !all.contains(where: \.draft) ? all : all.filter { !$0.draft }
            let target = Readiness.target(of: service, config: config)
            let facts = CheckFacts(service: service, evidence: content.evidence[service.slug])
            let evaluated = Readiness.evaluateAll(
                published, checklists: checklists, buildDate: buildDate, target: target, facts: facts)
            let unreviewedChecklist = (service.checklist ?? content.defaultChecklist).flatMap { checklists[$0] }
            let readiness = Readiness.service(
                service, evaluated: evaluated, defaultChecklist: content.defaultChecklist,
                staleAfterDays: staleAfter, buildDate: buildDate, target: target,
                levels: unreviewedChecklist?.levels ?? [])
            let inScope = campaigns.map { $0.scope.contains(service) }
            let history = Readiness.standings(
                evaluated, checklists: checklists, buildDate: buildDate, target: target, facts: facts
            ) { review, evaluation, checklist in
                zip(campaigns, inScope).map { campaign, inScope in
                    inScope && CampaignProgress.shortfall(
                        of: service.slug, goal: campaign.goal,
                        CampaignProgress.Answer(review: review, evaluation: evaluation, checklist: checklist)) == nil
                }
            }
            return (published, readiness, evaluated.map { ($0.0.name, $0.1) }, history.latestAsMade, history.standings)
        }
        var reviews: [String: [Review]] = [:]
        var readiness: [String: ServiceReadiness] = [:]
        var reviewReadiness = ReviewTable()
        var latestAsMade = ReviewTable()
        var standings: [String: [Standing]] = [:]
        for (service, derived) in zip(services, perService) {
            if !derived.published.isEmpty { reviews[service.slug] = derived.published }
            readiness[service.slug] = derived.readiness
            if !derived.evaluations.isEmpty {
                reviewReadiness[service: service.slug] = Dictionary(derived.evaluations) { $1 }
            }
            if let asMade = derived.asMade, let latest = derived.published.last {
                latestAsMade[service: service.slug] = [latest.name: asMade]
            }
            standings[service.slug] = derived.standings
        }
        return (reviews, readiness, reviewReadiness, latestAsMade, standings)
    }

    /// The owner's slug; an owner with no letter or digit a slug can keep
    /// (`日本語`, `---`) gets `team-` and a digest of its name, so that two
    /// such owners stay two teams.
    static func teamSlug(_ owner: String) -> String {
        let slug = Slug.make(owner)
        return slug.isEmpty ? "team-" + stableDigest(owner).prefix(8) : slug
    }

    /// The team with this slug (`teams` is sorted by slug); nil when there is none.
    func team(slug: String) -> Team? {
        var low = 0
        var high = teams.count
        while low < high {
            let mid = (low + high) / 2
            if teams[mid].slug < slug { low = mid + 1 } else { high = mid }
        }
        return low < teams.count && teams[low].slug == slug ? teams[low] : nil
    }

    /// The services a team's action item lists and calendar draw on: its
    /// own, and those with an open action item assigned to it.
    func reach(of team: Team) -> Set<String> {
        Set(team.services).union(assignedServices[team.slug] ?? [])
    }

    /// Whether `item` names the team with the slug `team` as its owner.
    static func isAssigned(_ item: Review.ActionItem, to team: String) -> Bool {
        item.owner.map(teamSlug) == team
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
    static let campaignsURL = "campaigns/"
    static let teamsURL = "teams/"
    static func campaignURL(_ id: String) -> String { "campaigns/\(id)/" }
    static let calendarPath = "deadlines.ics"
    static func teamCalendarPath(slug: String) -> String { teamURL(slug: slug) + "deadlines.ics" }

    /// What the review changed against the service's previous published
    /// review, both as they stood on their own dates: what a review changed
    /// is history, and an answer that expired since is not its doing.
    func changes(of review: Review) -> ReviewChanges? {
        guard let current = asMade(review), let reviews = reviews[review.service],
            let i = reviews.firstIndex(where: { $0.name == review.name })
        else { return nil }
        let previous = i > 0 ? reviews[i - 1] : nil
        return ReviewChanges(
            previous: previous.flatMap { p in asMade(p).map { (p.name, p.date, $0) } }, current: current)
    }

    /// A published review judged on its own date.
    func asMade(_ review: Review) -> ReviewReadiness? {
        latestAsMade[review] ?? reviewReadiness[review]
    }

    /// A service's `auto` and `rule=` checks as they stand on the build date,
    /// in checklist order: from its latest review, or, for an unreviewed
    /// service, from its evidence and front matter alone (no review to
    /// answer, but what the evidence says already). Nil when its checklist
    /// has none.
    func answeredChecks(of service: Service) -> (checklist: Checklist, states: [CheckState], reviewed: Bool)? {
        let r = readiness[service.slug]
        guard let checklist = r?.checklist.flatMap({ checklists[$0] }),
            checklist.checks.contains(where: { $0.auto || $0.rule != nil })
        else { return nil }
        if let latest = r?.latest {
            return (checklist, latest.checks.filter { $0.verdict != nil }, true)
        }
        let facts = CheckFacts(service: service, evidence: content.evidence[service.slug])
        let states = checklist.checks.filter { $0.auto || $0.rule != nil }.map {
            CheckState($0, answer: nil, reviewDate: buildDate, on: buildDate, facts: facts)
        }
        return (checklist, states, false)
    }
}

extension Review {
    /// `service/name`: which review this is, across services.
    var key: String { service + "/" + name }
}

/// Review evaluations by service and review name, kept in one table per
/// service: an edit in `serve` puts in the edited service's table, where a
/// flat dictionary was copied entry by entry for every review of the site.
struct ReviewTable: Sendable {
    private var services: [String: [String: ReviewReadiness]] = [:]

    subscript(review: Review) -> ReviewReadiness? {
        services[review.service]?[review.name]
    }

    /// One service's evaluations, by review name.
    subscript(service slug: String) -> [String: ReviewReadiness]? {
        get { services[slug] }
        set { services[slug] = newValue }
    }
}
