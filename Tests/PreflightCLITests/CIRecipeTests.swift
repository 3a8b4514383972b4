import Foundation
import Testing
import Yams

/// The `preflight …` commands that docs/ci.md tells people to run in CI.
private func recipeCommands() throws -> [String] {
    let doc = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("docs/ci.md")
    let text = try String(contentsOf: doc, encoding: .utf8)
    var commands: [String] = []
    var inCode = false
    for line in text.split(separator: "\n") {
        if line.hasPrefix("```") {
            inCode.toggle()
            continue
        }
        guard inCode, let range = line.range(of: "preflight check") ?? line.range(of: "preflight build") else { continue }
        var command = String(line[range.lowerBound...])
        // Shell plumbing around the command (redirects, fallbacks) is not Preflight's.
        for stop in [" >", " ||", ")"] {
            if let cut = command.range(of: stop) { command = String(command[..<cut.lowerBound]) }
        }
        commands.append(command)
    }
    return commands
}

@Suite struct CIRecipeTests {
    @Test func recipesRunAgainstAValidSite() throws {
        let commands = try recipeCommands()
        #expect(commands.count >= 5)
        for command in commands {
            let ws = try Workspace()
            var arguments = command.split(separator: " ").dropFirst().map(String.init)
            arguments = arguments.map {
                $0.replacingOccurrences(of: "\"$PAGES_URL\"", with: "https://example.org/readiness/")
                    .replacingOccurrences(of: "\"$CI_PAGES_URL/\"", with: "https://example.gitlab.io/readiness/")
            }
            let run = try preflight(arguments, in: ws.site, environment: ["SOURCE_DATE_EPOCH": "1769904000"])
            #expect(run.status == 0, Comment(rawValue: "\(command): \(run.stdout)\(run.stderr)"))
        }
    }
}

/// The YAML blocks of docs/ci.md, parsed.
private func recipeBlocks() throws -> [[String: Any]] {
    let doc = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("docs/ci.md")
    let text = try String(contentsOf: doc, encoding: .utf8)
    var blocks: [[String: Any]] = []
    var current: [Substring]?
    for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
        if line == "```yaml" {
            current = []
        } else if line == "```", let lines = current {
            if let block = try Yams.load(yaml: lines.joined(separator: "\n")) as? [String: Any] { blocks.append(block) }
            current = nil
        } else {
            current?.append(line)
        }
    }
    return blocks
}

/// Runs `script` with `sh -e`, as GitHub Actions does in a container job and GitLab does for each line.
private func shell(_ script: String, in directory: String, environment: [String: String]) throws -> Run {
    try run("/bin/sh", ["-e", "-c", script], in: directory, environment: environment)
}

/// A repository as CI checks it out: `main` with a site at the root, a
/// pull-request branch on top of it (unticking a required box when
/// `regressing`, else adding a service), and `origin` fetched.
func pullRequest(regressing: Bool) throws -> GitRepository {
    let repo = try GitRepository()
    try repo.write("content/checklists/basic.md", """
        ---
        title: Basic
        ---
        ## Security {#security}
        - [ ] Secrets live in the secret store {#sec-secrets required}
        """)
    try repo.write("content/services/svc/index.md", "---\nname: Svc\n---\n")
    try repo.write("content/services/svc/reviews/r1.md", "---\ndate: 2026-01-10\ndecision: approved\n---\n- [x] Secrets live in the secret store\n")
    try repo.commit("base")
    try repo.git("remote", "add", "origin", repo.root)
    try repo.git("checkout", "-q", "-b", "feature")
    if regressing {
        try repo.write("content/services/svc/reviews/r1.md", "---\ndate: 2026-01-10\ndecision: approved\n---\n- [ ] Secrets live in the secret store\n")
    } else {
        try repo.write("content/services/new/index.md", "---\nname: New\n---\n")
    }
    try repo.commit("the pull request")
    try repo.git("fetch", "-q", "origin")
    return repo
}

/// What a CI job gives a step here: the tests' `preflight` first on PATH,
/// a private HOME (so `git config --global` in a recipe touches nothing
/// real), no system git config, a fixed build date.
func ciEnvironment(home: String) -> [String: String] {
    [
        "PATH": URL(fileURLWithPath: binary).deletingLastPathComponent().path + ":"
            + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"),
        "HOME": home, "GIT_CONFIG_NOSYSTEM": "1", "SOURCE_DATE_EPOCH": "1769904000",
    ]
}

