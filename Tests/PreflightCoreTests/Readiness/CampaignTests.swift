import Testing
@testable import PreflightCore

// FORMAT.md v2 "Campaigns": the file, scope, meeting a goal, status, and the
// burn-up and readiness-over-time figures against hand-computed histories.

private let ladder = """
    ---
    title: Ladder
    levels: [Bronze, Silver, Gold]
    signoffs:
      - {role: SRE, level: Silver}
    ---

    ## Safety {#safety}

    - [ ] Secrets {#secrets required level=Bronze}
    - [ ] Restore {#restore level=Silver every=30}
    - [ ] Threat model {#threat level=Gold}
    - [ ] Burn alerts {#burn level=Silver from=2026-06-01}
    - [ ] Notes {#notes}
    """

private func day(_ s: String) -> Day { Day(s)! }

private func list() throws -> Checklist {
    var d = DiagnosticList()
    let file = try SourceFile.split(path: "c.md", text: ladder).get()
    let c = try #require(Checklist.parse(id: "ladder", file: file, unsafeHTML: false, diagnostics: &d))
    #expect(!d.hasErrors, "\(d.lines)")
    return c
}

private func review(_ body: String, date: String, sre: Bool = true, in list: Checklist) throws -> Review {
    var d = DiagnosticList()
    let front = "date: \(date)\ndecision: approved" + (sre ? "\nsignoffs:\n  - {role: SRE, status: approved}" : "")
    let file = try SourceFile.split(path: "r-\(date).md", text: "---\n\(front)\n---\n\(body)").get()
    let context = Review.Context(
        serviceName: "S", serviceChecklist: nil, defaultChecklist: list.id, checklists: [list.id: list], unsafeHTML: false)
    let r = try #require(Review.parse(service: "s", name: date, file: file, context: context, diagnostics: &d))
    #expect(!d.hasErrors, "\(d.lines)")
    return r
}

/// A review judged on `asOf` (its own date by default), as the campaign sees it.
private func answer(_ body: String, date: String, asOf: String? = nil, sre: Bool = true) throws -> CampaignProgress.Answer {
    let c = try list()
    let r = try review(body, date: date, sre: sre, in: c)
    return CampaignProgress.Answer(
        review: r, evaluation: Readiness.evaluate(r, checklist: c, asOf: asOf.map(day) ?? r.date), checklist: c)
}

private let bronze = "- [x] a {#secrets}\n"
private let silver = "- [x] a {#secrets}\n- [x] b {#restore}\n"

private func campaign(_ front: String, body: String = "Brief.") -> (Campaign?, DiagnosticList) {
    var d = DiagnosticList()
    let file = try! SourceFile.split(path: "content/campaigns/c.md", text: "---\n\(front)\n---\n\(body)\n").get()
    return (Campaign.parse(id: "c", file: file, unsafeHTML: false, diagnostics: &d), d)
}

@Suite struct CampaignFileTests {
    @Test func aCompleteCampaign() throws {
        let (c, d) = campaign("""
            title: Tier 1 reaches Silver
            deadline: 2026-03-31
            owner: SRE leads
            scope: {tier: [1, "2"], tags: [pci, edge]}
            goal: {level: Silver, checks: [threat, threat]}
            """, body: "Why *now*.")
        #expect(!d.hasErrors, "\(d.lines)")
        let campaign = try #require(c)
        #expect(campaign.title == "Tier 1 reaches Silver")
        #expect(campaign.deadline == day("2026-03-31"))
        #expect(campaign.owner == "SRE leads")
        #expect(campaign.scope == Campaign.Scope(tier: ["1", "2"], tags: ["pci", "edge"]))
        #expect(campaign.goal == Campaign.Goal(level: "Silver", checks: ["threat"]))
        #expect(campaign.html == "<p>Why <em>now</em>.</p>\n")
        #expect(campaign.goal.description == "Silver, and threat done or waived")
        #expect(campaign.scope.description == "tier 1 or 2, tagged pci or edge")
    }

