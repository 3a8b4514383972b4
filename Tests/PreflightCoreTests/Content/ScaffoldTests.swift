import Foundation
import Testing
@testable import PreflightCore

@Suite struct ScaffoldTests {
    let site = [
        "preflight.yml": "default_checklist: basic\n",
        "content/checklists/basic.md": basicChecklist,
        "content/checklists/other.md": "---\ntitle: Other\n---\n## A\n\n- [ ] One {#one}\n",
        "content/services/svc/index.md": "---\nname: Svc\nchecklist: other\n---\n",
        "content/services/plain/index.md": "---\nname: Plain\n---\n",
        "secret.md": "---\ntitle: Secret\n---\n## S\n\n- [ ] Leaked {#leak}\n",
    ]

    /// The checklist is resolved as the loader resolves a review's.
    @Test func checklistResolution() throws {
        let root = try TempSite(site)
        let own = try Scaffold.review(siteDirectory: root.root, service: "svc", date: Day("2026-01-01")!, checklistID: nil)
        #expect(own.text.contains("- [ ] One {#one}"))
        let fallback = try Scaffold.review(siteDirectory: root.root, service: "plain", date: Day("2026-01-01")!, checklistID: nil)
        #expect(fallback.text.contains("{#sec-secrets}"))
        let explicit = try Scaffold.review(siteDirectory: root.root, service: "svc", date: Day("2026-01-01")!, checklistID: "basic")
        #expect(explicit.text.contains("checklist: basic"))
    }

    /// A new review carries the checklist's guidance as comments under each
    /// check, and its sign-off roles as pending; filled in, it checks clean.
    @Test func newReviewCarriesGuidanceAndSignoffs() throws {
        let root = try TempSite(site.merging([
            "content/checklists/basic.md": """
                ---
                title: Basic
                levels: [Bronze, Silver]
                signoffs:
                  - {role: SRE, level: Silver}
                ---
                ## Security {#security}

                - [ ] Secrets live in the secret store {#sec-secrets required level=Bronze}

                  Run `scan --secrets` and link the report.
                  Never paste a secret here --> really.

                - [ ] Restore tested {#restore level=Silver every=90 from=2027-01-01}
                """,
        ]) { $1 })
        let file = try Scaffold.review(siteDirectory: root.root, service: "plain", date: Day("2026-01-01")!, checklistID: nil)
        #expect(file.text.contains("""
            - [ ] Secrets live in the secret store {#sec-secrets}
              <!-- Run `scan --secrets` and link the report.
              Never paste a secret here - -> really. -->
            - [ ] Restore tested {#restore}
              <!-- (counts from 2027-01-01; a done answer holds 90 days) -->
            """))
        #expect(file.text.contains("signoffs:\n  - {role: SRE, status: pending}  # needed for Silver\n"))
        try Scaffold.create([file], in: root.root)
        let result = Site.check(BuildOptions(siteDirectory: root.root, buildDate: Day("2026-01-01")!))
        #expect(!result.diagnostics.hasErrors, "\(result.diagnostics.lines)")
        let review = result.diagnostics.lines.filter { $0.contains("reviews/2026-01-01.md") }
        #expect(review.isEmpty, "\(review)")
    }

    /// `--checklist ../../secret` names no file in content/checklists/: refused, never read.
    @Test(arguments: ["../../secret", "../secret", "/etc/passwd", "nope"])
    func checklistOutsideTheSiteIsNeverRead(id: String) throws {
        let root = try TempSite(site)
        #expect(throws: Scaffold.Failure.self) {
            try Scaffold.review(siteDirectory: root.root, service: "svc", date: Day("2026-01-01")!, checklistID: id)
        }
    }

    /// A linked folder on the way would put the new file outside the site.
    @Test func neverWritesThroughALink() throws {
        let root = try TempSite(site.merging(["outside/keep.txt": "x"]) { $1 })
        try FileManager.default.createSymbolicLink(
            atPath: root.root + "/content/services/svc/reviews", withDestinationPath: root.root + "/outside")
        let file = try Scaffold.review(siteDirectory: root.root, service: "svc", date: Day("2026-01-01")!, checklistID: nil)
        #expect(throws: Scaffold.Failure.self) { try Scaffold.create([file], in: root.root) }
        #expect(try FileManager.default.contentsOfDirectory(atPath: root.root + "/outside") == ["keep.txt"])
    }
}
