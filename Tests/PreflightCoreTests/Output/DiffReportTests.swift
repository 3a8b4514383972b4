import Foundation
import Testing
@testable import PreflightCore

/// The three forms of `preflight diff` output, from sites compared in memory.
@Suite struct DiffReportTests {
    func report(_ base: [String: String], _ head: [String: String]) throws -> DiffReport {
        let old = try TempSite(base)
        let new = try TempSite(head)
        let comparison = Site.compare(
            base: old.root, head: BuildOptions(siteDirectory: new.root, buildDate: ReadinessDiffTests.day))
        let formatter = DiagnosticFormatter(siteDirectory: "site")
        return DiffReport(
            comparison: comparison, base: "main", head: "working tree", asOf: ReadinessDiffTests.day,
            formatters: (formatter, formatter))
    }

    var unticked: [String: String] {
        var head = ReadinessDiffTests.base
        head["content/services/beta/reviews/r1.md"] = ReadinessDiffTests.review(done: ["sec-deps"])
        head["content/services/delta/index.md"] = "---\nname: Delta\n---\n"
        return head
    }

    @Test func textSaysWhatMovedAndWhy() throws {
        let text = try report(ReadinessDiffTests.base, unticked).render(.text)
        #expect(text == """
            Readiness as of 2026-03-01, main → working tree: 1 regression, 1 added, 2 unchanged

            beta (Beta): regression: level dropped, score dropped, status worsened
              status ready → not-ready (required check sec-secrets is open)
              level  Silver → none
              score  60 → 40
              newly open: sec-secrets

            delta (Delta): added: unreviewed, no level, no score

            """)
    }

    @Test func markdownIsATableWithDetailsFolded() throws {
        let markdown = try report(ReadinessDiffTests.base, unticked).render(.markdown)
        #expect(markdown.hasPrefix("### Readiness: 1 regression, 1 added, 2 unchanged\n"))
        #expect(markdown.contains(
            "| Beta `beta` | **regression**: level dropped, score dropped, status worsened | Ready → **Not ready** | Silver → **—** | 60 → **40** | — | no |"))
        #expect(markdown.contains("| Delta `delta` | added | Unreviewed | — | — | — | no |"))
        #expect(markdown.contains("<details><summary>Checks that moved</summary>\n\n- **Beta**: newly open `sec-secrets`\n"))
        #expect(markdown.hasSuffix("<sub>As of 2026-03-01: main → working tree. Made by `preflight diff`.</sub>\n"))
    }

    @Test func markdownCannotBeBrokenByNames() throws {
        var head = ReadinessDiffTests.base
        head["content/services/delta/index.md"] = "---\nname: \"Evil | <img src=x onerror=alert(1)> **b** `c` [l](javascript:x)\\nrow\"\n---\n"
        let markdown = try report(ReadinessDiffTests.base, head).render(.markdown)
        let rows = markdown.split(separator: "\n").filter { $0.hasPrefix("| ") && !$0.hasPrefix("| Service") }
        #expect(rows.count == 1)
        #expect(markdown.contains(#"Evil \| \<img src=x onerror=alert(1)\> \*\*b\*\* \`c\` \[l\](javascript:x) row"#))
        #expect(!markdown.replacingOccurrences(of: "\\<", with: "").contains("<img"))
    }

    @Test func markdownListsAtMostAHundredServices() throws {
        var head = ReadinessDiffTests.base
        for i in 0..<120 { head["content/services/new-\(i)/index.md"] = "---\nname: New \(i)\n---\n" }
        let markdown = try report(ReadinessDiffTests.base, head).render(.markdown)
        #expect(markdown.split(separator: "\n").filter { $0.hasPrefix("| New ") }.count == DiffReport.markdownRows)
        #expect(markdown.contains("…and 20 more: run `preflight diff` for the whole list."))
        #expect(try report(ReadinessDiffTests.base, head).render(.text).components(separatedBy: ": added:").count == 121)
    }

    @Test func jsonHasEveryFigureAndTheErrorsBySide() throws {
        var broken = ReadinessDiffTests.base
        broken["content/services/gamma/reviews/r1.md"] = "---\ndate: soon\ndecision: approved\n---\n"
        let json = try report(broken, unticked).render(.json)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect(object["as_of"] as? String == "2026-03-01")
        let summary = try #require(object["summary"] as? [String: Int])
        #expect(summary == ["regression": 1, "improved": 0, "changed": 0, "added": 1, "removed": 0, "unchanged": 2])
        let services = try #require(object["services"] as? [[String: Any]])
        let beta = try #require(services.first)
        #expect(beta["slug"] as? String == "beta")
        #expect(beta["regressions"] as? [String] == ["level-drop", "score-drop", "status-drop"])
        #expect((beta["before"] as? [String: Any])?["status"] as? String == "ready")
        #expect((beta["after"] as? [String: Any])?["level"] is NSNull)
        #expect(beta["newly_open"] as? [String] == ["sec-secrets"])
        let errors = try #require(object["errors"] as? [[String: Any]])
        #expect(errors.first?["side"] as? String == "base")
        #expect((errors.first?["path"] as? String)?.hasPrefix("site/content/services/gamma/") == true)
    }

    @Test func checklistEditsInEachFormat() throws {
        var head = ReadinessDiffTests.base
        head["content/checklists/basic.md"] = basicChecklist + "\n- [ ] Backups are restored {#ops-backup required level=Silver}\n"
        let r = try report(ReadinessDiffTests.base, head)
        #expect(r.render(.text).hasSuffix("""
            Checklist changes:
              basic: check ops-backup added (required, Silver): moves 2 services

            """))
        #expect(r.render(.markdown).contains("| `basic` | check `ops-backup` added (required, Silver) | 2 |"))
        #expect(r.render(.json).contains(#""services_moved": 2"#))
    }

    /// A GitHub comment holds 65,536 characters: long ids, long names and
    /// many moved checks stay under the budget, saying what was left out.
    @Test func markdownStaysUnderTheCommentLimit() throws {
        let id = String(repeating: "long-check-id-", count: 8)
        var checklist = "---\ntitle: Big\n---\n## All {#all}\n"
        for i in 0..<60 { checklist += "- [ ] Check \(i) {#\(id)\(i)}\n" }
        var base: [String: String] = ["content/checklists/big.md": checklist]
        var head = base
        for s in 0..<150 {
            let name = "---\nname: \(String(repeating: "Service \(s) ", count: 30))\nchecklist: big\n---\n"
            base["content/services/s\(s)/index.md"] = name
            head["content/services/s\(s)/index.md"] = name
            let done = (0..<60).map { "- [x] Check \($0) {#\(id)\($0)}" }.joined(separator: "\n")
            base["content/services/s\(s)/reviews/r1.md"] = "---\ndate: 2026-02-01\ndecision: approved\n---\n" + done + "\n"
            head["content/services/s\(s)/reviews/r1.md"] = "---\ndate: 2026-02-01\ndecision: approved\n---\n"
        }
        let markdown = try report(base, head).render(.markdown)
        #expect(markdown.utf8.count <= DiffReport.markdownBudget + 200)
        #expect(markdown.contains("more: run `preflight diff` for the whole list."))
        #expect(markdown.contains(" and 48 more"))
        #expect(markdown.contains("…"))
    }

    @Test func markdownNamesMentionNoOneAndReorderNothing() {
        #expect(escapeMarkdown("@octocat #1") == "@\u{2060}octocat #\u{2060}1")
        #expect(escapeMarkdown("a\u{202E}b\u{85}c") == "a b c")
    }
}

