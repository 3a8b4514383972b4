/// How far a campaign has come (FORMAT.md v2, "Campaigns"): which services
/// in scope meet its goal, what the others lack, and the burn-up history.
public struct CampaignProgress: Sendable, Equatable {
    public enum Status: String, Sendable, CaseIterable {
        case open, done, overdue

        public var label: String {
            switch self {
            case .open: return "Open"
            case .done: return "Done"
            case .overdue: return "Overdue"
            }
        }
    }

    public var status: Status
    /// Slugs of the services in scope, sorted.
    public var inScope: [String]
    /// Slugs of the services in scope that meet the goal, sorted.
    public var met: [String]
    /// The services in scope that do not meet it, by slug, with what each lacks.
    public var missing: [Shortfall]
    /// Services meeting the goal over time: a point on every day a service
    /// in scope was reviewed or one of its answers, waivers or checks changed
    /// its figures (up to the build date), and one on the build date with
    /// today's figures.
    public var burnUp: [Point]

    public struct Point: Sendable, Equatable {
        public var date: Day
        public var met: Int

        public init(date: Day, met: Int) {
            self.date = date
            self.met = met
        }
    }

    /// What one service in scope lacks to meet a campaign's goal.
    public struct Shortfall: Sendable, Equatable {
        public var slug: String
        /// The service has no published review: it never meets a goal.
        public var unreviewed = false
        /// Its level now (nil when none).
        public var level: String?
        /// The goal's level, when the service is below it.
        public var neededLevel: String?
        /// Open checks the goal needs (up to its level, and its own checks), in checklist order.
        public var checks: [String] = []
        /// Sign-off roles the goal's level needs that the review has not approved.
        public var signoffs: [String] = []
        /// Names in the goal that the service's checklist lacks (a level, check ids).
        public var unknown: [String] = []

        public init(slug: String) {
            self.slug = slug
        }

        /// What is missing, in words: "needs level Silver (now Bronze); 2 open checks; sign-off by SRE missing".
        public var summary: String {
            if unreviewed { return "no review yet" }
            var parts: [String] = []
            if let neededLevel { parts.append("needs level \(neededLevel) (now \(level ?? "no level"))") }
            if !checks.isEmpty { parts.append(plural(checks.count, "open check")) }
            if !signoffs.isEmpty { parts.append("sign-off by \(signoffs.joined(separator: ", ")) missing") }
            if !unknown.isEmpty { parts.append("its checklist has no \(unknown.joined(separator: ", "))") }
            return parts.joined(separator: "; ")
        }
    }

    /// One review of a service as the campaign judges it.
    public struct Answer: Sendable {
        public var review: Review
        public var evaluation: ReviewReadiness
        public var checklist: Checklist

        public init(review: Review, evaluation: ReviewReadiness, checklist: Checklist) {
            self.review = review
            self.evaluation = evaluation
            self.checklist = checklist
        }
    }

    /// A service in scope: its latest review judged on the build date (nil
    /// when unreviewed), and from which day on it met the goal or not,
    /// oldest first (its `Standing`s), for the burn-up.
    public struct Entry: Sendable {
        public var slug: String
        public var latest: Answer?
        public var history: [(from: Day, meets: Bool)]

        public init(slug: String, latest: Answer?, history: [(from: Day, meets: Bool)]) {
            self.slug = slug
            self.latest = latest
            self.history = history
        }
    }

    /// The progress of a campaign whose goal is `goal` over `entries` (the
    /// services in scope), judged on `buildDate`.
    public init(goal: Campaign.Goal, deadline: Day, entries: [Entry], buildDate: Day) {
        let entries = entries.sorted { $0.slug < $1.slug }
        var met: [String] = []
        var missing: [Shortfall] = []
        for entry in entries {
            if let shortfall = Self.shortfall(of: entry.slug, goal: goal, entry.latest) {
                missing.append(shortfall)
            } else {
                met.append(entry.slug)
            }
        }
        self.inScope = entries.map(\.slug)
        self.met = met
        self.missing = missing
        self.status = missing.isEmpty ? .done : buildDate > deadline ? .overdue : .open
        self.burnUp = Self.burnUp(entries, buildDate: buildDate, metToday: met.count)
    }

