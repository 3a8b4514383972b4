import Foundation
import Testing

@testable import PreflightCore

#if canImport(Glibc)
    import Glibc
#endif

/// The build cache (docs/format.md, "Build cache"): a build that reads and
/// keeps it writes the same bytes as one without it, whatever changed in
/// between, and a cache that is damaged, foreign or in use is noticed and
/// left aside, never used.
@Suite struct BuildCacheTests {
    static let repository = fixtures.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The sample site, with a second checklist that one service answers.
    final class Workbench {
        let root: String
        let site: String
        let cached: String
        let fresh: String
        var cacheFolder: String { site + "/.preflight-cache" }

        init() throws {
            root = FileManager.default.temporaryDirectory.appendingPathComponent("preflight-cache-\(UUID().uuidString)").path
            site = root + "/site"
            cached = root + "/out-cached"
            fresh = root + "/out-fresh"
            let fm = FileManager.default
            try fm.createDirectory(atPath: site, withIntermediateDirectories: true)
            for entry in ["content", "catalog", "evidence", "static", "preflight.yml"] {
                try fm.copyItem(atPath: repository.appendingPathComponent(entry).path, toPath: site + "/" + entry)
            }
            let checklist = try read("content/checklists/production-readiness.md")
            try write("content/checklists/ops-lite.md", checklist.replacingOccurrences(of: "title: ", with: "title: Lite "))
            try write("content/services/ledger/index.md", "---\nchecklist: ops-lite\n---\nThe ledger answers the lite checklist.\n")
        }

        deinit { try? FileManager.default.removeItem(atPath: root) }