    @Test func requiredKeysAndMistakesAreErrorsAtTheirLines() {
        #expect(campaign("owner: x").1.lines == [
            "content/campaigns/c.md:1:1: error: `deadline` is required",
            "content/campaigns/c.md:1:1: error: `goal` is required",
            "content/campaigns/c.md:1:1: error: `title` is required",
        ])
        let (c, d) = campaign("""
            title: T
            deadline: 2026-02-30
            scope: {teir: [1]}
            goal: {}
            """)
        #expect(c == nil)
        #expect(d.lines == [
            "content/campaigns/c.md:3:1: error: `deadline` is `2026-02-30`, but February 2026 has 28 days",
            "content/campaigns/c.md:4:9: error: unknown key `scope.teir`",
            "content/campaigns/c.md:5:1: error: `goal` names neither a level nor checks",
        ])
        // A goal that asks for nothing, a scope value that is not a list.
        #expect(campaign("title: T\ndeadline: 2026-01-01\ngoal: {}").1.lines == [
            "content/campaigns/c.md:4:1: error: `goal` names neither a level nor checks"
        ])
        #expect(campaign("title: T\ndeadline: 2026-01-01\nscope: {tier: 1}\ngoal: {level: Gold}").1.lines == [
            "content/campaigns/c.md:4:9: error: `scope.tier` must be a list, not `1`"
        ])
    }

    @Test func scopeMatchesEveryGivenKeyAsText() {
        var s = Service(slug: "s")
        s.tier = "1"
        s.owner = "team-a"
        s.tags = ["pci", "edge"]
        #expect(Campaign.Scope().contains(s))
        #expect(Campaign.Scope(tier: ["1"]).contains(s))
        #expect(!Campaign.Scope(tier: ["2"]).contains(s))
        #expect(Campaign.Scope(tier: ["1"], tags: ["edge", "x"]).contains(s))
        #expect(!Campaign.Scope(tier: ["1"], tags: ["x"]).contains(s))
        #expect(!Campaign.Scope(lifecycle: ["production"]).contains(s))  // no lifecycle: out of scope
        #expect(!Campaign.Scope(owner: []).contains(s))
        #expect(Campaign.Scope(owner: ["team-a"]).contains(s))
    }
}

