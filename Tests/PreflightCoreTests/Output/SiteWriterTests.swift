import Foundation
import Testing
@testable import PreflightCore

@Suite struct PublishingTests {
    let good = [
        "content/checklists/basic.md": basicChecklist,
        "content/services/svc/reviews/r.md": "---\ndate: 2026-01-01\n---\n- [x] x {#sec-secrets}\n",
    ]

    @Test func failedBuildLeavesThePublishedSiteUntouched() throws {
        let site = try TempSite(good)
        let output = site.root + "/public"
        let first = Site.build(BuildOptions(siteDirectory: site.root, buildDate: Day("2026-02-01")!), output: .init(path: output))
        #expect(first.succeeded)
        let before = try site.read("public/readiness.json")

        try site.write("content/services/svc/reviews/r.md", "---\ndate: tomorrow\n---\n")
        let second = Site.build(BuildOptions(siteDirectory: site.root, buildDate: Day("2026-02-01")!), output: .init(path: output))
        #expect(!second.succeeded)
        #expect(second.diagnostics.lines == [
            "content/services/svc/reviews/r.md:2:1: error: `date` must be a day written YYYY-MM-DD, not `tomorrow`"
        ])
        #expect(try site.read("public/readiness.json") == before)
    }

    @Test func republishReplacesOldFilesAndCleansLeftovers() throws {
        let site = try TempSite(good.merging(["content/services/old/index.md": "---\nname: Old\n---\n"]) { $1 })
        let output = site.root + "/public"
        let day = Day("2026-02-01")!
        #expect(Site.build(BuildOptions(siteDirectory: site.root, buildDate: day), output: .init(path: output)).succeeded)
        #expect(site.exists("public/services/old/index.html"))
        #expect(site.exists("public/.preflight-manifest"))
        // Leftovers of a build killed mid-write, and a service removed since.
        try site.write(".public.preflight-new-99999-1/index.html", "half")
        try FileManager.default.removeItem(atPath: site.root + "/content/services/old")
        let result = Site.build(BuildOptions(siteDirectory: site.root, buildDate: day), output: .init(path: output))
        #expect(result.diagnostics.lines == [])
        #expect(result.publishError == nil)
        #expect(!site.exists("public/services/old"))
        #expect(!site.exists(".public.preflight-new-99999-1"))
        #expect(site.exists("public/services/svc/index.html"))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: site.root).filter { $0.contains("preflight-") }
        #expect(leftovers.isEmpty)
    }

    /// A build with an output makes each file once, as it writes it, and keeps none.
    @Test func aSourceIsMadeOnceAPathAndWritten() throws {
        let site = try TempSite([:])
        final class Made: @unchecked Sendable {
            let lock = Lock()
            var paths: [String] = []
        }
        let made = Made()
        let paths = ["index.html", "a/index.html", "a/b/c.txt", "feed.xml"]
        let source = SiteWriter.Source(paths: paths) { i in
            made.lock.withLock { made.paths.append(paths[i]) }
            return i % 2 == 0 ? OutputFile(path: paths[i], writing: "page \(i) ✓") : OutputFile(path: paths[i], text: "file \(i)")
        }
        #expect(SiteWriter.publish(source, to: .init(path: site.root + "/public")) == nil)
        #expect(made.paths.sorted() == paths.sorted())
        for (i, path) in paths.enumerated() {
            #expect(try site.read("public/" + path) == (i % 2 == 0 ? "page \(i) ✓" : "file \(i)"))
        }
        let manifest = try site.read("public/.preflight-manifest")
        #expect(manifest.contains("\na/b/\n") && manifest.contains("\na/b/c.txt\n"))

        let other = try TempSite(good)
        let result = Site.build(
            BuildOptions(siteDirectory: other.root, buildDate: Day("2026-02-01")!), output: .init(path: site.root + "/other"))
        #expect(result.succeeded && result.published && result.files == nil)
    }

    @Test func refusesToReplaceAForeignFolder() throws {
        let site = try TempSite(good)
        try site.write("mine/notes.txt", "precious")
        let result = Site.build(
            BuildOptions(siteDirectory: site.root, buildDate: Day("2026-02-01")!), output: .init(path: site.root + "/mine"))
        #expect(result.succeeded == false)
        #expect(try site.read("mine/notes.txt") == "precious")
    }

    @Test func staticSymlinksAreRefused() throws {
        let site = try TempSite(good)
        try site.write("secret.txt", "do not publish")
        try FileManager.default.createDirectory(atPath: site.root + "/static", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(
            atPath: site.root + "/static/leak.txt", withDestinationPath: site.root + "/secret.txt")
        let result = Site.build(BuildOptions(siteDirectory: site.root, buildDate: Day("2026-02-01")!))
        #expect(result.files == nil)
        #expect(result.diagnostics.lines.first?.hasPrefix("static/leak.txt:1:1: error: static/leak.txt is a symbolic link") == true)
    }
}

