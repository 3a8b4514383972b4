import Foundation
import Testing
@testable import PreflightCore

// Issue 15: what the portal shows a manager. The browser half of these checks
// (sorting, the phone layout, colours, search in a page) is in Tests/site.

private func item(_ html: String, owner: String?, due: String?) -> Review.ActionItem {
    Review.ActionItem(text: html, html: html, owner: owner, due: due.flatMap(Day.init), done: false, line: 1)
}

private let portalSite: [String: String] = [
    "preflight.yml": "title: Portal\ntargets:\n  \"1\": Silver\n",
    "content/checklists/basic.md": basicChecklist,
    "content/services/alpha/index.md": "---\nname: Alpha\nowner: team-a\ntier: \"1\"\n---\n\nAlpha serves the **ledger**.\n",
    "content/services/alpha/reviews/2026-01-10.md": """
        ---
        date: 2026-01-10
        checklist: basic
        decision: approved
        ---

        The failover was rolled back twice.

        - [x] Secrets {#sec-secrets}
        - [x] Deps {#sec-deps}

        ## Action items

        - [ ] Automate the failover @alice due:2026-02-01
        - [ ] Write the runbook (@team-a, due:2026-04-01)
        """,
    "content/services/beta/index.md": "---\nname: Beta\nowner: team-b\n---\n",
    "content/services/beta/reviews/2026-01-12.md": """
        ---
        date: 2026-01-12
        checklist: basic
        decision: approved-with-conditions
        ---

        - [ ] Secrets {#sec-secrets}
        - [x] Deps {#sec-deps}
        """,
    "content/services/gamma/index.md": "---\nname: Gamma\nowner: team-b\n---\n",
    "content/services/gamma/reviews/2026-01-12.md": """
        ---
        date: 2026-01-12
        checklist: basic
        decision: approved
        ---

        - [x] Secrets {#sec-secrets}
        - [x] Deps {#sec-deps}
        - [x] Alerts {#ops-alerts}
        - [x] Runbooks {#ops-runbooks}
        """,
]

private func build(_ files: [String: String], asOf: String = "2026-03-01") throws -> (TempSite, [String: String]) {
    let site = try TempSite(files)
    let result = Site.build(BuildOptions(siteDirectory: site.root, buildDate: Day(asOf)!))
    #expect(!result.diagnostics.hasErrors, "\(result.diagnostics.lines)")
    var out: [String: String] = [:]
    for file in try #require(result.files) {
        if case .bytes(let bytes) = file.contents { out[file.path] = String(decoding: bytes, as: UTF8.self) }
    }
    return (site, out)
}

@Suite struct ActionItemDisplayTests {
    @Test func ownerAndDueWordsAreTakenOut() {
        #expect(item("Add probes @storefront due:2026-10-15", owner: "storefront", due: "2026-10-15").displayHTML
            == "Add probes")
        #expect(item("Write the runbook (@team-a, due:2026-04-01)", owner: "team-a", due: "2026-04-01").displayHTML
            == "Write the runbook")
        #expect(item("@alice: rotate the keys due:2026-01-02.", owner: "alice", due: "2026-01-02").displayHTML
            == "rotate the keys.")
        #expect(item("Ask @bob. Due:2026-01-02 — then ship", owner: "bob", due: "2026-01-02").displayHTML
            == "Ask. — then ship")
    }

    @Test func wordsInCodeLinksAndOtherNamesStay() {
        let html = "Run <code>@alice due:2026-01-02</code> and tell @alice-two, @alice"
        #expect(item(html, owner: "alice", due: "2026-01-02").displayHTML
            == "Run <code>@alice due:2026-01-02</code> and tell @alice-two")
        let linked = "See <a href=\"https://example.com/@alice\">@alice</a>"
        #expect(item(linked, owner: "alice", due: nil).displayHTML == linked)
    }

    @Test func anItemOfOnlyTagsKeepsItsWords() {
        #expect(item("@alice due:2026-01-02", owner: "alice", due: "2026-01-02").displayHTML == "@alice due:2026-01-02")
        #expect(item("Nothing to take", owner: nil, due: nil).displayHTML == "Nothing to take")
    }
}

