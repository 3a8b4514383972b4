import Foundation
import Testing
@testable import PreflightCore

// Issue 13's organisation view, end to end on the golden site (built as of
// 2026-03-05): campaigns, readiness over time, what changed, the teams index
// with its heat map, and the deadline calendars.

private let golden = fixtures.appendingPathComponent("golden/site").path

private func build(_ folder: String = golden, asOf: String = "2026-03-05") throws -> [String: String] {
    let result = Site.build(BuildOptions(siteDirectory: folder, buildDate: Day(asOf)!))
    #expect(!result.diagnostics.hasErrors, "\(result.diagnostics.lines)")
    var files: [String: String] = [:]
    for file in try #require(result.files) {
        if case .bytes(let bytes) = file.contents { files[file.path] = String(decoding: bytes, as: UTF8.self) }
    }
    return files
}

/// The events of an .ics text, unfolded, as `[property: value]` per event.
private func events(_ ics: String) -> [[String: String]] {
    let unfolded = ics.replacingOccurrences(of: "\r\n ", with: "")
    var result: [[String: String]] = []
    var current: [String: String]?
    for line in unfolded.components(separatedBy: "\r\n") {
        if line == "BEGIN:VEVENT" { current = [:] } else if line == "END:VEVENT" {
            result.append(current!)
            current = nil
        } else if current != nil, let colon = line.firstIndex(of: ":") {
            current![String(line[..<colon])] = String(line[line.index(after: colon)...])
        }
    }
    return result
}

@Suite struct OrganisationViewTests {
    @Test func campaignsInReadinessJSONAndPages() throws {
        let files = try build()
        let text = try #require(files["readiness.json"])
        let json = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        let campaigns = try #require(json["campaigns"] as? [[String: Any]])
        #expect(campaigns.map { $0["id"] as? String } == ["tier1-silver", "vault"])
        #expect(campaigns.map { $0["status"] as? String } == ["overdue", "done"])
        #expect(campaigns.map { $0["in_scope"] as? Int } == [1, 1])
        #expect(campaigns.map { $0["met"] as? Int } == [0, 1])
        #expect(campaigns.map { $0["missing"] as? [String] } == [["alpha"], []])
        #expect(campaigns[0]["deadline"] as? String == "2026-02-28")

        let page = try #require(files["campaigns/tier1-silver/index.html"])
        #expect(page.contains("Tier 1 &lt;reaches&gt; Silver &amp; more"))
        #expect(page.contains("5 days overdue"))
        #expect(page.contains("needs level Silver (now Bronze); sign-off by SRE missing"))
        #expect(page.contains("<svg class=\"chart\""))
        #expect(files["campaigns/index.html"]?.contains("campaigns/vault/") == true)
        // The service page says which campaigns it is in and whether it meets each.
        let alpha = try #require(files["services/alpha/index.html"])
        #expect(alpha.contains("campaigns/tier1-silver/\">Tier 1 &lt;reaches&gt; Silver &amp; more</a>"))
        #expect(alpha.contains("meets it"))
        #expect(alpha.contains("not yet"))
        // The trend now has an axis with dates.
        #expect(alpha.contains("2026-01-05: 22%") && alpha.contains("2026-02-10: 89%"))
    }

    @Test func whatChangedOnAReviewAndInTheFeed() throws {
        let files = try build()
        let second = try #require(files["services/alpha/reviews/2026-02-10/index.html"])
        #expect(second.contains("What changed"))
        #expect(second.contains("review of 2026-01-05"))
        #expect(second.contains("Newly done"))
        #expect(!(files["services/alpha/reviews/2026-01-05/index.html"] ?? "").contains("What changed"))
        let feed = try #require(files["feed.xml"])
        #expect(feed.contains("newly done"))
    }

    @Test func teamsIndexAndHeatMap() throws {
        let files = try build()
        let teams = try #require(files["teams/index.html"])
        #expect(teams.contains("teams/team-a/") && teams.contains("teams/team-b/"))
        #expect(teams.contains("id=\"heatmap-core\""))
        #expect(teams.contains("teams/team-a/deadlines.ics"))
        // Every cell is labelled in text, not only by colour.
        let cells = teams.components(separatedBy: "<td class=\"heat-").dropFirst()
        #expect(!cells.isEmpty)
        #expect(cells.allSatisfy { $0.range(of: #"^[0-4]" title="[^"]+">\d+%</td>"#, options: .regularExpression) != nil })
        #expect(files["checklists/core/index.html"]?.contains("teams/#heatmap-core") == true)
        #expect(files["index.html"]?.contains("Readiness over time") == true)
    }

