import CGumbo

/// An independent check of HTML that Preflight publishes from writers'
/// Markdown: parsed again as a browser would (inside a `<div>`), does it hold
/// anything that can run script or load a document? Deliberately written
/// without the sanitizer's allow-lists, as a deny-list of what must never
/// appear, so that the fuzzer and tests check the sanitizer rather than
/// repeat it.
public enum HTMLSafety {
    /// Elements that run code, load documents or take input.
    static let dangerousElements: Set<String> = [
        "script", "style", "iframe", "frame", "frameset", "object", "embed", "applet", "base", "link", "meta",
        "form", "input", "button", "textarea", "select", "template", "noscript", "xmp", "plaintext", "noembed",
        "noframes", "portal", "svg", "math", "canvas", "audio", "video", "source", "track", "image", "param",
    ]

    /// Attributes whose value is a URL a browser may follow or load.
    static let urlAttributes: Set<String> = [
        "href", "src", "action", "formaction", "xlink:href", "poster", "background", "cite", "data", "srcset",
        "lowsrc", "dynsrc", "longdesc", "usemap", "ping", "manifest", "codebase", "archive",
    ]

    /// What is unsafe in `html` (a fragment, as the inside of a `<div>`), in
    /// words; empty when nothing is. Elements in another namespace (SVG,
    /// MathML), script and document elements, event handler and `style`
    /// attributes, `srcdoc`, and URLs with a dangerous scheme (see
    /// `dangerousSchemes`; images may be `data:image/png|gif|jpeg|webp`).
    public static func problems(in html: String) -> [String] {
        var problems: [String] = []
        let parsed = GumboDocument.parse(html, fragmentOfDiv: true) { root in
            var stack = [root]
            while let node = stack.popLast() {
                guard node.pointee.type == GUMBO_NODE_ELEMENT || node.pointee.type == GUMBO_NODE_TEMPLATE else { continue }
                let element = node.pointee.v.element
                let name = element.tag == GUMBO_TAG_UNKNOWN
                    ? "unknown" : String(cString: gumbo_normalized_tagname(element.tag))
                if node != root {
                    if element.tag_namespace != GUMBO_NAMESPACE_HTML { problems.append("foreign element <\(name)>") }
                    if dangerousElements.contains(name) { problems.append("element <\(name)>") }
                    problems += attributeProblems(element, on: name)
                }
                let children = element.children
                for i in 0..<Int(children.length) {
                    stack.append(children.data[i]!.assumingMemoryBound(to: GumboNode.self))
                }
            }
        }
        return parsed ? problems : ["HTML that could not be parsed"]
    }

    private static func attributeProblems(_ element: GumboElement, on name: String) -> [String] {
        var problems: [String] = []
        let attributes = element.attributes
        for i in 0..<Int(attributes.length) {
            let attribute = attributes.data[i]!.assumingMemoryBound(to: GumboAttribute.self).pointee
            let key = String(cString: attribute.name).lowercased()
            let value = String(cString: attribute.value)
            if key.hasPrefix("on") || key == "style" || key == "srcdoc" {
                problems.append("attribute \(key) on <\(name)>")
            } else if urlAttributes.contains(key), !isHarmless(url: value, image: name == "img" && key == "src") {
                problems.append("URL \(key)=\(value.prefix(40)) on <\(name)>")
            }
        }
        return problems
    }

    /// Schemes that run script in the page, or open a local file or an
    /// inline document: what no published link may carry. Other schemes
    /// (`tel:`, `slack:`, `vscode:`) are links to other programs, as on
    /// GitHub, and Markdown links keep them; raw HTML is held to a stricter
    /// allow-list by the sanitizer itself.
    static let dangerousSchemes: Set<Substring> = ["javascript", "vbscript", "livescript", "mocha", "file", "data"]

    /// Whether a URL is free of a dangerous scheme; a data URL is fine only
    /// as an image's picture (png, gif, jpeg, webp). Whitespace and control
    /// characters are ignored wherever they are, as browsers ignore some of
    /// them in schemes.
    static func isHarmless(url: String, image: Bool) -> Bool {
        let compact = String(String.UnicodeScalarView(url.unicodeScalars.filter { $0.value > 0x20 && $0.value != 0x7F }))
            .lowercased()
        guard let colon = compact.firstIndex(of: ":") else { return true }
        let scheme = compact[..<colon]
        if scheme.contains(where: { $0 == "/" || $0 == "?" || $0 == "#" }) { return true }
        guard dangerousSchemes.contains(scheme) else { return true }
        guard scheme == "data", image else { return false }
        let rest = compact[compact.index(after: colon)...]
        return ["image/png", "image/gif", "image/jpeg", "image/webp"].contains { rest.hasPrefix($0) }
    }
}
