import PreflightCore

/// Any text as Markdown with raw HTML, rendered as a review's body is (raw
/// HTML sanitized): whatever the input, the page must hold no script, no
/// event handler, no style attribute and no unsafe URL. `HTMLSafety` parses
/// the output again as a browser would and checks it against a deny-list
/// written apart from the sanitizer's allow-list.
func fuzzOne(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    for body in [text, "<div>\n" + text + "\n</div>\n"] {
        let html = Markdown.render(body).html
        let problems = HTMLSafety.problems(in: html)
        precondition(problems.isEmpty, "unsafe output \(problems) from input \(body.debugDescription)")
    }
    return 0
}
