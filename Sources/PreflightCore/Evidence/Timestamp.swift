/// An instant written as RFC 3339 (`2026-11-20T03:12:00Z`,
/// `2026-11-20T05:12:00.25+02:00`): when an evidence record was produced.
/// Records compare by instant, offsets taken into account; the figures are
/// judged by `day`, the UTC date.
public struct Timestamp: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Seconds since 1970-01-01T00:00:00Z.
    public let seconds: Int64
    /// Nanoseconds within the second (fractions beyond nanoseconds are cut).
    public let nanoseconds: Int32
    /// The UTC date of the instant.
    public let day: Day
    /// The text as written, for pages and exports.
    public let text: String

    /// Parses RFC 3339's `date-time`: `YYYY-MM-DDTHH:MM:SS`, an optional
    /// fraction, and `Z` or `±HH:MM`. `T` and `Z` may be lower case (RFC 3339
    /// allows it); a space for `T` is not taken. A leap second (`:60`) is read
    /// as the last second of its minute. Nil for anything else.
    public init?(_ text: String) {
        let b = Array(text.utf8)
        // No upper bound: RFC 3339 allows a fraction of any length (digits past nanoseconds are cut).
        guard b.count >= 20 else { return nil }
        func digits(_ range: Range<Int>) -> Int? {
            var value = 0
            for i in range {
                guard i < b.count, b[i] >= 48, b[i] <= 57 else { return nil }
                value = value * 10 + Int(b[i] - 48)
            }
            return value
        }
        guard b[4] == UInt8(ascii: "-"), b[7] == UInt8(ascii: "-"), b[10] == UInt8(ascii: "T") || b[10] == UInt8(ascii: "t"),
            b[13] == UInt8(ascii: ":"), b[16] == UInt8(ascii: ":"),
            let year = digits(0..<4), let month = digits(5..<7), let dayOfMonth = digits(8..<10),
            let hour = digits(11..<13), let minute = digits(14..<16), let second = digits(17..<19),
            let date = Day(year: year, month: month, day: dayOfMonth), hour < 24, minute < 60, second <= 60
        else { return nil }
        var i = 19
        var nanos = 0
        if i < b.count, b[i] == UInt8(ascii: ".") {
            i += 1
            let start = i
            while i < b.count, b[i] >= 48, b[i] <= 57 {
                if i - start < 9 { nanos = nanos * 10 + Int(b[i] - 48) }
                i += 1
            }
            guard i > start else { return nil }
            for _ in 0..<max(0, 9 - (i - start)) { nanos *= 10 }
        }
        guard i < b.count else { return nil }
        var offset = 0
        if b[i] == UInt8(ascii: "Z") || b[i] == UInt8(ascii: "z") {
            i += 1
        } else if b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") {
            let sign = b[i] == UInt8(ascii: "-") ? -1 : 1
            guard i + 6 == b.count, b[i + 3] == UInt8(ascii: ":"), let h = digits(i + 1..<i + 3),
                let m = digits(i + 4..<i + 6), h < 24, m < 60
            else { return nil }
            offset = sign * (h * 3600 + m * 60)
            i += 6
        } else {
            return nil
        }
        guard i == b.count else { return nil }
        let local = Int64(date.daysSinceEpoch) * 86_400 + Int64(hour * 3600 + minute * 60 + min(second, 59))
        let seconds = local - Int64(offset)
        guard let utcDay = Day(unixSeconds: seconds) else { return nil }
        self.seconds = seconds
        self.nanoseconds = Int32(nanos)
        self.day = utcDay
        self.text = text
    }

    /// The instant `seconds` after the epoch, written in UTC to the second.
    public init?(unixSeconds: Int64) {
        guard let day = Day(unixSeconds: unixSeconds) else { return nil }
        let within = Int(unixSeconds - Int64(day.daysSinceEpoch) * 86_400)
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        self.seconds = unixSeconds
        self.nanoseconds = 0
        self.day = day
        self.text = "\(day)T\(two(within / 3600)):\(two(within / 60 % 60)):\(two(within % 60))Z"
    }

    public var description: String { text }

    public static func < (a: Timestamp, b: Timestamp) -> Bool {
        (a.seconds, a.nanoseconds) < (b.seconds, b.nanoseconds)
    }

    /// Equal as instants: `03:12:00Z` is `05:12:00+02:00`.
    public static func == (a: Timestamp, b: Timestamp) -> Bool {
        a.seconds == b.seconds && a.nanoseconds == b.nanoseconds
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(seconds)
        hasher.combine(nanoseconds)
    }

    /// Why `text` is not an RFC 3339 date and time, for a diagnostic.
    public static func problem(_ text: String) -> String {
        if text.isEmpty { return "`at` is empty" }
        if Day(text) != nil {
            return "`at` is a day without a time: `\(text)`"
        }
        // The date as written, its digits and dashes: a five-digit year is named whole.
        let date = String(text.prefix { $0 == "-" || ("0"..."9").contains($0) })
        if date.count >= 10, Day(date) == nil {
            return Day.problem("`at`", date)
        }
        // After the seconds (and a fraction), nothing at all: no offset.
        let tail = text.dropFirst(19).drop { $0 == "." || $0.isNumber }
        if text.count >= 19, tail.isEmpty {
            return "`at` has no offset: `\(text)`"
        }
        return "`at` must be an RFC 3339 date and time, not `\(text)`"
    }

    static let hint = "write it as `2026-11-20T03:12:00Z` (UTC) or with an offset, `2026-11-20T05:12:00+02:00`"
}