@Suite struct CampaignGoalTests {
    @Test func meetingALevelNeedsItsChecksAndSignoffs() throws {
        let goal = Campaign.Goal(level: "Silver")
        #expect(CampaignProgress.shortfall(of: "s", goal: goal, try answer(silver, date: "2026-01-10")) == nil)
        let noSignoff = try #require(
            CampaignProgress.shortfall(of: "s", goal: goal, try answer(silver, date: "2026-01-10", sre: false)))
        #expect(noSignoff.neededLevel == "Silver" && noSignoff.level == "Bronze")
        #expect(noSignoff.checks == [] && noSignoff.signoffs == ["SRE"])
        let bronzeOnly = try #require(CampaignProgress.shortfall(of: "s", goal: goal, try answer(bronze, date: "2026-01-10")))
        #expect(bronzeOnly.checks == ["restore"])
        #expect(bronzeOnly.summary == "needs level Silver (now Bronze); 1 open check")
        // An answer that expired (every=30) counts as open.
        let expired = try #require(
            CampaignProgress.shortfall(of: "s", goal: goal, try answer(silver, date: "2026-01-10", asOf: "2026-03-01")))
        #expect(expired.checks == ["restore"])
        // Upcoming checks (burn, from 2026-06-01) are not asked for; a level above is fine.
        #expect(CampaignProgress.shortfall(of: "s", goal: Campaign.Goal(level: "Bronze"), try answer(silver, date: "2026-01-10")) == nil)
    }

    @Test func goalChecksMustBeDoneOrWaived() throws {
        let goal = Campaign.Goal(checks: ["threat", "notes", "burn"])
        let waived = "- [~] t: no data {#threat}\n- [x] n {#notes}\n"
        #expect(CampaignProgress.shortfall(of: "s", goal: goal, try answer(waived, date: "2026-01-10")) == nil)
        let lack = try #require(CampaignProgress.shortfall(of: "s", goal: goal, try answer("- [x] n {#notes}\n", date: "2026-01-10")))
        #expect(lack.checks == ["threat"] && lack.neededLevel == nil)
        // After its from= day, `burn` is asked for.
        let later = try #require(
            CampaignProgress.shortfall(of: "s", goal: goal, try answer(waived, date: "2026-06-02")))
        #expect(later.checks == ["burn"])
    }

    @Test func namesTheChecklistLacksAndUnreviewedServicesNeverMeet() throws {
        let lack = try #require(
            CampaignProgress.shortfall(of: "s", goal: Campaign.Goal(level: "Platinum", checks: ["nope"]), try answer(silver, date: "2026-01-10")))
        #expect(lack.unknown == ["level Platinum", "check nope"])
        let none = try #require(CampaignProgress.shortfall(of: "s", goal: Campaign.Goal(checks: ["notes"]), nil))
        #expect(none.unreviewed && none.summary == "no review yet")
    }

    @Test func statusIsDoneThenOverdueThenOpen() throws {
        let goal = Campaign.Goal(level: "Bronze")
        let met = CampaignProgress.Entry(slug: "a", latest: try answer(bronze, date: "2026-01-10"), history: [])
        #expect(met.history.isEmpty)
        let unmet = CampaignProgress.Entry(slug: "b", latest: nil, history: [])
        let deadline = day("2026-02-01")
        #expect(CampaignProgress(goal: goal, deadline: deadline, entries: [met], buildDate: day("2026-03-01")).status == .done)
        #expect(CampaignProgress(goal: goal, deadline: deadline, entries: [unmet, met], buildDate: day("2026-02-01")).status == .open)
        let late = CampaignProgress(goal: goal, deadline: deadline, entries: [unmet, met], buildDate: day("2026-02-02"))
        #expect(late.status == .overdue)
        #expect(late.inScope == ["a", "b"] && late.met == ["a"] && late.missing.map(\.slug) == ["b"])
        #expect(late.standing(of: "a").inScope && late.standing(of: "a").shortfall == nil)
        #expect(late.standing(of: "b").shortfall?.unreviewed == true)
        #expect(!late.standing(of: "c").inScope && !late.standing(of: "0").inScope)
        // No service in scope: every one of none meets it.
        #expect(CampaignProgress(goal: goal, deadline: deadline, entries: [], buildDate: day("2026-03-01")).status == .done)
    }

    /// Three services, goal Silver; counted by hand from their standings:
    /// - 01-10: a reviewed at Silver → 1 (a)
    /// - 01-20: b reviewed at Bronze → 1 (a)
    /// - 02-05: b and c reviewed at Silver → 3 (a, b, c)
    /// - 02-10: a's restore (every=30, done 01-10) ran out → 2 (b, c)
    /// - 02-15: a reviewed again, Bronze only → 2 (b, c)
    /// - build date 03-01: b's and c's restores hold until 03-07 → 2.
    @Test func burnUpAgainstAHandComputedHistory() throws {
        let goal = Campaign.Goal(level: "Silver")
        let today = "2026-03-01"
        func history(_ reviews: [(String, String)], until end: String) throws -> [(from: Day, meets: Bool)] {
            let c = try list()
            let evaluated = try reviews.enumerated().map { i, pair in
                let r = try review(pair.0, date: pair.1, in: c)
                let asOf = i == reviews.count - 1 ? day(end) : r.date
                return (r, Readiness.evaluate(r, checklist: c, asOf: asOf))
            }
            return Readiness.standings(evaluated, checklists: [c.id: c], buildDate: day(end), target: nil) { r, e, c in
                [CampaignProgress.shortfall(of: "s", goal: goal, CampaignProgress.Answer(review: r, evaluation: e, checklist: c)) == nil]
            }.standings.map { ($0.from, $0.meets[0]) }
        }
        func entries(_ end: String, _ slugs: [String] = ["a", "b", "c"]) throws -> [CampaignProgress.Entry] {
            let all: [String: [(String, String)]] = [
                "a": [(silver, "2026-01-10"), (bronze, "2026-02-15")],
                "b": [(bronze, "2026-01-20"), (silver, "2026-02-05")],
                "c": [(silver, "2026-02-05")],
            ]
            return try slugs.map { slug in
                let last = all[slug]!.last!
                return CampaignProgress.Entry(
                    slug: slug, latest: try answer(last.0, date: last.1, asOf: end), history: try history(all[slug]!, until: end))
            }
        }
        let progress = CampaignProgress(goal: goal, deadline: day("2026-03-31"), entries: try entries(today), buildDate: day(today))
        #expect(progress.burnUp.map { "\($0.date) \($0.met)" } == [
            "2026-01-10 1", "2026-01-20 1", "2026-02-05 3", "2026-02-10 2", "2026-02-15 2", "2026-03-01 2",
        ])
        #expect(progress.status == .open && progress.met == ["b", "c"])
        // Ten days later b's and c's restores have run out (on 03-08).
        let later = "2026-03-10"
        let p2 = CampaignProgress(goal: goal, deadline: day("2026-03-31"), entries: try entries(later, ["b", "c"]), buildDate: day(later))
        #expect(p2.burnUp.map { "\($0.date) \($0.met)" } == ["2026-01-20 0", "2026-02-05 2", "2026-03-08 0", "2026-03-10 0"])
        #expect(p2.met == [])
    }

    @Test func standingsChangeOnTheDaysAnswersRunOut() throws {
        let c = try list()
        // restore every=30 → runs out on 02-10; a waiver until 01-20 → 01-21; burn from=06-01.
        let r = try review("- [x] a {#secrets}\n- [x] b {#restore}\n- [~] t: later {#threat until=2026-01-20}\n", date: "2026-01-10", in: c)
        #expect(Readiness.changeDays(r, checklist: c).map(\.description) == ["2026-01-21", "2026-02-10", "2026-06-01"])
        let e = Readiness.evaluate(r, checklist: c, asOf: day("2026-03-01"))
        let (standings, asMade) = Readiness.standings([(r, e)], checklists: [c.id: c], buildDate: day("2026-03-01"), target: nil) { _, _, _ in [] }
        #expect(standings.map { "\($0.from) \($0.status.rawValue) \($0.level ?? "-")" } == [
            "2026-01-10 ready Gold", "2026-01-21 ready Silver", "2026-02-10 ready Bronze",
        ])
        #expect(asMade?.asOf == r.date && asMade?.level == "Gold")
        // A checklist giving every check its own every= is bounded: evenly sampled, the last day kept.
        let days = (1...1_000).map { day("2026-01-01").adding(days: $0) }
        let sampled = Readiness.sample(days)
        #expect(sampled.count == Readiness.maxChangeDays && sampled.first == days.first && sampled.last == days.last)
        #expect(Readiness.sample(Array(days.prefix(10))) == Array(days.prefix(10)))
    }
}

