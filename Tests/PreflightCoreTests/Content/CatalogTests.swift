import Foundation
import Testing
@testable import PreflightCore

// Services from the catalog teams already keep (docs/format.md, "Services
// from a catalog"): Backstage entities and OpsLevel's opslevel.yml.

private let catalogFixture = fixtures.appendingPathComponent("catalog")

private let checklist = "---\ntitle: C\nlevels: [Bronze, Silver]\n---\n## A {#a}\n- [ ] x {#x level=Bronze}\n"

/// A site whose preflight.yml reads `catalog`, with `files` on top.
private func catalogSite(_ files: [String: String], catalog: String = "catalog: [catalog/*.yaml]") throws -> TempSite {
    var all = ["preflight.yml": catalog + "\n", "content/checklists/c.md": checklist]
    all.merge(files) { $1 }
    return try TempSite(all)
}

private func load(_ site: TempSite) -> (SiteContent?, [String]) {
    let (content, diagnostics, _) = ContentLoader.load(siteDirectory: site.root, partial: true)
    return (content, diagnostics.lines)
}

private func component(_ name: String, _ spec: String = "owner: team-a", metadata: String = "") -> String {
    "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: \(name)\n\(metadata)spec:\n  type: service\n  \(spec)\n"
}

@Suite struct CatalogTests {
    /// The issue's done-when: a folder of real-shaped Backstage files builds a
    /// page for every component with its owner, team roll-up, tier and links,
    /// without any index.md, and the same services by hand give the same readiness.json.
    @Test func aBackstageCatalogGivesWhatTheSameServicesByHandGive() throws {
        func build(_ side: String) throws -> [String: String] {
            let report = Site.build(BuildOptions(
                siteDirectory: catalogFixture.appendingPathComponent(side).path, buildDate: Day("2026-11-26")!))
            let files = try #require(report.files, "\(report.diagnostics.lines)")
            var texts: [String: String] = [:]
            for file in files {
                if case .bytes(let bytes) = file.contents { texts[file.path] = String(decoding: bytes, as: UTF8.self) }
                if case .text(let text) = file.contents { texts[file.path] = text }
            }
            return texts
        }
        let catalog = try build("site")
        let hand = try build("by-hand")
        #expect(catalog["readiness.json"] == hand["readiness.json"])
        #expect(catalog["readiness.csv"] == hand["readiness.csv"])
        let json = try #require(try JSONSerialization.jsonObject(with: Data(catalog["readiness.json"]!.utf8)) as? [String: Any])
        let services = (json["services"] as! [[String: Any]]).map { "\($0["slug"]!) \($0["owner"]!) \($0["tier"]!)" }
        #expect(services == ["billing-worker team-a 2", "orders-api team-a 1", "receipts team-a <null>", "team-b-orders-api team-b 1"])
        // Every component has a page, with its team's display name, its system and its links.
        let orders = try #require(catalog["services/orders-api/index.html"])
        #expect(orders.contains("Owner <a href=\"../../teams/team-a/\">Team A (orders)</a>"))
        #expect(orders.contains("<dt>System</dt><dd>Order flow</dd>"))
        #expect(orders.contains("<a href=\"https://wiki.example.org/orders/runbook\">Runbook</a>"))
        #expect(orders.contains("Takes orders from every channel."))
        #expect(catalog["services/receipts/index.html"] != nil)
        // Teams roll up by parent group: Engineering holds both teams' services.
        let teams = try #require(catalog["teams/index.html"])
        #expect(teams.contains(">Engineering</a>"))
        #expect(teams.contains("<tr class=\"team-depth-1\"><th scope=\"row\" data-sort=\"Team B\"><a href=\"../teams/team-b/\">Team B</a><br><span class=\"hint\">part of Engineering</span>"))
        let engineering = try #require(catalog["teams/engineering/index.html"])
        #expect(engineering.contains("4 services"))
        #expect(engineering.contains("Sub-teams, whose services are counted here too:"))
        #expect(catalog["teams/team-a/index.html"]?.contains("Part of <a href=\"../../teams/engineering/\">Engineering</a>") == true)
    }

    @Test func namespacesOwnersAndIDs() {
        #expect(Catalog.id(name: "billing_worker", namespace: nil) == "billing-worker")
        #expect(Catalog.id(name: "Orders.API", namespace: "default") == "orders-api")
        #expect(Catalog.id(name: "orders", namespace: "team-b") == "team-b-orders")
        #expect(Catalog.id(name: "-bad", namespace: nil) == nil)
        #expect(Catalog.reference("group:default/team-a") == ("group", "default", "team-a"))
        #expect(Catalog.reference("user:jdoe") == ("user", nil, "jdoe"))
        #expect(Catalog.reference(" team-a ") == (nil, nil, "team-a"))
    }

