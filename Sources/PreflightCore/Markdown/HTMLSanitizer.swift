import CGumbo

#if canImport(Glibc)
    import Glibc
#endif

/// Keeps the safe part of raw HTML, in the spirit of GitHub's sanitizer.
///
/// The HTML is parsed by gumbo, a real HTML5 parser, as the children of a
/// `<div>`, exactly as a browser would; the output is written from that tree,
/// never patched text. What survives is an allow-list: elements (see
/// `keep`), attributes per element, URLs with a safe scheme. Elements a
/// browser treats as code or as foreign content (`script`, `style`, `svg`,
/// `iframe`, forms' controls) go with everything inside them; any other
/// known element outside the list loses its tags and keeps its content; a
/// tag HTML does not know (`<yourdomain>`) is shown as the text it was.
enum HTMLSanitizer {
    /// What `sanitize` returns: the safe HTML, and a short description of
    /// each kind of thing it removed (in order of first appearance, no repeats).
    struct Result {
        var html: String
        var removed: [String]
    }

    /// Elements kept with their content.
    static let keep: Set<String> = [
        "a", "abbr", "b", "bdi", "bdo", "blockquote", "br", "caption", "cite", "code", "col", "colgroup",
        "dd", "del", "details", "dfn", "div", "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3",
        "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "rp", "rt",
        "ruby", "s", "samp", "small", "span", "strike", "strong", "sub", "summary", "sup", "table",
        "tbody", "td", "tfoot", "th", "thead", "time", "tr", "tt", "u", "ul", "var", "wbr",
    ]

    /// Elements removed with everything inside them: code, styles, embedded
    /// documents, foreign (SVG, MathML) content, form controls, and the
    /// raw-text elements whose content browsers do not parse as HTML.
    static let dropWithContent: Set<String> = [
        "script", "style", "template", "iframe", "frame", "frameset", "object", "embed", "applet", "param",
        "noscript", "noembed", "noframes", "xmp", "plaintext", "textarea", "title", "select", "option",
        "optgroup", "datalist", "input", "button", "svg", "math", "head", "meta", "link", "base", "canvas",
        "audio", "video", "source", "track", "portal", "dialog", "keygen", "image",
    ]

    static let voidElements: Set<String> = ["br", "col", "hr", "img", "wbr"]

    /// Tags that never nest: void elements, and those the parser closes
    /// by itself when the next one opens.
    static let unclosed: Set<String> = [
        "br", "col", "hr", "img", "wbr", "input", "meta", "link", "area", "base", "embed", "param",
        "source", "track", "li", "p", "dt", "dd", "tr", "td", "th", "option",
    ]

    /// Attributes every kept element may carry.
    static let globalAttributes: Set<String> = [
        "id", "title", "lang", "dir", "align", "aria-label", "aria-hidden", "aria-describedby", "role",
    ]

    static let elementAttributes: [String: Set<String>] = [
        "a": ["href", "name", "rel"],
        "img": ["src", "alt", "width", "height"],
        "ol": ["start", "reversed", "type"],
        "ul": ["type"],
        "li": ["value"],
        "td": ["colspan", "rowspan", "valign"],
        "th": ["colspan", "rowspan", "valign", "scope", "abbr"],
        "col": ["span", "width"],
        "colgroup": ["span", "width"],
        "details": ["open"],
        "blockquote": ["cite"],
        "q": ["cite"],
        "del": ["cite", "datetime"],
        "ins": ["cite", "datetime"],
        "time": ["datetime"],
        "table": ["summary", "width"],
    ]

    /// Attributes holding a URL, checked against `safe(url:…)`.
    static let urlAttributes: Set<String> = ["href", "src", "cite"]

    /// `class` tokens kept: the ones Preflight's own Markdown output uses
    /// (task boxes, table alignment) and fenced code's `language-…`.
    static func keepsClass(_ token: Substring) -> Bool {
        keptClassPrefixes.contains { token.hasPrefix($0) } || keptClassNames.contains { token == $0 }
    }

    static let keptClassPrefixes = ["language-", "task-", "align-"]
    static let keptClassNames = ["visually-hidden", "guidance"]