        func read(_ path: String) throws -> String { try String(contentsOfFile: site + "/" + path, encoding: .utf8) }
        func write(_ path: String, _ text: String) throws {
            try FileManager.default.createDirectory(
                atPath: (site + "/" + path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try text.write(toFile: site + "/" + path, atomically: false, encoding: .utf8)
        }
        func files(_ pattern: String) -> [String] {
            allFiles(under: site).filter { $0.range(of: pattern, options: .regularExpression) != nil }
        }

        func build(cache: Bool, into output: String) -> Site.Report {
            var options = BuildOptions(siteDirectory: site, buildDate: Day("2026-11-26")!)
            if cache { options.cache = BuildCacheSettings(directory: cacheFolder, version: "test") }
            return Site.build(options, output: SiteWriter.Target(path: output))
        }

        /// Builds with the cache into `cached` and afresh into `fresh`, and
        /// expects the same outcome, diagnostics and bytes.
        @discardableResult
        func compare(_ note: String) throws -> Site.Report {
            let withCache = build(cache: true, into: cached)
            try? FileManager.default.removeItem(atPath: fresh)
            let without = build(cache: false, into: fresh)
            #expect(withCache.diagnostics.lines == without.diagnostics.lines, "\(note)")
            #expect(withCache.published == without.published, "\(note)")
            guard without.published else { return withCache }
            let paths = allFiles(under: fresh)
            #expect(allFiles(under: cached) == paths, "\(note)")
            for path in paths {
                let a = FileManager.default.contents(atPath: cached + "/" + path)
                let b = FileManager.default.contents(atPath: fresh + "/" + path)
                #expect(a == b, "\(note): \(path) differs")
            }
            return withCache
        }
    }

    @Test func randomEditSequencesGiveTheBytesOfAFullBuild() throws {
        for seed in [UInt64(7), 31] {
            let bench = try Workbench()
            var random = SeededRandom(seed: seed)
            try bench.compare("first build")
            var log: [String] = []
            var reused = 0
            for round in 0..<14 {
                for _ in 0...random.below(2) { log.append(try edit(bench, &random)) }
                let report = try bench.compare("seed \(seed), round \(round): \(log.joined(separator: "; "))")
                #expect(report.published || report.diagnostics.hasErrors)
                if let summary = report.cacheSummary, let n = Int(summary.split(separator: " ").dropLast().last ?? "") {
                    reused += n
                }
            }
            // The cache was used, not just kept: most pages came from it.
            #expect(reused > 100, "\(reused) pages reused")
        }
    }

    /// One random change of the kinds a merge makes; what it did, for the failure message.
    func edit(_ bench: Workbench, _ random: inout SeededRandom) throws -> String {
        let reviews = bench.files("^content/services/[^/]+/reviews/.*\\.md$")
        let review = reviews[random.below(reviews.count)]
        switch random.below(13) {
        case 12:
            // Prose only, in the middle: the pages that list across services stay as they were.
            var text = try bench.read(review)
            guard let word = text.range(of: " the ", range: text.index(text.startIndex, offsetBy: text.count / 2)..<text.endIndex)
            else { return "nothing to reword in \(review)" }
            text.replaceSubrange(word, with: " the very ")
            try bench.write(review, text)
            return "reworded \(review)"
        case 0:
            try bench.write(review, try bench.read(review) + "\nOne more paragraph, round \(random.below(1000)).\n")
            return "appended to \(review)"
        case 1:
            var text = try bench.read(review)
            if let open = text.range(of: "- [ ]") {
                text.replaceSubrange(open, with: "- [x]")
            } else if let done = text.range(of: "- [x]") {
                text.replaceSubrange(done, with: "- [ ]")
            }
            try bench.write(review, text)
            return "toggled a box in \(review)"
        case 2:
            let text = try bench.read(review)
            let day = String(format: "2026-%02d-%02d", 1 + random.below(10), 1 + random.below(28))
            try bench.write(review, text.replacingOccurrences(
                of: "date: [0-9-]+", with: "date: \(day)", options: .regularExpression))
            return "dated \(review) \(day)"
        case 3:
            let copy = (review as NSString).deletingLastPathComponent + "/2026-0\(1 + random.below(9))-1\(random.below(10))-copy.md"
            try bench.write(copy, try bench.read(review))
            return "copied \(review) to \(copy)"
        case 4:
            try FileManager.default.removeItem(atPath: bench.site + "/" + review)
            return "removed \(review)"
        case 5:
            let checklists = bench.files("^content/checklists/.*\\.md$")
            let checklist = checklists[random.below(checklists.count)]
            let text = try bench.read(checklist)
            try bench.write(checklist, text.replacingOccurrences(of: "title: ", with: "title: X"))
            return "retitled \(checklist)"
        case 6:
            let services = bench.files("^content/services/[^/]+/index\\.md$")
            let service = services[random.below(services.count)]
            try bench.write(service, try bench.read(service) + "\nEdited prose \(random.below(1000)).\n")
            return "edited \(service)"
        case 7:
            let evidence = try bench.read("evidence/ci.jsonl")
            let lines = evidence.split(separator: "\n")
            var line = String(lines[random.below(lines.count)])
            line = line.contains("\"pass\"") ? line.replacingOccurrences(of: "\"pass\"", with: "\"fail\"")
                : line.replacingOccurrences(of: "\"fail\"", with: "\"pass\"")
            let at = String(format: "2026-11-0%dT%02d:%02d:00Z", 1 + random.below(9), random.below(24), random.below(60))
            line = line.replacingOccurrences(of: "\"at\": \"[^\"]+\"", with: "\"at\": \"\(at)\"", options: .regularExpression)
            try bench.write("evidence/ci.jsonl", evidence + line + "\n")
            return "added evidence \(line.prefix(60))"
        case 8:
            let config = try bench.read("preflight.yml")
            try bench.write("preflight.yml", config.replacingOccurrences(
                of: "title: [^\n]*", with: "title: Acme \(random.below(100))", options: .regularExpression))
            return "retitled the site"
        case 9:
            let catalog = bench.files("^catalog/.*\\.ya?ml$")
            let file = catalog[random.below(catalog.count)]
            try bench.write(file, try bench.read(file).replacingOccurrences(of: "title: ", with: "title: Z"))
            return "edited \(file)"
        case 10:
            let campaigns = bench.files("^content/campaigns/.*\\.md$")
            let campaign = campaigns[random.below(campaigns.count)]
            try bench.write(campaign, try bench.read(campaign) + "\nMore about it.\n")
            return "edited \(campaign)"
        default:
            // The output changed behind the cache's back: the build must not trust it.
            let pages = allFiles(under: bench.cached).filter { $0.hasSuffix(".html") }
            if !pages.isEmpty {
                let page = bench.cached + "/" + pages[random.below(pages.count)]
                try "tampered".write(toFile: page, atomically: false, encoding: .utf8)
                return "tampered with \(page)"
            }
            return "nothing"
        }
    }

    @Test func aRebuildWithNothingChangedLeavesTheOutputAndTellsTheWarnings() throws {
        let bench = try Workbench()
        try bench.write("content/services/ledger/reviews/2026-11-20.md", "---\ndate: 2026-11-20\n---\n- [x] Something no checklist asks about\n")
        let first = bench.build(cache: true, into: bench.cached)
        #expect(first.published && !first.upToDate)
        #expect(first.diagnostics.warningCount > 0)
        let second = bench.build(cache: true, into: bench.cached)
        #expect(second.upToDate)
        #expect(second.diagnostics.lines == first.diagnostics.lines)
        #expect(second.reviewCount == first.reviewCount)
        // One review changed: it alone is parsed again, and its service's pages rendered.
        let review = "content/services/payments-api/reviews/2026-10-20.md"
        try bench.write(review, try bench.read(review) + "\nA new paragraph.\n")
        let third = try bench.compare("one review edited")
        #expect(!third.upToDate)
        #expect(third.cacheSummary?.hasPrefix("reviews 1 parsed") == true, "\(third.cacheSummary ?? "")")
        // A file removed from the output is noticed.
        try FileManager.default.removeItem(atPath: bench.cached + "/index.html")
        #expect(!bench.build(cache: true, into: bench.cached).upToDate)
        #expect(FileManager.default.fileExists(atPath: bench.cached + "/index.html"))
    }

    /// Files the last build's scan saw as they are now are not read again;
    /// an edit that keeps the size and puts the modification time back is
    /// still seen (its change time moved), and so is a file edited within
    /// two seconds of a scan.
    @Test func untouchedReviewsAreNotReadAndDisguisedEditsAreSeen() throws {
        let bench = try Workbench()
        // Every file older than the scan's window (two whole seconds), as on a CI checkout.
        Thread.sleep(forTimeInterval: 3.1)
        try bench.compare("first build")
        let reviews = bench.files("^content/services/[^/]+/reviews/[^/]+\\.md$")
        #expect(reviews.count > 3)
        let review = "content/services/payments-api/reviews/2026-10-20.md"
        let path = bench.site + "/" + review
        var before = stat()
        #expect(lstat(path, &before) == 0)
        let text = try bench.read(review)
        let changed = text.replacingOccurrences(of: "- [x] Unit tests", with: "- [ ] Unit tests")
        #expect(changed != text && changed.utf8.count == text.utf8.count)
        try bench.write(review, changed)
        var times = [before.st_atim, before.st_mtim]
        #expect(utimensat(AT_FDCWD, path, &times, 0) == 0)
        Thread.sleep(forTimeInterval: 3.1)
        let second = try bench.compare("a box unticked, size and modification time kept")
        #expect(second.cacheSummary?.hasPrefix("reviews 1 parsed, \(reviews.count - 1) reused (\(reviews.count - 1) without reading") == true,
            Comment(rawValue: second.cacheSummary ?? ""))
        // Edited now: within two seconds of the next scan, and of the last.
        try bench.write(review, text)
        let third = try bench.compare("the box ticked again")
        #expect(third.cacheSummary?.hasPrefix("reviews 1 parsed") == true, "\(third.cacheSummary ?? "")")
        try bench.write(review, changed)
        let fourth = try bench.compare("unticked once more, within two seconds of the last scan")
        #expect(fourth.cacheSummary?.hasPrefix("reviews 1 parsed") == true, "\(fourth.cacheSummary ?? "")")
    }

