/// The readiness rules of FORMAT.md ("Derived readiness"), as pure functions.
public enum Readiness {
    /// `round(100 × done / (done + open))` with halves rounding up; 100 when nothing counts.
    public static func score(done: Int, open: Int) -> Int {
        let total = done + open
        guard total > 0 else { return 100 }
        // (200·done + total) / (2·total) is round-half-up of 100·done/total in integers.
        return (200 * done + total) / (2 * total)
    }

    /// How one review answers its checklist as of `asOf` (the day expiry and
    /// upcoming checks are judged on), for a service whose target is `target`.
    /// `facts` answer its `auto` and `rule=` checks (without them, an auto
    /// check has no evidence and a rule check reads a service with nothing set).
    public static func evaluate(
        _ review: Review, checklist: Checklist, asOf: Day? = nil, target: String? = nil, facts: CheckFacts? = nil
    ) -> ReviewReadiness {
        let day = asOf ?? review.date
        let derived = DerivedChecks(checklist, answers: review.answers, reviewDate: review.date, on: day, facts: facts)
        let checks = derived.expanded
        var doneWeight = 0
        var openWeight = 0
        var openRequired: [String] = []
        for (check, state) in zip(checklist.checks, checks) {
            switch state.counts {
            case .done: doneWeight += check.weight
            case .open:
                openWeight += check.weight
                if check.required { openRequired.append(check.id) }
            case .waived, .none: break
            }
        }
        let all = zip(checklist.checks, checks).filter { $0.1.counts != .none }
        let missingSignoffs = Self.missingSignoffs(review, checklist: checklist)
        let level = serviceLevel(all, missingSignoffs: missingSignoffs, levels: checklist.levels)
        let next = nextLevel(after: level, levels: checklist.levels)
        let nextRank = checklist.rank(of: next)
        let toNext = nextRank.map { rank in
            all.filter { check, state in state.counts == .open && (check.levelRank.map { $0 <= rank } ?? false) }
                .map { $0.0.id }
        } ?? []
        let signoffsToNext = nextRank.map { rank in missingSignoffs.filter { $0.levelRank <= rank }.map(\.role) } ?? []
        let waivers: [Waiver] = checks.compactMap { state in
            guard state.state != .upcoming, let answer = state.answer, answer.box == .waived else { return nil }
            return Waiver(check: state.id, until: answer.until, by: answer.by, expired: state.state == .expired)
        }
        return ReviewReadiness(.init(
            asOf: day,
            score: score(done: doneWeight, open: openWeight),
            level: level,
            derived: derived, openRequired: openRequired,
            actionItemsOpen: review.actionItems.filter { !$0.done }.count,
            signoffsPending: review.signoffs.filter { $0.status == .pending }.count,
            target: target, belowTarget: isBelow(level, target: target, levels: checklist.levels),
            nextLevel: next, toNextLevel: toNext, signoffsToNextLevel: signoffsToNext,
            expired: checks.filter { $0.state == .expired }.map(\.id), waivers: waivers))
    }

    /// Each category's counts, score and level, from the states of the
    /// checklist's checks in checklist order (categories in turn).
    static func categories(
        _ categories: [Checklist.Category], levels: [String], states: [CheckState]
    ) -> [CategoryReadiness] {
        var result: [CategoryReadiness] = []
        result.reserveCapacity(categories.count)
        var index = 0
        for category in categories {
            var c = CategoryReadiness(id: category.id, title: category.title)
            var done = 0
            var open = 0
            var counted: [(Checklist.Check, CheckState)] = []
            for check in category.checks {
                let state = states[index]
                index += 1
                switch state.counts {
                case .none: continue
                case .done:
                    c.done += 1
                    done += check.weight
                case .waived:
                    c.waived += 1
                case .open:
                    c.open += 1
                    open += check.weight
                }
                counted.append((check, state))
            }
            c.score = score(done: done, open: open)
            c.level = categoryLevel(counted, levels: levels)
            result.append(c)
        }
        return result
    }

    /// The checklist's sign-off rules the review has no approved sign-off for
    /// (roles compared as `Checklist.normalizedRole`), in checklist order.
    static func missingSignoffs(_ review: Review, checklist: Checklist) -> [Checklist.SignoffRule] {
        let approved = Set(review.signoffs.filter { $0.status == .approved }.map { Checklist.normalizedRole($0.role) })
        return checklist.signoffs.filter { !approved.contains(Checklist.normalizedRole($0.role)) }
    }

