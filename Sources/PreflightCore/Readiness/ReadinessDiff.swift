/// Two readiness models compared, as `preflight diff` reports them: what a
/// change (a pull request, or one site folder against another) does to each
/// service and to each checklist. Pure: both sides are values built from
/// models judged on the same day.
public struct ReadinessDiff: Sendable {
    /// One side's facts, taken from a built model.
    public struct Side: Sendable {
        public var services: [Entry]
        public var checklists: [String: Checklist]
        /// Services whose figures here may be wrong: this side has errors in
        /// their files, their checklist or the config. A regression from such
        /// a base is reported but fails nothing (the change may be the fix).
        public var doubtful: Set<String> = []

        public struct Entry: Sendable {
            public var service: Service
            public var readiness: ServiceReadiness
            /// The latest published review, nil when there is none.
            public var latest: Review?

            public init(service: Service, readiness: ServiceReadiness, latest: Review?) {
                self.service = service
                self.readiness = readiness
                self.latest = latest
            }
        }

        public init(services: [Entry], checklists: [String: Checklist]) {
            self.services = services
            self.checklists = checklists
        }

        /// A side with nothing in it: the base of a change that adds the site.
        public static let empty = Side(services: [], checklists: [:])
    }

    /// The ways a service can get worse; `--fail-on regression` is all of them.
    public enum Condition: String, Sendable, CaseIterable, Comparable {
        case levelDrop = "level-drop"
        case scoreDrop = "score-drop"
        case statusDrop = "status-drop"
        case belowTarget = "below-target"
        case stale

        public static func < (a: Condition, b: Condition) -> Bool {
            allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
        }

        /// Words for people: "level dropped".
        public var label: String {
            switch self {
            case .levelDrop: return "level dropped"
            case .scoreDrop: return "score dropped"
            case .statusDrop: return "status worsened"
            case .belowTarget: return "fell below its target"
            case .stale: return "became stale"
            }
        }
    }

    /// The figures of one service on one side.
    public struct Facts: Sendable, Equatable {
        public var status: Status
        public var reason: String
        public var level: String?
        public var score: Int?
        public var target: String?
        /// nil when the service has no target.
        public var targetMet: Bool?
        public var stale: Bool

        init(_ r: ServiceReadiness) {
            status = r.status
            reason = r.reason
            level = r.level
            score = r.score
            target = r.target
            targetMet = r.target == nil ? nil : !r.belowTarget
            stale = r.stale
        }

        /// Equal in everything the diff reports (the reason is explanation, not a figure).
        func sameFigures(as other: Facts) -> Bool {
            status == other.status && level == other.level && score == other.score && target == other.target
                && targetMet == other.targetMet && stale == other.stale
        }
    }

    public struct ServiceChange: Sendable {
        /// In the order reports list them.
        public enum Kind: String, Sendable, CaseIterable {
            /// Worse in at least one of `Condition`.
            case regression
            /// Better in some figure and worse in none.
            case improved
            /// Checks moved, or a figure changed neither better nor worse (a new target that is met).
            case changed
            case added
            case removed
        }

        public var slug: String
        public var name: String
        public var kind: Kind
        public var before: Facts?
        public var after: Facts?
        /// What got worse, in `Condition` order; empty unless `kind` is `.regression`.
        public var regressions: [Condition]
        /// The base had errors in this service's files: its regressions fail nothing.
        public var baseHadErrors = false
        /// Checks of the latest review, by what they became: done (they were
        /// not), open (they were done or waived, or are new), waived (they were not).
        public var newlyDone: [String]
        public var newlyOpen: [String]
        public var newlyWaived: [String]
        /// For newly open checks that evidence or a rule answers: why, by
        /// check id ("failed 2026-12-01: 2 of 40 tests failed").
        public var evidence: [String: String] = [:]
    }

    /// Services with any change, regressions first, then improved, changed,
    /// added and removed, each by slug.
    public var services: [ServiceChange]
    /// Services in both sides with nothing to report.
    public var unchanged: Int
    /// Checklist edits, by checklist id and then as the head checklist reads.
    public var checklists: [ChecklistChange]