    /// A rebuild into the folder the last build wrote updates it in place:
    /// files whose bytes stay are not written again (their inodes stay), an
    /// edit of a review's prose leaves the pages that list across services
    /// as they were, a tick does not, a killed build's staging folder is
    /// cleared, and a file Preflight did not write stops the build as it
    /// stops a full one.
    @Test func aRebuildUpdatesTheLastOutputInPlace() throws {
        let bench = try Workbench()
        try bench.compare("first")
        func inode(_ path: String) -> UInt64 {
            var info = stat()
            return lstat(bench.cached + "/" + path, &info) == 0 ? UInt64(info.st_ino) : 0
        }
        let review = "content/services/payments-api/reviews/2026-10-20.md"
        let pages = ["index.html", "services/ledger/index.html", "readiness.json", "services/payments-api/index.html"]
        var before = pages.map(inode)
        #expect(!before.contains(0))
        try bench.write(review, try bench.read(review).replacingOccurrences(of: "Yearly review", with: "Yearly, careful review"))
        let prose = try bench.compare("prose edited")
        #expect(prose.cacheSummary?.hasPrefix("reviews 1 parsed") == true, "\(prose.cacheSummary ?? "")")
        var after = pages.map(inode)
        #expect(Array(after.prefix(3)) == Array(before.prefix(3)), "the dashboard, another service and readiness.json stay")
        #expect(after[3] != before[3], "the edited service's page is written again")
        // The search index takes the service's new words, the other services' parts as they were.
        let search = try String(contentsOfFile: bench.cached + "/search-index.json", encoding: .utf8)
        #expect(search.contains("careful"))
        // What the update left in place was recorded as it is: a build now has nothing to do.
        #expect(bench.build(cache: true, into: bench.cached).upToDate)

        before = after
        let text = try bench.read(review)
        try bench.write(review, text.replacingOccurrences(of: "- [x] Unit tests", with: "- [ ] Unit tests"))
        try bench.compare("a box unticked")
        after = pages.map(inode)
        #expect(after[0] != before[0] && after[2] != before[2], "the dashboard and readiness.json are made again")

        // What a build killed before it moved its files in leaves beside the output.
        let (parent, name) = SiteWriter.split(bench.cached)
        let leftover = "\(parent)/.\(name).preflight-new-999-1"
        try FileManager.default.createDirectory(atPath: leftover, withIntermediateDirectories: true)
        try "half".write(toFile: leftover + "/3", atomically: false, encoding: .utf8)
        try bench.write(review, try bench.read(review) + "\nMore.\n")
        try bench.compare("after a killed build")
        #expect(!FileManager.default.fileExists(atPath: leftover))

        // A file Preflight did not write: refused, the output left as it was.
        try "mine".write(toFile: bench.cached + "/services/mine.txt", atomically: false, encoding: .utf8)
        try bench.write(review, try bench.read(review) + "\nOnce more.\n")
        let refused = bench.build(cache: true, into: bench.cached)
        #expect(!refused.published)
        #expect(refused.publishError?.contains("did not write") == true, "\(refused.publishError ?? "")")
        #expect(FileManager.default.fileExists(atPath: bench.cached + "/services/mine.txt"))
        #expect(inode("index.html") == after[0])
    }