    /// The service level: the highest level L such that every counted check of
    /// level L or lower is done or waived and every sign-off gating a level up
    /// to L is approved; nil when the lowest level is not met.
    static func serviceLevel(
        _ checks: [(Checklist.Check, CheckState)], missingSignoffs: [Checklist.SignoffRule], levels: [String]
    ) -> String? {
        var reached: String?
        for (rank, name) in levels.enumerated() {
            guard !missingSignoffs.contains(where: { $0.levelRank <= rank }),
                met(checks, upTo: rank)
            else { break }
            reached = name
        }
        return reached
    }

    /// A category's level: the highest level among its own counted checks'
    /// levels such that every one of its checks up to that level is done or
    /// waived. A category never shows a level it has no check for.
    static func categoryLevel(_ checks: [(Checklist.Check, CheckState)], levels: [String]) -> String? {
        let candidates = Set(checks.compactMap { $0.0.levelRank }).sorted()
        var reached: String?
        for rank in candidates {
            guard met(checks, upTo: rank) else { break }
            reached = levels[rank]
        }
        return reached
    }

    private static func met(_ checks: [(Checklist.Check, CheckState)], upTo rank: Int) -> Bool {
        checks.allSatisfy { check, state in
            guard let r = check.levelRank, r <= rank else { return true }
            return state.counts == .done || state.counts == .waived
        }
    }

    /// The lowest level above `level` (the lowest level when there is none); nil at the top.
    static func nextLevel(after level: String?, levels: [String]) -> String? {
        guard let level else { return levels.first }
        guard let rank = levels.firstIndex(of: level), rank + 1 < levels.count else { return nil }
        return levels[rank + 1]
    }

    /// A service with a target is below it when its level is lower, or when it
    /// has no level. A target the checklist lacks can never be met.
    static func isBelow(_ level: String?, target: String?, levels: [String]) -> Bool {
        guard let target else { return false }
        guard let targetRank = levels.firstIndex(of: target) else { return true }
        guard let rank = level.flatMap({ levels.firstIndex(of: $0) }) else { return true }
        return rank < targetRank
    }

    /// The status rules, first match wins, with the reason that decided it.
    static func status(of review: Review, _ readiness: ReviewReadiness) -> (Status, String) {
        let rule = statusRule(of: review, readiness)
        return (rule.status, rule.reason)
    }

    /// The rule that decides a review's status, before it is put in words
    /// (history asks for the status on many days and needs no words).
    static func statusRule(of review: Review, _ readiness: ReviewReadiness) -> StatusRule {
        if review.decision == .rejected { return .rejected }
        if !readiness.openRequired.isEmpty { return .requiredOpen(readiness.openRequired, expired: readiness.expired) }
        if readiness.belowTarget, let target = readiness.target { return .belowTarget(target, level: readiness.level) }
        if review.decision == .inProgress { return .inProgress }
        if review.decision == .approvedWithConditions { return .withConditions }
        if let signoff = review.signoffs.first(where: { $0.status != .approved }) {
            return .signoff(role: signoff.role, status: signoff.status.rawValue)
        }
        if readiness.actionItemsOpen > 0 { return .actionItems(readiness.actionItemsOpen) }
        return .ready
    }

    /// Which rule of "status" (FORMAT.md) matched.
    enum StatusRule {
        case rejected
        case requiredOpen([String], expired: [String])
        case belowTarget(String, level: String?)
        case inProgress, withConditions
        case signoff(role: String, status: String)
        case actionItems(Int)
        case ready

        var status: Status {
            switch self {
            case .rejected, .requiredOpen, .belowTarget: return .notReady
            case .inProgress: return .inReview
            case .withConditions, .signoff, .actionItems: return .conditional
            case .ready: return .ready
            }
        }

        var reason: String {
            switch self {
            case .rejected: return "the review's decision is rejected"
            case .requiredOpen(let open, let expiredIDs):
                let expired = Set(expiredIDs)
                let ids = open.map { expired.contains($0) ? "\($0) (expired)" : $0 }
                return ids.count == 1
                    ? "required check \(ids[0]) is open" : "required checks \(ids.joined(separator: ", ")) are open"
            case .belowTarget(let target, let level): return "below its target \(target) (\(level.map { "at \($0)" } ?? "no level yet"))"
            case .inProgress: return "the review is in progress"
            case .withConditions: return "approved with conditions"
            case .signoff(let role, let status): return "sign-off by \(role) is \(status)"
            case .actionItems(let n): return n == 1 ? "1 action item is open" : "\(n) action items are open"
            case .ready: return "approved, with every required check done"
            }
        }
    }

