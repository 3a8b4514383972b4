import Testing
@testable import PreflightCore

@Suite struct ConfigTests {
    @Test func defaults() {
        var d = DiagnosticList()
        let config = SiteConfig.parse(nil, diagnostics: &d)
        #expect(config.title == "Production readiness")
        #expect(config.baseURL == "/")
        #expect(config.staleAfterDays == 180)
        #expect(!config.unsafeHTML)
    }

    @Test func unknownKeyIsAnErrorWithLineAndSuggestion() {
        var d = DiagnosticList()
        _ = SiteConfig.parse("title: X\nstale_after_dayz: 3\n", diagnostics: &d)
        #expect(d.lines == ["preflight.yml:2:1: error: unknown key `stale_after_dayz`"])
        #expect(d.items[0].hint == "did you mean `stale_after_days`?")
    }

    @Test func wrongTypesPointAtTheKey() {
        var d = DiagnosticList()
        _ = SiteConfig.parse("title: X\n\nstale_after_days: [1]\nunsafe_html: maybe\n", diagnostics: &d)
        #expect(d.lines == [
            "preflight.yml:3:1: error: `stale_after_days` must be a whole number, not a list",
            "preflight.yml:4:1: error: `unsafe_html` must be `true` or `false`, not `maybe`",
        ])
    }

    @Test func baseURL() {
        var d = DiagnosticList()
        let config = SiteConfig.parse("base_url: https://example.org/readiness", diagnostics: &d)
        #expect(config.baseURL == "https://example.org/readiness/")
        #expect(config.basePath == "/readiness/")
        _ = SiteConfig.parse("base_url: javascript:alert(1)", diagnostics: &d)
        #expect(d.errorCount == 1)
    }

    @Test func yamlSyntaxErrorIsLocatedInTheFile() {
        var d = DiagnosticList()
        _ = SiteConfig.parse("title: X\nbase_url: [unclosed\n", diagnostics: &d)
        #expect(d.items.first?.line ?? 0 >= 2)
        #expect(d.items.first?.message.hasPrefix("configuration is not valid YAML") == true)
        #expect(d.items.first?.hint?.contains("tab") == false)

        // A tab where YAML wants spaces is named as such.
        var tabbed = DiagnosticList()
        _ = SiteConfig.parse("title: X\ntargets:\n\t\"1\": Gold\n", diagnostics: &tabbed)
        #expect(tabbed.items.first?.line == 3, "\(tabbed.lines)")
        #expect(tabbed.items.first?.hint == "YAML indents with spaces, never tabs: this line has a tab", "\(tabbed.lines)")
    }

    @Test func duplicateKeys() {
        var d = DiagnosticList()
        _ = SiteConfig.parse("title: X\ntitle: Y\n", diagnostics: &d)
        #expect(d.items.first?.message == "configuration has duplicate key `title`")
    }
}
