import Testing
@testable import PreflightCore

@Suite struct DayTests {
    @Test func parsing() {
        #expect(Day("2024-02-29")?.description == "2024-02-29")
        #expect(Day("2023-02-29") == nil)
        #expect(Day("2026-13-01") == nil)
        #expect(Day("2026-1-01") == nil)
        #expect(Day("2026-01-01x") == nil)
    }

    @Test func arithmetic() {
        #expect(Day(unixSeconds: 0)?.description == "1970-01-01")
        #expect(Day(unixSeconds: 1_700_000_000)?.description == "2023-11-14")
        #expect(Day(unixSeconds: -1)?.description == "1969-12-31")
        #expect(Day("2024-03-01")!.daysSinceEpoch - Day("2024-02-28")!.daysSinceEpoch == 2)
        #expect(Day("2000-01-01")!.adding(days: 366).description == "2001-01-01")
    }

    /// A day packs into four bytes: every field, the order and the ends of the range survive.
    @Test func packedDaysKeepTheirFieldsAndOrder() {
        #expect(MemoryLayout<Day>.size == 4)
        for text in ["0001-01-01", "1969-12-31", "1970-01-01", "2024-02-29", "2026-11-28", "9999-12-31"] {
            let day = Day(text)!
            #expect(day.description == text)
            #expect(Day(year: day.year, month: day.month, day: day.day) == day)
            #expect(Day(daysSinceEpoch: day.daysSinceEpoch) == day)
        }
        let ordered = ["0001-01-01", "2025-12-31", "2026-01-01", "2026-01-31", "2026-02-01", "9999-12-31"].map { Day($0)! }
        #expect(ordered == ordered.shuffled().sorted())
        #expect(Day("2026-01-31")! < Day("2026-02-01")!)
        // Out of range, a day from a count of days stays within what the format can write.
        #expect(Day(daysSinceEpoch: Int.min / 2) == Day.first)
        #expect(Day(daysSinceEpoch: Int.max / 2) == Day.last)
        #expect(Day.last.adding(days: 1) == Day.last)
    }
}
