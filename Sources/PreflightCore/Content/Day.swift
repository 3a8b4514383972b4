/// A calendar day (proleptic Gregorian, no time zone): the unit of every date
/// in the format. Parsed and printed without Foundation so that the only clock
/// in a build is the build date.
public struct Day: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// `year * 512 + month * 32 + day`: four bytes instead of three `Int`s
    /// (a large site holds millions of days), in the days' order.
    private let packed: Int32

    public var year: Int { Int(packed >> 9) }
    public var month: Int { Int((packed >> 5) & 15) }
    public var day: Int { Int(packed & 31) }

    private init(unchecked year: Int, _ month: Int, _ day: Int) {
        packed = Int32(year) << 9 | Int32(month) << 5 | Int32(day)
    }

    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month),
            (1...Day.daysIn(month: month, year: year)).contains(day)
        else { return nil }
        self.init(unchecked: year, month, day)
    }

    /// Parses exactly `YYYY-MM-DD`; anything else (or a day that does not exist) is nil.
    public init?(_ text: String) {
        let bytes = Array(text.utf8)
        guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-") else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for i in range {
                let b = bytes[i]
                guard b >= 48 && b <= 57 else { return nil }
                value = value * 10 + Int(b - 48)
            }
            return value
        }
        guard let y = number(0..<4), let m = number(5..<7), let d = number(8..<10) else { return nil }
        self.init(year: y, month: m, day: d)
    }

    /// Why `text` is not a day, as a sentence about `subject` (`` `date` ``,
    /// `until`): the shape is wrong, or the month or the day does not exist.
    public static func problem(_ subject: String, _ text: String) -> String {
        let bytes = Array(text.utf8)
        let digits = [0, 1, 2, 3, 5, 6, 8, 9]
        guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
            digits.allSatisfy({ bytes[$0] >= 48 && bytes[$0] <= 57 })
        else {
            return text.isEmpty
                ? "\(subject) is empty: write a day as YYYY-MM-DD"
                : "\(subject) must be a day written YYYY-MM-DD, not `\(text)`"
        }
        let year = Int(text.prefix(4))!
        let month = Int(text.dropFirst(5).prefix(2))!
        if year < 1 { return "\(subject) is `\(text)`, but there is no year 0" }
        guard (1...12).contains(month) else { return "\(subject) is `\(text)`, but there is no month \(month)" }
        let names = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
            "October", "November", "December"]
        return "\(subject) is `\(text)`, but \(names[month - 1]) \(year) has \(daysIn(month: month, year: year)) days"
    }

    /// The first and last days the format can write (`YYYY` has four digits).
    public static let first = Day(year: 1, month: 1, day: 1)!
    public static let last = Day(year: 9999, month: 12, day: 31)!

    /// The day a Unix timestamp (seconds, UTC) falls on; nil outside `first...last`.
    public init?(unixSeconds: Int64) {
        // Checked in seconds first: the day arithmetic below must not overflow.
        let low = Int64(Day.first.daysSinceEpoch) * 86_400
        let high = Int64(Day.last.daysSinceEpoch) * 86_400 + 86_399
        guard (low...high).contains(unixSeconds) else { return nil }
        let days = Int(unixSeconds >= 0 ? unixSeconds / 86_400 : (unixSeconds - 86_399) / 86_400)
        self.init(daysSinceEpoch: days)
    }

    /// Inverse of `daysSinceEpoch` (civil-from-days, after H. Hinnant's
    /// algorithm), kept within `first...last`.
    public init(daysSinceEpoch: Int) {
        let z = min(max(daysSinceEpoch, -719_162), 2_932_896) + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        self.init(unchecked: yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    /// Days since 1970-01-01.
    public var daysSinceEpoch: Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The day `days` later (earlier when negative), kept within `first...last`
    /// so that every day Preflight writes can be read back.
    public func adding(days: Int) -> Day {
        let target = daysSinceEpoch.addingReportingOverflow(days)
        if target.overflow { return days > 0 ? .last : .first }
        return Day(daysSinceEpoch: min(max(target.partialValue, Day.first.daysSinceEpoch), Day.last.daysSinceEpoch))
    }

    /// Whole days from `self` to `other` (positive when `other` is later).
    public func days(until other: Day) -> Int {
        other.daysSinceEpoch - daysSinceEpoch
    }

    public var description: String {
        func pad(_ n: Int, _ width: Int) -> String {
            let s = String(n)
            return String(repeating: "0", count: max(0, width - s.count)) + s
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
    }

    /// RFC 3339 timestamp at midnight UTC, for feeds and sitemaps.
    public var timestamp: String { description + "T00:00:00Z" }

    public static func < (lhs: Day, rhs: Day) -> Bool {
        lhs.packed < rhs.packed
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }
}