    /// A file written to after the scan, while the build reads the site, may
    /// have been loaded as it was before or after: the pages made from it
    /// must not be kept under the key of its new text, or the next build
    /// would reuse them for that text.
    @Test func aFileEditedDuringTheBuildIsNotKeyedByItsNewText() throws {
        let bench = try Workbench()
        let page = try #require(bench.files("^content/pages/.*\\.md$").first)
        func keys(_ scan: InputScan) throws -> Digest {
            var notes: [String] = []
            let cache = try #require(BuildCache.open(bench.root + "/keys-cache", key: "k", notes: &notes))
            return cache.siteKeys(scan: scan, siteDirectory: bench.site).facts
        }
        let before = InputScan.scan(roots: [bench.site], excluded: [])
        try bench.write(page, try bench.read(page).replacingOccurrences(of: "title: ", with: "title: Edited "))
        let during = try keys(before)
        let after = try keys(InputScan.scan(roots: [bench.site], excluded: []))
        #expect(during != after)
        #expect(after == (try keys(InputScan.scan(roots: [bench.site], excluded: []))))
    }

    /// With no input changed, an output page edited in place with its size
    /// and modification time kept, or made unreadable, is still noticed (its
    /// change time moved) and written again; a file Preflight did not write
    /// stops the build as it stops one without the cache.
    @Test func aRebuildWithNoInputChangedStillChecksTheOutput() throws {
        let bench = try Workbench()
        try bench.compare("first")
        let page = bench.cached + "/services/ledger/index.html"
        var before = stat()
        #expect(lstat(page, &before) == 0)
        let text = try String(contentsOfFile: page, encoding: .utf8)
        try text.replacingOccurrences(of: "Ledger", with: "LEDGER").write(toFile: page, atomically: false, encoding: .utf8)
        var times = [before.st_atim, before.st_mtim]
        #expect(utimensat(AT_FDCWD, page, &times, 0) == 0)
        #expect(chmod(bench.cached + "/index.html", 0) == 0)
        let repaired = try bench.compare("a page edited with its time put back, another made unreadable")
        #expect(!repaired.upToDate)
        var mode = stat()
        #expect(lstat(bench.cached + "/index.html", &mode) == 0 && mode.st_mode & 0o777 == 0o644)

        try "mine".write(toFile: bench.cached + "/services/mine.txt", atomically: false, encoding: .utf8)
        let refused = bench.build(cache: true, into: bench.cached)
        #expect(!refused.published && !refused.upToDate)
        #expect(refused.publishError?.contains("did not write") == true, "\(refused.publishError ?? "")")
    }

