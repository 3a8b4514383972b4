import Testing
@testable import PreflightCore

private let svcIndex = "---\nname: Svc\nowner: team-a\n---\nA service.\n"

@Suite struct ReviewParseTests {
    func site(_ review: String, extra: [String: String] = [:]) throws -> (SiteContent?, DiagnosticList, TempSite) {
        var files = [
            "content/checklists/basic.md": basicChecklist,
            "content/services/svc/index.md": svcIndex,
            "content/services/svc/reviews/r1.md": review,
        ]
        files.merge(extra) { $1 }
        return try loadSite(files)
    }

    @Test func matchingByIDAndText() throws {
        let (content, d, _) = try site("""
            ---
            date: 2026-01-10
            ---
            - [x] SECRETS LIVE IN THE SECRET STORE
            - [~] Not applicable: no third-party code {#sec-deps}
            - [ ] Some other task
            """)
        let review = try #require(content?.reviews["svc"]?.first, "\(d.lines)")
        #expect(review.answers["sec-secrets"]?.box == .done)
        #expect(review.answers["sec-deps"]?.box == .waived)
        #expect(review.answers["sec-deps"]?.reason == "Not applicable: no third-party code")
        #expect(review.answers.count == 2)
        #expect(review.title == "Svc review, 2026-01-10")
        #expect(review.decision == .inProgress)
        #expect(review.checklist == "basic")
    }

    /// Answers are a slot per check in the checklist's order, not a
    /// dictionary per review: 16 bytes an answer, answered or not.
    @Test func answersAreATablePerChecklist() throws {
        #expect(MemoryLayout<Review.Answer?>.stride <= 16)
        var d = DiagnosticList()
        // A check id used twice is an error, and the table must still fit.
        let file = try SourceFile.split(
            path: "c.md", text: "---\ntitle: C\n---\n## A\n- [ ] One {#one}\n- [ ] Again {#one}\n- [ ] Two {#two}\n").get()
        let list = try #require(Checklist.parse(id: "c", file: file, unsafeHTML: false, diagnostics: &d))
        var answers = Review.Answers(to: list)
        #expect(answers.isEmpty && answers["two"] == nil)
        let answer = Review.Answer(box: .waived, reason: "n/a", line: 9, by: "Ana")
        let recorded = answers.record(answer, for: "two")
        let unknown = answers.record(answer, for: "four")
        #expect(recorded && !unknown)
        #expect(answers["two"] == answer && answers["one"] == nil && answers["four"] == nil)
        answers.record(answer, for: "one")
        #expect(answers["one"] == answer)
        #expect(answers.count == 2)
        // Equal when every check's answer is equal, however each was made.
        var other = Review.Answers(to: list)
        #expect(other != answers)
        other.record(answer, for: "one")
        other.record(answer, for: "two")
        #expect(other == answers)
        #expect(Review.Answers() == Review.Answers(to: list))
    }

    @Test func waiverReasonBelowATextMatchedItem() throws {
        let (content, d, _) = try site("""
            ---
            date: 2026-01-10
            ---
            - [~] Dependencies are scanned

              There are no third-party dependencies.
            - [~] Runbooks exist
            """)
        let review = try #require(content?.reviews["svc"]?.first, "\(d.lines)")
        #expect(review.answers["sec-deps"]?.reason == "There are no third-party dependencies.")
        #expect(review.answers["ops-runbooks"]?.reason == nil)
    }

    @Test func unknownIDAndDoubleAnswers() throws {
        let (content, d, _) = try site("""
            ---
            date: 2026-01-10
            ---
            - [x] a {#nope}
            - [x] b {#sec-secrets}
            - [ ] Secrets live in the secret store
            - [x] c {#ops-alerts required}
            """)
        #expect(content == nil)
        #expect(d.lines == [
            "content/services/svc/reviews/r1.md:4:1: error: `nope` is not a check of checklist `basic`",
            "content/services/svc/reviews/r1.md:6:1: error: check `sec-secrets` is answered twice (first on line 5)",
            "content/services/svc/reviews/r1.md:7:1: error: a review's task item takes no `required`",
        ])
    }

    @Test func actionItems() throws {
        let (content, d, _) = try site("""
            ---
            date: 2026-01-10
            ---
            - [ ] Not an action item @x due:2026-01-01

            ### ACTION ITEMS

            - [ ] Add probes @storefront due:2026-02-01
            - [x] Done one @ops
            - [~] Dropped
            """)
        let review = try #require(content?.reviews["svc"]?.first, "\(d.lines)")
        #expect(review.actionItems.count == 3)
        #expect(review.actionItems[0].owner == "storefront")
        #expect(review.actionItems[0].due == Day("2026-02-01"))
        #expect(!review.actionItems[0].done)
        #expect(review.actionItems[1].done && review.actionItems[1].owner == "ops")
        #expect(review.actionItems[2].done)
    }

    @Test func badDueDate() throws {
        let (_, d, _) = try site("---\ndate: 2026-01-10\n---\n## Action items\n- [ ] x due:2026-02-30\n")
        #expect(d.lines == ["content/services/svc/reviews/r1.md:5:1: error: due date is `2026-02-30`, but February 2026 has 28 days"])
    }

    @Test func frontMatterErrorsAtTheirKeys() throws {
        let (_, d, _) = try site("""
            ---
            title: T
            date: [2026]
            decision: approve
            reviewers: Dana
            signoffs:
              - {role: SRE, status: maybe}
              - name: Nobody
            draft: yes
            checklist: nope
            colour: blue
            ---
            Body
            """)
        #expect(d.lines == [
            "content/services/svc/reviews/r1.md:3:1: error: `date` must be a day written YYYY-MM-DD, not a list",
            "content/services/svc/reviews/r1.md:4:1: error: `decision` must be one of `approved`, `approved-with-conditions`, `rejected`, `in-progress`, not `approve`",
            "content/services/svc/reviews/r1.md:5:1: error: `reviewers` must be a list, not `Dana`",
            "content/services/svc/reviews/r1.md:7:17: error: sign-off `status` must be `approved`, `pending` or `rejected`, not `maybe`",
            "content/services/svc/reviews/r1.md:8:5: error: `signoffs[2].role` is required",
            "content/services/svc/reviews/r1.md:9:1: error: `draft` must be `true` or `false`, not `yes`",
            "content/services/svc/reviews/r1.md:10:1: error: unknown checklist `nope`",
            "content/services/svc/reviews/r1.md:11:1: warning: unknown key `colour`",
        ])
    }

    @Test func missingDate() throws {
        let (_, d, _) = try site("---\ntitle: T\n---\n")
        #expect(d.lines == ["content/services/svc/reviews/r1.md:1:1: error: `date` is required"])
    }

    @Test func frontMatterNotAMap() throws {
        let (_, d, _) = try site("---\n- a\n- b\n---\n")
        #expect(d.lines == [
            "content/services/svc/reviews/r1.md:2:1: error: front matter must be a mapping of `key: value` lines, not a list"
        ])
    }
}
