import Foundation
import Testing

/// The cases of issue 10 as a user meets them: through the binary.
@Suite struct HostileCLITests {
    /// `preflight build . --output D` with a readiness.json copied into D once
    /// deleted everything else in D, exit 0.
    @Test func buildNeverDeletesFilesItDidNotWrite() throws {
        let ws = try Workspace()
        try ws.write("D/tax.pdf", "x")
        try ws.write("D/photos/cat.jpg", "y")
        try ws.write("D/readiness.json", "{}")
        let run = try preflight(["build", "site", "--output", "D", "--as-of", "2026-02-01"], in: ws.root)
        #expect(run.status == 1)
        #expect(run.stderr.contains("error: D holds files Preflight did not write, such as D/photos/"), Comment(rawValue: run.stderr))
        #expect(run.stderr.contains("--force"))
        #expect(try ws.read("D/tax.pdf") == "x")
        #expect(try ws.read("D/photos/cat.jpg") == "y")
    }

    @Test(arguments: [".", "..", "content", "static"])
    func outputsThatWouldEatTheSiteAreRefused(output: String) throws {
        let ws = try Workspace()
        try ws.write("site/readiness.json", "{}")
        let run = try preflight(["build", ".", "--output", output, "--force", "--as-of", "2026-02-01"], in: ws.site)
        #expect(run.status == 2)
        #expect(run.stderr.contains("Error: refusing to write the site into \(output)"), Comment(rawValue: run.stderr))
        #expect(try ws.read("site/content/services/svc/index.md").contains("Svc"))
    }

    /// A build cache in a folder the build reads or writes was written into
    /// the sources (every later build failed) or published with the site.
    @Test(arguments: [
        (".", "it is the site folder"), ("content", "it is the site's content/ folder"),
        ("static/c", "it is inside the site's static/ folder"), ("evidence/c", "it is inside the site's evidence/ folder"),
        ("templates/c", "it is inside the site's templates/ folder"), ("ci", "it is --evidence `ci`"),
        ("out", "it is the output folder"), ("out/c", "it is inside the output folder"), ("..", "it contains the site folder"),
    ])
    func cachesWhereABuildReadsOrWritesAreRefused(cache: String, reason: String) throws {
        let ws = try Workspace()
        try ws.write("site/ci/records.jsonl", "")
        let run = try preflight(
            ["build", ".", "--output", "out", "--cache", cache, "--evidence", "ci", "--as-of", "2026-02-01"], in: ws.site)
        #expect(run.status == 2)
        #expect(run.stderr.contains("Error: refusing to keep the build cache in \(cache): \(reason)"), Comment(rawValue: run.stderr))
        #expect(!FileManager.default.fileExists(atPath: ws.site + "/out"))
        for folder in ["content", "static", "evidence", "templates", "ci"] {
            #expect(!FileManager.default.fileExists(atPath: ws.site + "/\(folder)/c"))
        }
        // Where it may go: the default, or a folder of its own.
        let elsewhere = try preflight(["build", ".", "--output", "out", "--cache", "../cache", "--as-of", "2026-02-01"], in: ws.site)
        #expect(elsewhere.status == 0, Comment(rawValue: elsewhere.stderr))
        // The output may not be in evidence/ either: the next build would read it.
        let output = try preflight(["build", ".", "--output", "evidence/public", "--no-cache", "--as-of", "2026-02-01"], in: ws.site)
        #expect(output.status == 2 && output.stderr.contains("it is inside the site's evidence/ folder"), Comment(rawValue: output.stderr))
    }

    /// CR LF in a file name must not inject a workflow command.
    @Test func githubAnnotationsCannotBeInjected() throws {
        let ws = try Workspace()
        try ws.write("site/content/services/svc/reviews/x\r\n::error file=pwned::owned.md", "---\ndate: 2026-01-01\n---\n")
        let run = try preflight(["check", "site", "--format", "github", "--as-of", "2026-02-01"], in: ws.root)
        for line in run.stdout.split(omittingEmptySubsequences: true, whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }) {
            #expect(line.hasPrefix("::error file=site/") || line.hasPrefix("::warning file=site/") || line.hasPrefix("1 error"),
                    Comment(rawValue: String(line)))
        }
        #expect(run.stdout.contains("%0D%0A::error file=pwned::owned.md"))
    }

    @Test func buildDatesOutsideTheFormatAreUsageErrors() throws {
        let ws = try Workspace()
        for epoch in ["-9223372036854775808", "9223372036854775807"] {
            let run = try preflight(["build", "site"], in: ws.root, environment: ["SOURCE_DATE_EPOCH": epoch])
            #expect(run.status == 2)
            #expect(run.stderr.contains("SOURCE_DATE_EPOCH `\(epoch)` is not a day from 0001-01-01 to 9999-12-31"))
        }
    }

    @Test func newReviewNeverReadsOutsideTheSite() throws {
        let ws = try Workspace()
        try ws.write("x.md", "---\ntitle: Outside\n---\n## A\n\n- [ ] Leaked {#leak}\n")
        let run = try preflight(["new", "review", "svc", "--checklist", "../../x", "--site", "site"], in: ws.root)
        #expect(run.status == 1)
        #expect(run.stderr.contains("is not a checklist id"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: ws.site + "/content/services/svc/reviews") == ["r1.md"])
    }

    /// A template that includes itself once crashed with SIGSEGV.
    @Test func templateCyclesAreErrorsNotCrashes() throws {
        let ws = try Workspace()
        try ws.write("site/templates/partials/status.mustache", "{{> partials/status}}")
        let run = try preflight(["build", "site", "--as-of", "2026-02-01"], in: ws.root)
        #expect(run.status == 1)
        #expect(run.stderr.contains("templates include each other in a cycle: partials/status → partials/status"), Comment(rawValue: run.stderr))
    }
}
