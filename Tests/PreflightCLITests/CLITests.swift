import Foundation
import Testing

/// The `preflight` binary built beside this test bundle.
let binary: String = {
    let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    var dir = URL(fileURLWithPath: exe).deletingLastPathComponent()
    // On Linux the tests run from `<build>/debug/PreflightPackageTests.xctest`; the binary sits beside it.
    if !FileManager.default.fileExists(atPath: dir.appendingPathComponent("preflight").path) {
        dir = dir.deletingLastPathComponent()
    }
    return dir.appendingPathComponent("preflight").path
}()

struct Run {
    var status: Int32
    var stdout: String
    var stderr: String
}

@discardableResult
func preflight(_ arguments: [String], in directory: String? = nil, environment: [String: String] = [:]) throws -> Run {
    try run(binary, arguments, in: directory, environment: environment)
}

/// Runs a program with output captured, in the test's environment without
/// SOURCE_DATE_EPOCH, with 80 columns, and `environment` on top.
func run(_ executable: String, _ arguments: [String], in directory: String? = nil, environment: [String: String] = [:]) throws -> Run {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
    var env = ProcessInfo.processInfo.environment
    env.removeValue(forKey: "SOURCE_DATE_EPOCH")
    env["COLUMNS"] = "80"
    env.merge(environment) { $1 }
    process.environment = env
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    let errData = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return Run(
        status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
        stderr: String(decoding: errData, as: UTF8.self))
}

/// A scratch folder holding a small valid site under `site/`.
final class Workspace {
    let root: String
    var site: String { root + "/site" }

    init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("preflight-cli-\(UUID().uuidString)").path
        try write("site/content/checklists/basic.md", """
            ---
            title: Basic
            ---
            ## Security {#security}
            - [ ] Secrets live in the secret store {#sec-secrets required}
            """)
        try write("site/content/services/svc/index.md", "---\nname: Svc\n---\n")
        try write("site/content/services/svc/reviews/r1.md", "---\ndate: 2026-01-10\ndecision: approved\n---\n- [x] Secrets live in the secret store\n")
    }

    func write(_ path: String, _ text: String) throws {
        let url = URL(fileURLWithPath: root).appendingPathComponent(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
    }

    func read(_ path: String) throws -> String {
        try String(contentsOfFile: root + "/" + path, encoding: .utf8)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: root)
    }
}

@Suite struct HelpTests {
    @Test func rootHelpListsCommands() throws {
        let run = try preflight(["--help"])
        #expect(run.status == 0)
        #expect(run.stdout.contains("build"))
        #expect(run.stdout.contains("Exit codes"))
    }

    @Test func buildHelpDescribesEveryOption() throws {
        let run = try preflight(["build", "--help"])
        #expect(run.status == 0)
        for option in ["--output", "--base-url", "--as-of", "--drafts", "--verbose"] {
            #expect(run.stdout.contains(option), Comment(rawValue: option))
        }
    }

    @Test func version() throws {
        let run = try preflight(["--version"])
        #expect(run.status == 0)
        #expect(run.stdout.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ".").count == 3)
    }
}

@Suite struct BuildCommandTests {
    @Test func buildsIntoPublic() throws {
        let ws = try Workspace()
        let run = try preflight(["build", "site", "--as-of", "2026-02-01"], in: ws.root)
        #expect(run.status == 0, Comment(rawValue: run.stderr))
        #expect(run.stdout.hasPrefix("Built 1 service, 1 review into site/public"))
        let json = try ws.read("site/public/readiness.json")
        #expect(json.contains("\"generated\": \"2026-02-01\""))
        #expect(json.contains("\"status\": \"ready\""))
        #expect(FileManager.default.fileExists(atPath: ws.root + "/site/public/services/svc/reviews/r1/index.html"))
    }

    @Test func brokenFileFailsWithLocatedDiagnosticAndKeepsOutput() throws {
        let ws = try Workspace()
        #expect(try preflight(["build", "site"], in: ws.root).status == 0)
        let before = try ws.read("site/public/readiness.json")

        try ws.write("site/content/services/svc/reviews/r1.md", "---\ndate: 2026-01-10\n---\n\n- [x] answer {#no-such-check}\n")
        let run = try preflight(["build", "site"], in: ws.root)
        #expect(run.status == 1)
        #expect(run.stderr.contains(
            "site/content/services/svc/reviews/r1.md:5:1: error: `no-such-check` is not a check of checklist `basic`"))
        #expect(run.stderr.contains("build failed with 1 error"))
        #expect(!run.stderr.contains("Fatal error"))
        #expect(try ws.read("site/public/readiness.json") == before)
    }

    @Test func pathsAreRelativeToTheCurrentDirectory() throws {
        let ws = try Workspace()
        try ws.write("site/preflight.yml", "titel: x\n")
        let inside = try preflight(["build"], in: ws.site)
        #expect(inside.status == 1)
        #expect(inside.stderr.hasPrefix("preflight.yml:1:1: error: unknown key `titel`"))
        let absolute = try preflight(["build", ws.site], in: "/")
        #expect(absolute.stderr.hasPrefix(ws.site.dropFirst() + "/preflight.yml:1:1: error"))
    }

    @Test func sourceDateEpochSetsTheBuildDate() throws {
        let ws = try Workspace()
        let run = try preflight(["build", "site"], in: ws.root, environment: ["SOURCE_DATE_EPOCH": "1767225600"])
        #expect(run.status == 0)
        #expect(try ws.read("site/public/readiness.json").contains("\"generated\": \"2026-01-01\""))
    }

    @Test func identicalRebuilds() throws {
        let ws = try Workspace()
        try preflight(["build", "site", "-o", "a", "--as-of", "2026-02-01"], in: ws.root)
        try preflight(["build", "site", "-o", "b", "--as-of", "2026-02-01"], in: ws.root)
        for path in ["index.html", "readiness.json", "readiness.csv", "services/svc/index.html"] {
            #expect(try ws.read("a/" + path) == ws.read("b/" + path))
        }
    }

    @Test func verbosePrintsPhases() throws {
        let ws = try Workspace()
        let run = try preflight(["build", "site", "--verbose"], in: ws.root)
        // Pages are rendered as they are written: one phase for both.
        for phase in ["load", "theme", "static", "readiness", "plan", "render+write"] {
            #expect(run.stderr.contains("  \(phase) "), Comment(rawValue: phase))
        }
    }
}

