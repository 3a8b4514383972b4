import Testing
@testable import PreflightCore

@Suite struct ICalendarTests {
    private func event(_ uid: String, _ day: String, summary: String = "S", url: String? = "x/") -> ICalendar.Event {
        ICalendar.Event(uid: uid, day: Day(day)!, summary: summary, description: "D", url: url, category: "c")
    }

    @Test func anAllDayEventPerDeadlineSortedWithCRLF() {
        let text = ICalendar.ics(
            name: "Site", baseURL: "https://example.org/r/",
            events: [event("b@h", "2026-03-02"), event("a@h", "2026-03-02"), event("z@h", "2026-01-31")],
            stamp: Day("2026-02-01")!)
        #expect(text.hasPrefix("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:"))
        #expect(text.hasSuffix("END:VCALENDAR\r\n"))
        #expect(!text.replacingOccurrences(of: "\r\n", with: "").contains("\n"))
        let uids = text.split(separator: "\r\n").filter { $0.hasPrefix("UID:") }
        #expect(uids == ["UID:z@h", "UID:a@h", "UID:b@h"])
        #expect(text.contains("DTSTART;VALUE=DATE:20260131\r\nDTEND;VALUE=DATE:20260201\r\n"))
        #expect(text.contains("DTSTAMP:20260201T000000Z\r\n"))
        #expect(text.contains("URL:https://example.org/r/x/\r\n"))
        // A relative base URL cannot make a URI: no URL property at all.
        #expect(!ICalendar.ics(name: "S", baseURL: "/", events: [event("a", "2026-01-01")], stamp: Day("2026-01-01")!).contains("URL:"))
    }

    @Test func theLastDayHasNoEndAfterIt() {
        let text = ICalendar.ics(name: "S", baseURL: "/", events: [event("a", "9999-12-31")], stamp: Day("2026-01-01")!)
        #expect(text.contains("DTSTART;VALUE=DATE:99991231\r\n"))
        #expect(!text.contains("DTEND"))
    }

    @Test func textIsEscapedAndControlCharactersDropped() {
        #expect(ICalendar.text("a,b;c\\d\ne\r\nf\u{7}g\u{202E}h") == "a\\,b\\;c\\\\d\\ne\\nfgh")
    }

    @Test func longLinesFoldAt75OctetsNeverInsideACharacter() {
        let line = "SUMMARY:" + String(repeating: "é", count: 60) + String(repeating: "x", count: 100)
        let folded = ICalendar.fold(line)
        let parts = folded.components(separatedBy: "\r\n")
        #expect(parts.count > 2)
        #expect(parts.allSatisfy { $0.utf8.count <= 75 })
        #expect(parts.dropFirst().allSatisfy { $0.hasPrefix(" ") })
        #expect(parts.first! + parts.dropFirst().map { String($0.dropFirst()) }.joined() == line)
        #expect(ICalendar.fold("short") == "short")
    }

    @Test func uidsNameTheSiteHostAndDigestsAreStable() {
        #expect(ICalendar.uid(["waiver", "svc", "check"], baseURL: "https://Example.org:8443/r/") == "waiver.svc.check@example.org")
        #expect(ICalendar.uid(["review", "svc"], baseURL: "/") == "review.svc@preflight")
        #expect(ICalendar.host(of: "https://user:pw@Example.ORG:8443/r/") == "example.org")
        #expect(ICalendar.host(of: "http://[::1]:8080/x/") == "::1")
        #expect(ICalendar.host(of: "https://example.org?q=1#f") == "example.org")
        #expect(ICalendar.digest("Add a drill") == ICalendar.digest("Add a drill"))
        #expect(ICalendar.digest("Add a drill") != ICalendar.digest("Add a drill."))
        #expect(ICalendar.digest("").count == 16)
    }
}