@Suite struct HistoryTests {
    private func timeline(_ reviews: [(String, Status, String?)], now: (Status, String?)) -> History.Timeline {
        History.Timeline(reviews: reviews.map { (day($0.0), $0.1, $0.2) }, current: now)
    }

    /// Two services; by hand:
    /// - 2025-11 (end 11-30): x reviewed 11-20 not-ready/none; y unreviewed.
    /// - 2025-12: x unchanged; y unreviewed.
    /// - 2026-01 (end 01-31): x ready/Silver (01-31 counts), y conditional/Bronze (01-05).
    /// - 2026-02 (build date 02-14): today's figures, x ready Gold, y conditional Bronze.
    @Test func monthEndsAgainstAHandComputedHistory() {
        let x = timeline([("2025-11-20", .notReady, nil), ("2026-01-31", .ready, "Silver")], now: (.ready, "Gold"))
        let y = timeline([("2026-01-05", .conditional, "Bronze")], now: (.conditional, "Bronze"))
        let months = History.monthly([x, y], buildDate: day("2026-02-14"))
        #expect(months.map(\.label) == ["2025-11", "2025-12", "2026-01", "2026-02"])
        #expect(months.map(\.asOf.description) == ["2025-11-30", "2025-12-31", "2026-01-31", "2026-02-14"])
        // Status order: unreviewed, not-ready, in-review, conditional, ready.
        #expect(months.map(\.statuses) == [[1, 1, 0, 0, 0], [1, 1, 0, 0, 0], [0, 0, 0, 1, 1], [0, 0, 0, 1, 1]])
        #expect(months[0].levels == [nil: 2])
        #expect(months[2].levels == ["Silver": 1, "Bronze": 1])
        #expect(months[3].levels == ["Gold": 1, "Bronze": 1])
    }

