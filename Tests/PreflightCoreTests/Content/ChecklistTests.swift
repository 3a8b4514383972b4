import Testing
@testable import PreflightCore

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
