import Foundation
import Testing

private let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures").path

@Suite struct CheckCommandTests {
    /// One fixture site with every kind of warning; its expected output in each
    /// format is a golden file (re-record with RECORD_GOLDEN=1).
    @Test(arguments: ["text", "json", "github"])
    func everyWarningInEveryFormat(format: String) throws {
        let run = try preflight(["check", "check-site", "--as-of", "2026-02-15", "--format", format], in: fixtures)
        #expect(run.status == 0, Comment(rawValue: run.stderr))
        let golden = fixtures + "/check-expected.\(format)"
        if ProcessInfo.processInfo.environment["RECORD_GOLDEN"] == "1" {
            try Data(run.stdout.utf8).write(to: URL(fileURLWithPath: golden))
            return
        }
        #expect(run.stdout == (try String(contentsOfFile: golden, encoding: .utf8)))
        if format == "json" {
            #expect(run.stderr == "0 errors, 16 warnings in 9 files\n")
            let parsed = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [[String: Any]]
            #expect(parsed?.count == 16)
        }
    }

    @Test func strictTurnsWarningsIntoFailure() throws {
        let run = try preflight(["check", "check-site", "--as-of", "2026-02-15", "--strict"], in: fixtures)
        #expect(run.status == 1)
    }

    @Test func failOnGatesServiceStates() throws {
        let run = try preflight(
            ["check", "check-site", "--as-of", "2026-02-15", "--fail-on", "stale,not-ready"], in: fixtures)
        #expect(run.status == 1)
        #expect(run.stdout.contains("check-site/content/services/beta/index.md:1:1: error: service `beta` is stale (--fail-on)"))
        #expect(run.stdout.contains(
            "check-site/content/services/nameless:1:1: error: service `nameless` is not-ready: required check secrets is open (--fail-on)"))
        #expect(run.stdout.hasSuffix("2 errors, 16 warnings in 9 files\n"))
    }

    @Test func failOnExpiredWaiver() throws {
        let run = try preflight(
            ["check", "check-site", "--as-of", "2026-02-15", "--fail-on", "expired-waiver"], in: fixtures)
        #expect(run.status == 1)
        #expect(run.stdout.contains(
            "check-site/content/services/alpha/index.md:1:1: error: service `alpha` has expired waiver of threat (--fail-on)"))
        #expect(run.stdout.hasSuffix("1 error, 16 warnings in 9 files\n"))
        // On the waiver's last day it still holds.
        let before = try preflight(
            ["check", "check-site", "--as-of", "2026-02-01", "--fail-on", "expired-waiver"], in: fixtures)
        #expect(!before.stdout.contains("expired waiver"))
    }

    @Test func failOnBelowTarget() throws {
        let ws = try Workspace()
        try ws.write("site/preflight.yml", "targets:\n  \"1\": Silver\n")
        try ws.write("site/content/checklists/basic.md", """
            ---
            title: Basic
            levels: [Bronze, Silver]
            ---
            ## Security {#security}
            - [ ] Secrets live in the secret store {#sec-secrets required level=Bronze}
            - [ ] Dependencies are scanned {#sec-deps level=Silver}
            """)
        try ws.write("site/content/services/svc/index.md", "---\nname: Svc\ntier: 1\n---\n")
        try ws.write("site/content/services/low/index.md", "---\nname: Low\ntier: 3\n---\n")
        let run = try preflight(["check", "site", "--fail-on", "below-target"], in: ws.root)
        #expect(run.status == 1)
        #expect(run.stdout.contains(
            "site/content/services/svc/index.md:1:1: error: service `svc` is below its target Silver (at Bronze) (--fail-on)"))
        #expect(!run.stdout.contains("`low`"))  // tier 3 has no target
        try ws.write("site/content/services/svc/reviews/r1.md", "---\ndate: 2026-01-10\ndecision: approved\n---\n- [x] x {#sec-secrets}\n- [x] x {#sec-deps}\n")
        let met = try preflight(["check", "site", "--fail-on", "below-target"], in: ws.root)
        #expect(met.status == 0, Comment(rawValue: met.stdout))
    }

    @Test func unknownFailOnConditionIsAUsageError() throws {
        let run = try preflight(["check", "check-site", "--fail-on", "stael"], in: fixtures)
        #expect(run.status == 2)
        #expect(run.stderr.contains("stael"))
        // The error names the word that is wrong, with the nearest condition.
        let two = try preflight(["check", "check-site", "--fail-on", "stale,stael"], in: fixtures)
        #expect(two.status == 2)
        #expect(two.stderr.contains("--fail-on: `stael` is not a condition (did you mean `stale`?)"), "\(two.stderr)")
        let empty = try preflight(["check", "check-site", "--fail-on", ""], in: fixtures)
        #expect(empty.status == 2)
        #expect(empty.stderr.contains("--fail-on needs a condition between commas"), "\(empty.stderr)")
        let diff = try preflight(["diff", "check-site", "check-site", "--fail-on", "regression,lvel-drop"], in: fixtures)
        #expect(diff.status == 2)
        #expect(diff.stderr.contains("`lvel-drop` is not a condition (did you mean `level-drop`?)"), "\(diff.stderr)")
    }

    @Test func errorsExitOne() throws {
        let ws = try Workspace()
        try ws.write("site/content/services/svc/reviews/r1.md", "---\ndate: 2026-01-10\n---\n- [x] x {#nope}\n")
        let run = try preflight(["check", "site", "--format", "github"], in: ws.root)
        #expect(run.status == 1)
        #expect(run.stdout.hasPrefix(
            "::error file=site/content/services/svc/reviews/r1.md,line=4,col=1::`nope` is not a check of checklist `basic`"))
        #expect(run.stdout.hasSuffix("1 error, 0 warnings in 3 files\n"))
    }

    @Test func buildCountsWarningsButLeavesThemToCheck() throws {
        // No cache: a build of a fixture must not write into the source tree.
        let run = try preflight(
            ["build", "check-site", "--as-of", "2026-02-15", "--no-cache", "-o", NSTemporaryDirectory() + "/pf-\(UUID())"], in: fixtures)
        #expect(run.status == 0, Comment(rawValue: run.stderr))
        #expect(run.stderr.isEmpty)
        #expect(run.stdout.contains("(3 warnings: run `preflight check` to see them)"))
    }
}

