import Foundation
import Testing

/// A git repository made for one test, with a site in `site/` (a subfolder,
/// as in a monorepo). Removed when the test is done.
final class GitRepository {
    let workspace: Workspace
    var root: String { workspace.root }

    init() throws {
        workspace = try Workspace()
        try FileManager.default.removeItem(atPath: workspace.site)
        try git("init", "-q", "-b", "main")
    }

    func write(_ path: String, _ text: String) throws { try workspace.write(path, text) }

    @discardableResult
    func git(_ arguments: String...) throws -> String {
        var env = ["GIT_CONFIG_NOSYSTEM": "1"]
        for key in ["GIT_AUTHOR", "GIT_COMMITTER"] {
            env[key + "_NAME"] = "Preflight Tests"
            env[key + "_EMAIL"] = "tests@example.org"
        }
        let result = try run("/usr/bin/env", ["git"] + arguments, in: root, environment: env)
        guard result.status == 0 else {
            throw CocoaError(.fileReadUnknown, userInfo: [NSLocalizedDescriptionKey: "git \(arguments): \(result.stderr)"])
        }
        return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func commit(_ message: String) throws {
        try git("add", "-A")
        try git("commit", "-q", "-m", message)
    }
}

private let checklist = """
    ---
    title: Basic
    levels: [Bronze, Silver]
    ---
    ## Security {#security}
    - [ ] Secrets live in the secret store {#sec-secrets required level=Bronze}
    ## Operations {#ops}
    - [ ] Alerts page the on-call {#ops-alerts level=Silver}
    """

private func review(_ boxes: String) -> String {
    let marks = Array(boxes)
    return """
        ---
        date: 2026-01-10
        decision: approved
        ---
        - [\(marks[0])] Secrets live in the secret store {#sec-secrets}
        - [\(marks[1])] Alerts page the on-call {#ops-alerts}

        """
}

@Suite struct DiffCommandTests {
    /// `diff site --base HEAD~1` in `repo`, as of a fixed day.
    func diff(_ repo: GitRepository, _ extra: [String] = []) throws -> Run {
        try preflight(["diff", "site", "--base", "HEAD~1", "--as-of", "2026-02-01"] + extra, in: repo.root)
    }

    func json(_ run: Run) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
    }