    /// The `class` tokens of `value` that `keepsClass` keeps, joined by
    /// single spaces (nil when none is), and whether any was dropped.
    /// Tokens are split at spaces, tabs and line breaks (gumbo has already
    /// made every line break a `\n`).
    static func keptClasses(_ value: String) -> (kept: String?, dropped: Bool) {
        let utf8 = value.utf8
        guard utf8.allSatisfy({ $0 < 0x80 }) else {
            // Outside ASCII a Character may span several bytes: split and
            // compare as Characters.
            let tokens = value.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" })
            let kept = tokens.filter(keepsClass)
            return (kept.isEmpty ? nil : kept.joined(separator: " "), kept.count < tokens.count)
        }
        // ASCII, the usual case: each byte is a Character, so bytes decide
        // exactly as the Characters would, without an array of tokens.
        func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A }
        func keeps(_ token: Substring.UTF8View) -> Bool {
            keptClassPrefixes.contains { token.starts(with: $0.utf8) }
                || keptClassNames.contains { token.elementsEqual($0.utf8) }
        }
        var kept: String?
        var dropped = false
        var start = utf8.startIndex
        while start < utf8.endIndex {
            guard !isSpace(utf8[start]) else {
                start = utf8.index(after: start)
                continue
            }
            var end = start
            while end < utf8.endIndex, !isSpace(utf8[end]) { end = utf8.index(after: end) }
            let token = Substring(value)[start..<end]
            if keeps(token.utf8) {
                if kept == nil { kept = String(token) } else { kept! += " " + token }
            } else {
                dropped = true
            }
            start = end
        }
        return (kept, dropped)
    }

    /// Nesting deeper than this is shown as text (no real page nests
    /// hundreds of elements); the writer cuts off anything deeper that the
    /// parser builds anyway.
    static let maxDepth = 512

    /// Sanitizes `html`, an HTML fragment (the inside of a `<div>`).
    static func sanitize(_ html: String) -> Result {
        sanitize(html, onlyIfClosed: false)!
    }

    /// Sanitizes `html` as `sanitize` does, but only when it leaves the
    /// parser as it found it: every element it opened closed, no comment,
    /// tag or raw text left open, no formatting to carry on. Nil when it
    /// does not: what follows it in a document then belongs to the same
    /// fragment, as it would in a browser.
    static func sanitizeIfClosed(_ html: String) -> Result? {
        sanitize(html, onlyIfClosed: true)
    }

    /// Text put after the HTML to see where the parser would put what comes
    /// next: it is the fragment's own last text, outside every element,
    /// only when the HTML closed all it opened. Private-use characters, and
    /// HTML that holds them is never taken as closed.
    private static let probe = "\u{E002}\u{E003}"

    private static func sanitize(_ html: String, onlyIfClosed: Bool) -> Result? {
        if onlyIfClosed && html.utf8.firstRange(of: probe.utf8) != nil { return nil }
        var removed: [String] = []
        var noted: Set<String> = []
        var more = 0
        func note(_ what: String) {
            guard !noted.contains(what) else { return }
            // A hostile tag with thousands of attributes must not make a
            // warning of thousands of names.
            guard removed.count < 8 else {
                more += 1
                noted.insert(what)
                return
            }
            noted.insert(what)
            removed.append(what)
        }
        if let why = tooComplex(html) {
            guard !onlyIfClosed else { return nil }
            note(why + " (shown as text)")
            return Result(html: escapeHTML(html), removed: removed)
        }
        var out: [UInt8] = []
        out.reserveCapacity(html.utf8.count + html.utf8.count / 8)
        var closed = true
        let parsed = GumboDocument.parse(onlyIfClosed ? html + probe : html, fragmentOfDiv: true) { root in
            if onlyIfClosed {
                let children = root.pointee.v.element.children
                closed = children.length > 0
                    && {
                        let last = children.data[Int(children.length) - 1]!.assumingMemoryBound(to: GumboNode.self)
                        return last.pointee.type == GUMBO_NODE_TEXT
                            && String(cString: last.pointee.v.text.text).utf8.reversed()
                                .starts(with: probe.utf8.reversed())
                    }()
                guard closed else { return }
            }
            Writer(note: note).write(childrenOf: root, into: &out)
        }
        guard parsed else {
            guard !onlyIfClosed else { return nil }
            return Result(html: escapeHTML(html), removed: ["HTML that could not be parsed"])
        }
        guard closed else { return nil }
        // The probe is text the writer copied last, as it was (nothing in it is escaped).
        if onlyIfClosed {
            guard out.count >= probe.utf8.count, out.suffix(probe.utf8.count).elementsEqual(probe.utf8) else {
                return nil
            }
            out.removeLast(probe.utf8.count)
        }
        if more > 0 { removed.append("\(more) more") }
        return Result(html: String(decoding: out, as: UTF8.self), removed: removed)
    }

    /// Why `html` is not handed to the parser, nil when it may be: nesting
    /// deeper than `maxDepth` allows (counted as a browser would close
    /// tags, so `</x>` closing nothing does not help), or a tag with more
    /// attributes than any page needs. Both would make gumbo slow (it scans
    /// open elements and attributes), and deep trees are freed recursively.
    static func tooComplex(_ html: String) -> String? {
        // Tag names as hashes of their lower-cased bytes: no string per tag.
        var stack: [UInt64] = []
        var counts: [UInt64: Int] = [:]
        var result: String?
        let scanned: Void? = html.utf8.withContiguousStorageIfAvailable { bytes in
            var i = 0
            func isLetter(_ b: UInt8) -> Bool { (b | 0x20) >= UInt8(ascii: "a") && (b | 0x20) <= UInt8(ascii: "z") }
            while i + 1 < bytes.count {
                guard bytes[i] == UInt8(ascii: "<") else {
                    i += 1
                    continue
                }
                let closing = bytes[i + 1] == UInt8(ascii: "/")
                var j = i + (closing ? 2 : 1)
                let nameStart = j
                var hash: UInt64 = 0xcbf2_9ce4_8422_2325
                while j < bytes.count, isLetter(bytes[j]) || (j > nameStart && bytes[j] >= 0x30 && bytes[j] <= 0x39) {
                    hash = (hash ^ UInt64(bytes[j] | (isLetter(bytes[j]) ? 0x20 : 0))) &* 0x100_0000_01b3
                    j += 1
                }
                guard j > nameStart else {
                    i += 1
                    continue
                }
                if closing {
                    if counts[hash, default: 0] > 0 {
                        while let top = stack.popLast() {
                            counts[top]! -= 1
                            if top == hash { break }
                        }
                    }
                } else {
                    // Attributes: count `=` up to the end of the tag, outside quotes.
                    var quote: UInt8 = 0
                    var equals = 0
                    while j < bytes.count {
                        let b = bytes[j]
                        if quote != 0 {
                            if b == quote { quote = 0 }
                        } else if b == UInt8(ascii: "\"") || b == UInt8(ascii: "'") {
                            quote = b
                        } else if b == UInt8(ascii: "=") {
                            equals += 1
                        } else if b == UInt8(ascii: ">") {
                            break
                        }
                        j += 1
                    }
                    if equals > maxAttributes {
                        result = "a tag with more than \(maxAttributes) attributes"
                        return
                    }
                    if !unclosedHashes.contains(hash) {
                        stack.append(hash)
                        counts[hash, default: 0] += 1
                        if stack.count > maxDepth {
                            result = "HTML nested more than \(maxDepth) elements deep"
                            return
                        }
                    }
                }
                i = max(j, i + 1)
            }
        }
        if scanned == nil {
            var copy = html
            copy.makeContiguousUTF8()
            return tooComplex(copy)
        }
        return result
    }

    private static let unclosedHashes: Set<UInt64> = Set(unclosed.map { name in
        name.utf8.reduce(UInt64(0xcbf2_9ce4_8422_2325)) { ($0 ^ UInt64($1)) &* 0x100_0000_01b3 }
    })

    static let maxAttributes = 256

    /// What the writer does with an element of a tag gumbo knows, decided
    /// once per tag rather than from the tag's name at each element.
    private enum TagRule {
        /// Kept: its name's bytes, whether it is void, the attributes it may
        /// carry besides the global ones.
        case keep(name: [UInt8], void: Bool, allowed: Set<String>?)
        /// Removed with its content; the note says what went.
        case drop(note: String)
        /// Tags removed, content kept; nil for `<html>` and `<body>`, which
        /// the parser ignores anyway.
        case unwrap(note: String?)
    }

    /// `TagRule`s indexed by gumbo's tag number.
    private static let tagRules: [TagRule] = (0..<Int(GUMBO_TAG_LAST.rawValue)).map { number in
        let name = String(cString: gumbo_normalized_tagname(GumboTag(rawValue: UInt32(number))))
        if dropWithContent.contains(name) { return .drop(note: "`<\(name)>`") }
        if keep.contains(name) {
            return .keep(name: Array(name.utf8), void: voidElements.contains(name), allowed: elementAttributes[name])
        }
        return .unwrap(note: name == "html" || name == "body" ? nil : "`<\(name)>` tags (their content is kept)")
    }

    /// Writes the kept part of a gumbo tree, depth first, without recursion,
    /// as UTF-8 bytes. Gumbo's text is UTF-8 (it replaces what is not), so
    /// `appendEscapedHTML` writes what `escapeHTML` would.
    private struct Writer {
        let note: (String) -> Void

        private enum Step {
            case enter(UnsafeMutablePointer<GumboNode>, depth: Int)
            case close(name: [UInt8])
            case text([UInt8])
        }

        func write(childrenOf root: UnsafeMutablePointer<GumboNode>, into out: inout [UInt8]) {
            var stack: [Step] = []
            pushChildren(of: root, depth: 0, onto: &stack)
            while let step = stack.popLast() {
                switch step {
                case .close(let name):
                    out.append(contentsOf: "</".utf8)
                    out.append(contentsOf: name)
                    out.append(UInt8(ascii: ">"))
                case .text(let text): out.append(contentsOf: text)
                case .enter(let node, let depth): enter(node, depth: depth, stack: &stack, out: &out)
                }
            }
        }

        private func pushChildren(
            of node: UnsafeMutablePointer<GumboNode>, depth: Int, onto stack: inout [Step]
        ) {
            let children = node.pointee.v.element.children
            guard children.length > 0 else { return }
            for i in (0..<Int(children.length)).reversed() {
                let child = children.data[i]!.assumingMemoryBound(to: GumboNode.self)
                stack.append(.enter(child, depth: depth + 1))
            }
        }

        private func enter(
            _ node: UnsafeMutablePointer<GumboNode>, depth: Int, stack: inout [Step], out: inout [UInt8]
        ) {
            switch node.pointee.type {
            case GUMBO_NODE_TEXT, GUMBO_NODE_WHITESPACE:
                Self.appendEscaped(cString: node.pointee.v.text.text, to: &out)
            case GUMBO_NODE_CDATA:
                // Only SVG and MathML have CDATA, and they are dropped whole.
                note("CDATA section")
            case GUMBO_NODE_COMMENT, GUMBO_NODE_DOCUMENT:
                break
            case GUMBO_NODE_ELEMENT, GUMBO_NODE_TEMPLATE:
                element(node, depth: depth, stack: &stack, out: &out)
            default:
                break
            }
        }

        private func element(
            _ node: UnsafeMutablePointer<GumboNode>, depth: Int, stack: inout [Step], out: inout [UInt8]
        ) {
            let element = node.pointee.v.element
            if element.tag_namespace != GUMBO_NAMESPACE_HTML {
                note("`<\(element.tag_namespace == GUMBO_NAMESPACE_SVG ? "svg" : "math")>` content")
                return
            }
            if element.tag == GUMBO_TAG_UNKNOWN || element.tag.rawValue >= GUMBO_TAG_LAST.rawValue {
                // Not an HTML element at all: most often a placeholder such as
                // `https://<yourdomain>.com`. Show it as written.
                let start = Self.text(element.original_tag)
                Self.appendEscaped(start, to: &out)
                // An element closed by the parser points at whatever closed it:
                // show an end tag only when it is this element's own.
                let end = Self.text(element.original_end_tag)
                let tagName = start.dropFirst().prefix { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }
                if !tagName.isEmpty, end.lowercased().hasPrefix("</" + tagName.lowercased()) {
                    var escapedEnd: [UInt8] = []
                    Self.appendEscaped(end, to: &escapedEnd)
                    stack.append(.text(escapedEnd))
                }
                pushChildren(of: node, depth: depth, onto: &stack)
                return
            }
            if depth > HTMLSanitizer.maxDepth {
                note("HTML nested more than \(HTMLSanitizer.maxDepth) elements deep")
                return
            }
            switch HTMLSanitizer.tagRules[Int(element.tag.rawValue)] {
            case .drop(let what):
                note(what)
            case .unwrap(let what):
                if let what { note(what) }
                pushChildren(of: node, depth: depth, onto: &stack)
            case .keep(let name, let void, let allowed):
                out.append(UInt8(ascii: "<"))
                out.append(contentsOf: name)
                attributes(of: element, allowed: allowed, isImage: element.tag == GUMBO_TAG_IMG, into: &out)
                out.append(UInt8(ascii: ">"))
                if void { return }
                stack.append(.close(name: name))
                // The parser drops one newline right after `<pre>`: write it back
                // so the text keeps its first line break.
                if element.tag == GUMBO_TAG_PRE, element.children.length > 0,
                    let first = element.children.data[0]?.assumingMemoryBound(to: GumboNode.self),
                    first.pointee.type == GUMBO_NODE_TEXT || first.pointee.type == GUMBO_NODE_WHITESPACE,
                    first.pointee.v.text.text.pointee == 0x0A
                {
                    out.append(0x0A)
                }
                pushChildren(of: node, depth: depth, onto: &stack)
            }
        }

        private func attributes(of element: GumboElement, allowed: Set<String>?, isImage: Bool, into out: inout [UInt8]) {
            let attributes = element.attributes
            guard attributes.length > 0 else { return }
            for i in 0..<Int(attributes.length) {
                let attribute = attributes.data[i]!.assumingMemoryBound(to: GumboAttribute.self).pointee
                let key = String(cString: attribute.name)
                var value = String(cString: attribute.value)
                if key == "class" {
                    let (kept, dropped) = HTMLSanitizer.keptClasses(value)
                    if dropped { note("`class` values") }
                    guard let kept else { continue }
                    value = kept
                } else if !HTMLSanitizer.globalAttributes.contains(key), allowed?.contains(key) != true {
                    note(key.hasPrefix("on") ? "`\(key)` event handlers" : "`\(key)` attributes")
                    continue
                }
                if HTMLSanitizer.urlAttributes.contains(key), !HTMLSanitizer.isSafe(url: value, image: isImage) {
                    note("unsafe URL `\(HTMLSanitizer.schemePreview(value))`")
                    continue
                }
                out.append(UInt8(ascii: " "))
                out.append(contentsOf: key.utf8)
                out.append(contentsOf: "=\"".utf8)
                Self.appendEscaped(value, to: &out)
                out.append(UInt8(ascii: "\""))
            }
        }

        static func text(_ piece: GumboStringPiece) -> String {
            guard let data = piece.data, piece.length > 0 else { return "" }
            return data.withMemoryRebound(to: UInt8.self, capacity: piece.length) {
                String(decoding: UnsafeBufferPointer(start: $0, count: piece.length), as: UTF8.self)
            }
        }

        private static func appendEscaped(cString: UnsafePointer<CChar>, to out: inout [UInt8]) {
            let bytes = UnsafeRawPointer(cString).assumingMemoryBound(to: UInt8.self)
            appendEscapedHTML(UnsafeBufferPointer(start: bytes, count: strlen(cString)), to: &out)
        }

        private static func appendEscaped(_ text: String, to out: inout [UInt8]) {
            var text = text
            text.withUTF8 { appendEscapedHTML($0, to: &out) }
        }
    }

    /// Whether a URL may stay: relative (no scheme) or fragment-only, or
    /// `http`, `https` and (links only) `mailto`; on images also `data:`
    /// pictures of the kinds cmark itself lets through. Browsers ignore tabs
    /// and line breaks inside a scheme and spaces around it, so they are
    /// removed before the scheme is read.
    static func isSafe(url: String, image: Bool) -> Bool {
        let cleaned = url.unicodeScalars.filter { $0 != "\t" && $0 != "\n" && $0 != "\r" }
        var trimmed = Substring(String(String.UnicodeScalarView(cleaned)))
        while let first = trimmed.unicodeScalars.first, first.value <= 0x20 { trimmed = trimmed.dropFirst() }
        guard let colon = trimmed.firstIndex(of: ":") else { return true }
        let beforeColon = trimmed[..<colon]
        if beforeColon.contains(where: { $0 == "/" || $0 == "?" || $0 == "#" }) { return true }
        let scheme = beforeColon.lowercased()
        if scheme == "http" || scheme == "https" { return true }
        if scheme == "mailto" { return !image }
        if image, scheme == "data" {
            let rest = trimmed[trimmed.index(after: colon)...].lowercased()
            return ["image/png", "image/gif", "image/jpeg", "image/webp"].contains { rest.hasPrefix($0) }
        }
        return false
    }

    /// The start of an unsafe URL for a diagnostic: its scheme and a little more.
    static func schemePreview(_ url: String) -> String {
        let short = url.prefix(24)
        return short.count < url.count ? short + "…" : String(short)
    }
}
