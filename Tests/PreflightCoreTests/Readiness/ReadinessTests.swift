import Testing
@testable import PreflightCore

/// Builds a checklist and review in memory through the real parsers.
private func evaluate(
    checklist: String = basicChecklist, review body: String, frontMatter: String = "date: 2026-01-10\ndecision: approved"
) throws -> (ReviewReadiness, Review, Checklist) {
    var d = DiagnosticList()
    let file = try SourceFile.split(path: "c.md", text: checklist).get()
    let list = try #require(Checklist.parse(id: "basic", file: file, unsafeHTML: false, diagnostics: &d))
    let reviewFile = try SourceFile.split(path: "r.md", text: "---\n\(frontMatter)\n---\n\(body)").get()
    let context = Review.Context(
        serviceName: "Svc", serviceChecklist: nil, defaultChecklist: "basic", checklists: ["basic": list],
        unsafeHTML: false)
    let review = try #require(Review.parse(service: "svc", name: "r", file: reviewFile, context: context, diagnostics: &d))
    #expect(!d.hasErrors, "\(d.lines)")
    return (Readiness.evaluate(review, checklist: list), review, list)
}

@Suite struct ScoreTests {
    @Test func roundsHalvesUp() {
        #expect(Readiness.score(done: 1, open: 7) == 13)  // 12.5
        #expect(Readiness.score(done: 1, open: 199) == 1)  // 0.5
        #expect(Readiness.score(done: 2, open: 1) == 67)  // 66.67
        #expect(Readiness.score(done: 1, open: 2) == 33)  // 33.33
        #expect(Readiness.score(done: 7, open: 1) == 88)  // 87.5
    }

    @Test func nothingToCountIsAHundred() {
        #expect(Readiness.score(done: 0, open: 0) == 100)
    }

    @Test func weightedAndWaivedLeftOut() throws {
        // sec-secrets(1) done, sec-deps(2) open, ops-alerts(1) waived, ops-runbooks(1) unanswered = open
        let (r, _, _) = try evaluate(review: """
            - [x] Secrets {#sec-secrets}
            - [ ] Deps {#sec-deps}
            - [~] Alerts: no users {#ops-alerts}
            """)
        #expect(r.score == 25)  // 1 / (1 + 2 + 1)
        #expect(r.categories.map(\.score) == [33, 0])  // security 1/3, operations 0/1
        #expect(r.categories[0].done == 1 && r.categories[0].open == 1 && r.categories[0].waived == 0)
        #expect(r.categories[1].done == 0 && r.categories[1].open == 1 && r.categories[1].waived == 1)
    }

    @Test func allWaivedIsAHundred() throws {
        let (r, _, _) = try evaluate(review: """
            - [~] x {#sec-secrets}
            - [~] x {#sec-deps}
            - [~] x {#ops-alerts}
            - [~] x {#ops-runbooks}
            """)
        #expect(r.score == 100)
    }
}

@Suite struct LevelTests {
    @Test func noLevelWhenLowestUnmet() throws {
        let (r, _, _) = try evaluate(review: "- [x] x {#sec-deps}\n- [x] x {#ops-alerts}\n")
        #expect(r.level == nil)
    }

    @Test func highestContiguousLevel() throws {
        let (bronze, _, _) = try evaluate(review: "- [x] x {#sec-secrets}\n- [x] x {#ops-alerts}\n")
        #expect(bronze.level == "Bronze")
        let (silver, _, _) = try evaluate(review: "- [x] x {#sec-secrets}\n- [~] x {#sec-deps}\n")
        #expect(silver.level == "Silver")
        let (gold, _, _) = try evaluate(review: "- [x] x {#sec-secrets}\n- [x] x {#sec-deps}\n- [x] x {#ops-alerts}\n")
        #expect(gold.level == "Gold")  // ops-runbooks has no level and does not count
    }

    @Test func categoryLevelUsesItsOwnChecks() throws {
        let (r, _, _) = try evaluate(review: "- [x] x {#sec-secrets}\n- [x] x {#sec-deps}\n")
        // v2: a category reaches only levels its own checks have.
        #expect(r.categories[0].level == "Silver")  // security has no Gold check: Silver is its top
        #expect(r.categories[1].level == nil)  // its only levelled check (Gold) is open
    }
}

@Suite struct StatusTests {
    let allDone = """
        - [x] x {#sec-secrets}
        - [x] x {#sec-deps}
        - [x] x {#ops-alerts}
        - [x] x {#ops-runbooks}
        """

    func status(_ frontMatter: String, body: String? = nil) throws -> (Status, String) {
        let (r, review, _) = try evaluate(review: body ?? allDone, frontMatter: frontMatter)
        return Readiness.status(of: review, r)
    }