    /// A service's target: its own `target`, else the one `targets` sets for its tier.
    public static func target(of service: Service, config: SiteConfig) -> String? {
        service.target ?? config.target(forTier: service.tier)?.level
    }

    /// Evaluates a service's non-draft reviews (oldest first): the latest as of
    /// `buildDate`, each earlier one as of its own date (how it stood when it
    /// was superseded is history; its page and trend point do not drift).
    public static func evaluateAll(
        _ reviews: [Review], checklists: [String: Checklist], buildDate: Day, target: String?, facts: CheckFacts? = nil
    ) -> [(Review, ReviewReadiness)] {
        reviews.enumerated().compactMap { i, review in
            checklists[review.checklist].map { checklist in
                let asOf = i == reviews.count - 1 ? buildDate : review.date
                return (review, evaluate(review, checklist: checklist, asOf: asOf, target: target, facts: facts))
            }
        }
    }

    /// A service's readiness from its non-draft reviews (oldest first).
    public static func service(
        _ service: Service, reviews: [Review], checklists: [String: Checklist], defaultChecklist: String?,
        staleAfterDays: Int, buildDate: Day, target: String? = nil, facts: CheckFacts? = nil
    ) -> ServiceReadiness {
        let evaluated = evaluateAll(reviews, checklists: checklists, buildDate: buildDate, target: target, facts: facts)
        let checklist = (service.checklist ?? defaultChecklist).flatMap { checklists[$0] }
        return Self.service(
            service, evaluated: evaluated, defaultChecklist: defaultChecklist, staleAfterDays: staleAfterDays,
            buildDate: buildDate, target: target, levels: checklist?.levels ?? [])
    }

    /// The same, from reviews already evaluated (each review is evaluated once
    /// per build). `levels` are those of the checklist an unreviewed service would use.
    static func service(
        _ service: Service, evaluated: [(Review, ReviewReadiness)], defaultChecklist: String?,
        staleAfterDays: Int, buildDate: Day, target: String?, levels: [String]
    ) -> ServiceReadiness {
        guard let (latest, readiness) = evaluated.last else {
            return ServiceReadiness(.init(
                slug: service.slug, status: .unreviewed, reason: "no review yet",
                checklist: service.checklist ?? defaultChecklist, target: target, belowTarget: target != nil,
                nextLevel: levels.first))
        }
        let (status, reason) = Self.status(of: latest, readiness)
        return ServiceReadiness(.init(
            slug: service.slug, status: status, reason: reason, score: readiness.score,
            level: readiness.level, lastReview: latest.date, lastReviewName: latest.name,
            stale: latest.date.days(until: buildDate) > staleAfterDays,
            trend: evaluated.map { $0.1.score }, openRequired: readiness.openRequired,
            actionItemsOpen: readiness.actionItemsOpen, signoffsPending: readiness.signoffsPending,
            categories: readiness.categories, checklist: latest.checklist, target: target,
            belowTarget: readiness.belowTarget, nextLevel: readiness.nextLevel, toNextLevel: readiness.toNextLevel,
            signoffsToNextLevel: readiness.signoffsToNextLevel, expired: readiness.expired,
            waivers: readiness.waivers, latest: readiness))
    }
}

public enum Status: String, Sendable, CaseIterable {
    case unreviewed
    case notReady = "not-ready"
    case inReview = "in-review"
    case conditional
    case ready

    /// Worst first, for listings: not ready, unreviewed, in review,
    /// conditional, ready.
    public var severity: Int {
        switch self {
        case .notReady: return 0
        case .unreviewed: return 1
        case .inReview: return 2
        case .conditional: return 3
        case .ready: return 4
        }
    }

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

/// How one check stands in one review, on one day.
public struct CheckState: Sendable, Equatable {
    public enum State: String, Sendable {
        case done, open, waived, unanswered
        /// A done answer older than the check's `every=`, or a waiver past its
        /// `until=`: counts as open.
        case expired
        /// Before the check's `from=` day: shown, counted nowhere.
        case upcoming
    }

    /// What a state counts as in scores, levels and category counts.
    public enum Counts: Sendable, Equatable {
        case done, open, waived, none
    }

