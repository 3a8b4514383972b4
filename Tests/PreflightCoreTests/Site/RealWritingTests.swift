import Foundation
import Testing
@testable import PreflightCore

private let realWriting = fixtures.appendingPathComponent("real-writing").path

/// The real-writing fixture: a checklist with prose, sub-sections, a table, a
/// note, guidance and references; reviews with raw HTML, an image beside
/// them, a bare URL; a review with hostile HTML pasted in.
@Suite struct RealWritingTests {
    let files: [String: OutputFile]
    let diagnostics: DiagnosticList

    init() throws {
        let report = Site.build(BuildOptions(siteDirectory: realWriting, buildDate: Day("2026-10-15")!))
        diagnostics = report.diagnostics
        files = Dictionary(uniqueKeysWithValues: try #require(report.files).map { ($0.path, $0) })
    }

    func page(_ path: String) throws -> String {
        guard case .bytes(let bytes) = try #require(files[path]).contents else { throw CocoaError(.fileReadUnknown) }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The page's `<main>`: what the writer wrote, without the theme's own markup.
    func main(_ path: String) throws -> String {
        let html = try page(path)
        let start = try #require(html.range(of: "<main"))
        let end = try #require(html.range(of: "</main>"))
        return String(html[start.lowerBound..<end.upperBound])
    }

    @Test func theChecklistPageShowsEveryWordOfItsSource() throws {
        let source = try SourceFile.split(
            path: "launch.md",
            text: String(contentsOfFile: realWriting + "/content/checklists/launch.md", encoding: .utf8)
        ).get()
        // Attribute blocks are read, never shown; everything else is.
        let prose = source.body.split(separator: "\n").map { line -> Substring in
            guard line.hasSuffix("}"), let open = line.lastIndex(of: "{") else { return line }
            return line[..<open]
        }.joined(separator: "\n")
        let html = try main("checklists/launch/index.html")
        let text = html.replacingOccurrences(of: "&quot;", with: "\"")
        let words = Set(prose.split { !$0.isLetter && !$0.isNumber }.map(String.init))
        let missing = words.filter { !text.contains($0) }.sorted()
        #expect(missing.isEmpty, "words of launch.md missing from its page: \(missing)")
        // In the order written, checks in place.
        let order = ["id=\"contents\"", "id=\"security\"", "check-sec-secrets", "class=\"guidance\"",
            "id=\"access-reviews\"", "Note:", "check-sec-access", "id=\"operations\"", "<table>",
            "check-ops-runbooks", "id=\"data\"", "id=\"schema-changes\"", "id=\"references\""]
        let positions = order.map { text.range(of: $0)?.lowerBound }
        #expect(!positions.contains(nil), "\(zip(order, positions).filter { $0.1 == nil }.map(\.0))")
        #expect(positions.compactMap { $0 } == positions.compactMap { $0 }.sorted())
        #expect(!text.contains("{#"))
    }

    @Test func aReviewWithRawHTMLRendersAsOnGitHub() throws {
        let html = try main("services/ledger/reviews/2026-10-01/index.html")
        #expect(html.contains("reserved<sup>1</sup>"))
        #expect(html.contains("<kbd>Ctrl</kbd>"))
        #expect(html.contains("<details>\n<summary>Load test output</summary>\n<pre><code class=\"language-json\">"))
        #expect(html.contains("<pre>{&quot;postings&quot;: 48211907"))
        #expect(html.contains("<a href=\"https://status.example.com/ledger\">https://status.example.com/ledger</a>"))
        // The image beside the review is published beside its page, and the link reaches it.
        #expect(html.contains("<img src=\"../latency-under-load.png\" alt=\"Latency under load\">"))
        let image = try #require(files["services/ledger/reviews/latency-under-load.png"])
        guard case .staticFile(let file) = image.contents else { Issue.record("not a file"); return }
        #expect(try FileSystem.read(file.source, in: file.root)
            == FileSystem.read("content/services/ledger/reviews/latency-under-load.png", in: realWriting))
    }

    @Test func hostileHTMLIsInertAndReported() throws {
        let html = try main("services/intake/reviews/2026-09-14/index.html")
        #expect(isInert(html), "\(html)")
        #expect(html.contains("<img src=\"https://example.com/logo.png\" width=\"120\">"))
        #expect(html.contains("<p align=\"center\">"))
        let warnings = diagnostics.lines.filter { $0.contains("intake") }
        #expect(warnings.count == 3, "\(warnings)")
        #expect(warnings.allSatisfy { $0.contains("warning: raw HTML removed") || $0.contains("warning: raw HTML shown as text: `<script>`") })
        #expect(!diagnostics.hasErrors)
    }

    /// The characters that mark where checks go cannot come from the writer.
    @Test func slotMarkersTypedInAChecklistAreInert() throws {
        let site = try TempSite([
            "content/checklists/c.md": "---\ntitle: C\n---\nSee \u{E000}0\u{E001} and `\u{E000}0\u{E001}`.\n\n## A\n- [ ] a {#a}\n",
        ])
        let report = Site.build(BuildOptions(siteDirectory: site.root, buildDate: Day("2026-10-15")!))
        let page = try #require(report.files?.first { $0.path == "checklists/c/index.html" })
        guard case .bytes(let bytes) = page.contents else { return }
        let html = String(decoding: bytes, as: UTF8.self)
        #expect(html.components(separatedBy: "id=\"check-a\"").count == 2)
        #expect(!html.contains("\u{E000}"))
    }

    @Test func unsafeHTMLKeepsItsMeaning() throws {
        let site = try TempSite([
            "preflight.yml": "unsafe_html: true\n",
            "content/checklists/c.md": "---\ntitle: C\n---\n## A\n- [ ] a {#a}\n",
            "content/services/s/index.md": "---\nname: S\n---\n<script>trusted()</script>\n",
        ])
        let report = Site.build(BuildOptions(siteDirectory: site.root, buildDate: Day("2026-10-15")!))
        let service = try #require(report.files?.first { $0.path == "services/s/index.html" })
        guard case .bytes(let bytes) = service.contents else { return }
        #expect(String(decoding: bytes, as: UTF8.self).contains("<script>trusted()</script>"))
        #expect(!report.diagnostics.lines.contains { $0.contains("raw HTML") })
    }
}

/// `check` reports every problem in one run, each once, where it starts.
@Suite struct OneMistakeOneErrorTests {
    static let checklist = """
        ---
        title: C
        levels: [Bronze, Silver]
        ---
        ## Ops {#ops}
        - [ ] Alerts page a human {#alerts required levle=Silver}
        - [ ] Dashboards exist {#dash}
        """