@Suite struct SearchIndexTextTests {
    @Test func wordsOfHTML() {
        let text = SearchIndex.text(ofHTML: [
            "<p>The <em>indexer</em> cannot be rolled back: ask @reporting-leads &amp; SRE.</p>",
            "<p>The indexer, again; a b cd R&amp;D</p>",
        ])
        #expect(text == "indexer cannot rolled back ask reporting-leads sre again")
    }

    @Test func entriesCarryStatusLevelOwnerAndText() throws {
        let (_, files) = try build(portalSite)
        let json = try #require(files["search-index.json"])
        let entries = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]])
        let alpha = try #require(entries.first { $0["title"] as? String == "Alpha" })
        let keywords = try #require(alpha["keywords"] as? String)
        for word in ["team-a", "Conditional", "conditional", "Silver", "level Silver", "tier 1"] {
            #expect(keywords.contains(word), "\(word) in \(keywords)")
        }
        #expect(alpha["detail"] as? String == "Conditional · Silver · 60% · team-a")
        #expect((alpha["text"] as? String)?.contains("ledger") == true)
        let review = try #require(entries.first { $0["kind"] as? String == "review" && ($0["url"] as? String)?.contains("alpha") == true })
        #expect((review["text"] as? String)?.contains("rolled") == true)
        #expect(entries.contains { $0["kind"] as? String == "team" && $0["title"] as? String == "alice" })
    }
}

@Suite struct DashboardTests {
    @Test func worstFirstWithReasonsAndDeadlines() throws {
        let (_, files) = try build(portalSite)
        let page = try #require(files["index.html"])
        // Beta: not ready (a required check open, named by its text); Alpha
        // conditional (open action items, one due); Gamma ready.
        let attention = try #require(page.components(separatedBy: "id=\"attention-heading\"").last?
            .components(separatedBy: "</section>").first)
        #expect(attention.contains("Beta"))
        #expect(attention.contains("required check <q>Secrets live in the secret store</q> is open"))
        #expect(attention.contains(">Alpha<") && !attention.contains(">Gamma<"))
        #expect(attention.range(of: ">Beta<")!.lowerBound < attention.range(of: ">Alpha<")!.lowerBound)
        #expect(attention.contains("by <time>2026-02-01</time> (action item due) <span class=\"overdue\">overdue</span>"))
        // The table: Beta (not ready), Alpha (conditional), Gamma (ready).
        let order = ["services/beta/", "services/alpha/", "services/gamma/"].map {
            page.range(of: "<th scope=\"row\" class=\"col-name\" data-sort=\"\($0 == "services/beta/" ? "Beta" : $0 == "services/alpha/" ? "Alpha" : "Gamma")\"")!.lowerBound
        }
        #expect(order == order.sorted())
        #expect(page.contains("3 services, worst first"))
        // Level distribution, target counts and status links that filter.
        #expect(page.contains("href=\"?level=Silver\" data-filter=\"level\" data-value=\"Silver\""))
        #expect(page.contains("href=\"?status=not-ready\" data-filter=\"status\""))
        #expect(page.contains("<span class=\"below-target\">below target</span> <strong>0</strong>"))
        #expect(page.contains("<meter min=\"0\" max=\"100\" low=\"50\" high=\"80\" optimum=\"100\""))
    }

    @Test func oneServiceIsNotOneServices() throws {
        var files = portalSite
        files = files.filter { !$0.key.contains("beta") && !$0.key.contains("gamma") }
        let (_, out) = try build(files)
        #expect(try #require(out["index.html"]).contains("1 service, worst first"))
        #expect(try #require(out["teams/team-a/index.html"]).contains("<p>1 service"))
    }

    @Test func navigationFoldsManyPagesIntoAMenu() throws {
        var files = portalSite
        for i in 1...4 { files["content/pages/p\(i).md"] = "---\ntitle: Page \(i)\n---\n\nText.\n" }
        let (_, out) = try build(files)
        let page = try #require(out["index.html"])
        #expect(page.contains("<details class=\"nav-menu\"><summary>Pages</summary>"))
        #expect(!page.contains("<summary>Checklists</summary>"))
    }
}