    /// The base commit, then one commit per change; after each, `diff --base
    /// HEAD~1` reports it in all three formats and `--fail-on regression`
    /// fails exactly on the regressing ones.
    @Test func eachKindOfChangeInEveryFormat() throws {
        let repo = try GitRepository()
        try repo.write("site/content/checklists/basic.md", checklist)
        try repo.write("site/content/services/svc/index.md", "---\nname: Svc\n---\n")
        try repo.write("site/content/services/svc/reviews/r1.md", review("x "))
        try repo.write("site/content/services/other/index.md", "---\nname: Other\n---\n")
        try repo.write("site/content/services/other/reviews/r1.md", review("xx"))
        try repo.commit("base")

        // 1. Tick a box: svc improves; nothing fails.
        try repo.write("site/content/services/svc/reviews/r1.md", review("xx"))
        try repo.commit("tick")
        var text = try diff(repo)
        #expect(text.status == 0, Comment(rawValue: text.stderr))
        #expect(text.stdout.contains("Readiness as of 2026-02-01, HEAD~1 → working tree: 1 improved, 1 unchanged"))
        #expect(text.stdout.contains("svc (Svc): improved\n  level  Bronze → Silver\n  score  50 → 100\n  newly done: ops-alerts\n"))
        var markdown = try diff(repo, ["--format", "markdown"])
        #expect(markdown.stdout.contains("| Svc `svc` | improved | Ready | Bronze → Silver | 50 → 100 | — | no |"))
        var object = try json(diff(repo, ["--format", "json"]))
        var services = try #require(object["services"] as? [[String: Any]])
        #expect(services.map { $0["slug"] as? String } == ["svc"])
        #expect(services[0]["newly_done"] as? [String] == ["ops-alerts"])
        #expect(try diff(repo, ["--fail-on", "regression"]).status == 0)

        // 2. Untick a required box: other regresses; --fail-on fails on it alone.
        try repo.write("site/content/services/other/reviews/r1.md", review(" x"))
        try repo.commit("untick")
        text = try diff(repo)
        #expect(text.status == 0)
        #expect(text.stdout.contains("other (Other): regression: level dropped, score dropped, status worsened\n"))
        #expect(text.stdout.contains("  status ready → not-ready (required check sec-secrets is open)\n"))
        #expect(text.stdout.contains("  newly open: sec-secrets\n"))
        markdown = try diff(repo, ["--format", "markdown"])
        #expect(markdown.stdout.hasPrefix("### Readiness: 1 regression, 1 unchanged\n"))
        #expect(markdown.stdout.contains("| Other `other` | **regression**: level dropped, score dropped, status worsened | Ready → **Not ready** | Silver → **—** | 100 → **50** | — | no |"))
        object = try json(diff(repo, ["--format", "json"]))
        services = try #require(object["services"] as? [[String: Any]])
        #expect(services.map { $0["change"] as? String } == ["regression"])
        var failing = try diff(repo, ["--fail-on", "regression"])
        #expect(failing.status == 1)
        #expect(failing.stderr.contains(
            "error: 1 service regressed (--fail-on): other (level dropped, score dropped, status worsened)"))
        // Conditions by name: only a score drop fails; staleness alone does not.
        #expect(try diff(repo, ["--fail-on", "score-drop"]).status == 1)
        #expect(try diff(repo, ["--fail-on", "stale,below-target"]).status == 0)

        // 3. A required check added to the checklist: both services regress.
        try repo.write("site/content/checklists/basic.md", checklist + "\n- [ ] Backups are restored {#ops-backup required level=Bronze}\n")
        try repo.commit("require backups")
        text = try diff(repo)
        #expect(text.stdout.contains("Checklist changes:\n  basic: check ops-backup added (required, Bronze): moves 2 services\n"))
        #expect(text.stdout.contains("svc (Svc): regression: level dropped, score dropped, status worsened\n"))
        markdown = try diff(repo, ["--format", "markdown"])
        #expect(markdown.stdout.contains("<details><summary>Checklist changes (1)</summary>"))
        #expect(markdown.stdout.contains("| `basic` | check `ops-backup` added (required, Bronze) | 2 |"))
        object = try json(diff(repo, ["--format", "json"]))
        let edits = try #require(object["checklists"] as? [[String: Any]])
        #expect(edits.first?["change"] as? String == "added")
        #expect(edits.first?["subject"] as? String == "ops-backup")
        #expect(edits.first?["services_moved"] as? Int == 2)
        failing = try diff(repo, ["--fail-on", "regression"])
        #expect(failing.status == 1)
        #expect(failing.stderr.contains("error: 2 services regressed (--fail-on): other ("))

        // 4. A service added: listed as added; not a regression.
        try repo.write("site/content/services/new/index.md", "---\nname: New\n---\n")
        try repo.commit("add a service")
        text = try diff(repo)
        #expect(text.stdout.contains("1 added, 2 unchanged"))
        #expect(text.stdout.contains("new (New): added: unreviewed, no level, no score\n"))
        markdown = try diff(repo, ["--format", "markdown"])
        #expect(markdown.stdout.contains("| New `new` | added | Unreviewed | — | — | — | no |"))
        object = try json(diff(repo, ["--format", "json"]))
        #expect((object["summary"] as? [String: Int])?["added"] == 1)
        #expect(try diff(repo, ["--fail-on", "regression"]).status == 0)

        // The working tree, uncommitted edits included, is the new side; the
        // site folder defaults to the current one.
        try repo.write("site/content/services/new/index.md", "---\nname: New\n---\n")
        try repo.write("site/content/services/svc/reviews/r1.md", review("  "))
        let here = try preflight(["diff", "--base", "HEAD", "--as-of", "2026-02-01"], in: repo.root + "/site")
        #expect(here.stdout.contains("svc (Svc): regression"), Comment(rawValue: here.stdout + here.stderr))
    }

    @Test func aBaseThatDoesNotBuildIsAWarning() throws {
        let repo = try GitRepository()
        try repo.write("site/content/checklists/basic.md", checklist)
        try repo.write("site/content/services/svc/reviews/r1.md", review("x ").replacingOccurrences(of: "approved", with: "aproved"))
        try repo.commit("broken")
        try repo.write("site/content/services/svc/reviews/r1.md", review("x "))
        try repo.commit("fixed")
        let run = try diff(repo, ["--fail-on", "regression"])
        #expect(run.status == 0, Comment(rawValue: run.stderr))
        #expect(run.stderr.contains("warning: the base (HEAD~1) has 1 error; it is compared as far as it could be read:\n"))
        #expect(run.stderr.contains("  site/content/services/svc/reviews/r1.md:3:1: error: "))
        let markdown = try diff(repo, ["--format", "markdown"])
        #expect(markdown.stdout.contains("> **Warning:** the base has 1 error; it is compared as far as it could be read."))
        let object = try json(diff(repo, ["--format", "json"]))
        let errors = try #require(object["errors"] as? [[String: Any]])
        #expect(errors.map { $0["side"] as? String } == ["base"])

        // The other way round, the new side's errors fail the command.
        try repo.write("site/content/services/svc/reviews/r1.md", review("x ").replacingOccurrences(of: "approved", with: "aproved"))
        let broken = try preflight(["diff", "site", "--base", "HEAD", "--as-of", "2026-02-01"], in: repo.root)
        #expect(broken.status == 1)
        #expect(broken.stderr.contains("error: the new side has 1 error; the site would not build:\n  site/content/services/svc/reviews/r1.md:3:1: error: "))
    }

    @Test func aBaseWithoutTheSiteMakesEveryServiceNew() throws {
        let repo = try GitRepository()
        try repo.write("README.md", "A repository before Preflight.\n")
        try repo.commit("before")
        try repo.write("site/content/checklists/basic.md", checklist)
        try repo.write("site/content/services/svc/reviews/r1.md", review("x "))
        try repo.commit("add the site")
        let run = try diff(repo, ["--fail-on", "regression"])
        #expect(run.status == 0, Comment(rawValue: run.stderr))
        #expect(run.stderr.contains("warning: the site folder did not exist at HEAD~1; every service is new"))
        #expect(run.stdout.contains("svc: added: ready, Bronze, score 50\n"))
    }

    @Test func gitProblemsAreUsageErrors() throws {
        let repo = try GitRepository()
        try repo.write("site/content/checklists/basic.md", checklist)
        try repo.commit("base")
        let unknown = try preflight(["diff", "site", "--base", "no-such-branch"], in: repo.root)
        #expect(unknown.status == 2)
        #expect(unknown.stderr.hasPrefix("error: git does not know the revision `no-such-branch`"))
        let option = try preflight(["diff", "site", "--base=--output=/tmp/x"], in: repo.root)
        #expect(option.status == 2)

        let outside = try Workspace()
        let run = try preflight(["diff", "site", "--base", "main"], in: outside.root)
        #expect(run.status == 2)
        #expect(run.stderr.hasPrefix("error: `site` is not in a git repository, so --base has nothing to compare with"))

        let missing = try preflight(["diff", "site"], in: outside.root)
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("name the old and the new site folders, or one site folder and --base REVISION"))
    }

    @Test func twoFoldersNeedNoGit() throws {
        let ws = try Workspace()
        try ws.write("new/content/checklists/basic.md", try ws.read("site/content/checklists/basic.md"))
        try ws.write("new/content/services/svc/index.md", "---\nname: Svc\n---\n")
        try ws.write("new/content/services/svc/reviews/r1.md", "---\ndate: 2026-01-10\ndecision: approved\n---\n- [ ] Secrets live in the secret store\n")
        let run = try preflight(["diff", "site", "new", "--as-of", "2026-02-01", "--fail-on", "status-drop"], in: ws.root)
        #expect(run.status == 1)
        #expect(run.stdout.hasPrefix("Readiness as of 2026-02-01, site → new: 1 regression\n"))
    }

    /// A repository whose committed site is the sample of these tests, unchanged since.
    func committedSite() throws -> GitRepository {
        let repo = try GitRepository()
        try repo.write("site/content/checklists/basic.md", checklist)
        try repo.write("site/content/services/svc/index.md", "---\nname: Svc\n---\n")
        try repo.write("site/content/services/svc/reviews/r1.md", review("xx"))
        return repo
    }

    /// The base is what was committed, whatever .gitattributes says: an
    /// export-ignored review or a filter must not change it.
    @Test func theBaseIsTheCommittedTreeExactly() throws {
        let repo = try committedSite()
        try repo.write(".gitattributes", "site/content/services/svc/reviews/r1.md export-ignore\nsite/** export-subst\n")
        try repo.commit("base")
        let run = try preflight(["diff", "site", "--base", "HEAD", "--as-of", "2026-02-01"], in: repo.root)
        #expect(run.status == 0, Comment(rawValue: run.stderr))
        #expect(run.stdout == "Readiness as of 2026-02-01, HEAD → working tree: no change in 1 service\n")
        // A hook's GIT_DIR (relative, as git sets it) does not send git elsewhere.
        let hooked = try preflight(
            ["diff", "site", "--base", "HEAD", "--as-of", "2026-02-01"], in: repo.root, environment: ["GIT_DIR": ".git"])
        #expect(hooked.stdout == run.stdout, Comment(rawValue: hooked.stderr))
    }

    @Test func aSubmoduleInTheBaseIsNamed() throws {
        let repo = try committedSite()
        try repo.commit("base")
        let head = try repo.git("rev-parse", "HEAD")
        try repo.git("update-index", "--add", "--cacheinfo", "160000,\(head),site/content/services/vendored")
        try repo.git("commit", "-q", "-m", "a submodule")
        let run = try preflight(["diff", "site", "--base", "HEAD", "--as-of", "2026-02-01"], in: repo.root)
        #expect(run.stderr.contains(
            "warning: content/services/vendored is a submodule at HEAD; its files are not compared"), Comment(rawValue: run.stderr))
    }

    @Test func revisionsThatNameNoCommitAreRefused() throws {
        let repo = try committedSite()
        try repo.commit("base")
        for (revision, message) in [
            ("^HEAD", "error: `^HEAD` is not a git revision"),
            ("", "error: --base is empty (was it a `$(git merge-base …)` that failed?)"),
            ("HEAD^{tree}", "error: `HEAD^{tree}` names a git object that is not a commit"),
            ("HEAD~9", "error: git does not know the revision `HEAD~9`"),
        ] {
            let run = try preflight(["diff", "site", "--base", revision], in: repo.root)
            #expect(run.status == 2)
            #expect(run.stderr == message + "\n", Comment(rawValue: revision))
        }
    }

    /// A change that fixes a broken base: services the base's errors may
    /// have misjudged are reported, but fail nothing.
    @Test func regressionsFromABrokenBaseAreNotCounted() throws {
        let repo = try committedSite()
        try repo.write("site/content/services/svc/index.md", "---\nname: [Svc]\n---\n")
        try repo.write("site/content/services/other/index.md", "---\nname: Other\n---\n")
        try repo.write("site/content/services/other/reviews/r1.md", review("xx"))
        try repo.commit("broken service")
        try repo.write("site/content/services/svc/index.md", "---\nname: Svc\n---\n")
        try repo.write("site/content/services/svc/reviews/r1.md", review(" x"))
        try repo.write("site/content/services/other/reviews/r1.md", review(" x"))
        try repo.commit("fixed, and both unticked")
        let run = try diff(repo, ["--fail-on", "regression"])
        #expect(run.status == 1, Comment(rawValue: run.stderr))
        #expect(run.stdout.contains("svc (Svc): regression: level dropped, score dropped, status worsened (the base had errors here: not counted by --fail-on)"))
        // other's base had no error: its regression still fails.
        #expect(run.stderr.contains("error: 1 service regressed (--fail-on): other ("))
        #expect(run.stderr.contains("warning: not counted by --fail-on, as the base had errors in their files: svc\n"))
    }

    /// A cancelled CI job stops `diff` while the base is being written. The
    /// interruption is made certain, not raced: a `git` first on PATH hands
    /// over half of `cat-file`'s output and then holds the pipe open, so the
    /// signal always lands while the base is half written.
    @Test func anInterruptedDiffLeavesNoTemporaryFolder() throws {
        let repo = try committedSite()
        let temporary = repo.root + "/tmp"
        let shims = repo.root + "/shims"
        for folder in [temporary, shims] {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        }
        for i in 0..<600 {
            try repo.write("site/content/services/s\(i)/index.md", "---\nname: S\(i)\n---\n")
            for r in 1...3 { try repo.write("site/content/services/s\(i)/reviews/r\(r).md", review("x ")) }
        }
        try repo.commit("a base of 600 services")
        let realGit = try run("/bin/sh", ["-c", "command -v git"], in: repo.root).stdout
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let paused = shims + "/paused"
        try """
            #!/bin/sh
            if [ "$3" = cat-file ]; then
                "\(realGit)" "$@" > "\(shims)/batch" || exit 1
                head -c $(( $(wc -c < "\(shims)/batch") / 2 )) "\(shims)/batch"
                echo $$ > "\(paused).tmp" && mv "\(paused).tmp" "\(paused)"
                exec sleep 120
            fi
            exec "\(realGit)" "$@"
            """.write(toFile: shims + "/git", atomically: true, encoding: .utf8)
        chmod(shims + "/git", 0o755)

        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["diff", "site", "--base", "HEAD"]
        process.currentDirectoryURL = URL(fileURLWithPath: repo.root)
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        process.environment = ProcessInfo.processInfo.environment.merging(["TMPDIR": temporary, "PATH": shims + ":" + path]) { $1 }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Wait (a minute at most, for a loaded machine) until git holds the
        // rest back, and then until the files handed over are written.
        var sleeper: pid_t?
        for _ in 0..<6_000 where sleeper == nil && process.isRunning {
            sleeper = (try? String(contentsOfFile: paused, encoding: .utf8)).flatMap { pid_t($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
            if sleeper == nil { usleep(10_000) }
        }
        defer { if let sleeper { kill(sleeper, SIGKILL) } }
        try #require(sleeper != nil, "git never paused; the diff ended with \(process.isRunning ? "nothing" : "\(process.terminationStatus)")")
        usleep(200_000)
        #expect(process.isRunning, "the diff ended while git still held its output back")
        #expect(!(try FileManager.default.contentsOfDirectory(atPath: temporary)).isEmpty)

        kill(process.processIdentifier, SIGTERM)
        // Foundation sees the end of a process only once its children have
        // let go of it too: the paused git goes once the diff has exited.
        let stat = "/proc/\(process.processIdentifier)/stat"
        for _ in 0..<6_000 {
            guard let line = try? String(contentsOfFile: stat, encoding: .utf8),
                let state = line.split(separator: ")").last?.split(separator: " ").first, state != "Z"
            else { break }
            usleep(10_000)
        }
        if let sleeper { kill(sleeper, SIGKILL) }
        process.waitUntilExit()
        let left = try FileManager.default.contentsOfDirectory(atPath: temporary)
        #expect(left == [], "left behind in TMPDIR: \(left)")
        #expect(
            process.terminationReason == .exit && process.terminationStatus == 128 + SIGTERM,
            "ended with \(process.terminationReason == .exit ? "status" : "signal") \(process.terminationStatus)")
    }

    @Test func aReportThatCannotBeWrittenFails() throws {
        let repo = try committedSite()
        try repo.commit("base")
        let run = try self.run("/bin/sh", ["-c", "\"$0\" diff site --base HEAD > /dev/full", binary], in: repo.root)
        #expect(run.status == 1)
        #expect(run.stderr.hasPrefix("error: cannot write the report: No space left on device"))
    }

    /// A relative TMPDIR would put the base inside the site being compared.
    @Test func aRelativeTemporaryFolderIsNotUsed() throws {
        let repo = try committedSite()
        try repo.commit("base")
        let run = try preflight(
            ["diff", "--base", "HEAD", "--as-of", "2026-02-01"], in: repo.root + "/site", environment: ["TMPDIR": "content"])
        #expect(run.status == 0, Comment(rawValue: run.stderr))
        #expect(run.stderr.isEmpty)
    }

    private func run(_ executable: String, _ arguments: [String], in directory: String) throws -> Run {
        try PreflightCLITests.run(executable, arguments, in: directory)
    }
}
