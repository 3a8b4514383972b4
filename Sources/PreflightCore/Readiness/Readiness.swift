/// The readiness rules of FORMAT.md ("Derived readiness"), as pure functions.
public enum Readiness {
    /// `round(100 × done / (done + open))` with halves rounding up; 100 when nothing counts.
    public static func score(done: Int, open: Int) -> Int {
        let total = done + open
        guard total > 0 else { return 100 }
        // (200·done + total) / (2·total) is round-half-up of 100·done/total in integers.
        return (200 * done + total) / (2 * total)
    }

    /// How one review answers its checklist.
    public static func evaluate(_ review: Review, checklist: Checklist) -> ReviewReadiness {
        var categories: [CategoryReadiness] = []
        var checks: [CheckState] = []
        var doneWeight = 0
        var openWeight = 0
        var openRequired: [String] = []
        for category in checklist.categories {
            var c = CategoryReadiness(id: category.id, title: category.title)
            var catDone = 0
            var catOpen = 0
            var states: [(Checklist.Check, CheckState.State)] = []
            for check in category.checks {
                let answer = review.answers[check.id]
                let state: CheckState.State
                switch answer?.box {
                case .done?: state = .done
                case .waived?: state = .waived
                case .open?: state = .open
                case nil: state = .unanswered
                }
                switch state {
                case .done:
                    c.done += 1
                    catDone += check.weight
                case .waived:
                    c.waived += 1
                case .open, .unanswered:
                    c.open += 1
                    catOpen += check.weight
                    if check.required { openRequired.append(check.id) }
                }
                states.append((check, state))
                checks.append(CheckState(id: check.id, categoryID: category.id, state: state, answer: answer))
            }
            c.score = score(done: catDone, open: catOpen)
            c.level = level(states, levels: checklist.levels)
            doneWeight += catDone
            openWeight += catOpen
            categories.append(c)
        }
        let all = zip(checklist.checks, checks).map { ($0, $1.state) }  // same order: categories flattened
        return ReviewReadiness(
            score: score(done: doneWeight, open: openWeight),
            level: level(all, levels: checklist.levels),
            categories: categories, checks: checks, openRequired: openRequired,
            actionItemsOpen: review.actionItems.filter { !$0.done }.count,
            signoffsPending: review.signoffs.filter { $0.status == .pending }.count)
    }

    /// The highest level L such that every check of level L or lower is done or
    /// waived; nil when the lowest level is not met (or the checklist has no levels).
    static func level(_ checks: [(Checklist.Check, CheckState.State)], levels: [String]) -> String? {
        var reached: String?
        for (rank, name) in levels.enumerated() {
            let met = checks.allSatisfy { check, state in
                guard let r = check.levelRank, r <= rank else { return true }
                return state == .done || state == .waived
            }
            guard met else { break }
            reached = name
        }
        return reached
    }

    /// The status rules, first match wins, with the reason that decided it.
    static func status(of review: Review, _ readiness: ReviewReadiness) -> (Status, String) {
        if review.decision == .rejected { return (.notReady, "the review's decision is rejected") }
        if !readiness.openRequired.isEmpty {
            let ids = readiness.openRequired
            return ids.count == 1
                ? (.notReady, "required check \(ids[0]) is open")
                : (.notReady, "required checks \(ids.joined(separator: ", ")) are open")
        }
        if review.decision == .inProgress { return (.inReview, "the review is in progress") }
        if review.decision == .approvedWithConditions { return (.conditional, "approved with conditions") }
        if let signoff = review.signoffs.first(where: { $0.status != .approved }) {
            return (.conditional, "sign-off by \(signoff.role) is \(signoff.status.rawValue)")
        }
        let open = readiness.actionItemsOpen
        if open > 0 {
            return (.conditional, open == 1 ? "1 action item is open" : "\(open) action items are open")
        }
        return (.ready, "approved, with every required check done")
    }

    /// A service's readiness from its non-draft reviews (oldest first).
    public static func service(
        _ service: Service, reviews: [Review], checklists: [String: Checklist], defaultChecklist: String?,
        staleAfterDays: Int, buildDate: Day
    ) -> ServiceReadiness {
        let evaluated: [(Review, ReviewReadiness)] = reviews.compactMap { review in
            checklists[review.checklist].map { (review, evaluate(review, checklist: $0)) }
        }
        return Self.service(
            service, evaluated: evaluated, defaultChecklist: defaultChecklist, staleAfterDays: staleAfterDays,
            buildDate: buildDate)
    }

    /// The same, from reviews already evaluated (each review is evaluated once per build).
    static func service(
        _ service: Service, evaluated: [(Review, ReviewReadiness)], defaultChecklist: String?,
        staleAfterDays: Int, buildDate: Day
    ) -> ServiceReadiness {
        guard let (latest, readiness) = evaluated.last else {
            return ServiceReadiness(
                slug: service.slug, status: .unreviewed, reason: "no review yet",
                checklist: service.checklist ?? defaultChecklist)
        }
        let (status, reason) = Self.status(of: latest, readiness)
        return ServiceReadiness(
            slug: service.slug, status: status, reason: reason, score: readiness.score,
            level: readiness.level, lastReview: latest.date, lastReviewName: latest.name,
            stale: latest.date.days(until: buildDate) > staleAfterDays,
            trend: evaluated.map { $0.1.score }, openRequired: readiness.openRequired,
            actionItemsOpen: readiness.actionItemsOpen, signoffsPending: readiness.signoffsPending,
            categories: readiness.categories, checklist: latest.checklist, latest: readiness)
    }
}

public enum Status: String, Sendable, CaseIterable {
    case unreviewed
    case notReady = "not-ready"
    case inReview = "in-review"
    case conditional
    case ready

    /// Words for people.
    public var label: String {
        switch self {
        case .unreviewed: return "Unreviewed"
        case .notReady: return "Not ready"
        case .inReview: return "In review"
        case .conditional: return "Conditional"
        case .ready: return "Ready"
        }
    }
}

/// How one check stands in one review.
public struct CheckState: Sendable, Equatable {
    public enum State: String, Sendable {
        case done, open, waived, unanswered
    }

    public var id: String
    public var categoryID: String
    public var state: State
    public var answer: Review.Answer?
}

public struct CategoryReadiness: Sendable, Equatable {
    public var id: String
    public var title: String
    public var done = 0
    public var open = 0
    public var waived = 0
    public var score = 100
    /// The highest level met by this category's own checks.
    public var level: String?
}

public struct ReviewReadiness: Sendable, Equatable {
    public var score: Int
    public var level: String?
    public var categories: [CategoryReadiness]
    /// Every check of the checklist, in checklist order.
    public var checks: [CheckState]
    public var openRequired: [String]
    public var actionItemsOpen: Int
    public var signoffsPending: Int
}

public struct ServiceReadiness: Sendable, Equatable {
    public var slug: String
    public var status: Status
    /// Why the status is what it is, e.g. "required check sec-secrets is open".
    public var reason: String
    public var score: Int?
    public var level: String?
    public var lastReview: Day?
    public var lastReviewName: String?
    public var stale = false
    public var trend: [Int] = []
    public var openRequired: [String] = []
    public var actionItemsOpen = 0
    public var signoffsPending = 0
    public var categories: [CategoryReadiness] = []
    public var checklist: String?
    /// The latest review's full evaluation.
    public var latest: ReviewReadiness?
}