/// Preflight never deletes or overwrites a file it did not write (issue 10).
@Suite struct OutputSafetyInvariantTests {
    let good = [
        "content/checklists/basic.md": basicChecklist,
        "content/services/svc/reviews/r.md": "---\ndate: 2026-01-01\n---\n- [x] x {#sec-secrets}\n",
    ]
    let day = Day("2026-02-01")!

    func build(_ site: TempSite, to output: String, force: Bool = false) -> Site.Report {
        Site.build(BuildOptions(siteDirectory: site.root, buildDate: day), output: .init(path: output, force: force))
    }

    /// A folder that looks like an old output (a readiness.json at its top)
    /// but holds other files is not replaced; `--force` replaces it.
    @Test func foreignFilesStopTheBuildUnlessForced() throws {
        let site = try TempSite(good)
        try site.write("D/tax.pdf", "x")
        try site.write("D/photos/cat.jpg", "y")
        try site.write("D/readiness.json", "{}")
        let refused = build(site, to: site.root + "/D")
        #expect(refused.succeeded == false)
        let message = try #require(refused.publishError)
        #expect(message.contains("holds files Preflight did not write, such as \(site.root)/D/photos/"), Comment(rawValue: message))
        #expect(try site.read("D/tax.pdf") == "x")
        #expect(try site.read("D/photos/cat.jpg") == "y")

        let forced = build(site, to: site.root + "/D", force: true)
        #expect(forced.publishError == nil)
        #expect(!site.exists("D/tax.pdf"))
        #expect(site.exists("D/index.html"))
    }

    /// A file added to a published folder after the build is someone else's.
    @Test func aFileAddedToAnEarlierOutputIsKeptSafe() throws {
        let site = try TempSite(good)
        let output = site.root + "/public"
        #expect(build(site, to: output).publishError == nil)
        try site.write("public/services/svc/notes.txt", "mine")
        let second = build(site, to: output)
        #expect(second.publishError?.contains("services/svc/notes.txt") == true)
        #expect(try site.read("public/services/svc/notes.txt") == "mine")
    }

    /// The site folder, a folder holding it, and the source folders are never outputs.
    @Test(arguments: [".", "..", "content", "content/x", "static", "static/out", "templates/out"])
    func refusedOutputLocations(relative: String) throws {
        let site = try TempSite(good.merging(["static/a.txt": "a", "templates/page.mustache": "{{page.title}}"]) { $1 })
        try site.write("readiness.json", "{}")
        let before = allFiles(under: site.root)
        let report = build(site, to: site.root + "/" + relative, force: true)
        #expect(report.publishError?.hasPrefix("refusing to write the site into") == true, Comment(rawValue: report.publishError ?? "nil"))
        #expect(allFiles(under: site.root) == before)
    }

    /// gh-pages checkouts: `.git`, `.nojekyll` and `CNAME` survive every build.
    @Test func publishedFolderKeepsGitAndCNAME() throws {
        let site = try TempSite(good)
        let output = site.root + "/public"
        #expect(build(site, to: output).publishError == nil)
        try site.write("public/.git/HEAD", "ref: refs/heads/gh-pages\n")
        try site.write("public/.nojekyll", "")
        try site.write("public/CNAME", "readiness.example.org\n")
        for _ in 0..<2 {
            let report = build(site, to: output)
            #expect(report.publishError == nil, Comment(rawValue: report.publishError ?? ""))
        }
        #expect(try site.read("public/.git/HEAD") == "ref: refs/heads/gh-pages\n")
        #expect(try site.read("public/CNAME") == "readiness.example.org\n")
        #expect(site.exists("public/.nojekyll"))
        #expect(site.exists("public/index.html"))
    }

    /// A CNAME the last build wrote (from `static/`) is the site's: it goes
    /// when `static/` no longer has it, as an update in place with the build
    /// cache removes it; one written by hand stays.
    @Test func aCNAMEFromStaticGoesWithIt() throws {
        let site = try TempSite(good.merging(["static/CNAME": "from-static.example.org\n"]) { $1 })
        let output = site.root + "/public"
        #expect(build(site, to: output).publishError == nil)
        #expect(try site.read("public/CNAME") == "from-static.example.org\n")
        try FileManager.default.removeItem(atPath: site.root + "/static/CNAME")
        #expect(build(site, to: output).publishError == nil)
        #expect(!site.exists("public/CNAME"))
        try site.write("public/CNAME", "by-hand.example.org\n")
        #expect(build(site, to: output).publishError == nil)
        #expect(try site.read("public/CNAME") == "by-hand.example.org\n")
    }

