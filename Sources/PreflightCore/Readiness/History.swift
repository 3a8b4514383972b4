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
        guard let first = timelines.compactMap({ $0.reviews.first?.date }).filter({ $0 <= buildDate }).min() else {
            return []
        }
        var ends: [Day] = []
        var (year, month) = (first.year, first.month)
        while (year, month) < (buildDate.year, buildDate.month) {
            ends.append(Day(year: year, month: month, day: Day.daysIn(month: month, year: year))!)
            (year, month) = month == 12 ? (year + 1, 1) : (year, month + 1)
        }
        ends = Array(ends.suffix(maxMonths - 1))
        var months = ends.map {
            Month(year: $0.year, month: $0.month, asOf: $0, statuses: Array(repeating: 0, count: Status.allCases.count), levels: [:])
        }
        let rank = Dictionary(uniqueKeysWithValues: Status.allCases.enumerated().map { ($1, $0) })
        for timeline in timelines {
            var next = 0
            var standing: (status: Status, level: String?) = (.unreviewed, nil)
            for (i, end) in ends.enumerated() {
                while next < timeline.reviews.count, timeline.reviews[next].date <= end {
                    standing = (timeline.reviews[next].status, timeline.reviews[next].level)
                    next += 1
                }
                months[i].statuses[rank[standing.status]!] += 1
                months[i].levels[standing.level, default: 0] += 1
            }
        }
        var today = Month(
            year: buildDate.year, month: buildDate.month, asOf: buildDate,
            statuses: Array(repeating: 0, count: Status.allCases.count), levels: [:])
        for timeline in timelines {
            today.statuses[rank[timeline.current.status]!] += 1
            today.levels[timeline.current.level, default: 0] += 1
        }
        months.append(today)
        return months
    }
}
