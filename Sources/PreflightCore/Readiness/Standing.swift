/// Where a service stood from one day on: its status, its level and the
/// campaigns it met, until the next standing begins. A service's standings,
/// oldest first, are its history: each review starts one on its date, and
/// another starts on every day one of its answers or waivers runs out or one
/// of its checks begins to count (`every=`, `until=`, `from=`).
public struct Standing: Sendable, Equatable {
    public var from: Day
    public var status: Status
    public var level: String?
    /// Per campaign (in the model's campaign order): whether the service met
    /// its goal. Meaningful only for campaigns whose scope holds the service.
    public var meets: [Bool]

    public init(from: Day, status: Status, level: String?, meets: [Bool] = []) {
        self.from = from
        self.status = status
        self.level = level
        self.meets = meets
    }
}

extension Readiness {
    /// At most this many later standings per review: each costs an
    /// evaluation, and a checklist could give every check its own `every=`
    /// (80 distinct ones made a 1,500-review build 2.5 × slower at 64).
    /// Beyond it, the days are sampled evenly, the first and last kept.
    static let maxChangeDays = 24

    static func sample(_ days: [Day]) -> [Day] {
        guard days.count > maxChangeDays else { return days }
        let step = Double(days.count - 1) / Double(maxChangeDays - 1)
        return (0..<maxChangeDays).map { days[Int((Double($0) * step).rounded())] }
    }

    /// The days after a review's date, up to `end`, on which its figures can
    /// change: the day after a time-limited answer or waiver last holds, a
    /// check's `from=` day, and a day an `auto` check's evidence changes its
    /// state. Sorted, each once.
    static func changeDays(
        _ review: Review, checklist: Checklist, through end: Day = .last, facts: CheckFacts? = nil
    ) -> [Day] {
        var days: Set<Day> = []
        for check in checklist.checks {
            if let from = check.from, from > review.date { days.insert(from) }
            let answer = review.answers[check.id]
            if check.auto, answer?.box != .waived, let facts {
                days.formUnion(facts.changeDays(check, after: review.date, through: end))
                continue
            }
            guard let answer else { continue }
            switch answer.box {
            case .done: if let every = check.every { days.insert(review.date.adding(days: every + 1)) }
            case .waived: if let until = answer.until, until >= review.date { days.insert(until.adding(days: 1)) }
            default: break
            }
        }
        return days.filter { $0 <= end }.sorted()
    }

    /// A service's standings from its published reviews (oldest first, each
    /// with its evaluation as `evaluateAll` made it), up to `buildDate`; and
    /// its latest review judged on its own date when that evaluation is not
    /// already one (for what the review changed). `meets` says which
    /// campaigns a review, judged on a day, meets.
    static func standings(
        _ evaluated: [(Review, ReviewReadiness)], checklists: [String: Checklist], buildDate: Day, target: String?,
        facts: CheckFacts? = nil, meets: (Review, ReviewReadiness, Checklist) -> [Bool]
    ) -> (standings: [Standing], latestAsMade: ReviewReadiness?) {
        var standings: [Standing] = []
        var latestAsMade: ReviewReadiness?
        for (i, (review, evaluation)) in evaluated.enumerated() {
            guard let checklist = checklists[review.checklist] else { continue }
            let isLatest = i == evaluated.count - 1
            // Up to the next review, or to the build date for the latest.
            let end = isLatest ? buildDate : min(evaluated[i + 1].0.date.adding(days: -1), buildDate)
            func standing(on day: Day, _ e: ReviewReadiness) -> Standing {
                Standing(from: day, status: statusRule(of: review, e).status, level: e.level, meets: meets(review, e, checklist))
            }
            let asMade = evaluation.asOf == review.date
                ? evaluation : evaluate(review, checklist: checklist, asOf: review.date, target: target, facts: facts)
            if isLatest && evaluation.asOf != review.date { latestAsMade = asMade }
            standings.append(standing(on: review.date, asMade))
            for day in sample(changeDays(review, checklist: checklist, through: end, facts: facts)) {
                let e = isLatest && day == buildDate
                    ? evaluation : evaluate(review, checklist: checklist, asOf: day, target: target, facts: facts)
                standings.append(standing(on: day, e))
            }
        }
        return (standings, latestAsMade)
    }
}
