import Foundation
import Testing
@testable import PreflightCore

@Suite struct TextSpillTests {
    @Test func textsComeBackAsTheyWereStored() throws {
        let spill = try #require(TextSpill())
        let long = String(repeating: "<p>Rollback drill — ✓ passed, 日本語 too.</p>\n", count: 200)
        let texts = ["", "short", long, long + "x", String(repeating: "é", count: 300)]
        let stored = texts.map { spill.store($0) }
        for (text, kept) in zip(texts, stored) { #expect(kept.string == text) }
        // Read again, in another order: each keeps its own bytes.
        for (text, kept) in zip(texts, stored).reversed() { #expect(kept.string == text) }
    }

    @Test func manyThreadsStoreAtOnce() throws {
        let spill = try #require(TextSpill())
        let texts = (0..<200).map { "<p>review \($0)</p>" + String(repeating: "x", count: 300 + $0) }
        let stored = texts.parallelMap { spill.store($0) }
        #expect(stored.map(\.string) == texts)
    }

    /// The file is unlinked as soon as it is made: nothing is left in `$TMPDIR`.
    @Test func leavesNoFileBehind() throws {
        let temp = try TempSite([:])
        let folder = temp.root
        let spill = try #require(TextSpill(in: folder))
        let text = spill.store(String(repeating: "body ", count: 100))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).isEmpty)
        #expect(text.string.count == 500)
    }

    #if os(Linux)
        /// The file never has a name, not even for an instant: a signal
        /// between making a named file and unlinking it would leave it behind
        /// (it did, in `diff`'s interrupted-run test). inotify sees every
        /// name made in the folder.
        @Test func theFileNeverHasAName() throws {
            let temp = try TempSite([:])
            let watcher = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
            try #require(watcher >= 0)
            defer { close(watcher) }
            try #require(inotify_add_watch(watcher, temp.root, UInt32(IN_CREATE | IN_MOVED_TO)) >= 0)
            let spill = try #require(TextSpill(in: temp.root))
            #expect(spill.store(String(repeating: "body ", count: 100)).string.count == 500)
            var events = [UInt8](repeating: 0, count: 4096)
            let count = events.withUnsafeMutableBytes { read(watcher, $0.baseAddress, $0.count) }
            #expect(count < 0 && errno == EAGAIN, "a name was made in the folder")
            // The watch itself works: a named file is seen.
            FileManager.default.createFile(atPath: temp.root + "/named", contents: Data())
            #expect(events.withUnsafeMutableBytes { read(watcher, $0.baseAddress, $0.count) } > 0)
        }
    #endif

    /// Where no file can be made, there is no spill: bodies stay in memory.
    @Test func noFolderNoSpill() {
        #expect(TextSpill(in: "/nonexistent/preflight-spill-test") == nil)
    }

    /// A review's body reads the same from the spill as from memory.
    @Test func aReviewKeepsItsBodyHTML() throws {
        let site = try TempSite([
            "content/checklists/basic.md": basicChecklist,
            "content/services/svc/reviews/r.md": "---\ndate: 2026-01-01\n---\n"
                + String(repeating: "Paragraph with *emphasis* and `code`.\n\n", count: 20),
        ])
        let model = try #require(Site.prepare(BuildOptions(siteDirectory: site.root, buildDate: Day("2026-02-01")!)).prepared?.model)
        let review = try #require(model.reviews["svc"]?.first)
        #expect(review.html == Markdown.render(
            String(repeating: "Paragraph with *emphasis* and `code`.\n\n", count: 20), firstLine: 4, unsafeHTML: false).html)
    }
}
