import Testing
@testable import PreflightCore

private let svcIndex = "---\nname: Svc\nowner: team-a\n---\nA service.\n"

@Suite struct FrontMatterTests {
    @Test func splitCountsLines() throws {
        let file = try SourceFile.split(path: "a.md", text: "---\ntitle: x\n---\nBody\n").get()
        #expect(file.frontMatter == "title: x\n")
        #expect(file.bodyFirstLine == 4)
        #expect(file.body == "Body\n")
    }

    @Test func noFrontMatter() throws {
        let file = try SourceFile.split(path: "a.md", text: "Just text\n").get()
        #expect(file.frontMatter == nil)
        #expect(file.bodyFirstLine == 1)
    }

    @Test func byteOrderMarkAndCRLF() throws {
        let file = try SourceFile.split(path: "a.md", text: "\u{FEFF}---\r\ntitle: x\r\n---\r\nBody").get()
        #expect(file.frontMatter != nil)
        #expect(file.bodyFirstLine == 4)
    }

    @Test func unclosed() {
        guard case .failure(let d) = SourceFile.split(path: "a.md", text: "---\ntitle: x\nBody\n") else {
            Issue.record("expected an error")
            return
        }
        #expect(d.message == "front matter is not closed")
        #expect(d.line == 1)
    }

    @Test func invalidUTF8IsLocated() {
        let bytes: [UInt8] = Array("ok\nab".utf8) + [0xFF] + Array("\n".utf8)
        guard case .failure(let d) = SourceFile.parse(path: "a.md", bytes: bytes) else {
            Issue.record("expected an error")
            return
        }
        #expect((d.line, d.column) == (2, 3))
    }
}

@Suite struct ConfigTests {
    @Test func defaults() {
        var d = DiagnosticList()
        let config = SiteConfig.parse(nil, diagnostics: &d)
        #expect(config.title == "Production readiness")
        #expect(config.baseURL == "/")
        #expect(config.staleAfterDays == 180)
        #expect(!config.unsafeHTML)
    }

    @Test func unknownKeyIsAnErrorWithLineAndSuggestion() {
        var d = DiagnosticList()
        _ = SiteConfig.parse("title: X\nstale_after_dayz: 3\n", diagnostics: &d)
        #expect(d.lines == ["preflight.yml:2:1: error: unknown key `stale_after_dayz`"])
        #expect(d.items[0].hint == "did you mean `stale_after_days`?")
    }

    @Test func wrongTypesPointAtTheKey() {
        var d = DiagnosticList()
        _ = SiteConfig.parse("title: X\n\nstale_after_days: [1]\nunsafe_html: maybe\n", diagnostics: &d)
        #expect(d.lines == [
            "preflight.yml:3:1: error: `stale_after_days` must be a whole number, not a list",
            "preflight.yml:4:1: error: `unsafe_html` must be `true` or `false`, not `maybe`",
        ])
    }

    @Test func baseURL() {
        var d = DiagnosticList()
        let config = SiteConfig.parse("base_url: https://example.org/readiness", diagnostics: &d)
        #expect(config.baseURL == "https://example.org/readiness/")
        #expect(config.basePath == "/readiness/")
        _ = SiteConfig.parse("base_url: javascript:alert(1)", diagnostics: &d)
        #expect(d.errorCount == 1)
    }

    @Test func yamlSyntaxErrorIsLocatedInTheFile() {
        var d = DiagnosticList()
        _ = SiteConfig.parse("title: X\nbase_url: [unclosed\n", diagnostics: &d)
        #expect(d.items.first?.line ?? 0 >= 2)
        #expect(d.items.first?.message.hasPrefix("front matter is not valid YAML") == true)
    }

    @Test func duplicateKeys() {
        var d = DiagnosticList()
        _ = SiteConfig.parse("title: X\ntitle: Y\n", diagnostics: &d)
        #expect(d.items.first?.message == "front matter has duplicate key `title`")
    }
}