@Suite struct UsageErrorTests {
    @Test(arguments: [
        ["build", "no-such-folder"],
        ["build", "site", "--as-of", "next week"],
        ["build", "site", "--base-url", "example.org"],
        ["build", "site", "--no-such-option"],
        ["no-such-command"],
    ])
    func exitTwo(arguments: [String]) throws {
        let ws = try Workspace()
        let run = try preflight(arguments, in: ws.root)
        #expect(run.status == 2, Comment(rawValue: run.stderr))
        #expect(run.stderr.contains("Error:") || run.stderr.contains("error:"))
    }

    @Test func badSourceDateEpoch() throws {
        let ws = try Workspace()
        let run = try preflight(["build", "site"], in: ws.root, environment: ["SOURCE_DATE_EPOCH": "yesterday"])
        #expect(run.status == 2)
        #expect(run.stderr.contains("SOURCE_DATE_EPOCH"))
    }
}

@Suite struct HelpGoldenTests {
    /// Hand-wrapped help text (a command's discussion, an example: the
    /// lines of a `"""` literal in Sources/preflight that do not end in
    /// `\`) fits the 80 columns help is printed in. A longer line is wrapped
    /// again by the parser, mid-sentence, and an example's `\` is left
    /// alone on a line. Lines ending in `\` are joined, and the parser wraps
    /// the paragraph itself.
    @Test func handWrappedHelpFitsEightyColumns() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Sources/preflight").path
        let quotes = String(repeating: "\"", count: 3)
        for name in try FileManager.default.contentsOfDirectory(atPath: folder) where name.hasSuffix(".swift") {
            let lines = try String(contentsOfFile: folder + "/" + name, encoding: .utf8).components(separatedBy: "\n")
            var block: [(Int, String)]?
            for (number, line) in lines.enumerated() {
                let trimmed = line.trimmingCharacters(in: .whitespaces)
                if block == nil {
                    if trimmed.hasSuffix(quotes) && trimmed.components(separatedBy: quotes).count == 2 { block = [] }
                    continue
                }
                guard trimmed.hasPrefix(quotes) else {
                    block?.append((number + 1, line))
                    continue
                }
                let indent = line.prefix { $0 == " " }.count
                for (at, text) in block ?? [] where !text.hasSuffix("\\") && text.count - indent > 79 {
                    Issue.record("\(name):\(at): \(text.count - indent) columns: \(text.dropFirst(indent))")
                }
                block = nil
            }
        }
    }

    /// Help text is part of the interface: golden files, re-recorded with RECORD_GOLDEN=1.
    @Test(arguments: [
        ["--help"], ["build", "--help"], ["check", "--help"], ["diff", "--help"], ["serve", "--help"], ["new", "--help"],
        ["new", "service", "--help"], ["new", "review", "--help"], ["init", "--help"],
        ["evidence", "--help"], ["evidence", "add", "--help"], ["evidence", "import", "--help"],
    ])
    func helpText(arguments: [String]) throws {
        let run = try preflight(arguments)
        #expect(run.status == 0)
        let name = arguments.dropLast().joined(separator: "-")
        let golden = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Fixtures/help/\(name.isEmpty ? "preflight" : name).txt")
        if ProcessInfo.processInfo.environment["RECORD_GOLDEN"] == "1" {
            try FileManager.default.createDirectory(
                at: golden.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(run.stdout.utf8).write(to: golden)
            return
        }
        #expect(run.stdout == (try String(contentsOf: golden, encoding: .utf8)))
        // Every option has help text: no bare `--option <value>` line without a description.
        for line in run.stdout.split(separator: "\n") where line.hasPrefix("  -") {
            #expect(line.split(separator: " ", omittingEmptySubsequences: true).count > 2, Comment(rawValue: String(line)))
        }
    }
}
