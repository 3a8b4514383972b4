import Foundation
import Mustache
import Testing
@testable import PreflightCore

@Suite struct ThemeTests {
    /// The theme built into the binary must match templates/ (run `make theme` after editing it).
    @Test func builtinThemeMatchesTemplatesFolder() throws {
        let folder = fixtures.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("templates").path
        let onDisk = allFiles(under: folder)
        #expect(onDisk == BuiltinTheme.files.keys.sorted())
        for path in onDisk {
            let text = try String(contentsOfFile: folder + "/" + path, encoding: .utf8)
            #expect(BuiltinTheme.files[path] == text, Comment(rawValue: path + " changed: run `make theme`"))
        }
    }

    @Test func templateSyntaxErrorsAreLocated() throws {
        let site = try TempSite(["templates/page.mustache": "line one\n{{#section}}\nnever closed\n"])
        var d = DiagnosticList()
        #expect(Theme.load(siteDirectory: site.root, diagnostics: &d) == nil)
        #expect(d.items.first?.path == "templates/page.mustache")
        #expect(d.items.first?.message.hasPrefix("template syntax error") == true)
    }
}

/// Templates that include themselves would recurse until the stack overflows:
/// a diagnostic naming the chain instead, never a crash.
@Suite struct TemplateCycleTests {
    @Test(arguments: [
        (["templates/partials/status.mustache": "{{> partials/status}}"], "partials/status → partials/status"),
        (["templates/partials/a.mustache": "{{#x}}{{> partials/b}}{{/x}}", "templates/partials/b.mustache": "{{> partials/a}}"],
         "partials/a → partials/b → partials/a"),
        (["templates/base.mustache": "{{<base}}{{/base}}"], "base → base"),
        (["templates/page.mustache": "{{=<% %>=}}<%> page%>"], "page → page"),
    ])
    func cyclesAreDiagnosed(files: [String: String], chain: String) throws {
        let site = try TempSite(files)
        var d = DiagnosticList()
        #expect(Theme.load(siteDirectory: site.root, diagnostics: &d) == nil)
        #expect(d.items.contains { $0.message == "templates include each other in a cycle: \(chain)" }, Comment(rawValue: "\(d.lines)"))
    }

    @Test func dynamicPartialsAreRefused() throws {
        let site = try TempSite(["templates/page.mustache": "{{>*which}}"])
        var d = DiagnosticList()
        #expect(Theme.load(siteDirectory: site.root, diagnostics: &d) == nil)
        #expect(d.lines.first?.hasPrefix("templates/page.mustache:1:1: error: template names a partial from its context") == true)
    }

    @Test func builtinThemeHasNoCycles() throws {
        var d = DiagnosticList()
        #expect(Theme.load(siteDirectory: "/nonexistent", diagnostics: &d) != nil)
        #expect(d.items.isEmpty)
    }
}

/// swift-mustache parses and renders by recursion: nesting too deep to be
/// safe is refused before it is parsed.
@Suite struct TemplateDepthTests {
    @Test func deeplyNestedSectionsAreRefused() throws {
        let deep = String(repeating: "{{#a}}", count: 700) + String(repeating: "{{/a}}", count: 700)
        let site = try TempSite(["templates/partials/status.mustache": deep])
        var d = DiagnosticList()
        #expect(Theme.load(siteDirectory: site.root, diagnostics: &d) == nil)
        #expect(d.lines == ["templates/partials/status.mustache:1:1: error: sections nest 700 levels deep; Preflight renders at most 100"])
    }

    @Test func longChainsOfPartialsAreRefused() throws {
        var files: [String: String] = [:]
        for i in 0..<2000 { files["templates/partials/c\(i).mustache"] = "{{> partials/c\(i + 1)}}" }
        let site = try TempSite(files)
        var d = DiagnosticList()
        #expect(Theme.load(siteDirectory: site.root, diagnostics: &d) == nil)
        #expect(d.items.first?.message.hasPrefix("partials and sections nest more than 100 levels deep: partials/c0 → partials/c1") == true,
                Comment(rawValue: "\(d.lines)"))
    }

    @Test func nestingFollowsSetDelimiters() {
        #expect(PartialGraph.nesting(of: "{{#a}}{{#b}}{{/b}}{{/a}}") == 2)
        #expect(PartialGraph.nesting(of: "{{=<% %>=}}<%#a%><%^b%><%/b%><%/a%>{{#not-a-tag}}") == 2)
        #expect(PartialGraph.nesting(of: "{{{raw}}} {{! #comment }} {{$block}}{{/block}}") == 1)
    }
}

/// `LazyList` renders as the array of its items would, in every way a template can use a list.
@Suite struct LazyListTests {
    let items: [[String: Any]] = [["name": "a<b"], ["name": "c"], ["name": "d"]]

    func render(_ template: String, _ value: Any) throws -> String {
        try MustacheTemplate(string: template).render(Theme.prepared(["list": value]))
    }

    @Test(arguments: [
        "{{#list}}[{{name}}]{{/list}}",
        "{{^list}}none{{/list}}{{#list}}{{name}},{{/list}}",
        "{{#list}}{{#first()}}first:{{/first()}}{{name}}{{^last()}},{{/last()}}{{/list}}",
        "{{count(list)}} {{#empty(list)}}empty{{/empty(list)}}{{^empty(list)}}some{{/empty(list)}}",
        "{{#first(list)}}{{name}}{{/first(list)}} {{#last(list)}}{{name}}{{/last(list)}}",
        "{{#reversed(list)}}{{name}}{{/reversed(list)}}",
    ])
    func rendersLikeAnArray(template: String) throws {
        let lazy = LazyList(items) { $0 }
        #expect(try render(template, lazy) == render(template, items))
    }

    @Test func anEmptyListRendersLikeAnEmptyArray() throws {
        let template = "{{#list}}x{{/list}}{{^list}}none{{/list}} {{count(list)}}"
        #expect(try render(template, LazyList([[String: Any]]()) { $0 }) == render(template, [[String: Any]]()))
        #expect(try render(template, LazyList([[String: Any]]()) { $0 }) == "none 0")
    }

    /// Items are made as the template reaches them, once each.
    @Test func itemsAreMadeWhenRendered() throws {
        final class Counter: @unchecked Sendable { var made = 0 }
        let counter = Counter()
        let lazy = LazyList(count: 3) { i -> Any in
            counter.made += 1
            return ["name": "n\(i)"]
        }
        #expect(counter.made == 0)
        #expect(try render("{{#list}}{{name}}{{/list}}", lazy) == "n0n1n2")
        #expect(counter.made == 3)
    }
}