@Suite struct ScaffoldCommandTests {
    @Test func initMakesASiteThatChecksClean() throws {
        let ws = try Workspace()
        let made = try preflight(["init", "fresh", "--title", "Our readiness"], in: ws.root)
        #expect(made.status == 0, Comment(rawValue: made.stderr))
        #expect(made.stdout.contains("created fresh/preflight.yml"))
        let check = try preflight(["check", "fresh", "--strict"], in: ws.root)
        #expect(check.status == 0, Comment(rawValue: check.stdout))
        #expect(check.stdout.hasPrefix("0 errors, 0 warnings"))
        #expect(try preflight(["build", "fresh"], in: ws.root).status == 0)
        #expect(try ws.read("fresh/preflight.yml").contains("title: Our readiness"))
    }

    @Test func initInAnExistingSiteAddsOnlyWhatIsMissing() throws {
        let ws = try Workspace()
        let review = try ws.read("site/content/services/svc/reviews/r1.md")
        let before = try preflight(["check", "site", "--format", "json"], in: ws.root)
        let run = try preflight(["init", "site"], in: ws.root)
        #expect(run.status == 0, Comment(rawValue: run.stderr))
        #expect(run.stdout.contains("created site/preflight.yml"))
        // Its own checklist and service stay the only ones; nothing is overwritten.
        #expect(!run.stdout.contains("example-service"))
        #expect(!run.stdout.contains("production-readiness.md"))
        #expect(try ws.read("site/content/services/svc/reviews/r1.md") == review)
        #expect(try ws.read("site/preflight.yml").contains("# default_checklist: production-readiness"))
        let after = try preflight(["check", "site", "--format", "json"], in: ws.root)
        #expect(after.status == before.status)
        // A second run adds nothing and says so.
        let again = try preflight(["init", "site"], in: ws.root)
        #expect(again.status == 0)
        #expect(again.stdout.contains("kept site/preflight.yml (already there; not overwritten)"))
        #expect(again.stdout.contains("Nothing to add"))
    }

    @Test func initIntoAFileIsAnError() throws {
        let ws = try Workspace()
        try ws.write("file", "x")
        let run = try preflight(["init", "file"], in: ws.root)
        #expect(run.status == 1)
        #expect(run.stderr.contains("exists and is not a folder"))
    }

    @Test func newServiceAndReviewCheckClean() throws {
        let ws = try Workspace()
        let service = try preflight(
            ["new", "service", "billing", "--name", "Billing: core", "--owner", "payments", "--tier", "1", "--site", "site"],
            in: ws.root)
        #expect(service.status == 0, Comment(rawValue: service.stderr))
        let review = try preflight(["new", "review", "billing", "--date", "2026-02-01", "--site", "site"], in: ws.root)
        #expect(review.status == 0, Comment(rawValue: review.stderr))
        let text = try ws.read("site/content/services/billing/reviews/2026-02-01.md")
        #expect(text.contains("## Security\n\n- [ ] Secrets live in the secret store {#sec-secrets}\n"))
        let check = try preflight(["check", "site", "--strict", "--as-of", "2026-02-02"], in: ws.root)
        #expect(check.status == 0, Comment(rawValue: check.stdout))
        let json = try preflight(["build", "site", "--as-of", "2026-02-02"], in: ws.root)
        #expect(json.status == 0)
        #expect(try ws.read("site/public/readiness.json").contains("\"name\": \"Billing: core\""))
    }

    @Test func newRefusesToOverwriteAndExplains() throws {
        let ws = try Workspace()
        let again = try preflight(["new", "service", "svc", "--site", "site"], in: ws.root)
        #expect(again.status == 1)
        #expect(again.stderr.contains("already exists; not overwriting it"))
        #expect(try ws.read("site/content/services/svc/index.md") == "---\nname: Svc\n---\n")
        let missing = try preflight(["new", "review", "nope", "--site", "site"], in: ws.root)
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("preflight new service nope"))
        let bad = try preflight(["new", "service", "Bad Name", "--site", "site"], in: ws.root)
        #expect(bad.status == 1)
        #expect(bad.stderr.contains("`bad-name`"))
    }
}
