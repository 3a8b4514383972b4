import Foundation
import Testing

private let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().path

/// `preflight evidence add` and `import`, and `--evidence` on the commands that read a site.
@Suite struct EvidenceCommandTests {
    /// The workspace's site with an auto check, `drill`, on its checklist.
    func site() throws -> Workspace {
        let ws = try Workspace()
        try ws.write("site/content/checklists/basic.md", """
            ---
            title: Basic
            ---
            ## Security {#security}
            - [ ] Secrets live in the secret store {#sec-secrets required}
            - [ ] The restore drill passed {#drill auto every=30}
            """)
        return ws
    }

    @Test func addChecksTheRecordAndAppendsIt() throws {
        let ws = try site()
        let args = ["evidence", "add", "--site", ws.site, "--service", "svc", "--check", "drill", "--result", "pass",
                    "--at", "2026-01-09T03:00:00Z", "--source", "https://ci.example.org/1", "--note", "took\n14 min"]
        let run = try preflight(args)
        #expect(run.status == 0, Comment(rawValue: run.stderr))
        #expect(run.stdout == "Appended 1 record to \(ws.site)/evidence/records.jsonl\n")
        let again = try preflight(args)
        #expect(again.stdout == "Appended 0 records to \(ws.site)/evidence/records.jsonl (1 record already there)\n")
        #expect(try ws.read("site/evidence/records.jsonl") == """
            {"service": "svc", "check": "drill", "result": "pass", "at": "2026-01-09T03:00:00Z", "source": "https://ci.example.org/1", "note": "took 14 min"}

            """)
        // The build sees it: the check is done.
        let check = try preflight(["check", ws.site, "--as-of", "2026-01-10", "--fail-on", "stale-evidence,failed-evidence"])
        #expect(check.status == 0, Comment(rawValue: check.stdout))
        // 31 days later it is stale, and the gate fails.
        let stale = try preflight(["check", ws.site, "--as-of", "2026-02-09", "--fail-on", "stale-evidence"])
        #expect(stale.status == 1)
        #expect(stale.stdout.contains("error: service `svc` has stale evidence for check drill (evidence 31 days old, needs 30) (--fail-on)"), Comment(rawValue: stale.stdout))
        #expect(stale.stdout.contains("site/evidence/records.jsonl:1:1: warning: evidence for `svc` / `drill` expired today"), Comment(rawValue: stale.stdout))
    }

    @Test func addRefusesWhatTheSiteLacks() throws {
        let ws = try site()
        let base = ["evidence", "add", "--site", ws.site, "--result", "pass", "--source", "x"]
        let service = try preflight(base + ["--service", "scv", "--check", "drill"])
        #expect(service.status == 1)
        #expect(service.stderr.contains("error: evidence for `scv`, which is not a service of this site\n    hint: did you mean `svc`?"), Comment(rawValue: service.stderr))
        #expect(service.stderr.contains("error: nothing was written"))
        let plain = try preflight(base + ["--service", "svc", "--check", "sec-secrets"])
        #expect(plain.stderr.contains("check `sec-secrets` of checklist `basic` is not `auto`"), Comment(rawValue: plain.stderr))
        #expect(!FileManager.default.fileExists(atPath: ws.site + "/evidence"))
        // Usage mistakes exit 2.
        let result = try preflight(base + ["--service", "svc", "--check", "drill", "--result", "passed"])
        #expect(result.status == 2)
        let at = try preflight(base + ["--service", "svc", "--check", "drill", "--at", "2026-01-09"])
        #expect(at.status == 2 && at.stderr.contains("`at` is a day without a time"), Comment(rawValue: at.stderr))
        let noSource = try preflight(["evidence", "add", "--site", ws.site, "--service", "svc", "--check", "drill", "--result", "pass"],
                                     environment: ["GITHUB_RUN_ID": "", "CI_JOB_URL": "", "GITHUB_ACTIONS": "", "GITLAB_CI": ""])
        #expect(noSource.status == 2 && noSource.stderr.contains("--source is required outside GitHub Actions and GitLab CI"))
        // Inside a GitHub job without its run variables, the message says which are missing.
        let inJob = try preflight(["evidence", "add", "--site", ws.site, "--service", "svc", "--check", "drill", "--result", "pass"],
                                  environment: ["GITHUB_RUN_ID": "", "CI_JOB_URL": "", "GITHUB_ACTIONS": "true", "GITLAB_CI": ""])
        #expect(inJob.status == 2 && inJob.stderr.contains("GITHUB_SERVER_URL, GITHUB_REPOSITORY and GITHUB_RUN_ID are not all set"), Comment(rawValue: inJob.stderr))
        // A source a page would show with a hidden character is refused; a time in the future is written, with a warning.
        let hidden = try preflight(["evidence", "add", "--site", ws.site, "--result", "pass", "--source", "run\u{202E}7", "--service", "svc", "--check", "drill"])
        #expect(hidden.status == 1 && hidden.stderr.contains("--source holds a control or bidirectional-override character (U+202E)"), Comment(rawValue: hidden.stderr))
        let future = try preflight(base + ["--service", "svc", "--check", "drill", "--at", "2099-01-01T00:00:00Z", "--dry-run"])
        #expect(future.status == 0 && future.stderr.contains("warning: --at 2099-01-01T00:00:00Z is in the future"), Comment(rawValue: future.stderr))
    }

    @Test func theCIRunIsTheDefaultSource() throws {
        let ws = try site()
        let github = try preflight(
            ["evidence", "add", "--site", ws.site, "--service", "svc", "--check", "drill", "--result", "fail", "--dry-run"],
            environment: ["GITHUB_SERVER_URL": "https://github.com", "GITHUB_REPOSITORY": "acme/readiness", "GITHUB_RUN_ID": "42"])
        #expect(github.status == 0, Comment(rawValue: github.stderr))
        #expect(github.stdout.contains(#""source": "https://github.com/acme/readiness/actions/runs/42""#))
        let gitlab = try preflight(
            ["evidence", "add", "--site", ws.site, "--service", "svc", "--check", "drill", "--result", "fail", "--dry-run"],
            environment: ["GITHUB_RUN_ID": "", "CI_JOB_URL": "https://gitlab.example.org/acme/-/jobs/7"])
        #expect(gitlab.stdout.contains(#""source": "https://gitlab.example.org/acme/-/jobs/7""#))
        #expect(!FileManager.default.fileExists(atPath: ws.site + "/evidence"))
    }

    /// docs/format.md refuses a note with a control character or override;
    /// it was cleaned first, so the check never saw one.
    @Test(arguments: ["a\u{202E}b", "a\u{1B}[31mb", "a\u{7F}b"])
    func aNoteThatHidesTextIsRefused(note: String) throws {
        let ws = try site()
        let run = try preflight(
            ["evidence", "add", "--site", ws.site, "--service", "svc", "--check", "drill", "--result", "pass", "--source", "s",
             "--note", note])
        #expect(run.status == 1)
        #expect(run.stderr.contains("error: --note holds a control or bidirectional-override character"), Comment(rawValue: run.stderr))
        #expect(!FileManager.default.fileExists(atPath: ws.site + "/evidence"))
    }

    /// docs/ci.md: an import whose reports give no record (every case
    /// skipped, no entry matched, an incomplete scan) warns and exits 0, so
    /// a nightly job goes on; it exited 1 saying no entry matched.
    @Test func anImportThatGivesNoRecordWarnsAndSucceeds() throws {
        let ws = try site()
        try ws.write("map.yml", "junit:\n  - testcase: \"drill.*\"\n    service: svc\n    check: drill\n")
        try ws.write("skipped.xml", "<testsuites><testcase classname=\"drill\" name=\"restore\"><skipped/></testcase></testsuites>")
        try ws.write("other.xml", "<testsuites><testcase classname=\"unit\" name=\"adds\"/></testsuites>")
        for (report, warning) in [("skipped.xml", "every test case `drill.*` matched was skipped"), ("other.xml", "`testcase: drill.*` matched no test case")] {
            let run = try preflight(["evidence", "import", "--site", ws.site, "--map", "map.yml", "--source", "s", report], in: ws.root)
            #expect(run.status == 0, Comment(rawValue: run.stderr))
            #expect(run.stderr.contains("warning: \(warning)"), Comment(rawValue: run.stderr))
            #expect(run.stderr.contains("note: the reports gave no record, so nothing was written"), Comment(rawValue: run.stderr))
        }
        #expect(!FileManager.default.fileExists(atPath: ws.site + "/evidence"))
    }

    @Test func withoutASiteOnlyTheFormIsChecked() throws {
        let ws = try Workspace()
        let run = try preflight(
            ["evidence", "add", "--site", ws.root, "--service", "anything", "--check", "x", "--result", "pass",
             "--source", "s", "--to", ws.root + "/out.jsonl"])
        #expect(run.status == 0)
        #expect(run.stderr.contains("note: no site at \(ws.root) (no content/ folder)"))
    }

    /// The sample site's evidence is what its CI recipe writes from the reports in examples/ci/.
    @Test func theSampleEvidenceIsWhatItsRecipeWrites() throws {
        let ws = try Workspace()
        let out = ws.root + "/ci.jsonl"
        let run = try PreflightCLITests.run("/bin/bash", [repository + "/examples/ci/import-sample", binary, out])
        #expect(run.status == 0, Comment(rawValue: run.stderr))
        #expect(run.stderr.contains("warning: `testcase: drill.ledger.*` matched no test case in the reports"))
        let committed = try String(contentsOfFile: repository + "/evidence/ci.jsonl", encoding: .utf8)
        #expect(try String(contentsOfFile: out, encoding: .utf8) == committed)
    }

    @Test func importReportsProblemsAtTheirPlace() throws {
        let ws = try site()
        try ws.write("map.yml", "junit:\n  - testcase: \"drill.*\"\n    service: svc\n    check: drill\n")
        try ws.write("bomb.xml", "<?xml version=\"1.0\"?>\n<!DOCTYPE x [<!ENTITY a \"aaaa\">]>\n<testsuites>&a;</testsuites>\n")
        let bomb = try preflight(["evidence", "import", "--site", ws.site, "--map", "map.yml", "--source", "s", "bomb.xml"], in: ws.root)
        #expect(bomb.status == 1)
        #expect(bomb.stderr.contains("./bomb.xml:2:1: error: cannot import ./bomb.xml: the report declares a DTD"), Comment(rawValue: bomb.stderr))
        try ws.write("ok.xml", "<testsuites><testcase classname=\"drill\" name=\"restore\"/></testsuites>")
        let dry = try preflight(
            ["evidence", "import", "--site", ws.site, "--map", "map.yml", "--source", "s", "--at", "2026-01-09T03:00:00Z", "--dry-run", "ok.xml"],
            in: ws.root)
        #expect(dry.status == 0, Comment(rawValue: dry.stderr))
        #expect(dry.stdout == #"{"service": "svc", "check": "drill", "result": "pass", "at": "2026-01-09T03:00:00Z", "source": "s", "note": "1 test passed"}"# + "\n")
        let missing = try preflight(["evidence", "import", "--map", "map.yml", "--source", "s", "nope.xml"], in: ws.root)
        #expect(missing.status == 2)
    }

    @Test func evidenceOutsideTheSiteIsNamedAsGiven() throws {
        let ws = try site()
        try ws.write("ci/records.jsonl", #"{"service": "svc", "check": "dril", "result": "pass", "at": "2026-01-09T03:00:00Z", "source": "s"}"# + "\n")
        let run = try preflight(["check", "site", "--as-of", "2026-01-10", "--evidence", "ci"], in: ws.root)
        #expect(run.stdout.contains("./ci/records.jsonl:1:1: warning: evidence for `svc` names `dril`"), Comment(rawValue: run.stdout))
        let missing = try preflight(["build", "site", "--evidence", "nowhere"], in: ws.root)
        #expect(missing.status == 2 && missing.stderr.contains("--evidence `nowhere`: no such file or folder"))
    }
}
