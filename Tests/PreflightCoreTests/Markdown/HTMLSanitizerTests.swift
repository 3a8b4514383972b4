import Testing
@testable import PreflightCore

/// What the sanitizer's output must never hold, whatever the input: checked
/// on the output as a browser would read it (case-insensitive).
func isInert(_ html: String) -> Bool {
    let lower = html.lowercased()
    let forbidden = ["<script", "<style", "<iframe", "<svg", "<math", "<object", "<embed", "<form", "<textarea",
        "<noscript", "<template", "<xmp", "<base", "<meta", "<link", "javascript:", "vbscript:"]
    if forbidden.contains(where: lower.contains) { return false }
    // An event handler is an attribute whose name starts with "on": inside a tag, after a space.
    var inTag = false
    var previous: Character = " "
    var chars = Array(lower)
    chars.append(" ")
    for (i, c) in chars.enumerated() {
        if c == "<" { inTag = true } else if c == ">" { inTag = false }
        if inTag, (previous == " " || previous == "\n" || previous == "/" || previous == "\t"), c == "o",
            i + 2 < chars.count, chars[i + 1] == "n", chars[i + 2].isLetter
        {
            // Attribute values are always quoted and escaped: skip when inside quotes.
            let before = chars[..<i].reversed().prefix { $0 != "<" }
            if before.filter({ $0 == "\"" }).count % 2 == 0 { return false }
        }
        previous = c
    }
    return true
}

@Suite struct HTMLSanitizerTests {
    @Test func keepsWhatGitHubKeeps() {
        let html = """
            <details open><summary>Output</summary><pre>{"a": 1}</pre></details>\
            <p>reserved<sup>1</sup> H<sub>2</sub>O <kbd>Ctrl</kbd><br><img src="x.png" alt="x" width="20"></p>\
            <table><tr><td colspan="2">c</td></tr></table><a href="https://example.org/" name="top">t</a>
            """
        let result = HTMLSanitizer.sanitize(html)
        #expect(result.removed.isEmpty)
        #expect(result.html.contains("<details open=\"\"><summary>Output</summary><pre>{&quot;a&quot;: 1}</pre></details>"))
        #expect(result.html.contains("reserved<sup>1</sup>"))
        #expect(result.html.contains("<kbd>Ctrl</kbd><br><img src=\"x.png\" alt=\"x\" width=\"20\">"))
        #expect(result.html.contains("<table><tbody><tr><td colspan=\"2\">c</td></tr></tbody></table>"))
        #expect(result.html.contains("<a href=\"https://example.org/\" name=\"top\">t</a>"))
    }

    @Test func removesScriptsHandlersAndUnsafeURLs() {
        let html = """
            <script>alert(1)</script><img src=x onerror="alert(1)"><a href="javascript:alert(1)">a</a>\
            <a href=" JaVa&#x09;ScRiPt:alert(1)">b</a><a href="data:text/html,<script>x</script>">c</a>\
            <iframe src="https://evil.example/"></iframe><style>body{}</style><form action="/x"><input name=q>f</form>
            """
        let result = HTMLSanitizer.sanitize(html)
        #expect(isInert(result.html), "\(result.html)")
        #expect(result.html.contains("<img src=\"x\">"))
        #expect(result.html.contains("<a>a</a><a>b</a><a>c</a>"))
        #expect(result.html.contains("f"))
        #expect(result.removed.contains("`<script>`"))
        #expect(result.removed.contains("`onerror` event handlers"))
        #expect(result.removed.contains { $0.hasPrefix("unsafe URL `javascript:") })
        #expect(result.removed.contains("`<form>` tags (their content is kept)"))
    }

