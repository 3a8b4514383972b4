import Testing
@testable import PreflightCore

private let svcIndex = "---\nname: Svc\nowner: team-a\n---\nA service.\n"

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

        // The one error: a review without `checklist:` is not also told the site has no default.
        let (_, d3, _) = try loadSite([
            "preflight.yml": "default_checklist: missing\n",
            "content/checklists/basic.md": basicChecklist,
            "content/services/svc/reviews/r.md": review,
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