    /// `serve` counts an edited service again instead of every service: the
    /// result equals counting them all, and is refused when the months change.
    @Test func anUpdateCountsOnlyTheChangedServices() throws {
        let build = day("2026-02-14")
        let x = timeline([("2025-11-20", .notReady, nil), ("2026-01-31", .ready, "Silver")], now: (.ready, "Gold"))
        let y = timeline([("2026-01-05", .conditional, "Bronze")], now: (.conditional, "Bronze"))
        let z = timeline([], now: (.unreviewed, nil))
        let before = History.monthly([x, y, z], buildDate: build)
        let firsts = { (timelines: [History.Timeline]) in
            History.firstReview(timelines.compactMap { $0.reviews.first?.date }, buildDate: build)
        }
        // y's review levels up, z gets its first review: the same months.
        let y2 = timeline([("2026-01-05", .ready, "Gold")], now: (.ready, "Gold"))
        let z2 = timeline([("2025-12-02", .inReview, nil)], now: (.inReview, nil))
        let after = try #require(History.monthly(
            updating: before, removing: [y, z], adding: [y2, z2], first: firsts([x, y2, z2]), buildDate: build))
        #expect(after == History.monthly([x, y2, z2], buildDate: build))
        // A level no service stands at any more is gone, as in a count from scratch.
        #expect(after.last?.levels["Bronze"] == nil && before.last?.levels["Bronze"] == 1)
        // An earlier first review adds months: counted again from scratch.
        let early = timeline([("2025-09-01", .ready, nil)], now: (.ready, nil))
        #expect(History.monthly(
            updating: before, removing: [z], adding: [early], first: firsts([x, y, early]), buildDate: build) == nil)
        // No review left anywhere: no history either way.
        #expect(History.monthly(updating: [], removing: [], adding: [], first: nil, buildDate: build) == [])
    }

    @Test func edges() {
        #expect(History.monthly([timeline([], now: (.unreviewed, nil))], buildDate: day("2026-01-01")) == [])
        // A review after the build date starts nothing; one in the build month is just today.
        #expect(History.monthly([timeline([("2026-05-01", .ready, nil)], now: (.ready, nil))], buildDate: day("2026-01-01")) == [])
        let same = History.monthly([timeline([("2026-01-01", .ready, nil)], now: (.ready, nil))], buildDate: day("2026-01-20"))
        #expect(same.map(\.label) == ["2026-01"])
        // A review from long ago keeps only the latest months.
        let old = History.monthly([timeline([("1999-01-01", .ready, nil)], now: (.ready, nil))], buildDate: day("2026-01-20"))
        #expect(old.count == History.maxMonths && old.last?.label == "2026-01" && old.first?.label == "2016-02")
    }
}

@Suite struct ReviewChangesTests {
    @Test func checksByWhatTheyBecameRegressionsFirst() throws {
        let c = try list()
        let before = try review("- [x] a {#secrets}\n- [~] r: no data {#restore}\n- [x] n {#notes}\n", date: "2026-01-10", in: c)
        let after = try review("- [ ] a {#secrets}\n- [x] r {#restore}\n- [~] t: later {#threat}\n", date: "2026-02-10", in: c)
        let old = Readiness.evaluate(before, checklist: c)
        let new = Readiness.evaluate(after, checklist: c)
        let changes = ReviewChanges(previous: (before.name, before.date, old), current: new)
        #expect(changes.newlyDone == [ReviewChanges.Moved(id: "restore", was: .waived)])
        #expect(changes.newlyOpen.map(\.id) == ["secrets", "notes"])
        #expect(changes.newlyOpen.map(\.isRegression) == [true, true])
        #expect(changes.newlyWaived == [ReviewChanges.Moved(id: "threat", was: .unanswered)])
        #expect(changes.unwaived.map(\.id) == ["restore"])
        #expect(changes.scoreBefore == old.score && changes.scoreAfter == new.score)
        #expect(changes.levelBefore == "Silver" && changes.levelAfter == nil)
        #expect(changes.summary == "score \(old.score)% → \(new.score)%, level Silver → none; 1 newly done, 2 newly open (2 regressed), 1 newly waived")
        let first = ReviewChanges(previous: nil, current: new)
        #expect(first.summary == "first review" && first.newlyOpen.isEmpty)
        let same = ReviewChanges(previous: (before.name, before.date, old), current: old)
        #expect(same.isEmpty && same.summary == "no change since 2026-01-10")
    }
}