@Suite struct ActionOwnerTests {
    @Test func anOwnerWithoutServicesGetsAPageCalendarAndLinks() throws {
        let (_, files) = try build(portalSite)
        let alice = try #require(files["teams/alice/index.html"])
        #expect(alice.contains("<h1>alice</h1>"))
        #expect(alice.contains("Automate the failover"))
        #expect(!alice.contains("Write the runbook"))
        let teams = try #require(files["teams/index.html"])
        #expect(teams.contains("Owners of action items only"))
        #expect(teams.contains("teams/alice/\">alice</a>: 1 open action item"))
        // The calendar of alice has her item; team-a's has both of Alpha's.
        let calendar = try #require(files["teams/alice/deadlines.ics"])
        #expect(calendar.contains("Automate the failover"))
        #expect(!calendar.contains("Re-review due"))
        // Lists show the words without the tags, and link the owner.
        let actions = try #require(files["actions/index.html"])
        #expect(actions.contains("<span class=\"action-text\">Automate the failover</span>"))
        #expect(actions.contains("owner <a href=\"../teams/alice/\">alice</a>"))
        #expect(actions.contains("overdue, 28 days"))
        // Heat maps and team figures leave a service-less owner out.
        #expect(!teams.contains("<th scope=\"row\" data-sort=\"alice\">"))
    }

    @Test func reviewPageFlagsOverdueItemsOnlyOnTheLatestReview() throws {
        var files = portalSite
        let (_, before) = try build(files)
        let latest = try #require(before["services/alpha/reviews/2026-01-10/index.html"])
        #expect(latest.contains("Open action items"))
        #expect(latest.contains("class=\"is-overdue\""))
        files["content/services/alpha/reviews/2026-02-20.md"] = """
            ---
            date: 2026-02-20
            checklist: basic
            decision: approved
            ---

            - [x] Secrets {#sec-secrets}
            - [x] Deps {#sec-deps}
            """
        let (_, after) = try build(files)
        let older = try #require(after["services/alpha/reviews/2026-01-10/index.html"])
        #expect(older.contains("Automate the failover"))
        #expect(!older.contains("class=\"is-overdue\""))
        #expect(older.contains("a later review supersedes it"))
    }
}

@Suite struct ReviewPageTests {
    @Test func decisionInWordsAndWhatBlocks() throws {
        let (_, files) = try build(portalSite)
        let beta = try #require(files["services/beta/reviews/2026-01-12/index.html"])
        #expect(beta.contains("<dt>Decision</dt><dd>Approved with conditions</dd>"))
        #expect(beta.contains("What blocks readiness"))
        #expect(beta.contains("<span class=\"required\">required</span>"))
        #expect(beta.contains("required check <q>Secrets live in the secret store</q> is open"))
    }

    @Test func longListsOfOpenRequiredChecksAreCut() throws {
        let file = try SourceFile.split(path: "c.md", text: """
            ---
            title: C
            ---

            ## A

            - [ ] One {#a1 required}
            - [ ] Two {#a2 required}
            - [ ] Three {#a3 required}
            - [ ] Four {#a4 required}
            - [ ] Five {#a5 required}
            """).get()
        var diagnostics = DiagnosticList()
        let checklist = Checklist.parse(id: "c", file: file, unsafeHTML: false, diagnostics: &diagnostics)
        let html = PageContexts.requiredOpenHTML(["a1", "a2", "a3", "a4", "a5"], expired: ["a2"], try #require(checklist))
        #expect(html == "required checks <q>One</q>, <q>Two</q> (expired) and 3 more are open")
        let three = PageContexts.requiredOpenHTML(["a1", "a2", "a3"], expired: [], try #require(checklist))
        #expect(three == "required checks <q>One</q>, <q>Two</q> and <q>Three</q> are open")
    }
}

@Suite struct InitTests {
    @Test func initAddsOnlyWhatIsMissing() throws {
        let site = try TempSite([
            "README.md": "# Our repo\n",
            "content/services/billing/index.md": "---\nname: Billing\n---\n",
        ])
        let files = Scaffold.site(title: "T", today: Day("2026-03-01")!)
        let (add, kept) = Scaffold.missing(files, in: site.root, title: "T")
        #expect(kept.isEmpty)
        #expect(add.map(\.path).contains("preflight.yml"))
        #expect(!add.contains { $0.path.hasPrefix("content/services/") })
        try Scaffold.create(add, in: site.root)
        let again = Scaffold.missing(files, in: site.root, title: "T")
        #expect(again.add.isEmpty)
        #expect(try site.read("README.md") == "# Our repo\n")
    }
}
