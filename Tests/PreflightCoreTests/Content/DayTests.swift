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
}