    /// Classic mutation-XSS shapes: the output is written from the parsed
    /// tree, so what a browser re-parses is what was kept.
    @Test(arguments: [
        #"<noscript><p title="</noscript><img src=x onerror=alert(1)>">"#,
        #"<svg><style><img src=x onerror=alert(1)></style></svg>"#,
        #"<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>"#,
        #"<form><math><mtext></form><form><mglyph><style></math><img src onerror=alert(1)>"#,
        #"<svg></p><style><a id="</style><img src=1 onerror=alert(1)>">"#,
        #"<listing>&lt;img src=1 onerror=alert(1)&gt;</listing>"#,
        #"<xmp><img src=x onerror=alert(1)></xmp>"#,
        #"<textarea></textarea><img src=x onerror=alert(1)>"#,
        #"<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">x</a>"#,
        #"<a href="jav&#x0A;ascript:alert(1)">x</a>"#,
        #"<img src="x" o\#u{0}nerror="alert(1)">"#,
        #"<img/src=x/onerror=alert(1)>"#,
        #"<div <img src=x onerror=alert(1)>"#,
        #"<p>unclosed <b>bold <i>italic"#,
        #"<!--><img src=x onerror=alert(1)>-->"#,
        #"<![CDATA[<img src=x onerror=alert(1)>]]>"#,
        #"<scr<script>ipt>alert(1)</script>"#,
        #"<a href="https://ok.example/" onclick="x">ok</a><details ontoggle=alert(1) open>"#,
        #"<template><img src=x onerror=alert(1)></template>"#,
        #"<object data="javascript:alert(1)"></object><embed src=x>"#,
        #"<base href="javascript:/"><a href="x">y</a>"#,
        #"<img src="data:image/svg+xml,<svg onload=alert(1)>">"#,
    ])
    func mutationCasesComeOutInert(_ html: String) {
        let once = HTMLSanitizer.sanitize(html).html
        #expect(isInert(once), "\(once)")
        // The fuzzer's independent check agrees, through Markdown too.
        #expect(HTMLSafety.problems(in: once) == [], "\(once)")
        #expect(HTMLSafety.problems(in: Markdown.render(html).html) == [])
        // Sanitizing the output again changes nothing: it re-parses as written.
        #expect(HTMLSanitizer.sanitize(once).html == once)
    }