    @Test func theFirstOutputInsideTheSiteIsNoChangeToIt() throws {
        let bench = try Workbench()
        let output = bench.site + "/public"
        #expect(bench.build(cache: true, into: output).published)
        // The new public/ (and the cache folder) are not inputs: nothing changed.
        #expect(bench.build(cache: true, into: output).upToDate)
        try bench.write("content/services/ledger/index.md", try bench.read("content/services/ledger/index.md") + "\nMore.\n")
        #expect(!bench.build(cache: true, into: output).upToDate)
    }

    @Test func aDamagedForeignOrBusyCacheIsLeftAsideWithANote() throws {
        let bench = try Workbench()
        try bench.compare("first")
        let index = bench.cacheFolder + "/index"
        let blob = bench.cacheFolder + "/blob-0"

        // A flipped byte in the index.
        var bytes = try Data(contentsOf: URL(fileURLWithPath: index))
        bytes[bytes.count - 5] ^= 0x55
        try bytes.write(to: URL(fileURLWithPath: index))
        var report = try bench.compare("corrupt index")
        #expect(report.notes.contains { $0.contains("is corrupt") }, "\(report.notes)")

        // A truncated index.
        bytes = try Data(contentsOf: URL(fileURLWithPath: index))
        try bytes.prefix(bytes.count / 2).write(to: URL(fileURLWithPath: index))
        report = try bench.compare("truncated index")
        #expect(report.notes.contains { $0.contains("truncated or corrupt") || $0.contains("is corrupt") }, "\(report.notes)")

        // Something else entirely.
        try "{\"not\": \"a cache\"}".write(toFile: index, atomically: false, encoding: .utf8)
        report = try bench.compare("foreign index")
        #expect(report.notes.contains { $0.contains("not a Preflight build cache") }, "\(report.notes)")

        // Flipped bytes in every stored page and body, and no output to link from.
        try bench.compare("rebuilt")
        var blobBytes = try Data(contentsOf: URL(fileURLWithPath: blob))
        for i in stride(from: 0, to: blobBytes.count, by: 97) { blobBytes[i] ^= 0x20 }
        try blobBytes.write(to: URL(fileURLWithPath: blob))
        try FileManager.default.removeItem(atPath: bench.cached)
        let review = "content/services/payments-api/reviews/2026-10-20.md"
        try bench.write(review, try bench.read(review) + "\nChanged.\n")
        report = try bench.compare("corrupt blob")
        #expect(report.cacheSummary?.contains("0 reused") == true, "\(report.cacheSummary ?? "")")

        // Another build holds the cache.
        let lock = open(bench.cacheFolder + "/lock", O_RDWR)
        #expect(flock(lock, LOCK_EX) == 0)
        try bench.write(review, try bench.read(review) + "\nAgain.\n")
        report = try bench.compare("busy cache")
        #expect(report.notes.contains { $0.contains("another build is using the cache") }, "\(report.notes)")
        close(lock)

        // A file where the cache folder should be is named as such.
        try FileManager.default.removeItem(atPath: bench.cacheFolder)
        try "not a folder".write(toFile: bench.cacheFolder, atomically: false, encoding: .utf8)
        report = try bench.compare("a file in the cache's place")
        #expect(report.notes.contains { $0.hasSuffix("is not a folder; building without a cache") }, "\(report.notes)")
    }