    func check(_ files: [String: String]) throws -> [String] {
        let site = try TempSite(files)
        return Site.check(BuildOptions(siteDirectory: site.root, buildDate: Day("2026-10-15")!)).diagnostics.lines
    }

    @Test func aChecklistTypoIsOneErrorAndWarningsStillShow() throws {
        let lines = try check([
            "content/checklists/c.md": Self.checklist,
            "content/services/a/index.md": "---\nname: A\n---\n",
            "content/services/a/reviews/r.md": "---\ndate: 2025-01-01\n---\n- [x] {#alerts}\n- [ ] {#dash}\n",
        ])
        let errors = lines.filter { $0.contains(": error: ") }
        #expect(errors == ["content/checklists/c.md:6:1: error: unknown attribute `levle` on check"])
        // A warning that does not depend on the broken check still shows: the service is stale.
        #expect(lines.contains { $0.contains("warning: service `a` is stale") }, "\(lines)")
        // `dash2` is unknown, and said so with the nearest id.
        let site = try TempSite([
            "content/checklists/c.md": Self.checklist.replacingOccurrences(of: "levle=", with: "level="),
            "content/services/a/reviews/r.md": "---\ndate: 2026-10-01\n---\n- [x] {#dahs}\n",
        ])
        let report = Site.check(BuildOptions(siteDirectory: site.root, buildDate: Day("2026-10-15")!))
        let unknown = try #require(report.diagnostics.sorted.first { $0.severity == .error })
        #expect(unknown.message == "`dahs` is not a check of checklist `c`")
        #expect(unknown.hint?.hasPrefix("did you mean `dash`") == true)
    }

