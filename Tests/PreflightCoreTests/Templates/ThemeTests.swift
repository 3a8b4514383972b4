import Foundation
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
