import Foundation
import Testing
@testable import PreflightCore

/// Every input is opened without following links, and must be a regular file
/// with one link: no link of any kind publishes a file from outside the site.
@Suite struct InputFileTests {
    let good = [
        "content/checklists/basic.md": basicChecklist,
        "content/services/svc/reviews/r.md": "---\ndate: 2026-01-01\n---\n- [x] x {#sec-secrets}\n",
    ]

    func errors(_ site: TempSite) -> [String] {
        Site.build(BuildOptions(siteDirectory: site.root, buildDate: Day("2026-02-01")!)).diagnostics.lines
            .filter { $0.contains(": error: ") }
    }

    @Test func hardLinkedInputsAreRefused() throws {
        let site = try TempSite(good.merging(["outside/passwd": "root:x:0:0", "outside/review.md": "---\ndate: 2026-01-01\n---\n"]) { $1 })
        try FileManager.default.createDirectory(atPath: site.root + "/static", withIntermediateDirectories: true)
        try FileManager.default.linkItem(atPath: site.root + "/outside/passwd", toPath: site.root + "/static/passwd")
        try FileManager.default.linkItem(
            atPath: site.root + "/outside/review.md", toPath: site.root + "/content/services/svc/reviews/linked.md")
        let lines = errors(site)
        #expect(lines.contains { $0.hasPrefix("static/passwd:1:1: error: cannot publish static/passwd: the file has 2 hard links") }, Comment(rawValue: "\(lines)"))
        #expect(lines.contains { $0.hasPrefix("content/services/svc/reviews/linked.md:1:1: error: cannot read file: the file has 2 hard links") }, Comment(rawValue: "\(lines)"))
    }

    @Test(.timeLimit(.minutes(5))) func specialFilesAreRefusedWithoutBlocking() throws {
        let site = try TempSite(good)
        try FileManager.default.createDirectory(atPath: site.root + "/static", withIntermediateDirectories: true)
        #expect(mkfifo(site.root + "/static/pipe", 0o644) == 0)
        #expect(mkfifo(site.root + "/content/services/svc/reviews/pipe.md", 0o644) == 0)
        try FileManager.default.createDirectory(atPath: site.root + "/templates/partials", withIntermediateDirectories: true)
        #expect(mkfifo(site.root + "/templates/partials/pipe.mustache", 0o644) == 0)
        let lines = errors(site)
        #expect(lines.contains { $0.hasPrefix("static/pipe:1:1: error: static/pipe is not a regular file") }, Comment(rawValue: "\(lines)"))
        #expect(lines.contains { $0.hasPrefix("content/services/svc/reviews/pipe.md:1:1: error:") }, Comment(rawValue: "\(lines)"))
        #expect(lines.contains { $0.hasPrefix("templates/partials/pipe.mustache:1:1: error: templates/partials/pipe.mustache is not a regular file") },
                Comment(rawValue: "\(lines)"))
    }

    @Test(arguments: ["static", "templates", "content"])
    func linkedSourceFoldersAreRefused(folder: String) throws {
        let site = try TempSite(good.merging(["elsewhere/x.txt": "x"]) { $1 })
        if folder == "content" {
            try FileManager.default.moveItem(atPath: site.root + "/content", toPath: site.root + "/real-content")
        }
        try FileManager.default.createSymbolicLink(
            atPath: site.root + "/" + folder, withDestinationPath: site.root + (folder == "content" ? "/real-content" : "/elsewhere"))
        let lines = errors(site)
        #expect(lines.contains { $0.hasPrefix("\(folder):1:1: error: \(folder) is a symbolic link") }, Comment(rawValue: "\(lines)"))
    }

    /// A folder on the way to a file swapped for a link is refused at open.
    @Test func linkedFolderOnThePathIsRefused() throws {
        let site = try TempSite(["a/b/c.txt": "inside", "outside/c.txt": "outside"])
        try FileManager.default.removeItem(atPath: site.root + "/a/b")
        try FileManager.default.createSymbolicLink(atPath: site.root + "/a/b", withDestinationPath: site.root + "/outside")
        #expect(throws: FileSystem.Failure.self) { try FileSystem.read("a/b/c.txt", in: site.root) }
        #expect(throws: FileSystem.Failure.self) { try FileSystem.read("../x", in: site.root) }
    }
}
