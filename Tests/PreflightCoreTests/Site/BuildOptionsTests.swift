import Testing
@testable import PreflightCore

@Suite struct BuildDateTests {
    @Test func precedence() throws {
        let env = ["SOURCE_DATE_EPOCH": "1700000000"]
        #expect(try BuildDate.resolve(asOf: Day("2026-01-02"), environment: env, now: 0) == BuildDate(day: Day("2026-01-02")!, isPinned: true))
        #expect(try BuildDate.resolve(asOf: nil, environment: env, now: 0) == BuildDate(day: Day("2023-11-14")!, isPinned: true))
        #expect(try BuildDate.resolve(asOf: nil, environment: [:], now: 86_400) == BuildDate(day: Day("1970-01-02")!, isPinned: false))
        #expect(throws: BuildDate.Problem.self) {
            try BuildDate.resolve(asOf: nil, environment: ["SOURCE_DATE_EPOCH": "x"], now: 0)
        }
    }

    /// `serve` and `build` share one answer to "is the date pinned": an empty
    /// SOURCE_DATE_EPOCH pins nothing.
    @Test func emptyEpochIsNotPinned() throws {
        let date = try BuildDate.resolve(asOf: nil, environment: ["SOURCE_DATE_EPOCH": ""], now: 86_400)
        #expect(date == BuildDate(day: Day("1970-01-02")!, isPinned: false))
        #expect(date.current(now: 3 * 86_400) == Day("1970-01-04")!)
        let pinned = try BuildDate.resolve(asOf: Day("2026-01-02"), environment: [:], now: 0)
        #expect(pinned.current(now: 3 * 86_400) == Day("2026-01-02")!)
    }

    /// Every source is held to the days the format can write (0001–9999);
    /// the most negative Int64 once trapped in the day arithmetic.
    @Test(arguments: ["-9223372036854775808", "9223372036854775807", "-62135596801", "253402300800"])
    func epochOutsideTheFormatIsAnError(epoch: String) {
        #expect(throws: BuildDate.Problem.epochOutOfRange(epoch)) {
            try BuildDate.resolve(asOf: nil, environment: ["SOURCE_DATE_EPOCH": epoch], now: 0)
        }
    }

    @Test func epochAtTheEdgesOfTheFormat() throws {
        #expect(try BuildDate.resolve(asOf: nil, environment: ["SOURCE_DATE_EPOCH": "-62135596800"], now: 0).day == Day.first)
        #expect(try BuildDate.resolve(asOf: nil, environment: ["SOURCE_DATE_EPOCH": "253402300799"], now: 0).day == Day.last)
        #expect(Day.last.adding(days: 30) == Day.last)
        #expect(Day.first.adding(days: -1) == Day.first)
        #expect(Day.last.adding(days: Int.max) == Day.last)
    }
}