    public var id: String
    public var categoryID: String
    public var state: State
    public var answer: Review.Answer?
    /// The last day an answer, waiver or passing evidence holds (nil when it
    /// never expires, or the check is not done or waived).
    public var holdsUntil: Day?
    /// For an `auto` or `rule=` check: what its evidence or rule says on the
    /// day (also when a waiver or `from=` decides the state, for pages).
    public var verdict: CheckVerdict?

    public init(
        id: String, categoryID: String, state: State, answer: Review.Answer?, holdsUntil: Day? = nil,
        verdict: CheckVerdict? = nil
    ) {
        self.id = id
        self.categoryID = categoryID
        self.state = state
        self.answer = answer
        self.holdsUntil = holdsUntil
        self.verdict = verdict
    }

    /// The rules of FORMAT.md v2: a done answer holds `every` days after the
    /// review's date, a waiver up to and including its `until` day, and a
    /// check before its `from` day is upcoming. An `auto` or `rule=` check
    /// that is not waived takes its state from its evidence or rule
    /// (docs/format.md, "Evidence decides"); without `facts`, from none.
    init(_ check: Checklist.Check, answer: Review.Answer?, reviewDate: Day, on day: Day, facts: CheckFacts? = nil) {
        var holdsUntil: Day?
        let state: State
        let verdict = check.auto || check.rule != nil
            ? (facts ?? .none).verdict(check, on: day)
            : nil
        if check.isUpcoming(on: day) {
            state = .upcoming
        } else if let verdict, answer?.box != .waived {
            state = verdict.state
            holdsUntil = verdict.holdsUntil
        } else {
            switch answer?.box {
            case .done?:
                holdsUntil = check.every.map { reviewDate.adding(days: $0) }
                state = (holdsUntil.map { day <= $0 } ?? true) ? .done : .expired
            case .waived?:
                holdsUntil = answer?.until
                state = (holdsUntil.map { day <= $0 } ?? true) ? .waived : .expired
            case .open?: state = .open
            case nil: state = .unanswered
            }
        }
        self.init(
            id: check.id, categoryID: check.categoryID, state: state, answer: answer, holdsUntil: holdsUntil,
            verdict: verdict)
    }

    /// For an `auto` or `rule=` check, why it does not count as done: the
    /// evidence's or rule's reason, "waived" or "upcoming"; nil when done.
    public var verdictReason: String? {
        switch state {
        case .done: return nil
        case .waived: return "waived"
        case .upcoming: return "upcoming"
        default: return verdict?.reason
        }
    }

    /// A tick (`[x]`) that evidence or a rule overrules: the check counts as open.
    public var isContradicted: Bool {
        answer?.box == .done && verdict != nil && state != .done && state != .upcoming
    }

    /// When the answer or waiver runs out, in words, as of `day`: "expires
    /// tomorrow" on its last day, "expires in 12 days", "expired today" on
    /// the first day it no longer holds, "expired 3 days ago"; nil when it
    /// never expires.
    public func expiry(on day: Day) -> String? {
        guard let holdsUntil else { return nil }
        let left = day.days(until: holdsUntil) + 1
        if state == .expired {
            return left == 0 ? "expired today" : "expired \(-left) day\(left == -1 ? "" : "s") ago"
        }
        return left == 1 ? "expires tomorrow" : "expires in \(left) days"
    }

    public var counts: Counts {
        switch state {
        case .done: return .done
        case .waived: return .waived
        case .open, .unanswered, .expired: return .open
        case .upcoming: return .none
        }
    }
}

/// How a review stands on every check of its checklist, kept as what it is
/// made from: the checklist's arrays and the review's answers, shared, not
/// copied, and the two days. A state is a pure function of those (FORMAT.md
/// v2's rules, `CheckState.init(_:answer:reviewDate:on:)`), so it is made
/// again when read instead of being kept: a site keeps one evaluation per
/// review, and its states and category counts were the largest part of a
/// build's memory at 100,000 reviews (issue 16).
struct DerivedChecks: Sendable, Equatable {
    private let checks: [Checklist.Check]
    private let categoryList: [Checklist.Category]
    private let levels: [String]
    private let answers: Review.Answers
    private let reviewDate: Day
    private let day: Day
    /// The service's evidence and front matter, for `auto` and `rule=` checks.
    let facts: CheckFacts?

    init(_ checklist: Checklist, answers: Review.Answers, reviewDate: Day, on day: Day, facts: CheckFacts? = nil) {
        self.checks = checklist.checks
        self.categoryList = checklist.categories
        self.levels = checklist.levels
        self.answers = answers
        self.reviewDate = reviewDate
        self.day = day
        self.facts = facts
    }

