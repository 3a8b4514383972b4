/// What a review changed against the previous review of the same service:
/// the checks that moved and the level and score before → after. Each check
/// is listed once, by what it became; `was` says what it had been.
public struct ReviewChanges: Sendable, Equatable {
    /// A check that moved, and its state in the previous review (nil when
    /// the previous review's checklist did not have it).
    public struct Moved: Sendable, Equatable {
        public var id: String
        public var was: CheckState.State?

        /// It had counted as done or waived: now open, this is a regression.
        public var isRegression: Bool { was == .done || was == .waived }
    }

    /// The previous review's name and date; nil for a service's first review.
    public var previous: (name: String, date: Day)?
    public var scoreBefore: Int?
    public var scoreAfter: Int
    public var levelBefore: String?
    public var levelAfter: String?
    /// Now done, and were not; in checklist order.
    public var newlyDone: [Moved]
    /// Now open (or expired), and were not: regressions (done or waived before) first.
    public var newlyOpen: [Moved]
    /// Now waived, and were not.
    public var newlyWaived: [Moved]

    public init(previous: (name: String, date: Day, evaluation: ReviewReadiness)?, current: ReviewReadiness) {
        self.previous = previous.map { ($0.name, $0.date) }
        scoreBefore = previous?.evaluation.score
        scoreAfter = current.score
        levelBefore = previous?.evaluation.level
        levelAfter = current.level
        var moved: (done: [Moved], open: [Moved], waived: [Moved]) = ([], [], [])
        if let before = previous?.evaluation { moved = Self.moved(before.checks, current.checks) }
        let regressions = moved.open.filter(\.isRegression)
        newlyDone = moved.done
        newlyOpen = regressions + moved.open.filter { !$0.isRegression }
        newlyWaived = moved.waived
    }

    /// The checks of `after` by what they became, in checklist order, each
    /// with its state in `before`: done (and were not), open (and were not;
    /// expired counts as open) and waived (and were not). Upcoming checks are
    /// in none. `preflight diff` uses the same rule.
    static func moved(_ before: [CheckState], _ after: [CheckState]) -> (done: [Moved], open: [Moved], waived: [Moved]) {
        let old = Dictionary(before.map { ($0.id, $0) }) { a, _ in a }
        var result: (done: [Moved], open: [Moved], waived: [Moved]) = ([], [], [])
        for check in after {
            let was = old[check.id]
            let moved = Moved(id: check.id, was: was?.state)
            switch check.counts {
            case .done where was?.counts != .done: result.done.append(moved)
            case .open where was?.counts != .open: result.open.append(moved)
            case .waived where was?.counts != .waived: result.waived.append(moved)
            default: break
            }
        }
        return result
    }

    /// Checks that were waived and no longer are (now done or open).
    public var unwaived: [Moved] {
        (newlyDone + newlyOpen).filter { $0.was == .waived }
    }

    /// Nothing moved and the figures are the same (or this is the first review).
    public var isEmpty: Bool {
        newlyDone.isEmpty && newlyOpen.isEmpty && newlyWaived.isEmpty && scoreBefore == scoreAfter
            && levelBefore == levelAfter
    }

    public static func == (a: ReviewChanges, b: ReviewChanges) -> Bool {
        a.previous?.name == b.previous?.name && a.previous?.date == b.previous?.date && a.scoreBefore == b.scoreBefore
            && a.scoreAfter == b.scoreAfter && a.levelBefore == b.levelBefore && a.levelAfter == b.levelAfter
            && a.newlyDone == b.newlyDone && a.newlyOpen == b.newlyOpen && a.newlyWaived == b.newlyWaived
    }

    /// One line for a feed entry: "score 70% → 85%, level Bronze → Silver; 3 done, 1 open (1 regression)".
    public var summary: String {
        guard previous != nil else { return "first review" }
        var figures: [String] = []
        if scoreBefore != scoreAfter { figures.append("score \(scoreBefore.map { "\($0)%" } ?? "none") → \(scoreAfter)%") }
        if levelBefore != levelAfter { figures.append("level \(levelBefore ?? "none") → \(levelAfter ?? "none")") }
        var moves: [String] = []
        if !newlyDone.isEmpty { moves.append("\(newlyDone.count) newly done") }
        if !newlyOpen.isEmpty {
            let regressions = newlyOpen.filter(\.isRegression).count
            moves.append("\(newlyOpen.count) newly open" + (regressions > 0 ? " (\(regressions) regressed)" : ""))
        }
        if !newlyWaived.isEmpty { moves.append("\(newlyWaived.count) newly waived") }
        let parts = [figures.joined(separator: ", "), moves.joined(separator: ", ")].filter { !$0.isEmpty }
        return parts.isEmpty ? "no change since \(previous!.date)" : parts.joined(separator: "; ")
    }
}
