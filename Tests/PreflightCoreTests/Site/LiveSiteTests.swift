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

    @Test func exportsAndStaticFilesAreInThePlan() throws {
        let site = try goldenCopy()
        let live = try #require(LiveSite.build(BuildOptions(siteDirectory: site.root, buildDate: day)).site)
        for path in ["readiness.json", "readiness.csv", "feed.xml", "sitemap.xml", "search-index.json", "hello.txt"] {
            #expect(live.plan.contains(path), Comment(rawValue: path))
        }
    }
}