    /// Whether `slug` is in scope, and what it lacks when it is and does not
    /// meet the goal (binary search: both lists are sorted by slug).
    public func standing(of slug: String) -> (inScope: Bool, shortfall: Shortfall?) {
        func find<T>(_ list: [T], _ key: (T) -> String) -> T? {
            var (low, high) = (0, list.count)
            while low < high {
                let mid = (low + high) / 2
                if key(list[mid]) < slug { low = mid + 1 } else { high = mid }
            }
            return low < list.count && key(list[low]) == slug ? list[low] : nil
        }
        guard find(inScope, { $0 }) != nil else { return (false, nil) }
        return (true, find(missing, \.slug))
    }

    /// nil when the service meets the goal: its level is at least the goal's
    /// level and every goal check is done or waived (an upcoming check is not
    /// asked for yet). An unreviewed service never meets a goal.
    public static func shortfall(of slug: String, goal: Campaign.Goal, _ answer: Answer?) -> Shortfall? {
        var lack = Shortfall(slug: slug)
        guard let answer else {
            lack.unreviewed = true
            return lack
        }
        let (checklist, evaluation) = (answer.checklist, answer.evaluation)
        lack.level = evaluation.level
        var wanted: Set<String> = []
        if let level = goal.level {
            if let rank = checklist.rank(of: level) {
                if (checklist.rank(of: evaluation.level) ?? -1) < rank {
                    lack.neededLevel = level
                    for (check, state) in zip(checklist.checks, evaluation.checks)
                    where state.counts == .open && (check.levelRank.map { $0 <= rank } ?? false) {
                        wanted.insert(check.id)
                    }
                    lack.signoffs = Readiness.missingSignoffs(answer.review, checklist: checklist)
                        .filter { $0.levelRank <= rank }.map(\.role)
                }
            } else {
                lack.unknown.append("level \(level)")
            }
        }
        for id in goal.checks {
            // The evaluation lists every check of its checklist, in order.
            guard let index = checklist.indexByID[id], index < evaluation.derived.count else {
                lack.unknown.append("check \(id)")
                continue
            }
            if evaluation.derived[index].counts == .open { wanted.insert(id) }
        }
        lack.checks = checklist.checks.map(\.id).filter { wanted.contains($0) }
        let meets = lack.neededLevel == nil && lack.checks.isEmpty && lack.unknown.isEmpty
        return meets ? nil : lack
    }

    /// For every day on which a service in scope changed standing (up to the
    /// build date), how many services in scope met the goal as of that day;
    /// then the build date with today's count.
    static func burnUp(_ entries: [Entry], buildDate: Day, metToday: Int) -> [Point] {
        var events: [(date: Day, service: Int, meets: Bool)] = []
        for (i, entry) in entries.enumerated() {
            for standing in entry.history where standing.from <= buildDate {
                events.append((standing.from, i, standing.meets))
            }
        }
        // Same day: standings in the order given (reviews by (date, name)); the last one counts.
        events = events.enumerated().sorted { a, b in
            a.element.date != b.element.date ? a.element.date < b.element.date : a.offset < b.offset
        }.map(\.element)
        var meeting = [Bool](repeating: false, count: entries.count)
        var count = 0
        var points: [Point] = []
        for (i, event) in events.enumerated() {
            if meeting[event.service] != event.meets {
                count += event.meets ? 1 : -1
                meeting[event.service] = event.meets
            }
            if i == events.count - 1 || events[i + 1].date != event.date {
                points.append(Point(date: event.date, met: count))
            }
        }
        if points.last?.date == buildDate { points.removeLast() }
        points.append(Point(date: buildDate, met: metToday))
        return points
    }
}
