import Foundation
import Testing
@testable import PreflightCore

/// `serve` and `build` share one output plan: the same paths, and the same
/// bytes for each, before and after an edit applied to the live site.
@Suite struct LiveSiteTests {
    let day = Day("2026-03-05")!

    /// A copy of the golden site, to edit.
    func goldenCopy() throws -> TempSite {
        let site = try TempSite([:])
        let source = fixtures.appendingPathComponent("golden/site").path
        for path in allFiles(under: source) {
            try site.write(path, try Data(contentsOf: URL(fileURLWithPath: source + "/" + path)))
        }
        return site
    }

    func bytes(_ file: OutputFile) throws -> [UInt8] {
        switch file.contents {
        case .bytes(let bytes): return bytes
        case .text(let text): return Array(text.utf8)
        case .staticFile(let source): return try FileSystem.read(source.source, in: source.root)
        case .unchanged(_, _, let otherwise): return otherwise()
        }
    }

    func expectSameAsBuild(_ live: LiveSite, _ site: TempSite) throws {
        let built = try #require(Site.build(BuildOptions(siteDirectory: site.root, buildDate: day)).files)
        #expect(live.plan.paths == built.map(\.path))
        for file in built {
            let served = try #require(live.file(at: file.path), Comment(rawValue: file.path))
            #expect(try bytes(served) == bytes(file), Comment(rawValue: file.path))
        }
    }

    @Test func liveSiteServesWhatABuildWrites() throws {
        let site = try goldenCopy()
        let live = try #require(LiveSite.build(BuildOptions(siteDirectory: site.root, buildDate: day)).site)
        try expectSameAsBuild(live, site)
    }

    @Test func anEditAppliedLiveEqualsAFullBuildOfTheEditedSite() throws {
        let site = try goldenCopy()
        let live = try #require(LiveSite.build(BuildOptions(siteDirectory: site.root, buildDate: day)).site)
        let services = allFiles(under: site.root + "/content/services")
        let review = try #require(services.first { $0.contains("/reviews/") })
        let index = try #require(services.first { $0.hasSuffix("/index.md") })
        let reviewPath = "content/services/" + review
        let indexPath = "content/services/" + index
        // Tick every box of a review, and move a service to another team.
        try site.write(reviewPath, try site.read(reviewPath).replacingOccurrences(of: "- [ ]", with: "- [x]"))
        try site.write(indexPath, try site.read(indexPath).replacingOccurrences(of: "owner:", with: "owner: moved-team #"))
        guard case .updated(let updated) = live.updating([reviewPath, indexPath]) else {
            Issue.record("the edit was not applied to the live site")
            return
        }
        try expectSameAsBuild(updated, site)
    }

    /// Edits that keep every path, and edits that add, remove or move one: `serve`
    /// keeps the output plan of the first kind and makes it again for the second.
    /// Either way, the live site equals a full build of the edited site.
    struct Edit: Sendable, CustomTestStringConvertible {
        var name: String
        var path: String
        var change: @Sendable (String) -> String
        var keepsPaths: Bool
        var testDescription: String { name }
    }

    /// A review that becomes the latest keeps alpha's open item for
    /// @release-managers, so that team's page stays: only the review paths move.
    static func keepingTheEscrowItem(_ text: String) -> String {
        text + "\n## Action items\n\n- [ ] Review the key escrow with @release-managers (due:2026-04-15)\n"
    }