    @Test func theDeadlineCalendarHoldsEveryDeadline() throws {
        let files = try build()
        let all = events(try #require(files["deadlines.ics"]))
        let uids = all.compactMap { $0["UID"] }
        #expect(Set(uids).count == uids.count)
        let byUID = Dictionary(uniqueKeysWithValues: all.map { ($0["UID"]!, $0) })
        // Campaigns, an action item with a due date, a waiver's end, an
        // every= answer's end and each reviewed service's re-review.
        #expect(byUID["campaign.tier1-silver@example.org"]?["DTSTART;VALUE=DATE"] == "20260228")
        #expect(byUID["campaign.vault@example.org"]?["DTSTART;VALUE=DATE"] == "20260630")
        #expect(byUID["waiver.alpha.runbooks@example.org"]?["DTSTART;VALUE=DATE"] == "20260301")
        #expect(byUID["answer.alpha.backups@example.org"]?["DTSTART;VALUE=DATE"] == "20260312")
        #expect(byUID["review.alpha@example.org"]?["DTSTART;VALUE=DATE"] == "20260312")
        #expect(byUID["review.beta@example.org"]?["DTSTART;VALUE=DATE"] == "20251231")
        let action = try #require(all.first { $0["UID"]?.hasPrefix("action.alpha.") == true })
        #expect(action["DTSTART;VALUE=DATE"] == "20260301")
        #expect(action["SUMMARY"] == "Action item due: Alpha & Omega: Add a restore drill")
        #expect(action["URL"] == "https://example.org/readiness/services/alpha/reviews/2026-02-10/")
        // A team's calendar: its services and the campaigns they are in.
        let teamB = events(try #require(files["teams/team-b/deadlines.ics"])).compactMap { $0["UID"] }
        #expect(teamB == ["review.beta@example.org"])
        let teamA = Set(events(try #require(files["teams/team-a/deadlines.ics"])).compactMap { $0["UID"] })
        #expect(teamA.contains("campaign.tier1-silver@example.org") && !teamA.contains("review.beta@example.org"))
        // Stable: moving the due date keeps the action item's UID.
        let site = try TempSite([:])
        try FileManager.default.removeItem(atPath: site.root)
        try FileManager.default.copyItem(atPath: golden, toPath: site.root)
        let path = "content/services/alpha/reviews/2026-02-10.md"
        try site.write(path, try site.read(path).replacingOccurrences(of: "due:2026-03-01", with: "due:2026-04-15"))
        let rebuilt = try build(site.root)
        let moved = events(try #require(rebuilt["deadlines.ics"]))
        let same = try #require(moved.first { $0["UID"] == action["UID"] })
        #expect(same["DTSTART;VALUE=DATE"] == "20260415")
    }

    @Test func overdueCampaignsFailCheckWhenAskedAndGoalsAreChecked() throws {
        let report = Site.check(
            BuildOptions(siteDirectory: golden, buildDate: Day("2026-03-05")!), failOn: [.overdueCampaign])
        #expect(report.diagnostics.lines.filter { $0.contains("campaign") && $0.contains("error") } == [
            "content/campaigns/tier1-silver.md:1:1: error: campaign `tier1-silver` is overdue: deadline 2026-02-28, 5 days ago, and 1 of 1 service in scope does not meet it (--fail-on)"
        ])
        let quiet = Site.check(BuildOptions(siteDirectory: golden, buildDate: Day("2026-02-28")!), failOn: [.overdueCampaign])
        #expect(!quiet.diagnostics.lines.contains { $0.contains("campaign") })

        let (_, d, _) = try loadSite([
            "content/checklists/basic.md": basicChecklist,
            "content/services/a/index.md": "---\ntier: 1\n---\n",
            "content/campaigns/c.md": "---\ntitle: C\ndeadline: 2026-01-01\nscope: {tier: [1]}\ngoal: {level: Platinum, checks: [sec-secret]}\n---\n",
            "content/campaigns/nobody.md": "---\ntitle: N\ndeadline: 2026-01-01\nscope: {tier: [9]}\ngoal: {level: Gold}\n---\n",
        ])
        #expect(d.lines == [
            "content/campaigns/c.md:5:1: warning: campaign goal check `sec-secret` is not in any checklist",
            "content/campaigns/c.md:5:1: warning: campaign goal level `Platinum` is not in any checklist",
            "content/campaigns/nobody.md:4:1: warning: campaign scope (tier 9) matches no service; it counts as done",
        ])
        #expect(d.sorted.first?.hint == "did you mean `sec-secrets`?")
    }

    @Test func aCampaignsFolderIsContentAndItsFilesAreNamedLikePages() throws {
        let (_, d, _) = try loadSite([
            "content/checklists/basic.md": basicChecklist,
            "content/campaigns/Bad Name.md": "---\ntitle: x\n---\n",
            "content/stray/x.md": "",
        ])
        #expect(d.lines == [
            "content/campaigns/Bad Name.md:1:1: error: unexpected file content/campaigns/Bad Name.md",
            "content/stray:1:1: error: unexpected folder content/stray",
        ])
        #expect(d.sorted.last?.hint == "content/ holds checklists/, services/, pages/ and campaigns/")
    }

    @Test func writersMistakesFoundInAHostilePass() throws {
        let (content, d, _) = try loadSite([
            "content/checklists/basic.md": basicChecklist,
            "content/services/a/index.md": "---\nowner: 日本語\n---\n",
            "content/services/b/index.md": "---\nowner: 中文\n---\n",
            "content/services/c/index.md": "---\nowner: payments\n---\n",
            "content/campaigns/empty.md": "---\ntitle: \"  \"\ndeadline: 2026-01-01\ngoal: {level: Gold}\n---\n",
            "content/campaigns/typo.md": "---\ntitle: T\ndeadline: 2026-01-01\nscopes: {tier: [1]}\ngoal: {level: Gold}\n---\n",
            "content/campaigns/owner.md": "---\ntitle: O\ndeadline: 2026-01-01\nscope: {owner: [Payments]}\ngoal: {level: Gold}\n---\n",
            "content/campaigns/later.md": "---\ntitle: L\ndeadline: 2026-01-01\ndraft: true\ngoal: {level: Gold}\n---\n",
        ])
        #expect(d.lines.contains("content/campaigns/empty.md:2:1: error: `title` is empty"))
        #expect(d.lines.contains("content/campaigns/typo.md:4:1: error: unknown key `scopes`"))
        #expect(d.lines.contains("content/campaigns/owner.md:4:1: warning: campaign scope owner `Payments` is no service's owner"))
        #expect(d.sorted.first { $0.message.contains("`Payments`") }?.hint == "owners are compared exactly: did you mean `payments`?")
        #expect(content == nil)

        let site = try TempSite([
            "content/checklists/basic.md": basicChecklist,
            "content/services/a/index.md": "---\nowner: 日本語\n---\n",
            "content/services/b/index.md": "---\nowner: 中文\n---\n",
            "content/services/b/reviews/r.md": "---\ndate: 2030-06-01\ndecision: approved\n---\n- [x] x {#sec-secrets}\n",
            "content/campaigns/later.md": "---\ntitle: L\ndeadline: 2026-01-01\ndraft: true\ngoal: {level: Gold}\n---\n",
        ])
        let files = try build(site.root, asOf: "2026-11-26")
        // Owners a slug cannot spell stay two teams; a draft campaign is not published.
        #expect(files.keys.filter { $0.hasPrefix("teams/team-") && $0.hasSuffix("/index.html") }.count == 2)
        #expect(files["campaigns/later/index.html"] == nil)
        let drafts = Site.build(BuildOptions(siteDirectory: site.root, buildDate: Day("2026-11-26")!, includeDrafts: true))
        #expect(drafts.files?.contains { $0.path == "campaigns/later/index.html" } == true)
        let check = Site.check(BuildOptions(siteDirectory: site.root, buildDate: Day("2026-11-26")!))
        #expect(check.diagnostics.lines.contains {
            $0.hasPrefix("content/services/b/reviews/r.md:2:1: warning: review is dated 2030-06-01, after the build date 2026-11-26")
        })
    }
}
