import Foundation
import Testing
import Yams

private let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().path

/// action.yml, the composite GitHub Action, and the two scripts it runs.
@Suite struct ActionTests {
    func action() throws -> [String: Any] {
        let text = try String(contentsOfFile: repository + "/action.yml", encoding: .utf8)
        return try #require(try Yams.load(yaml: text) as? [String: Any])
    }

    @Test func actionIsAValidCompositeActionWithDocumentedInputs() throws {
        let action = try action()
        #expect(action["name"] as? String == "Preflight")
        #expect(!((action["description"] as? String) ?? "").isEmpty)
        let runs = try #require(action["runs"] as? [String: Any])
        #expect(runs["using"] as? String == "composite")
        let steps = try #require(runs["steps"] as? [[String: Any]])
        for step in steps {
            if let script = step["run"] as? String {
                // Composite steps must name their shell; inputs reach scripts
                // through env, never spliced into the script (injection).
                #expect(step["shell"] as? String == "bash", Comment(rawValue: "\(step)"))
                #expect(!script.contains("${{ inputs."), Comment(rawValue: script))
                for word in script.split(separator: " ") where word.contains("scripts/action-") {
                    let name = word.split(separator: "/").last!.filter { $0 != "\"" }
                    #expect(FileManager.default.isExecutableFile(atPath: repository + "/scripts/" + name))
                }
            } else {
                #expect(step["uses"] != nil)
            }
        }
        let inputs = try #require(action["inputs"] as? [String: [String: Any]])
        #expect(Set(inputs.keys) == ["command", "site", "args", "base", "version", "evidence", "cache"])
        let guide = try String(contentsOfFile: repository + "/docs/ci.md", encoding: .utf8)
        for (name, input) in inputs {
            #expect(!((input["description"] as? String) ?? "").isEmpty, Comment(rawValue: name))
            #expect(guide.contains("| `\(name)` |"), Comment(rawValue: "docs/ci.md documents the input \(name)"))
        }
    }

    /// The install step with no release to download: it says so and asks
    /// for the source build; on another OS it refuses.
    @Test func installFallsBackToSourceWithoutARelease() throws {
        let ws = try Workspace()
        let output = ws.root + "/output"
        FileManager.default.createFile(atPath: output, contents: nil)
        var env = [
            "ACTION_PATH": repository, "ACTION_REPOSITORY": "example/preflight", "RUNNER_TEMP": ws.root,
            "RUNNER_OS": "Linux", "RUNNER_ARCH": "X64", "GITHUB_OUTPUT": output, "GITHUB_PATH": ws.root + "/path",
            "PREFLIGHT_DOWNLOAD_URL": "file://" + ws.root + "/no-releases",
        ]
        let run = try run("/bin/bash", [repository + "/scripts/action-install"], environment: env)
        #expect(run.status == 0, Comment(rawValue: run.stderr))
        #expect(run.stdout.contains("::notice::no Preflight 1.0.0 release for x86_64"))
        #expect(try String(contentsOfFile: output, encoding: .utf8) == "source=true\n")
        env["RUNNER_OS"] = "macOS"
        let mac = try self.run("/bin/bash", [repository + "/scripts/action-install"], environment: env)
        #expect(mac.status == 1)
        #expect(mac.stdout.contains("::error::Preflight releases are built for Linux"))
    }

    /// The run step for each command, in a pull request's checkout.
    @Test func runStepForEachCommand() throws {
        let repo = try pullRequest(regressing: true)
        let home = repo.root + "/home"
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        let env = ciEnvironment(home: home).merging([
            "RUNNER_TEMP": home, "GITHUB_STEP_SUMMARY": home + "/summary", "GITHUB_OUTPUT": home + "/output",
            "GITHUB_BASE_REF": "main", "GITHUB_WORKSPACE": repo.root, "PREFLIGHT_SITE": ".",
        ]) { $1 }
        func step(_ command: String, _ args: String = "") throws -> Run {
            try run("/bin/bash", [repository + "/scripts/action-run"], in: repo.root,
                    environment: env.merging(["PREFLIGHT_COMMAND": command, "PREFLIGHT_ARGS": args]) { $1 })
        }
        // check annotates: the unticked required box of an approved review is a warning...
        let check = try step("check")
        #expect(check.status == 0, Comment(rawValue: check.stdout + check.stderr))
        #expect(check.stdout.contains("::warning file=content/services/svc/reviews/r1.md,line=3,col=1::"), Comment(rawValue: check.stdout))
        // ...and args reach the command: --strict makes it fail.
        #expect(try step("check", "--strict").status == 1)
        // The evidence input: each path is passed as --evidence.
        try FileManager.default.createDirectory(atPath: repo.root + "/ci-evidence", withIntermediateDirectories: true)
        try #"{"service": "nosuch", "check": "x", "result": "pass", "at": "2026-01-09T03:00:00Z", "source": "s"}"#
            .write(toFile: repo.root + "/ci-evidence/r.jsonl", atomically: true, encoding: .utf8)
        let evidence = try run("/bin/bash", [repository + "/scripts/action-run"], in: repo.root,
            environment: env.merging(["PREFLIGHT_COMMAND": "check", "PREFLIGHT_EVIDENCE": "ci-evidence"]) { $1 })
        #expect(evidence.stdout.contains("::warning file=./ci-evidence/r.jsonl,line=1,col=1::evidence for `nosuch`"),
                Comment(rawValue: evidence.stdout + evidence.stderr))

        let diff = try step("diff", "--fail-on regression")
        #expect(diff.status == 1)
        #expect(diff.stderr.contains("regressed (--fail-on): svc ("))
        let summary = try String(contentsOfFile: home + "/summary", encoding: .utf8)
        #expect(summary.hasPrefix("### Readiness: 1 regression"))
        #expect(try String(contentsOfFile: home + "/output", encoding: .utf8) == "report=\(home)/readiness-diff.md\n")

        let build = try step("build", "--output \(repo.root)/out")
        #expect(build.status == 0, Comment(rawValue: build.stderr))
        #expect(FileManager.default.fileExists(atPath: repo.root + "/out/index.html"))

        let wrong = try step("publish")
        #expect(wrong.status == 2)
        #expect(wrong.stdout.contains("::error::the command input must be check, build or diff, not 'publish'"))
    }

    private func run(
        _ executable: String, _ arguments: [String], in directory: String? = nil, environment: [String: String]
    ) throws -> Run {
        try PreflightCLITests.run(executable, arguments, in: directory, environment: environment)
    }
}
