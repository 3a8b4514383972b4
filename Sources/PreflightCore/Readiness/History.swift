/// Readiness over time: how many services stood at each status and level at
/// the end of each month, from the month of the first review to the build date.
public enum History {
    /// One service's reviews as they stood on their own dates (oldest first),
    /// and where it stands on the build date.
    public struct Timeline: Sendable {
        public var reviews: [(date: Day, status: Status, level: String?)]
        public var current: (status: Status, level: String?)

        public init(reviews: [(date: Day, status: Status, level: String?)], current: (status: Status, level: String?)) {
            self.reviews = reviews
            self.current = current
        }
    }

    /// The site at the end of one month.
    public struct Month: Sendable, Equatable {
        public var year: Int
        public var month: Int
        /// The month's last day, or the build date for the build date's month.
        public var asOf: Day
        /// Services per status, in `Status.allCases` order.
        public var statuses: [Int]
        /// Services per level name; services with no level (unreviewed included) under nil.
        public var levels: [String?: Int]

        /// "2026-11".
        public var label: String {
            String(asOf.description.prefix(7))
        }
    }

    /// At most this many months are kept (the latest ones): a chart of more is unreadable.
    public static let maxMonths = 120

    /// For each month from the first review's month to the build date's, each
    /// service's status and level as of the month's last day (its latest
    /// review up to then, judged on its own date; unreviewed before its first
    /// review). The build date's month shows today's figures. Empty when no
    /// service has a review on or before the build date.
    public static func monthly(_ timelines: [Timeline], buildDate: Day) -> [Month] {
        guard let first = firstReview(timelines.lazy.compactMap { $0.reviews.first?.date }, buildDate: buildDate)
        else { return [] }
        var months = empty(ends: monthEnds(from: first, to: buildDate), buildDate: buildDate)
        for timeline in timelines { count(timeline, into: &months, adding: 1) }
        return months
    }

    /// `months` (made by `monthly`) after some services' timelines changed from
    /// `removed` to `added`, counted for those services alone (what `serve`
    /// does on an edit). `first` is the site's first review date now, as
    /// `firstReview` finds it. Nil when the months charted are no longer the
    /// same (the first review moved): the history must be made again.
    static func monthly(
        updating months: [Month], removing removed: [Timeline], adding added: [Timeline], first: Day?,
        buildDate: Day
    ) -> [Month]? {
        guard let first, months.last?.asOf == buildDate else { return first == nil && months.isEmpty ? [] : nil }
        let ends = monthEnds(from: first, to: buildDate)
        guard ends.count == months.count - 1, zip(ends, months).allSatisfy({ $0 == $1.asOf }) else { return nil }
        var months = months
        for timeline in removed { count(timeline, into: &months, adding: -1) }
        for timeline in added { count(timeline, into: &months, adding: 1) }
        return months
    }

    /// The earliest of the services' first review dates on or before the build date.
    static func firstReview(_ firstDates: some Sequence<Day>, buildDate: Day) -> Day? {
        var first: Day?
        for date in firstDates where date <= buildDate && first.map({ date < $0 }) ?? true { first = date }
        return first
    }

    /// The last day of every month charted before the build date's month.
    private static func monthEnds(from first: Day, to buildDate: Day) -> [Day] {
        var ends: [Day] = []
        var (year, month) = (first.year, first.month)
        while (year, month) < (buildDate.year, buildDate.month) {
            ends.append(Day(year: year, month: month, day: Day.daysIn(month: month, year: year))!)
            (year, month) = month == 12 ? (year + 1, 1) : (year, month + 1)
        }
        return Array(ends.suffix(maxMonths - 1))
    }

    /// A month per end, then the build date's month, with nothing counted.
    private static func empty(ends: [Day], buildDate: Day) -> [Month] {
        (ends + [buildDate]).map {
            Month(year: $0.year, month: $0.month, asOf: $0, statuses: Array(repeating: 0, count: Status.allCases.count), levels: [:])
        }
    }

    private static let rank = Dictionary(uniqueKeysWithValues: Status.allCases.enumerated().map { ($1, $0) })

    /// Counts one service in every month (`adding` 1), or takes it away (-1).
    /// The last month is the build date's: the service's current standing.
    private static func count(_ timeline: Timeline, into months: inout [Month], adding n: Int) {
        var next = 0
        var standing: (status: Status, level: String?) = (.unreviewed, nil)
        for i in months.indices {
            if i == months.count - 1 {
                standing = timeline.current
            } else {
                while next < timeline.reviews.count, timeline.reviews[next].date <= months[i].asOf {
                    standing = (timeline.reviews[next].status, timeline.reviews[next].level)
                    next += 1
                }
            }
            months[i].statuses[rank[standing.status]!] += n
            let level = months[i].levels[standing.level, default: 0] + n
            // A level no service stands at is not listed, as if never counted.
            months[i].levels[standing.level] = level == 0 ? nil : level
        }
    }
}
