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