    @Test func rejectedIsNotReady() throws {
        #expect(try status("date: 2026-01-10\ndecision: rejected").0 == .notReady)
    }

    @Test func openRequiredIsNotReadyEvenWhenApproved() throws {
        let (s, reason) = try status("date: 2026-01-10\ndecision: approved", body: "- [x] x {#sec-deps}\n")
        #expect(s == .notReady)
        #expect(reason == "required check sec-secrets is open")
    }

    @Test func inProgressByDefault() throws {
        #expect(try status("date: 2026-01-10").0 == .inReview)
        #expect(try status("date: 2026-01-10\ndecision: in-progress").0 == .inReview)
    }

    @Test func requiredOpenBeatsInProgress() throws {
        #expect(try status("date: 2026-01-10", body: "").0 == .notReady)
    }

    @Test func conditionalCases() throws {
        #expect(try status("date: 2026-01-10\ndecision: approved-with-conditions").0 == .conditional)
        let signoff = try status("date: 2026-01-10\ndecision: approved\nsignoffs:\n  - {role: SRE, status: pending}")
        #expect(signoff == (.conditional, "sign-off by SRE is pending"))
        let rejectedSignoff = try status(
            "date: 2026-01-10\ndecision: approved\nsignoffs:\n  - {role: SRE, status: rejected}")
        #expect(rejectedSignoff.0 == .conditional)
        let action = try status(
            "date: 2026-01-10\ndecision: approved", body: allDone + "\n## Action items\n- [ ] fix it @team\n")
        #expect(action == (.conditional, "1 action item is open"))
    }

    @Test func ready() throws {
        let (s, _) = try status(
            "date: 2026-01-10\ndecision: approved\nsignoffs:\n  - {role: SRE, status: approved}",
            body: allDone + "\n## Action items\n- [x] done already\n")
        #expect(s == .ready)
    }
}

@Suite struct ServiceReadinessTests {
    func reviews(_ specs: [(String, Bool)]) throws -> ([Review], [String: Checklist]) {
        var result: [Review] = []
        var checklists: [String: Checklist] = [:]
        for (i, (date, draft)) in specs.enumerated() {
            let (_, review, list) = try evaluate(
                review: i == 0 ? "" : "- [x] x {#sec-secrets}\n",
                frontMatter: "date: \(date)\ndecision: approved\ndraft: \(draft)")
            var r = review
            r.name = "r\(i)"
            result.append(r)
            checklists[list.id] = list
        }
        return (result, checklists)
    }

    @Test func staleBoundary() throws {
        let (list, checklists) = try reviews([("2026-01-01", false)])
        func stale(_ asOf: String) -> Bool {
            Readiness.service(
                Service(slug: "svc"), reviews: list, checklists: checklists, defaultChecklist: nil,
                staleAfterDays: 10, buildDate: Day(asOf)!
            ).stale
        }
        #expect(stale("2026-01-11") == false)  // exactly 10 days: not more than 10
        #expect(stale("2026-01-12") == true)
    }

    @Test func trendAndLatest() throws {
        let (list, checklists) = try reviews([("2026-01-01", false), ("2026-02-01", false)])
        let r = Readiness.service(
            Service(slug: "svc"), reviews: list, checklists: checklists, defaultChecklist: nil,
            staleAfterDays: 180, buildDate: Day("2026-03-01")!)
        #expect(r.trend == [0, 20])
        #expect(r.lastReview == Day("2026-02-01"))
        #expect(r.score == 20)
    }

    @Test func unreviewed() {
        let r = Readiness.service(
            Service(slug: "svc"), reviews: [], checklists: [:], defaultChecklist: "basic", staleAfterDays: 180,
            buildDate: Day("2026-03-01")!)
        #expect(r.status == .unreviewed)
        #expect(r.score == nil && r.level == nil && r.lastReview == nil)
        #expect(r.trend.isEmpty && r.categories.isEmpty)
        #expect(r.checklist == "basic")
    }
}

/// The one overdue rule pages, exports and warnings share.
@Suite struct ActionItemTests {
    func item(due: String?, done: Bool = false) -> Review.ActionItem {
        Review.ActionItem(text: "t", html: "t", owner: nil, due: due.flatMap(Day.init), done: done, line: 1)
    }

    @Test func overdue() {
        let today = Day("2026-03-10")!
        #expect(item(due: "2026-03-09").daysOverdue(on: today) == 1)
        #expect(item(due: "2026-03-10").daysOverdue(on: today) == nil)
        #expect(item(due: "2026-01-10").isOverdue(on: today))
        #expect(!item(due: "2026-01-10", done: true).isOverdue(on: today))
        #expect(!item(due: nil).isOverdue(on: today))
    }
}