    /// The independent check is not vacuous: it finds what the sanitizer removes.
    @Test func theSafetyCheckFindsWhatItMust() {
        #expect(HTMLSafety.problems(in: #"<img src=x onerror=alert(1)>"#) == ["attribute onerror on <img>"])
        #expect(HTMLSafety.problems(in: #"<a href=" jav&#x09;ascript:alert(1)">x</a>"#).count == 1)
        #expect(HTMLSafety.problems(in: #"<p style="x">a</p><script>x</script>"#).count == 2)
        #expect(HTMLSafety.problems(in: #"<svg><a xlink:href="javascript:x">y</a></svg>"#).count >= 2)
        #expect(HTMLSafety.problems(in: #"<img src="data:image/png;base64,AAAA"><a href="data:text/html,x">z</a>"#)
            == ["URL href=data:text/html,x on <a>"])
        #expect(HTMLSafety.problems(in: ##"<a href="https://x/?a=javascript:1">ok</a> <a href="mailto:a@b">m</a> <a href="#x">f</a>"##) == [])
        // Links to other programs are links (the fuzzer's first find was cmark's `<i1ghttps://>` autolink).
        #expect(HTMLSafety.problems(in: Markdown.render("<i1ghttps://> [s](slack://open) [t](tel:+1555)").html) == [])
        #expect(HTMLSafety.problems(in: "<a href=\"FILE:///etc/passwd\">x</a><a href=\"Java\tScript:x\">y</a>").count == 2)
        // Markdown destinations that hide a scheme from cmark's own check.
        for md in ["[x](<java\tscript:alert(1)>)", "[x](java&#x09;script:alert(1))", "[x](<\u{1}javascript:alert(1)>)",
                   "[x](JAVASCRIPT:alert(1))", "<javascript:alert(1)>", "![i](data:text/html,x)"] {
            #expect(HTMLSafety.problems(in: Markdown.render(md).html) == [], Comment(rawValue: Markdown.render(md).html))
        }
    }

    @Test func unknownTagsShowAsWritten() {
        let result = HTMLSanitizer.sanitize("<p>https://<yourdomain>.com and <service-name></p>")
        #expect(result.html == "<p>https://&lt;yourdomain&gt;.com and &lt;service-name&gt;</p>")
    }

    @Test func preKeepsItsLeadingNewline() {
        #expect(HTMLSanitizer.sanitize("<pre>\n\nx</pre>").html == "<pre>\n\nx</pre>")
    }

    @Test func classesOnlyFromPreflightAndCode() {
        let html = #"<code class="language-swift evil">x</code><span class="task-box big">y</span>"#
        let result = HTMLSanitizer.sanitize(html)
        #expect(result.html == #"<code class="language-swift">x</code><span class="task-box">y</span>"#)
    }

    /// The byte-wise reading of ASCII `class` values keeps exactly the
    /// tokens that splitting and comparing as Characters keeps.
    @Test func classTokensReadAsBytesMatchCharacters() {
        let pieces = ["task-", "task-box", "language-swift", "align-", "align-left", "visually-hidden", "guidance",
            "guidance2", "Task-box", "languag", "evil", "", " ", "  ", "\t", "\n", "x", "-", "é", "task-é", "a\u{301}"]
        var random = SeededRandom(seed: 0xC1A55)
        for _ in 0..<3_000 {
            var value = ""
            for _ in 0..<random.below(6) { value += pieces[random.below(pieces.count)] }
            let tokens = value.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" })
            let kept = tokens.filter(HTMLSanitizer.keepsClass)
            let expected = (kept.isEmpty ? nil : kept.joined(separator: " "), kept.count < tokens.count)
            let got = HTMLSanitizer.keptClasses(value)
            #expect(got.kept == expected.0 && got.dropped == expected.1, "\(value.debugDescription)")
        }
    }

    @Test func hostileDepthIsShownAsText() {
        let deep = String(repeating: "<div>", count: 100_000) + "x"
        let result = HTMLSanitizer.sanitize(deep)
        #expect(isInert(result.html))
        #expect(!result.html.contains("<div>"))
        #expect(result.removed == ["HTML nested more than 512 elements deep (shown as text)"])
        // Depth just inside the bound still parses.
        let fine = String(repeating: "<span>", count: 400) + "x"
        #expect(HTMLSanitizer.sanitize(fine).html.hasPrefix("<span><span>"))
    }

    /// End tags that close nothing do not make room: a hostile tree cannot
    /// slip past the depth check that way (found by a hostile pass).
    @Test func strayEndTagsDoNotHideDepth() {
        #expect(HTMLSanitizer.tooComplex("<div>" + String(repeating: "<marquee></>", count: 2_000)) != nil)
        #expect(HTMLSanitizer.tooComplex("<div>" + String(repeating: "<b></x>", count: 2_000)) != nil)
        #expect(HTMLSanitizer.tooComplex(String(repeating: "<p><b>x</b></p><li>y<br>", count: 5_000)) == nil)
        let many = "<div " + (0..<300).map { "a\($0)=1" }.joined(separator: " ") + ">x</div>"
        #expect(HTMLSanitizer.tooComplex(many) == "a tag with more than 256 attributes")
        let result = HTMLSanitizer.sanitize("<div " + (0..<200).map { "a\($0)=1" }.joined(separator: " ") + ">x</div>")
        #expect(result.removed.count == 9 && result.removed.last == "192 more")
    }

    /// The densest nesting the depth check lets through (tables open three
    /// elements per counted tag) parses and frees on worker threads.
    @Test func deepestAllowedNestingOnWorkerThreads() {
        let tables = String(repeating: "<table><tr><td>", count: HTMLSanitizer.maxDepth - 1)
        let results = [tables, tables].parallelMap { HTMLSanitizer.sanitize($0) }
        #expect(results.allSatisfy { isInert($0.html) })
        #expect(results[0].html.hasPrefix("<table><tbody><tr><td><table>"))
    }

    @Test func urlSchemes() {
        #expect(HTMLSanitizer.isSafe(url: "https://a.example/", image: false))
        #expect(HTMLSanitizer.isSafe(url: "../x.png", image: true))
        #expect(HTMLSanitizer.isSafe(url: "#top", image: false))
        #expect(HTMLSanitizer.isSafe(url: "a/b:c", image: false))
        #expect(HTMLSanitizer.isSafe(url: "mailto:a@b.example", image: false))
        #expect(!HTMLSanitizer.isSafe(url: "mailto:a@b.example", image: true))
        #expect(!HTMLSanitizer.isSafe(url: "\u{1}javascript:x", image: false))
        #expect(!HTMLSanitizer.isSafe(url: "vbscript:x", image: false))
        #expect(!HTMLSanitizer.isSafe(url: "data:text/html,x", image: true))
        #expect(HTMLSanitizer.isSafe(url: "data:image/png;base64,AAAA", image: true))
    }

    @Test func tagsThatSwallowTheRestAreShownAsText() {
        let (html, filtered) = TagFilter.apply("a <script>x</script> <TITLE x=1> <svg/> <scripts> <b>")
        #expect(html == "a &lt;script>x&lt;/script> &lt;TITLE x=1> &lt;svg/> <scripts> <b>")
        #expect(filtered == ["script", "title", "svg"])
        let md = Markdown.render("The form escapes a pasted <script> tag.\n\n## Security\n\n- [x] Done {#a}\n\nClosing notes.\n")
        #expect(md.html.contains("a pasted &lt;script&gt; tag."))
        #expect(md.html.contains("Closing notes."))
        #expect(md.html.contains("<h2 id=\"security\">Security</h2>"))
        #expect(md.notes.map(\.message) == ["raw HTML shown as text: `<script>`"])
        // Table cells are parsed again from the source, and filtered too.
        let table = Markdown.render("| a |\n|---|\n| <title> x |\n\nafter the table\n")
        #expect(table.html.contains("<td>&lt;title&gt; x</td>"))
        #expect(table.html.contains("after the table"))
    }
}