    @Test func aBadDecisionLeavesEveryOtherWarning() throws {
        let lines = try check([
            "content/checklists/c.md": Self.checklist.replacingOccurrences(of: "levle=", with: "level="),
            "content/services/a/reviews/r.md": "---\ndate: 2026-10-01\ndecision: approve\n---\n- [x] {#alerts}\n",
            "content/services/b/index.md": "---\nname: B\n---\n[gone](../nowhere/) and [a's review](../a/reviews/r/)\n",
            "content/services/b/reviews/r.md": "---\ndate: 2025-01-01\n---\n- [x] {#alerts}\n- [x]Dashboards exist\n",
        ])
        #expect(lines.filter { $0.contains(": error: ") } == [
            "content/services/a/reviews/r.md:3:1: error: `decision` must be one of `approved`, `approved-with-conditions`, `rejected`, `in-progress`, not `approve`"
        ])
        #expect(lines.contains { $0.contains("warning: service `b` is stale") })
        #expect(lines.contains { $0.contains("warning: link `../nowhere/` has no page in the site") })
        #expect(lines.contains { $0.contains("warning: `[x]` is not a task box: it needs a space after it") })
        #expect(!lines.contains { $0.contains("../a/reviews/r/") })
    }

    @Test func aReviewOfAnUnreadableChecklistIsNotAnError() throws {
        let lines = try check([
            "content/checklists/c.md": "---\ntitle: [unclosed\n---\n## A\n- [ ] a {#a}\n",
            "content/services/a/reviews/r.md": "---\ndate: 2026-10-01\nchecklist: c\n---\n- [x] {#a}\n",
        ])
        #expect(lines.filter { $0.contains(": error: ") }.count == 1, "\(lines)")
        #expect(lines.first?.hasPrefix("content/checklists/c.md") == true)
    }
}

/// Point 8 of the issue on real writing: each diagnostic says what is wrong and how to fix it.
@Suite struct WriterDiagnosticsTests {
    @Test func daysThatDoNotExistAndDueDatesWithASpace() throws {
        var d = DiagnosticList()
        let file = try SourceFile.split(
            path: "r.md", text: "---\ndate: 2026-02-30\n---\n## Action items\n- [ ] Fix it @ops due: 2026-12-15\n"
        ).get()
        let context = Review.Context(
            serviceName: "S", serviceChecklist: nil, defaultChecklist: nil, checklists: [:], unsafeHTML: false)
        _ = Review.parse(service: "s", name: "r", file: file, context: context, diagnostics: &d)
        #expect(d.lines.contains("r.md:2:1: error: `date` is `2026-02-30`, but February 2026 has 28 days"))
        #expect(Day.problem("due date", "2026-13-01") == "due date is `2026-13-01`, but there is no month 13")
        #expect(Day.problem("until", "") == "until is empty: write a day as YYYY-MM-DD")
    }

    @Test func dueWithASpaceSaysHowToWriteIt() throws {
        var d = DiagnosticList()
        let item = Markdown.render("## Action items\n- [ ] Fix it @ops due: 2026-12-15\n").taskItems[0]
        _ = Review.actionItem(item, at: SourceLocation(path: "r.md", line: 2), diagnostics: &d)
        let diagnostic = try #require(d.sorted.first)
        #expect(diagnostic.message == "`due:` is not followed by a date")
        #expect(diagnostic.hint == "write it without a space: `due:2026-12-15`")
    }

    @Test func svgWithScriptIsNotPublished() throws {
        let site = try TempSite([
            "content/checklists/c.md": "---\ntitle: C\n---\n## A\n- [ ] a {#a}\n",
            "content/services/s/index.md": "---\nname: S\n---\n![d](diagram.svg) ![e](images/ok.svg)\n",
            "content/services/s/diagram.svg": "<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>",
            "content/services/s/images/ok.svg": "<svg xmlns=\"http://www.w3.org/2000/svg\"><rect width=\"1\" height=\"1\"/></svg>",
            "content/services/s/notes.txt": "x",
            "content/services/s/index.html/x.png": "x",
        ])
        let report = Site.check(BuildOptions(siteDirectory: site.root, buildDate: Day("2026-10-15")!))
        let errors = report.diagnostics.lines.filter { $0.contains(": error: ") }
        #expect(errors == [
            "content/services/s/diagram.svg:1:1: error: SVG not published: it holds a `<script>` element",
            "content/services/s/index.html:1:1: error: unexpected folder content/services/s/index.html",
            "content/services/s/notes.txt:1:1: error: unexpected file content/services/s/notes.txt",
        ])
        #expect(SVGCheck.problem(Array("<svg><a xlink:href=\"javascript:alert(1)\">x</a></svg>".utf8)) != nil)
        #expect(SVGCheck.problem(Array("<svg onload=\"x()\"></svg>".utf8)) != nil)
        #expect(SVGCheck.problem(Array("<!DOCTYPE svg [<!ENTITY x \"y\">]><svg>&x;</svg>".utf8)) != nil)
        #expect(SVGCheck.problem(Array("<svg><image href=\"data:image/png;base64,AA\"/></svg>".utf8)) == nil)
    }
}