    @Test func theMergeRule() throws {
        let site = try catalogSite([
            "catalog/a.yaml": component(
                "pay", "owner: team-a\n  lifecycle: production",
                metadata: "  title: Pay\n  description: From the catalog.\n  tags: [a, b]\n  labels:\n    tier: \"2\"\n"),
            "catalog/b.yaml": component("only-in-catalog"),
            "content/services/pay/index.md": "---\ntier: \"1\"\ntags: [c]\n---\n\nFrom the folder.\n",
            "content/services/pay/reviews/r.md": "---\ndate: 2026-01-01\n---\n- [x] x {#x}\n",
            "content/services/reviews-only/reviews/r.md": "---\ndate: 2026-01-01\n---\n",
            "content/services/only-in-catalog/reviews/r.md": "---\ndate: 2026-01-01\n---\n",
        ])
        let (content, lines) = load(site)
        let services = try #require(content?.services)
        #expect(services.map(\.slug) == ["only-in-catalog", "pay", "reviews-only"])
        let pay = services[1]
        #expect(pay.name == "Pay" && pay.owner == "team-a" && pay.lifecycle == "production")
        #expect(pay.tier == "1" && pay.tags == ["c"])
        #expect(pay.html.contains("From the catalog.") && pay.html.contains("From the folder."))
        #expect(pay.html.range(of: "From the catalog.")!.lowerBound < pay.html.range(of: "From the folder.")!.lowerBound)
        #expect(content?.reviews["pay"]?.count == 1)
        #expect(content?.reviews["only-in-catalog"]?.count == 1)
        // Only the folder known to neither index.md nor the catalog is warned about.
        let report = Site.check(BuildOptions(siteDirectory: site.root, buildDate: Day("2026-01-10")!))
        let warned = report.diagnostics.lines.filter { $0.contains("has no index.md") }
        #expect(warned == ["content/services/reviews-only:1:1: warning: service folder has no index.md; the service is named after its folder"], "\(lines)")
    }

    @Test func opsLevel() throws {
        let site = try catalogSite([
            "opslevel.yml": """
                version: 1
                service:
                  name: Shopping Cart
                  aliases: ["Cart!", shopping-cart-svc]
                  owner: checkout
                  tier: tier_1
                  lifecycle: generally_available
                  tags:
                    - {key: env, value: prod}
                    - pci
                  repositories:
                    - {name: acme/cart, provider: github, path: /}
                    - {name: acme/cart-ui, provider: gitlab}
                    - https://git.example.org/cart
                """,
        ], catalog: "catalog: opslevel.yml")
        let (content, lines) = load(site)
        let cart = try #require(content?.services.first, "\(lines)")
        #expect(cart.slug == "shopping-cart-svc" && cart.name == "Shopping Cart" && cart.owner == "checkout")
        #expect(cart.tier == "1" && cart.lifecycle == "generally_available" && cart.tags == ["env:prod", "pci"])
        #expect(cart.links.map(\.url) == ["https://github.com/acme/cart", "https://gitlab.com/acme/cart-ui", "https://git.example.org/cart"])
        #expect(cart.catalogLocation?.line == 3)
        let (_, v2) = load(try catalogSite(["opslevel.yml": "version: 2\nservice: {name: X}\n"], catalog: "catalog: opslevel.yml"))
        #expect(v2.contains("opslevel.yml:1:10: error: opslevel.yml version `2` is not supported"), "\(v2)")
    }

    /// `owner/name` becomes a link on the host: a name that climbs out of
    /// the host's repository pages is left out with a warning.
    @Test(arguments: ["../../x", "acme/../../x", "acme/", "/acme/x", "acme//x", "acme/x?y=1", "acme"])
    func repositoryNamesThatAreNoOwnerAndNameAreLeftOut(name: String) throws {
        let yaml = "version: 1\nservice:\n  name: Cart\n  repositories:\n    - {name: \"\(name)\", provider: github}\n"
        let (content, lines) = load(try catalogSite(["opslevel.yml": yaml], catalog: "catalog: opslevel.yml"))
        #expect(content?.services.first?.links.isEmpty == true, "\(lines)")
        #expect(lines.contains { $0.contains("repository `\(name)` of `cart` is left out") }, "\(lines)")
        #expect(Catalog.isRepositoryPath("acme/cart") && Catalog.isRepositoryPath("group/sub-group/cart.js"))
    }

