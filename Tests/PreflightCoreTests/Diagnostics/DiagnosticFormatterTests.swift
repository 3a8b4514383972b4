import Testing
@testable import PreflightCore

@Suite struct DiagnosticFormatterTests {
    let formatter = DiagnosticFormatter(siteDirectory: ".")

    /// A file name or key with CR LF must not start a workflow command of its own.
    @Test func githubAnnotationsEscapeEveryLineBreak() {
        let d = Diagnostic.warning(
            "unknown key `a\r\n::error file=x::pwned`", at: SourceLocation(path: "content/a\r\n::warning::b%.md", line: 2),
            hint: "x\ry\nz")
        let line = formatter.github(d)
        #expect(!line.contains("\r") && !line.contains("\n"))
        #expect(line == "::warning file=content/a%0D%0A%3A%3Awarning%3A%3Ab%25.md,line=2,col=1::"
            + "unknown key `a%0D%0A::error file=x::pwned` (hint: x%0Dy%0Az)")
    }

    /// Terminal escape sequences in names or messages are shown, not run.
    @Test func textShowsControlCharacters() {
        let d = Diagnostic.error("bad \u{1B}[31mred\u{7}", at: SourceLocation(path: "content/\u{1B}]0;title\u{7}.md"), hint: "\u{202E}txt")
        let text = formatter.text(d)
        #expect(!text.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 || $0.value == 0x202E })
        #expect(text == "content/\\u{1B}]0;title\\u{7}.md:1:1: error: bad \\u{1B}[31mred\\u{7}\n    hint: \\u{202E}txt")
    }

    @Test func githubAnnotationsShowControlCharacters() {
        let d = Diagnostic.error("bad \u{1B}[31m\u{2028}", at: SourceLocation(path: "a\u{7}.md"))
        #expect(formatter.github(d) == "::error file=a\\u{7}.md,line=1,col=1::bad \\u{1B}[31m\\u{2028}")
    }
}