    public init(base: Side, head: Side) {
        let old = Dictionary(base.services.map { ($0.service.slug, $0) }) { a, _ in a }
        let new = Dictionary(head.services.map { ($0.service.slug, $0) }) { a, _ in a }
        var changes: [ServiceChange] = []
        var unchanged = 0
        for slug in Set(old.keys).union(new.keys).sorted() {
            switch (old[slug], new[slug]) {
            case let (before?, after?):
                let levels = head.checklists[after.readiness.checklist ?? ""]?.levels ?? []
                let oldLevels = base.checklists[before.readiness.checklist ?? ""]?.levels ?? []
                if var change = Self.compare(before, after, levels: levels, oldLevels: oldLevels) {
                    change.baseHadErrors = base.doubtful.contains(slug)
                    changes.append(change)
                } else {
                    unchanged += 1
                }
            case let (nil, after?):
                changes.append(ServiceChange(
                    slug: slug, name: after.service.name, kind: .added, before: nil, after: Facts(after.readiness),
                    regressions: [], newlyDone: [], newlyOpen: [], newlyWaived: []))
            case let (before?, nil):
                changes.append(ServiceChange(
                    slug: slug, name: before.service.name, kind: .removed, before: Facts(before.readiness), after: nil,
                    regressions: [], newlyDone: [], newlyOpen: [], newlyWaived: []))
            case (nil, nil):
                break
            }
        }
        let order = ServiceChange.Kind.allCases
        self.services = changes.enumerated().sorted { a, b in
            let (ka, kb) = (order.firstIndex(of: a.element.kind)!, order.firstIndex(of: b.element.kind)!)
            return ka != kb ? ka < kb : a.offset < b.offset
        }.map(\.element)
        self.unchanged = unchanged
        self.checklists = ChecklistChange.all(base: base, head: head)
    }

    /// Services that got worse in any of `conditions`, leaving out those
    /// whose base had errors (`excused`).
    public func regressions(in conditions: Set<Condition>) -> [ServiceChange] {
        worse(in: conditions).filter { !$0.baseHadErrors }
    }

    /// Services that got worse in any of `conditions` but whose base had
    /// errors in their files: reported, never failed on.
    public func excused(in conditions: Set<Condition>) -> [ServiceChange] {
        worse(in: conditions).filter(\.baseHadErrors)
    }

    private func worse(in conditions: Set<Condition>) -> [ServiceChange] {
        services.filter { !Set($0.regressions).isDisjoint(with: conditions) }
    }

    /// A service in both sides: nil when nothing the diff reports changed.
    static func compare(_ before: Side.Entry, _ after: Side.Entry, levels: [String], oldLevels: [String]) -> ServiceChange? {
        let (b, a) = (Facts(before.readiness), Facts(after.readiness))
        let moved = movedChecks(before.readiness.latest?.checks ?? [], after.readiness.latest?.checks ?? [])
        if b.sameFigures(as: a) && moved.done.isEmpty && moved.open.isEmpty && moved.waived.isEmpty { return nil }
        var worse: [Condition] = []
        var better = false
        // A level is ranked on the head's ladder; a level the head no longer has keeps its old rank.
        func rank(_ level: String?, _ ladder: [String]) -> Int {
            guard let level else { return -1 }
            return levels.firstIndex(of: level) ?? ladder.firstIndex(of: level) ?? -1
        }
        let (oldRank, newRank) = (rank(b.level, oldLevels), rank(a.level, levels))
        if newRank < oldRank { worse.append(.levelDrop) } else if newRank > oldRank { better = true }
        // A score that goes away (every review removed) dropped.
        switch (b.score, a.score) {
        case let (old?, new?): if new < old { worse.append(.scoreDrop) } else if new > old { better = true }
        case (_?, nil): worse.append(.scoreDrop)
        case (nil, _?): better = true
        case (nil, nil): break
        }
        let (oldStatus, newStatus) = (Status.allCases.firstIndex(of: b.status)!, Status.allCases.firstIndex(of: a.status)!)
        if newStatus < oldStatus { worse.append(.statusDrop) } else if newStatus > oldStatus { better = true }
        if a.target != nil, a.targetMet == false, b.targetMet != false { worse.append(.belowTarget) }
        if b.targetMet == false, a.targetMet != false { better = true }
        // An unreviewed service is never stale: its first review, however old, is not a regression.
        if a.stale, !b.stale, b.status != .unreviewed { worse.append(.stale) } else if b.stale, !a.stale { better = true }
        let kind: ServiceChange.Kind = !worse.isEmpty ? .regression : better ? .improved : .changed
        var change = ServiceChange(
            slug: after.service.slug, name: after.service.name, kind: kind, before: b, after: a, regressions: worse,
            newlyDone: moved.done, newlyOpen: moved.open, newlyWaived: moved.waived)
        if !moved.open.isEmpty, let states = after.readiness.latest?.checks {
            let open = Set(moved.open)
            for state in states where open.contains(state.id) {
                if state.verdict != nil, let reason = state.verdictReason { change.evidence[state.id] = reason }
            }
        }
        return change
    }

    /// Checks of the head's latest review by what they became, in checklist order.
    static func movedChecks(_ before: [CheckState], _ after: [CheckState]) -> (done: [String], open: [String], waived: [String]) {
        let moved = ReviewChanges.moved(before, after)
        return (moved.done.map(\.id), moved.open.map(\.id), moved.waived.map(\.id))
    }
}