@Suite struct ChecklistParseTests {
    func parse(_ text: String) -> (Checklist?, DiagnosticList) {
        var d = DiagnosticList()
        let file = try! SourceFile.split(path: "c.md", text: text).get()
        return (Checklist.parse(id: "c", file: file, unsafeHTML: false, diagnostics: &d), d)
    }

    @Test func categoriesAndChecks() throws {
        let (list, d) = parse(basicChecklist)
        let checklist = try #require(list)
        #expect(!d.hasErrors)
        #expect(checklist.categories.map(\.id) == ["security", "operations"])
        #expect(checklist.checks.map(\.id) == ["sec-secrets", "sec-deps", "ops-alerts", "ops-runbooks"])
        let deps = try #require(checklist.check(id: "sec-deps"))
        #expect(deps.weight == 2 && deps.level == "Silver" && deps.levelRank == 1 && !deps.required)
        #expect(checklist.check(id: "sec-secrets")?.required == true)
        #expect(checklist.introHTML.contains("Intro text."))
        #expect(!checklist.introHTML.contains("Security"))
    }

    @Test func badAttributes() {
        let (_, d) = parse("""
            ---
            title: T
            levels: [Bronze]
            ---
            ## Cat
            - [ ] a {#a level=Platinum}
            - [ ] b {#b weight=0}
            - [ ] c {#c weight=-2}
            - [ ] d {#d weight=99999999999999999999}
            - [ ] e {#e levle=Bronze}
            - [ ] f {#ok}
            - [ ] g {#G_bad}
            - [ ] h {#ok}
            """)
        #expect(d.lines == [
            "c.md:6:1: error: level `Platinum` is not one of the checklist's levels",
            "c.md:7:1: error: weight must be a whole number from 1 to 1000000, not `0`",
            "c.md:8:1: error: weight must be a whole number from 1 to 1000000, not `-2`",
            "c.md:9:1: error: weight must be a whole number from 1 to 1000000, not `99999999999999999999`",
            "c.md:10:1: error: unknown attribute `levle` on check",
            "c.md:12:1: error: check id `G_bad` must be lower-case letters, digits and `-`",
            "c.md:13:1: error: check id `ok` is used twice (first on line 11)",
        ])
    }

    @Test func missingIDWarns() {
        let (list, d) = parse("---\ntitle: T\n---\n## Cat\n- [ ] Has no id\n")
        #expect(list?.checks.first?.id == "has-no-id")
        #expect(d.lines == ["c.md:5:1: warning: check has no explicit id; using `has-no-id`"])
    }

    @Test func structuralErrors() {
        let (_, outside) = parse("---\ntitle: T\n---\n- [ ] Floating {#f}\n## Cat\n- [ ] ok {#ok}\n")
        #expect(outside.lines == ["c.md:4:1: error: check `Floating` is not under a category"])
        let (_, empty) = parse("---\ntitle: T\n---\n## Cat\nNo checks.\n")
        #expect(empty.lines == ["c.md:4:1: error: checklist has no checks"])
        let (_, noTitle) = parse("---\ndescription: D\n---\n## Cat\n- [ ] a {#a}\n")
        #expect(noTitle.lines == ["c.md:1:1: error: `title` is required"])
        let (_, dupCategory) = parse("---\ntitle: T\n---\n## Cat\n- [ ] a {#a}\n## Cat\n- [ ] b {#b}\n")
        #expect(dupCategory.lines.contains("c.md:6:1: error: category id `cat` is used twice (first on line 4)"))
    }
}

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
            "content/services/svc/reviews/r1.md:7:1: error: a review's task item takes only `{#id}`, not `{#ops-alerts required}`",
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
        #expect(d.lines == ["content/services/svc/reviews/r1.md:5:1: error: due date `2026-02-30` must be written YYYY-MM-DD"])
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
            "content/services/svc/reviews/r1.md:3:1: error: `date` must be a date written YYYY-MM-DD, not a list",
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