    /// A concurrent build's staging folder is locked; clean-up leaves it alone.
    @Test func anotherBuildsStagingFolderIsLeftAlone() throws {
        let site = try TempSite(good)
        try site.write(".public.preflight-new-1-2/index.html", "another build, still writing")
        let fd = open(site.root + "/.public.preflight-new-1-2", O_RDONLY | O_DIRECTORY)
        #expect(fd >= 0 && flock(fd, LOCK_EX) == 0)
        #expect(build(site, to: site.root + "/public").publishError == nil)
        #expect(site.exists(".public.preflight-new-1-2/index.html"))
        close(fd)
        #expect(build(site, to: site.root + "/public").publishError == nil)
        #expect(!site.exists(".public.preflight-new-1-2"))
    }

    /// Two builds to one output at once: both finish, one whole site is left.
    @Test func concurrentBuildsToOneOutput() async throws {
        let site = try TempSite(good)
        let root = site.root
        let options = BuildOptions(siteDirectory: root, buildDate: day)
        let reports = await withTaskGroup(of: String?.self) { group in
            for _ in 0..<4 {
                group.addTask { Site.build(options, output: .init(path: root + "/public")).publishError }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        #expect(reports.allSatisfy { $0 == nil }, Comment(rawValue: "\(reports)"))
        #expect(site.exists("public/index.html"))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: root).filter { $0.contains("preflight-") }
        #expect(leftovers.isEmpty)
    }

    /// Static files stream from disk; a large one arrives whole.
    @Test func largeStaticFileIsCopiedWhole() throws {
        let site = try TempSite(good)
        let big = Data((0..<(5 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 31) })
        try site.write("static/big.bin", big)
        #expect(build(site, to: site.root + "/public").publishError == nil)
        #expect(FileManager.default.contents(atPath: site.root + "/public/big.bin") == big)
    }

    /// A static file swapped for a link after the site was read is not published.
    @Test func staticFileSwappedForALinkMidBuildIsRefused() throws {
        let site = try TempSite(good.merging(["static/a.txt": "a", "secret.txt": "secret"]) { $1 })
        let (prepared, _) = Site.prepare(BuildOptions(siteDirectory: site.root, buildDate: day))
        let files = SitePlan(try #require(prepared)).renderAll()
        try FileManager.default.removeItem(atPath: site.root + "/static/a.txt")
        try FileManager.default.createSymbolicLink(atPath: site.root + "/static/a.txt", withDestinationPath: site.root + "/secret.txt")
        let error = try #require(SiteWriter.publish(files, to: .init(path: site.root + "/public")))
        #expect(error.contains("static/a.txt"), Comment(rawValue: error))
        #expect(!site.exists("public"))
    }

    /// Builds racing for one output never lose the entries it keeps: the
    /// output is read and swapped by one build at a time.
    @Test func concurrentBuildsKeepGitAndHiddenFiles() async throws {
        let site = try TempSite(good)
        let root = site.root
        let options = BuildOptions(siteDirectory: root, buildDate: day)
        #expect(Site.build(options, output: .init(path: root + "/public")).publishError == nil)
        try site.write("public/.git/HEAD", "ref: refs/heads/gh-pages\n")
        try site.write("public/CNAME", "example.org\n")
        for i in 0..<200 { try site.write("public/.keep\(i)", "\(i)") }
        for _ in 0..<4 {
            let errors = await withTaskGroup(of: String?.self) { group in
                for _ in 0..<3 {
                    group.addTask { Site.build(options, output: .init(path: root + "/public")).publishError }
                }
                return await group.reduce(into: []) { $0.append($1) }
            }
            #expect(errors.allSatisfy { $0 == nil }, Comment(rawValue: "\(errors)"))
        }
        let kept = try FileManager.default.contentsOfDirectory(atPath: root + "/public").filter { $0.hasPrefix(".keep") }
        #expect(kept.count == 200)
        #expect(try site.read("public/.git/HEAD") == "ref: refs/heads/gh-pages\n")
        #expect(try site.read("public/CNAME") == "example.org\n")
    }

    /// Only the exact names of staging folders count as leftovers.
    @Test func aFolderNamedLikeAStagingFolderIsNotALeftover() throws {
        let site = try TempSite(good)
        try site.write(".public.preflight-notes/n.txt", "precious")
        try site.write(".public.preflight-new-12-x/n.txt", "precious too")
        #expect(build(site, to: site.root + "/public").publishError == nil)
        #expect(try site.read(".public.preflight-notes/n.txt") == "precious")
        #expect(try site.read(".public.preflight-new-12-x/n.txt") == "precious too")
        #expect(SiteWriter.isLeftover(".public.preflight-new-123", of: "public"))
        #expect(SiteWriter.isLeftover(".public.preflight-old-123-456", of: "public"))
        #expect(!SiteWriter.isLeftover(".public.preflight-new-", of: "public"))
        #expect(!SiteWriter.isLeftover(".other.preflight-new-1-2", of: "public"))
    }
}

