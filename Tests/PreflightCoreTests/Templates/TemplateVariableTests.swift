import Foundation
import Testing
@testable import PreflightCore

/// swift-mustache renders a missing variable as "" without a word, so a typo in a
/// template would ship silently. This renders every built-in template with real
/// contexts (the golden fixture site) and checks each name a template uses
/// against the keys those contexts actually have.
@Suite struct TemplateVariableTests {
    static let site = fixtures.appendingPathComponent("golden/site").path

    /// Contexts each page template is rendered with.
    func contexts() throws -> [String: [[String: Any]]] {
        let options = BuildOptions(siteDirectory: Self.site, buildDate: Day("2026-03-05")!)
        let model = try #require(Site.prepare(options).prepared?.model)
        let c = PageContexts(model: model)
        return [
            "dashboard": [c.dashboard()],
            "service": model.content.services.map(c.service),
            "review": model.content.services.flatMap { model.reviews[$0.slug] ?? [] }.map(c.review),
            "checklist": model.content.checklists.map(c.checklist),
            "page": model.pages.map(c.page),
            "team": model.teams.map(c.team),
            "actions": [c.actions()],
            "404": [c.notFound()],
            "teams": [c.teams()],
            "campaigns": [c.campaigns()],
            "campaign": model.campaigns.map { c.campaign($0.campaign, $0.progress) },
        ]
    }

    /// Every key anywhere in a context tree.
    func keys(_ value: Any, into set: inout Set<String>) {
        if let dict = value as? [String: Any] {
            for (k, v) in dict {
                set.insert(k)
                keys(v, into: &set)
            }
        } else if let array = value as? [Any] {
            for item in array { keys(item, into: &set) }
        } else if let list = value as? LazyList {
            for item in list { keys(item, into: &set) }
        }
    }

    /// Variable and section names used by a template (partials, parents, blocks and comments aside).
    func names(in template: String) -> Set<String> {
        var result: Set<String> = []
        var structural: Set<String> = []  // parents (`<`) and blocks (`$`), closed by `/`
        var rest = Substring(template)
        while let open = rest.range(of: "{{") {
            rest = rest[open.upperBound...]
            guard let close = rest.range(of: "}}") else { break }
            var tag = rest[..<close.lowerBound].trimmingCharacters(in: .whitespaces)
            rest = rest[close.upperBound...]
            if tag.hasPrefix("{") { tag.removeFirst() }
            guard let first = tag.first, !">!%".contains(first) else { continue }
            if "<$".contains(first) {
                structural.insert(String(tag.dropFirst()).trimmingCharacters(in: .whitespaces))
                continue
            }
            if "#^/&".contains(first) { tag.removeFirst() }
            let name = tag.trimmingCharacters(in: .whitespaces)
            if name == "." || name.isEmpty || (first == "/" && structural.contains(name)) { continue }
            for part in name.split(separator: ".") { result.insert(String(part)) }
        }
        return result
    }

    @Test func everyTemplateVariableExistsInItsContexts() throws {
        let all = try contexts()
        var everyKey: Set<String> = []
        for list in all.values { for context in list { keys(context, into: &everyKey) } }

        for (file, text) in BuiltinTheme.files where file.hasSuffix(".mustache") {
            let name = String(file.dropLast(".mustache".count))
            var available: Set<String> = []
            if let list = all[name] {
                #expect(!list.isEmpty, Comment(rawValue: "the fixture site renders no \(name) page"))
                for context in list { keys(context, into: &available) }
            } else {
                available = everyKey  // base and partials render inside every page
            }
            let missing = names(in: text).subtracting(available)
            #expect(missing.isEmpty, Comment(rawValue: "\(file) uses \(missing.sorted()) which its contexts lack"))
        }
    }

    @Test func renderedPagesHaveNoTemplateLeftovers() throws {
        let result = Site.build(BuildOptions(siteDirectory: Self.site, buildDate: Day("2026-03-05")!))
        for file in try #require(result.files) where file.path.hasSuffix(".html") {
            guard case .bytes(let bytes) = file.contents else { continue }
            let text = String(decoding: bytes, as: UTF8.self)
            #expect(!text.contains("{{"), Comment(rawValue: file.path))
        }
    }
}
