import Foundation
import Testing
@testable import PreflightCore

@Suite struct TaskItemTests {
    @Test func boxStates() {
        let md = Markdown.render("- [x] a\n- [X] b\n- [ ] c\n- [~] d\n- [?] e\n- plain\n")
        #expect(md.taskItems.map(\.box) == [.done, .done, .open, .waived])
        #expect(md.taskItems.map(\.text) == ["a", "b", "c", "d"])
    }

    @Test func attributesAreReadAndNeverRendered() {
        let md = Markdown.render("- [ ] Secrets are stored {#sec-secrets required level=Bronze weight=2}\n")
        let item = md.taskItems[0]
        #expect(item.text == "Secrets are stored")
        #expect(item.attributes?.id == "sec-secrets")
        #expect(item.attributes?.flags == ["required"])
        #expect(item.attributes?.values.map(\.key) == ["level", "weight"])
        #expect(!md.html.contains("{#"))
        #expect(!md.html.contains("required"))
        #expect(!item.html.contains("{"))
    }

    @Test func attributesOnTheirOwnLineAreStripped() {
        let md = Markdown.render("- [ ] A long check\n  that wraps {#long}\n")
        #expect(md.taskItems[0].attributes?.id == "long")
        #expect(md.taskItems[0].text == "A long check that wraps")
        #expect(!md.html.contains("{#long}"))
    }

    @Test func proseBracesAreNotAttributes() {
        let md = Markdown.render("- [ ] Use {placeholders}\n")
        #expect(md.taskItems[0].attributes == nil)
        #expect(md.taskItems[0].text == "Use {placeholders}")
    }

    @Test func markupIsRemovedFromText() {
        let md = Markdown.render("- [x] Use *the* `vault` for [secrets](https://example.org)\n")
        #expect(md.taskItems[0].text == "Use the vault for secrets")
        #expect(md.taskItems[0].html.contains("<code>vault</code>"))
    }

    @Test func lineNumbersCountTheWholeFile() {
        let md = Markdown.render("Intro\n\n- [ ] first\n- [x] second\n", firstLine: 5)
        #expect(md.taskItems.map(\.line) == [7, 8])
    }

    @Test func nestedItemsAndHeadingChain() {
        let md = Markdown.render("""
            # Review
            ## Action items
            - [ ] outer
              - [x] inner
            ### Sub
            - [ ] deep
            # Other
            - [ ] after
            """)
        #expect(md.taskItems.map(\.text) == ["outer", "inner", "deep", "after"])
        #expect(md.taskItems[2].headings.map(\.text) == ["Review", "Action items", "Sub"])
        #expect(md.taskItems[3].headings.map(\.text) == ["Other"])
    }

    @Test func renderedBoxesAreLabelledForScreenReaders() {
        let html = Markdown.render("- [~] not here\n").html
        #expect(html.contains("Waived: "))
        #expect(!html.contains("[~]"))
    }

    @Test func bracketTextThatIsNotATaskStays() {
        let md = Markdown.render("- [x]no space\n- [link](x)\n")
        #expect(md.taskItems.isEmpty)
    }
}

@Suite struct HeadingTests {
    @Test func idsFromSlugOrExplicitAndUnique() {
        let md = Markdown.render("## Security measures {#security}\n## Déjà vu!\n## Déjà vu!\n")
        #expect(md.headings.map(\.id) == ["security", "dj-vu", "dj-vu-1"])
        #expect(md.headings[0].text == "Security measures")
        #expect(md.html.contains("<h2 id=\"security\">Security measures</h2>"))
    }
}

@Suite struct SafetyTests {
    @Test func rawHTMLAndScriptURLsStayOut() {
        let md = Markdown.render("<script>alert(1)</script>\n\n[x](javascript:alert(1)) <b>hi</b> <i onclick=x>y</i>\n")
        #expect(!md.html.contains("<script>"))
        #expect(!md.html.contains("javascript:"))
        #expect(!md.html.contains("onclick"))
        // Sanitized, not dropped: what is safe stays.
        #expect(md.html.contains("<b>hi</b> <i>y</i>"))
        #expect(md.notes.map(\.message) == ["raw HTML shown as text: `<script>`", "raw HTML removed: `onclick` event handlers"])
        #expect(md.html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
    }