    /// A link a glob matched was dropped without a word (its services went
    /// missing), while the same link named outright was an error.
    @Test func aLinkAGlobMatchesIsAnError() throws {
        let site = try catalogSite([
            "elsewhere/pay.yaml": component("pay"),
            "catalog/real.yaml": component("real"),
        ], catalog: "catalog: [catalog/*.yaml, \"catalog/**/*.yml\"]")
        try FileManager.default.createSymbolicLink(atPath: site.root + "/catalog/pay.yaml", withDestinationPath: "../elsewhere/pay.yaml")
        try FileManager.default.createDirectory(atPath: site.root + "/catalog/deep", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: site.root + "/catalog/deep/x.yml", withDestinationPath: "../../elsewhere/pay.yaml")
        let (content, lines) = load(site)
        #expect(content?.services.map(\.slug) == ["real"], "\(lines)")
        #expect(lines.contains("preflight.yml:1:11: error: catalog/pay.yaml is a symbolic link; Preflight does not follow links"), "\(lines.joined(separator: "\n"))")
        #expect(lines.contains { $0.contains("error: catalog/deep/x.yml is a symbolic link") }, "\(lines.joined(separator: "\n"))")
        #expect(!lines.contains { $0.contains("matches no file") })
    }

    /// `preflight new service` wrote name, lifecycle and tags over the
    /// catalog's; `new review` refused a catalog service without a folder.
    @Test func newServiceAndReviewForACatalogService() throws {
        let site = try catalogSite([
            "catalog/pay.yaml": component("pay", metadata: "  title: Payments\n  annotations: {preflight.dev/checklist: c}\n"),
            "content/checklists/other.md": "---\ntitle: O\n---\n## B {#b}\n- [ ] y {#y}\n",
        ], catalog: "catalog: [catalog/*.yaml]\ndefault_checklist: other")
        let file = try Scaffold.service(slug: "pay", name: nil, owner: nil, tier: "2", siteDirectory: site.root)
        #expect(file.text == """
            ---
            # pay comes from the catalog: catalog/pay.yaml:4.
            # Its name, owner, tier, lifecycle, tags and links are read there; a key
            # set here overrides the catalog's (docs/format.md, "Services from a catalog").
            tier: "2"
            ---

            What Payments does, who uses it, and what it depends on.

            """)
        try Scaffold.create([file], in: site.root)
        let (content, lines) = load(site)
        let pay = try #require(content?.services.first, "\(lines)")
        #expect(pay.name == "Payments" && pay.owner == "team-a" && pay.tier == "2")
        try FileManager.default.removeItem(atPath: site.root + "/content/services")
        // The review's checklist is the catalog's annotation, not the site's default.
        let review = try Scaffold.review(siteDirectory: site.root, service: "pay", date: Day("2026-01-01")!, checklistID: nil)
        #expect(review.path == "content/services/pay/reviews/2026-01-01.md")
        #expect(review.text.contains("{#x") && !review.text.contains("{#y"), "\(review.text)")
        #expect(throws: Scaffold.Failure.self) {
            try Scaffold.review(siteDirectory: site.root, service: "nope", date: Day("2026-01-01")!, checklistID: nil)
        }
        // A site without a catalog writes the full scaffold, as before.
        #expect(try Scaffold.service(slug: "pay", name: nil, owner: nil, tier: nil).text.contains("lifecycle: development"))
    }

    @Test func problemsAreNamedAtTheYAMLsLine() throws {
        let site = try catalogSite([
            "catalog/a.yaml": component("pay", metadata: "  links:\n    - url: javascript:alert(1)\n      title: x\n")
                + "---\n" + component("pay") + "---\n- just a list\n---\nfoo: bar\n---\n"
                + "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata: {title: nameless}\n---\n"
                + "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata: {name: \"has space\"}\n---\n"
                + "apiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata: {name: team-a}\n---\n"
                + "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata: {name: orphan}\nspec: {owner: team-z}\n---\n"
                + "apiVersion: backstage.io/v1alpha1\nkind: Template\nmetadata: {name: t}\n",
            "catalog/dup.yaml": "apiVersion: v1\nkind: Component\nkind: Group\n",
            "catalog/bomb.yaml": "a: &a [x, x]\nb: &b [*a, *a]\nc: [*b, *b]\n",
            "catalog/loc.yaml": "apiVersion: backstage.io/v1alpha1\nkind: Location\nmetadata: {name: l}\nspec:\n  targets: [./missing.yaml, ../../etc/passwd, ./none-*.yaml]\n",
            "catalog/bad.yaml": "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: [oops\n",
        ], catalog: "catalog: [catalog/*.yaml, nothing/*.yml, missing.yaml]")
        let (_, lines) = load(site)
        for expected in [
            "catalog/a.yaml:6:12: error: link of `pay` must be an http(s), mailto or relative URL, not `javascript:alert(1)`",
            "catalog/a.yaml:15:9: warning: catalog service `pay` is declared twice (first at catalog/a.yaml:4); the first is kept",
            "catalog/a.yaml:20:1: warning: catalog document 3 is a list, not an entity",
            "catalog/a.yaml:22:1: warning: catalog document 4 has no `kind`: neither a Backstage entity nor an OpsLevel service",
            "catalog/a.yaml:26:11: error: catalog Component has no `metadata.name`",
            "catalog/a.yaml:30:18: error: catalog Component name `has space` cannot be a Preflight id",
            "catalog/a.yaml:39:15: warning: owner `team-z` of `orphan` is not a group of the catalog",
            "catalog/dup.yaml:2:1: error: catalog has duplicate key `kind`",
            "catalog/bomb.yaml:2:8: error: YAML aliases (`*name`) are not supported in catalog files",
            "catalog/loc.yaml:5:13: error: catalog file catalog/missing.yaml does not exist",
            "catalog/loc.yaml:5:29: error: catalog path `../../etc/passwd` is outside the site folder",
            "catalog/loc.yaml:5:47: warning: catalog pattern `./none-*.yaml` matches no file",
            "preflight.yml:1:27: warning: catalog pattern `nothing/*.yml` matches no file",
            "preflight.yml:1:42: error: catalog file missing.yaml does not exist",
        ] {
            #expect(lines.contains(expected), "\(expected)\n\(lines.joined(separator: "\n"))")
        }
        #expect(lines.contains { $0.hasPrefix("catalog/bad.yaml:5:") && $0.contains("error: catalog is not valid YAML") }, "\(lines)")
        #expect(!lines.contains { $0.contains("Template") })
    }

    @Test func largeAndHostileCatalogs() throws {
        let hostile = component(
            "evil", "owner: team-a\n  lifecycle: \"<script>alert(1)</script>\"",
            metadata: "  title: \"<img src=x onerror=alert(1)>\\u001B[31m\"\n  description: \"<script>alert(2)</script>\"\n  tags: [\"<b>\"]\n")
        let site = try catalogSite(["catalog/a.yaml": hostile])
        let report = Site.build(BuildOptions(siteDirectory: site.root, buildDate: Day("2026-01-10")!))
        let files = try #require(report.files, "\(report.diagnostics.lines)")
        let page = files.first { $0.path == "services/evil/index.html" }.flatMap { file -> String? in
            if case .bytes(let bytes) = file.contents { return String(decoding: bytes, as: UTF8.self) }
            if case .text(let text) = file.contents { return text }
            return nil
        }
        let html = try #require(page)
        #expect(!html.contains("<script>alert") && !html.contains("<img src=x"))
        #expect(html.contains("&lt;img src=x onerror=alert(1)&gt;"))
        // A 17 MiB catalog is refused, whole, with a clear error.
        let big = try catalogSite(["catalog/big.yaml": "# " + String(repeating: "x", count: 17 << 20) + "\n"])
        let (_, lines) = load(big)
        #expect(lines.contains { $0.hasPrefix("catalog/big.yaml:1:1: error: cannot read catalog file: file is 17 MiB, over the 16 MiB limit") }, "\(lines)")
    }

    /// Values of the wrong shape, hidden characters and parents that are no
    /// group are each a warning at their line, never silently dropped; a
    /// description's warnings are at the file's lines.
    @Test func wrongShapesHiddenCharactersAndParents() throws {
        let group = { (name: String, parent: String) in
            "---\napiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata: {name: \(name)}\nspec: {type: team, parent: \(parent)}\n"
        }
        let site = try catalogSite([
            "catalog/a.yaml": component(
                "pay", "owner: [team-a]",
                metadata: "  title: \"Pay\\0ments\\u202E\"\n  tags: notalist\n  links: {url: x}\n  description: |\n    Fine.\n\n    <script>alert(2)</script>\n")
                + group("a", "b") + group("b", "a") + group("orphan", "nonexistent") + group("team-a", "a"),
        ])
        let (content, lines) = load(site)
        for expected in [
            "catalog/a.yaml:5:10: warning: text holds a control or bidirectional-override character (U+0000); it is left out",
            "catalog/a.yaml:6:9: warning: expected a list here, not `notalist`; the value is left out",
            "catalog/a.yaml:7:10: warning: expected a list here, not a mapping; the value is left out",
            "catalog/a.yaml:14:10: warning: expected text here, not a list; the value is left out",
            "catalog/a.yaml:28:18: warning: parent `nonexistent` of group `orphan` is not a Group of the catalog; `orphan` is shown as a top-level team",
            "catalog/a.yaml:18:18: warning: group `a` is its own ancestor (its parents lead back to it through 2 groups); `a` is shown as a top-level team",
        ] {
            #expect(lines.contains(expected), "\(expected)\n\(lines.joined(separator: "\n"))")
        }
        // The description's raw HTML is reported at its own line, 11.
        #expect(lines.contains { $0.hasPrefix("catalog/a.yaml:11:") }, "\(lines.joined(separator: "\n"))")
        let service = try #require(content?.services.first { $0.slug == "pay" })
        #expect(service.name == "Payments")
        #expect(service.tags.isEmpty && service.links.isEmpty && service.owner == nil)
        let groups = try #require(content?.catalog.groups)
        #expect(groups["orphan"]?.parent == nil && groups["a"]?.parent == nil && groups["b"]?.parent == "a")
    }

    /// `serve` watches the folders a Location's targets are in, not only the ones preflight.yml names.
    @Test func serveWatchesWhatLocationsReach() throws {
        let site = try catalogSite([
            "catalog-info.yaml": "apiVersion: backstage.io/v1alpha1\nkind: Location\nmetadata: {name: root}\nspec:\n  targets: [./teams/*.yaml]\n",
            "teams/a.yaml": component("pay"),
        ], catalog: "catalog: [catalog-info.yaml]")
        #expect(Catalog.watchedEntries(siteDirectory: site.root) == ["catalog-info.yaml", "teams"])
    }

    @Test func anEmptyCatalogPathNamesNoFile() throws {
        let site = try catalogSite([:], catalog: "catalog: [\"\", ./]")
        let (_, lines) = load(site)
        #expect(lines.filter { $0.hasPrefix("preflight.yml:1:") && $0.contains("names no file") }.count == 2, "\(lines)")
    }

    @Test func unknownKindsAreCountedNotReported() throws {
        let site = try catalogSite([
            "catalog/a.yaml": component("pay") + "---\napiVersion: backstage.io/v1alpha1\nkind: API\nmetadata: {name: x}\n---\n"
                + "apiVersion: backstage.io/v1alpha1\nkind: API\nmetadata: {name: y}\n---\napiVersion: backstage.io/v1alpha1\nkind: Resource\nmetadata: {name: z}\n",
        ])
        let report = Site.check(BuildOptions(siteDirectory: site.root, buildDate: Day("2026-01-10")!))
        #expect(report.notes == ["the catalog's 3 entities of other kinds (2 API, 1 Resource) were skipped"])
        #expect(!report.diagnostics.lines.contains { $0.contains("catalog/a.yaml") })
    }

    @Test func aCatalogChangeIsAServiceChangeInDiff() throws {
        let base = try catalogSite(["catalog/a.yaml": component("pay", "owner: team-a\n  lifecycle: production", metadata: "  labels: {tier: \"2\"}\n"),
                                    "content/services/pay/reviews/r.md": "---\ndate: 2026-01-01\ndecision: approved\n---\n- [x] x {#x}\n"])
        let head = try catalogSite(["catalog/a.yaml": component("pay", "owner: team-a\n  lifecycle: production", metadata: "  labels: {tier: \"1\"}\n  annotations: {preflight.dev/target: Silver}\n"),
                                    "content/services/pay/reviews/r.md": "---\ndate: 2026-01-01\ndecision: approved\n---\n- [x] x {#x}\n"])
        let comparison = Site.compare(base: base.root, head: BuildOptions(siteDirectory: head.root, buildDate: Day("2026-01-10")!))
        let change = try #require(comparison.diff.services.first)
        // The catalog now sets a target (met: Silver has no check of its own).
        #expect(change.slug == "pay" && change.kind == .changed)
        #expect(change.before?.target == nil && change.after?.target == "Silver" && change.after?.targetMet == true)
    }
}
