/// Tags that would swallow what follows them are written as text, as
/// GitHub's "tagfilter" does: a `<script>`, `<title>` or `<textarea>` typed
/// in prose (often while writing *about* it) makes a browser, and the
/// sanitizer's parser, read the rest of the page as that element's raw
/// content. Shown as text, the sentence reads as written and the rest of
/// the page stays. Applies when raw HTML is sanitized, never with
/// `unsafe_html: true`.
enum TagFilter {
    /// GitHub's list, plus the elements whose content the sanitizer would
    /// drop with them and that a stray opening tag makes run on: templates,
    /// select boxes, embedded objects, foreign SVG and MathML, frames.
    static let names: [String] = [
        "title", "textarea", "style", "xmp", "iframe", "noembed", "noframes", "script", "plaintext",
        "noscript", "template", "select", "option", "optgroup", "datalist", "object", "applet", "embed",
        "svg", "math", "frameset", "frame",
    ]

    /// `html` with the `<` of each filtered start or end tag written `&lt;`,
    /// and the names filtered, in order, each once.
    static func apply(_ html: String) -> (html: String, filtered: [String]) {
        guard html.utf8.contains(UInt8(ascii: "<")) else { return (html, []) }
        var out = ""
        var filtered: [String] = []
        var rest = Substring(html)
        while let open = rest.firstIndex(of: "<") {
            out += rest[..<open]
            let after = rest[rest.index(after: open)...]
            let nameStart = after.first == "/" ? after.dropFirst() : after
            let name = nameStart.prefix { $0.isLetter }.lowercased()
            let next = nameStart.dropFirst(name.count).first
            if names.contains(name), next == nil || next == ">" || next == "/" || next!.isWhitespace {
                out += "&lt;"
                if !filtered.contains(name) { filtered.append(name) }
            } else {
                out += "<"
            }
            rest = after
        }
        out += rest
        return (out, filtered)
    }
}