    static let edits: [Edit] = [
        Edit(name: "boxes ticked", path: "content/services/alpha/reviews/2026-01-05.md", change: {
            $0.replacingOccurrences(of: "- [ ]", with: "- [x]")
        }, keepsPaths: true),
        Edit(name: "a service renamed", path: "content/services/beta/index.md", change: {
            $0.replacingOccurrences(of: "name: Beta", with: "name: Beta renamed")
        }, keepsPaths: true),
        Edit(name: "a review moved after another", path: "content/services/alpha/reviews/2026-01-05.md", change: {
            keepingTheEscrowItem($0.replacingOccurrences(of: "date: 2026-01-05", with: "date: 2026-02-15"))
        }, keepsPaths: false),
        Edit(name: "a draft published", path: "content/services/alpha/reviews/2026-03-01.md", change: {
            keepingTheEscrowItem($0.replacingOccurrences(of: "draft: true", with: "draft: false"))
        }, keepsPaths: false),
        Edit(name: "an action item for a new owner", path: "content/services/alpha/reviews/2026-02-10.md", change: {
            $0.replacingOccurrences(of: "@release-managers", with: "@night-shift")
        }, keepsPaths: false),
    ]

    @Test(arguments: edits) func anEditKeepsThePlanOnlyWhenEveryPathStays(_ edit: Edit) throws {
        let site = try goldenCopy()
        let live = try #require(LiveSite.build(BuildOptions(siteDirectory: site.root, buildDate: day)).site)
        let text = try site.read(edit.path)
        let edited = edit.change(text)
        #expect(edited != text)
        try site.write(edit.path, edited)
        guard case .updated(let updated) = live.updating([edit.path]) else {
            Issue.record("the edit was not applied to the live site")
            return
        }
        let slug = String(edit.path.split(separator: "/")[2])
        let reused = SitePlan(reusing: live.plan, for: updated.plan.model, changed: [slug])
        #expect((reused != nil) == edit.keepsPaths)
        if !edit.name.contains("owner") {
            // Only the review paths differ: the plan is made again because of them.
            #expect(updated.plan.model.teams.map(\.slug) == live.plan.model.teams.map(\.slug))
        }
        try expectSameAsBuild(updated, site)
    }

    /// An edit parses only the files it names; the service's other reviews are
    /// kept, unless its index.md changed (every review reads the service's
    /// name and checklist). Shown by a review changed on disk behind the
    /// watcher's back: kept as it was, until the index changes too.
    @Test func anEditReadsOnlyTheFilesItNames() throws {
        let site = try goldenCopy()
        let live = try #require(LiveSite.build(BuildOptions(siteDirectory: site.root, buildDate: day)).site)
        let (named, unnamed) = ("content/services/alpha/reviews/2026-02-10.md", "content/services/alpha/reviews/2026-01-05.md")
        try site.write(named, try site.read(named).replacingOccurrences(of: "Second review.", with: "Named edit."))
        try site.write(unnamed, try site.read(unnamed) + "\nUnnamed edit.\n")
        let page = { (live: LiveSite, path: String) throws -> String in
            String(decoding: try self.bytes(try #require(live.file(at: path))), as: UTF8.self)
        }
        guard case .updated(let updated) = live.updating([named]) else {
            Issue.record("the edit was not applied")
            return
        }
        #expect(try page(updated, "services/alpha/reviews/2026-02-10/index.html").contains("Named edit."))
        #expect(try !page(updated, "services/alpha/reviews/2026-01-05/index.html").contains("Unnamed edit."))
        let index = "content/services/alpha/index.md"
        try site.write(index, try site.read(index) + "\nMore about alpha.\n")
        guard case .updated(let again) = updated.updating([index]) else {
            Issue.record("the index edit was not applied")
            return
        }
        #expect(try page(again, "services/alpha/reviews/2026-01-05/index.html").contains("Unnamed edit."))
        try expectSameAsBuild(again, site)
    }

    @Test func exportsAndStaticFilesAreInThePlan() throws {
        let site = try goldenCopy()
        let live = try #require(LiveSite.build(BuildOptions(siteDirectory: site.root, buildDate: day)).site)
        for path in ["readiness.json", "readiness.csv", "feed.xml", "sitemap.xml", "search-index.json", "hello.txt"] {
            #expect(live.plan.contains(path), Comment(rawValue: path))
        }
    }
}