    /// The sanitizer parses a document from its first block holding raw
    /// HTML on; the blocks before are cmark's safe output, as in a document
    /// without raw HTML, and the raw HTML after them cannot reach back.
    @Test func sanitizingStartsAtTheFirstRawHTML() {
        let before = "It's *one*  \nline.\n\n---\n\n- [x] done\n\n"
        let alone = Markdown.render(before).html
        let md = Markdown.render(before + "</li></ul></p><div align=\"center\">\n\nIt's *in*.\n\n<p onclick=x>x</p>\n")
        #expect(md.html.hasPrefix(alone), "\(md.html)")
        // What follows is one fragment: the `<div>` holds the next blocks,
        // and the stray `</p>` makes an empty paragraph, as in a browser.
        #expect(md.html.dropFirst(alone.count)
            == "<p></p><div align=\"center\">\n<p>It&#39;s <em>in</em>.</p>\n<p>x</p>\n</div>")
        #expect(md.notes.map(\.message) == ["raw HTML removed: `onclick` event handlers"])
    }

    /// Raw HTML that closes what it opens is sanitized alone: the blocks
    /// after it are cmark's safe output, as before it.
    @Test func blocksAfterClosedRawHTMLStayCmarks() {
        let md = Markdown.render(
            "It's before.\n\n<details>\n<summary>Log</summary>\n\nIt's *inside*.\n\n</details>\n\nIt's after.\n")
        #expect(md.html == """
            <p>It's before.</p>
            <details>
            <summary>Log</summary>
            <p>It&#39;s <em>inside</em>.</p>
            </details>
            <p>It's after.</p>

            """)
    }

    /// Raw HTML that leaves something open takes the rest of the document
    /// with it, as a browser would: an element holds the blocks after it,
    /// bold carries on into the next paragraph, an open comment hides the rest.
    @Test(arguments: [
        ("<div align=\"center\">\n\nafter\n", "<div align=\"center\">\n<p>after</p>\n</div>"),
        ("a <b>bold\n\nafter\n", "<p>a <b>bold</b></p><b>\n<p>after</p>\n</b>"),
        ("<div>\n<!-- open\n\nafter\n", "<div>\n</div>"),
        ("<i>\u{E002}\u{E003}</i>\n\nafter\n", "<p><i>\u{E002}\u{E003}</i></p>\n<p>after</p>\n"),
    ])
    func rawHTMLLeftOpenTakesTheRest(_ markdown: String, _ html: String) {
        #expect(Markdown.render("before\n\n" + markdown).html == "<p>before</p>\n" + html)
    }

    /// Writing the blocks before the first raw HTML one by one gives cmark's
    /// HTML for the whole document, byte for byte.
    @Test func blocksRenderedOneByOneMakeTheDocument() {
        let files = allFiles(under: fixtures.path).filter { $0.hasSuffix(".md") }
        #expect(files.count > 20)
        for file in files {
            // Some hostile fixtures are not UTF-8: they test other things.
            guard let text = try? String(contentsOf: fixtures.appendingPathComponent(file), encoding: .utf8) else {
                continue
            }
            // Raw HTML, if any, as text: the whole document then takes cmark's safe mode.
            let md = Markdown.render(text.replacingOccurrences(of: "<", with: "&lt;"))
            let withHTML = Markdown.render(text.replacingOccurrences(of: "<", with: "&lt;") + "\n\n<br>\n")
            #expect(withHTML.html == md.html + "<br>\n", "\(file)")
        }
    }

    @Test func documentsWithoutRawHTMLKeepCmarksSafeMode() {
        let md = Markdown.render("[x](javascript:alert(1)) ![i](data:image/png;base64,AA)\n")
        #expect(md.html == "<p><a href=\"\">x</a> <img src=\"data:image/png;base64,AA\" alt=\"i\" /></p>\n")
        #expect(md.notes.isEmpty)
    }

    /// The GitHub idiom: a `<details>` block around Markdown keeps the
    /// Markdown inside it, as one element across blank lines.
    @Test func detailsWrapMarkdown() {
        let md = Markdown.render("<details>\n<summary>Logs</summary>\n\n- [x] a\n\n```\nx < y\n```\n\n</details>\n\nafter\n")
        #expect(md.html.contains("<details>\n<summary>Logs</summary>\n<ul>"))
        #expect(md.html.contains("<pre><code>x &lt; y\n</code></pre>\n</details>\n<p>after</p>"))
        #expect(md.taskItems.count == 1)
    }

    @Test func bareURLsBecomeLinks() {
        let md = Markdown.render("See https://status.example.com/a_(b). And (https://x.example/y), not `https://code` or [https://l](https://l.example).\n\n| a |\n|---|\n| https://t.example |\n")
        #expect(md.html.contains("See <a href=\"https://status.example.com/a_(b)\">https://status.example.com/a_(b)</a>."))
        #expect(md.html.contains("(<a href=\"https://x.example/y\">https://x.example/y</a>),"))
        #expect(md.html.contains("<code>https://code</code>"))
        #expect(md.html.contains("<a href=\"https://l.example\">https://l</a>"))
        #expect(md.html.contains("<td><a href=\"https://t.example\">https://t.example</a></td>"))
        #expect(!Markdown.render("xhttps://no.example and https:// and https://<yourdomain>.com\n").html.contains("<a "))
    }

    @Test func boxLookalikesAreNoted() {
        let md = Markdown.render("- [x]Done without a space\n- [v] Ticked the wrong way\n- [link] text\n- [ ] fine\n")
        #expect(md.taskItems.count == 1)
        #expect(md.notes.map(\.message) == [
            "`[x]` is not a task box: it needs a space after it",
            "`[v]` is not a task box, so this item answers nothing",
        ])
    }

    @Test func unsafeOptInLetsHTMLThrough() {
        let md = Markdown.render("<b>hi</b>\n", unsafeHTML: true)
        #expect(md.html.contains("<b>hi</b>"))
    }

    @Test func headingIDsAreEscaped() {
        let md = Markdown.render("## Title {#a\"b}\n")
        #expect(!md.html.contains("a\"b"))
    }
}

@Suite struct TableTests {
    @Test func pipeTableWithAlignmentAndInlineMarkdown() {
        let html = Markdown.render("""
            | Left | Centre | Right |
            |:-----|:------:|------:|
            | *a*  | `b`    | [c](https://example.org) |
            """).html
        #expect(html.contains("<table>"))
        #expect(html.contains("<th class=\"align-left\">Left</th>"))
        #expect(html.contains("<td class=\"align-center\"><code>b</code></td>"))
        #expect(html.contains("<td class=\"align-right\"><a href=\"https://example.org\">c</a></td>"))
        #expect(html.contains("<em>a</em>"))
    }

    @Test func escapedPipesStayInTheCell() {
        let html = Markdown.render("a | b\n--|--\nx \\| y | z\n").html
        #expect(html.contains("<td>x | y</td><td>z</td>"))
    }

    @Test func rowsArePaddedAndTrimmedToTheHeader() {
        let html = Markdown.render("| a | b |\n|---|---|\n| 1 |\n| 1 | 2 | 3 |\n").html
        #expect(html.contains("<tr>\n<td>1</td><td></td>\n</tr>"))
        #expect(!html.contains("3"))
    }

    @Test func textBeforeTheTableStaysAParagraph() {
        let html = Markdown.render("Results:\n| a | b |\n|---|---|\n| 1 | 2 |\n").html
        #expect(html.hasPrefix("<p>Results:</p>\n<table>"))
    }

    @Test func notATableWithoutDelimiterRow() {
        let html = Markdown.render("a | b\nc | d\n").html
        #expect(!html.contains("<table>"))
        #expect(html.contains("a | b"))
    }

    @Test func mismatchedHeaderIsNotATable() {
        let html = Markdown.render("| a | b |\n|---|\n").html
        #expect(!html.contains("<table>"))
    }

    @Test func cellsAreEscaped() {
        let html = Markdown.render("| a |\n|---|\n| <script>x</script> |\n").html
        #expect(!html.contains("<script>"))
    }

    @Test func tableInsideAListItem() {
        let html = Markdown.render("- item\n\n  | a | b |\n  |---|---|\n  | 1 | 2 |\n").html
        #expect(html.contains("<td>1</td><td>2</td>"))
    }

    @Test func cellSplitting() {
        #expect(PipeTable.cells("| a | b |") == ["a", "b"])
        #expect(PipeTable.cells("a|b") == ["a", "b"])
        #expect(PipeTable.cells("| a \\| b |") == ["a | b"])
        #expect(PipeTable.cells("| `x\\|y` | z |") == ["`x|y`", "z"])
        #expect(PipeTable.delimiterRow("|:-|-:|:-:|---|")?.count == 4)
        #expect(PipeTable.delimiterRow("| a | b |") == nil)
    }
}

@Suite struct AttributeTests {
    @Test func splitting() {
        #expect(Attributes.split("Text {#id}").attributes?.id == "id")
        #expect(Attributes.split("Text {#id}").text == "Text")
        #expect(Attributes.split("Text{#id}").attributes == nil)
        #expect(Attributes.split("{#id}").attributes?.id == "id")
        #expect(Attributes.split("Text {required}").attributes?.flags == ["required"])
        #expect(Attributes.split("Text {unknownword}").attributes == nil)
        #expect(Attributes.split("Text {levle=Gold}").attributes?.values.first?.key == "levle")
        #expect(Attributes.split("Text {#a #b}").attributes == nil)
        #expect(Attributes.split("Text {}").attributes == nil)
    }
}