    /// A build with another key that fails (here, a configuration being
    /// edited) leaves the last good build's cache as it was: once the edit is
    /// undone, the next build uses it, and does not call it damaged.
    @Test func aFailedBuildWithAnotherKeyLeavesTheLastCacheUsable() throws {
        let bench = try Workbench()
        try bench.compare("first")
        let config = try bench.read("preflight.yml")
        try bench.write("preflight.yml", config.replacingOccurrences(of: "default_checklist: production-readiness", with: "default_checklist: nope"))
        let failed = try bench.compare("a configuration that fails")
        #expect(!failed.published)
        #expect(failed.notes.contains { $0.contains("was made with other settings (the Preflight binary, theme, configuration, build date") }, "\(failed.notes)")
        try bench.write("preflight.yml", config)
        let after = try bench.compare("the configuration put back")
        #expect(!after.notes.contains { $0.contains("cache") }, "\(after.notes)")
        #expect(after.cacheSummary?.hasPrefix("reviews 0 parsed") == true, "\(after.cacheSummary ?? "")")
        #expect(try FileManager.default.contentsOfDirectory(atPath: bench.cacheFolder).filter { $0.hasPrefix("blob-") } == ["blob-0"])

        // A build with another key that succeeds replaces the cache, and its blob.
        try bench.write("preflight.yml", config.replacingOccurrences(of: "title: ", with: "title: Renamed "))
        let renamed = try bench.compare("another title")
        #expect(renamed.published && renamed.cacheSummary?.contains("parsed, 0 reused") == true, "\(renamed.cacheSummary ?? "")")
        #expect(try FileManager.default.contentsOfDirectory(atPath: bench.cacheFolder).filter { $0.hasPrefix("blob-") } == ["blob-1"])
        let again = try bench.compare("the same title again")
        #expect(!again.notes.contains { $0.contains("cache") }, "\(again.notes)")
    }

    @Test func aBuildKilledWhileWritingLeavesACacheTheNextBuildCanTrust() throws {
        let bench = try Workbench()
        try bench.compare("first")
        let review = "content/services/payments-api/reviews/2026-10-20.md"
        try bench.write(review, try bench.read(review) + "\nChanged.\n")
        // What a build killed after appending and before its index landed leaves:
        // bytes past the blob's recorded end, a half-written index beside the
        // real one, and the next generation's blob of a compaction.
        let blob = FileHandle(forWritingAtPath: bench.cacheFolder + "/blob-0")!
        blob.seekToEndOfFile()
        blob.write(Data(repeating: 0xAB, count: 100_000))
        try blob.close()
        try Data(repeating: 7, count: 1000).write(to: URL(fileURLWithPath: bench.cacheFolder + "/index.new-999"))
        try Data(repeating: 9, count: 1000).write(to: URL(fileURLWithPath: bench.cacheFolder + "/blob-1"))
        let report = try bench.compare("after a kill")
        #expect(report.notes.isEmpty || !report.notes.contains { $0.contains("cache") }, "\(report.notes)")
        #expect(report.cacheSummary?.hasPrefix("reviews 1 parsed") == true, "\(report.cacheSummary ?? "")")
        #expect(!FileManager.default.fileExists(atPath: bench.cacheFolder + "/blob-1"))

        // A blob shorter than its index says (a disk that lost its end) is not used.
        let handle = FileHandle(forWritingAtPath: bench.cacheFolder + "/blob-0")!
        try handle.truncate(atOffset: 10)
        try handle.close()
        try bench.write(review, try bench.read(review) + "\nAgain.\n")
        let after = try bench.compare("truncated blob")
        #expect(after.notes.contains { $0.contains("truncated") }, "\(after.notes)")
    }

    @Test func recordsReadBackAsTheyWereWritten() throws {
        var w = CacheWriter()
        let value = JSONValue.object([("a", .array([.int(-3), .string("é\u{0}"), .null, .bool(true)]))])
        value.encode(to: &w)
        Diagnostic(path: "p.md", line: 3, column: 4, severity: .warning, message: "m", hint: nil).encode(to: &w)
        var r = CacheReader(w.bytes)
        #expect(try JSONValue(from: &r) == value)
        #expect(try Diagnostic(from: &r).message == "m")
        #expect(r.isAtEnd)
        // Every prefix is refused, not misread.
        for n in 0..<w.bytes.count {
            var short = CacheReader(Array(w.bytes.prefix(n)))
            #expect(throws: CacheReader.Malformed.self) {
                _ = try JSONValue(from: &short)
                _ = try Diagnostic(from: &short)
            }
        }
    }
}