    var count: Int { checks.count }

    /// The state of the check at `index` (checklist order).
    subscript(index: Int) -> CheckState {
        let check = checks[index]
        return CheckState(check, answer: answers[check.id], reviewDate: reviewDate, on: day, facts: facts)
    }

    var expanded: [CheckState] { checks.indices.map { self[$0] } }

    /// Each category's counts, score and level.
    var categories: [CategoryReadiness] {
        Readiness.categories(categoryList, levels: levels, states: expanded)
    }

    static func == (a: DerivedChecks, b: DerivedChecks) -> Bool {
        a.expanded == b.expanded
    }
}

/// A waived check of a review: who granted it, until when, and whether it has run out.
public struct Waiver: Sendable, Equatable {
    public var check: String
    public var until: Day?
    public var by: String?
    public var expired: Bool
}

public struct CategoryReadiness: Sendable, Equatable {
    public var id: String
    public var title: String
    public var done = 0
    public var open = 0
    public var waived = 0
    public var score = 100
    /// The highest level among this category's own checks that they all meet.
    public var level: String?
}

/// An immutable value behind one reference: copying what holds it costs one
/// retain however many fields the value has.
final class Shared<Value: Sendable & Equatable>: Sendable, Equatable {
    let value: Value

    init(_ value: Value) {
        self.value = value
    }

    static func == (a: Shared, b: Shared) -> Bool {
        a === b || a.value == b.value
    }
}

/// One review's evaluation. Its figures sit in one shared, immutable box:
/// a model keeps tens of thousands of these in dictionaries that `serve`
/// copies on every edit, and a box copies with one retain instead of one per
/// field. Fields read as if stored (`evaluation.score`).
@dynamicMemberLookup
public struct ReviewReadiness: Sendable, Equatable {
    public struct Figures: Sendable, Equatable {
        /// The day expiry and upcoming checks were judged on.
        public var asOf: Day
        public var score: Int
        public var level: String?
        let derived: DerivedChecks
        public var openRequired: [String]
        public var actionItemsOpen: Int
        public var signoffsPending: Int
        public var target: String?
        public var belowTarget: Bool
        public var nextLevel: String?
        /// Open checks with a level up to the next level, in checklist order.
        public var toNextLevel: [String]
        /// Roles of the checklist sign-offs up to the next level not approved here.
        public var signoffsToNextLevel: [String]
        /// Checks open only because an answer or waiver expired.
        public var expired: [String]
        public var waivers: [Waiver]
    }

    private let box: Shared<Figures>

    init(_ figures: Figures) {
        box = Shared(figures)
    }

    public subscript<Value>(dynamicMember field: KeyPath<Figures, Value>) -> Value {
        box.value[keyPath: field]
    }

    var derived: DerivedChecks { box.value.derived }
    /// What answered its `auto` and `rule=` checks (nil when nothing was given).
    public var facts: CheckFacts? { derived.facts }
    /// Each category of the checklist, made when read (see `DerivedChecks`).
    public var categories: [CategoryReadiness] { derived.categories }
    /// Every check of the checklist, in checklist order, made when read (see
    /// `DerivedChecks`): read it once per use.
    public var checks: [CheckState] { derived.expanded }

    public static func == (a: ReviewReadiness, b: ReviewReadiness) -> Bool {
        a.box == b.box
    }
}

/// A service's readiness. Its figures sit in one shared, immutable box, as
/// `ReviewReadiness`'s do, for the same reason: `serve` copies the model's
/// dictionary of them on every edit.
@dynamicMemberLookup
public struct ServiceReadiness: Sendable, Equatable {
    public struct Figures: Sendable, Equatable {
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
        public var target: String?
        public var belowTarget = false
        public var nextLevel: String?
        public var toNextLevel: [String] = []
        public var signoffsToNextLevel: [String] = []
        public var expired: [String] = []
        public var waivers: [Waiver] = []
        /// The latest review's full evaluation.
        public var latest: ReviewReadiness?
    }

    private let box: Shared<Figures>

    init(_ figures: Figures) {
        box = Shared(figures)
    }

    public subscript<Value>(dynamicMember field: KeyPath<Figures, Value>) -> Value {
        box.value[keyPath: field]
    }

    public static func == (a: ServiceReadiness, b: ServiceReadiness) -> Bool {
        a.box == b.box
    }
}