@Suite struct LoaderTests {
    @Test func badNamesAreErrorsNamingThePath() throws {
        let (_, d, _) = try loadSite([
            "content/checklists/basic.md": basicChecklist,
            "content/checklists/Notes.txt": "x",
            "content/services/Bad Name/index.md": svcIndex,
            "content/services/svc/index.md": svcIndex,
            "content/services/svc/notes.md": "x",
            "content/services/svc/reviews/Q1 review.md": "---\ndate: 2026-01-01\n---\n",
            "content/services/README.md": "x",
            "content/services/.hidden": "ignored",
        ])
        #expect(d.lines == [
            "content/checklists/Notes.txt:1:1: error: unexpected file content/checklists/Notes.txt",
            "content/services/Bad Name:1:1: error: unexpected folder content/services/Bad Name",
            "content/services/README.md:1:1: error: unexpected file content/services/README.md",
            "content/services/svc/notes.md:1:1: error: unexpected file content/services/svc/notes.md",
            "content/services/svc/reviews/Q1 review.md:1:1: error: unexpected file content/services/svc/reviews/Q1 review.md",
        ])
        #expect(d.items.contains { $0.hint?.contains("`q1-review`") == true })
    }

    @Test func defaultChecklistResolution() throws {
        let review = "---\ndate: 2026-01-01\n---\n"
        let (one, d1, _) = try loadSite([
            "content/checklists/basic.md": basicChecklist,
            "content/services/svc/reviews/r.md": review,
        ])
        #expect(!d1.hasErrors, "\(d1.lines)")
        #expect(one?.defaultChecklist == "basic")
        #expect(one?.services.first?.name == "svc")  // no index.md: still a service

        let (_, d2, _) = try loadSite([
            "content/checklists/basic.md": basicChecklist,
            "content/checklists/other.md": basicChecklist,
            "content/services/svc/reviews/r.md": review,
        ])
        #expect(d2.lines == ["content/services/svc/reviews/r.md:1:1: error: review names no checklist and the site has no default"])

        let (_, d3, _) = try loadSite([
            "preflight.yml": "default_checklist: missing\n",
            "content/checklists/basic.md": basicChecklist,
        ])
        #expect(d3.lines == ["preflight.yml:1:1: error: `default_checklist` names unknown checklist `missing`"])

        let (_, d4, _) = try loadSite([
            "content/checklists/basic.md": basicChecklist,
            "content/services/svc/index.md": "---\nchecklist: nope\n---\n",
        ])
        #expect(d4.lines == ["content/services/svc/index.md:2:1: error: unknown checklist `nope`"])
    }

    @Test func missingContentFolder() throws {
        let (content, d, _) = try loadSite(["preflight.yml": "title: X\n"])
        #expect(content == nil)
        #expect(d.lines == ["content:1:1: error: no content/ folder in the site"])
    }

    @Test func everyErrorIsReportedNotJustTheFirst() throws {
        let (_, d, _) = try loadSite([
            "content/checklists/basic.md": basicChecklist,
            "content/services/a/reviews/r.md": "---\ndate: nope\n---\n",
            "content/services/b/reviews/r.md": "---\ndate: 2026-01-01\n---\n- [x] x {#missing}\n",
            "content/services/c/index.md": "---\ntags: solo\n---\n",
        ])
        #expect(d.errorCount == 3)
    }

    @Test func unknownServiceKeyIsAWarning() throws {
        let (content, d, _) = try loadSite([
            "content/checklists/basic.md": basicChecklist,
            "content/services/svc/index.md": "---\nowner: a\nownr: b\nextra:\n  pager: p\n---\n",
        ])
        #expect(content != nil)
        #expect(d.lines == ["content/services/svc/index.md:3:1: warning: unknown key `ownr`"])
        #expect(content?.services.first?.extra == .object([("pager", .string("p"))]))
    }

    @Test func unsafeLinksInFrontMatterAreRefused() throws {
        let (_, d, _) = try loadSite([
            "content/checklists/basic.md": basicChecklist,
            "content/services/svc/index.md": "---\nlinks:\n  Repo: javascript:alert(1)\n---\n",
        ])
        #expect(d.errorCount == 1)
    }
}