@Suite struct SVGCheckTests {
    /// Each of these ran script in Chromium when an HTML parser did the checking.
    @Test(arguments: [
        #"<svg xmlns="http://www.w3.org/2000/svg"><title><style><script>P</script></style></title></svg>"#,
        #"<svg xmlns="http://www.w3.org/2000/svg"><desc><plaintext></plaintext></desc><script>P</script></svg>"#,
        #"<svg xmlns="http://www.w3.org/2000/svg"><desc><textarea><script>P</script></textarea></desc></svg>"#,
        "<?xml version=\"1.0\"?>\n<!DOCTYPE svg [ <!ATTLIST svg onload CDATA \"P\"> ]>\n<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
        #"<svg xmlns="http://www.w3.org/2000/svg"><animate attributeName="href" values="https://a;javascript:alert(1)"/></svg>"#,
        #"<svg:svg xmlns:svg="http://www.w3.org/2000/svg"><svg:script>P</svg:script></svg:svg>"#,
        #"<svg><a xlink:href="&#106;avascript:alert(1)">x</a></svg>"#,
        #"<svg><rect title=">" onclick="P"/></svg>"#,
        #"<svg><set attributeName="onmouseover" to="P"/></svg>"#,
        "<?xml-stylesheet type=\"text/xsl\" href=\"x.xsl\"?><svg/>",
    ])
    func unsafeSVGsAreRefused(_ svg: String) {
        #expect(SVGCheck.problem(Array(svg.utf8)) != nil)
    }

    @Test func utf16AndSafeFiles() {
        var utf16: [UInt8] = [0xFF, 0xFE]
        for unit in "<svg><script>P</script></svg>".utf16 { utf16 += [UInt8(unit & 0xFF), UInt8(unit >> 8)] }
        #expect(SVGCheck.problem(utf16)?.contains("not UTF-8") == true)
        let exported = """
            <?xml version="1.0" encoding="UTF-8"?>
            <!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">
            <!-- made by hand -->
            <svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="10" height="10">
            <style>.a { fill: #1f5fbf; }</style><![CDATA[ <script> in CDATA is text ]]>
            <a xlink:href="https://example.org/"><rect class="a" width="10" height="10"/></a>
            <image href="data:image/png;base64,AAAA" width="1" height="1"/><text>Onboarding &amp; online</text>
            </svg>
            """
        #expect(SVGCheck.problem(Array(exported.utf8)) == nil)
        let deep = "<svg xmlns=\"http://www.w3.org/2000/svg\">" + String(repeating: "<g></>", count: 400_000) + "</svg>"
        #expect(SVGCheck.problem(Array(deep.utf8)) == nil)
    }
}
