import Testing
@testable import PreflightCore

@Suite struct BaseURLTests {
    @Test func normalizedOrRefused() {
        #expect(BaseURL("/readiness")?.value == "/readiness/")
        #expect(BaseURL("https://example.org/r")?.value == "https://example.org/r/")
        #expect(BaseURL("/")?.value == "/")
        for bad in ["example.org", "//evil.example/", "ftp://x/", "/a b/", "https://"] {
            #expect(BaseURL(bad) == nil, Comment(rawValue: bad))
        }
    }
}