extension CIRecipeTests {
    /// docs/ci.md's pull-request workflow, step by step as written (step
    /// outputs and `env:` expressions resolved as Actions would): the report
    /// reaches the job summary and the file the comment step posts, and the
    /// last step fails exactly when the pull request regresses.
    @Test(arguments: [true, false])
    func githubDiffRecipeRunsAsWritten(regressing: Bool) throws {
        let workflow = try #require(try recipeBlocks().first { (($0["jobs"] as? [String: Any])?["diff"]) != nil })
        let steps = try #require(((workflow["jobs"] as? [String: Any])?["diff"] as? [String: Any])?["steps"] as? [[String: Any]])
        let repo = try pullRequest(regressing: regressing)
        let home = repo.root + "/home"
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        var env = ciEnvironment(home: home)
        env["GITHUB_BASE_REF"] = "main"
        env["GITHUB_WORKSPACE"] = repo.root
        env["GITHUB_STEP_SUMMARY"] = home + "/summary.md"
        env["GITHUB_PATH"] = home + "/path"
        var outputs: [String: String] = [:]
        var ran: [String] = []
        for step in steps {
            let name = step["name"] as? String ?? step["uses"] as? String ?? ""
            // Installing builds Preflight from GitHub: the tests use the binary they built.
            guard name != "Install Preflight" else { continue }
            if let uses = step["uses"] as? String, uses.hasPrefix("marocchino/sticky-pull-request-comment") {
                let path = try #require((step["with"] as? [String: Any])?["path"] as? String)
                let comment = try String(contentsOfFile: repo.root + "/" + path, encoding: .utf8)
                #expect(comment.hasPrefix(regressing ? "### Readiness: 1 regression" : "### Readiness: 1 added, 1 unchanged"))
                #expect(step["continue-on-error"] as? Bool == true)
                ran.append("comment")
                continue
            }
            guard let script = step["run"] as? String else { continue }
            var stepEnv = env
            for (key, value) in step["env"] as? [String: String] ?? [:] {
                var value = value
                for (output, result) in outputs { value = value.replacingOccurrences(of: "${{ \(output) }}", with: result) }
                #expect(!value.contains("${{"), Comment(rawValue: "unresolved expression in \(key): \(value)"))
                stepEnv[key] = value
            }
            let outputFile = home + "/output-\(ran.count)"
            FileManager.default.createFile(atPath: outputFile, contents: nil)
            stepEnv["GITHUB_OUTPUT"] = outputFile
            let run = try shell(script, in: repo.root, environment: stepEnv)
            ran.append(name)
            if let id = step["id"] as? String {
                for line in try String(contentsOfFile: outputFile, encoding: .utf8).split(separator: "\n") {
                    let parts = line.split(separator: "=", maxSplits: 1).map(String.init)
                    if parts.count == 2 { outputs["steps.\(id).outputs.\(parts[0])"] = parts[1] }
                }
            }
            if name == "Fail on regressions" {
                #expect(run.status == (regressing ? 1 : 0), Comment(rawValue: run.stderr))
            } else {
                #expect(run.status == 0, Comment(rawValue: "\(name): \(run.stderr)"))
                #expect(run.stderr.contains("regressed (--fail-on): svc (") == regressing)
            }
        }
        #expect(ran == ["Readiness diff", "comment", "Fail on regressions"])
        let summary = try String(contentsOfFile: home + "/summary.md", encoding: .utf8)
        #expect(summary.contains(regressing ? "| Svc `svc` | **regression**" : "| New `new` | added |"))
    }

    /// docs/ci.md's merge-request job as GitLab runs it: the script's lines
    /// in one shell (no note token here, so the note line does nothing).
    @Test(arguments: [true, false])
    func gitlabDiffRecipeRunsAsWritten(regressing: Bool) throws {
        let job = try #require(try recipeBlocks().compactMap { $0["readiness-diff"] as? [String: Any] }.first)
        let script = try #require(job["script"] as? [String])
        let repo = try pullRequest(regressing: regressing)
        var env = ciEnvironment(home: repo.root + "/home")
        env["CI_MERGE_REQUEST_TARGET_BRANCH_NAME"] = "main"
        env["PREFLIGHT_NOTE_TOKEN"] = ""
        let run = try shell(script.joined(separator: "\n"), in: repo.root, environment: env)
        #expect(run.status == (regressing ? 1 : 0), Comment(rawValue: run.stderr))
        // The report reached the log and the artifact before the job failed.
        #expect(run.stdout.hasPrefix(regressing ? "### Readiness: 1 regression" : "### Readiness: 1 added"))
        let report = try String(contentsOfFile: repo.root + "/readiness-diff.md", encoding: .utf8)
        #expect(report == run.stdout)
    }
}
