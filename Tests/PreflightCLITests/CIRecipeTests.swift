import Foundation
import Testing

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
