import CCmark

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Thin, internal helpers over `cmark_node *`. C types never leave this folder.
typealias CmarkNode = OpaquePointer

extension OpaquePointer {
    var nodeType: cmark_node_type { cmark_node_get_type(self) }
    var firstChild: CmarkNode? { cmark_node_first_child(self) }
    var lastChild: CmarkNode? { cmark_node_last_child(self) }
    var next: CmarkNode? { cmark_node_next(self) }
    var parent: CmarkNode? { cmark_node_parent(self) }
    var startLine: Int { Int(cmark_node_get_start_line(self)) }
    var startColumn: Int { Int(cmark_node_get_start_column(self)) }
    var endLine: Int { Int(cmark_node_get_end_line(self)) }
    var headingLevel: Int { Int(cmark_node_get_heading_level(self)) }

    var literal: String {
        get { cmark_node_get_literal(self).map { String(cString: $0) } ?? "" }
        nonmutating set { _ = cmark_node_set_literal(self, newValue) }
    }

    var children: [CmarkNode] {
        var result: [CmarkNode] = []
        var child = firstChild
        while let c = child {
            result.append(c)
            child = c.next
        }
        return result
    }

    /// The text a reader sees in this node's inline content, markup removed.
    /// Iterative (cmark's own iterator), so deep nesting cannot overflow the stack.
    var plainText: String {
        var text = ""
        for (event, node) in NodeWalk(self) where event == CMARK_EVENT_ENTER {
            switch node.nodeType {
            case CMARK_NODE_TEXT, CMARK_NODE_CODE: text += node.literal
            case CMARK_NODE_SOFTBREAK, CMARK_NODE_LINEBREAK: text += " "
            default: break
            }
        }
        return text
    }

    /// cmark's HTML for this subtree. `unsafe` lets raw HTML and every URL through.
    func renderHTML(unsafe: Bool) -> String {
        let options = unsafe ? CMARK_OPT_UNSAFE : CMARK_OPT_DEFAULT
        guard let buffer = cmark_render_html(self, options) else { return "" }
        defer { free(buffer) }
        return String(cString: buffer)
    }

    /// This subtree's HTML with raw HTML treated as `mode` says. When
    /// sanitizing, a subtree without raw HTML takes cmark's safe mode.
    func renderHTML(_ mode: HTMLMode) -> String {
        switch mode {
        case .unsafe: return renderHTML(unsafe: true)
        case .safe: return renderHTML(unsafe: false)
        case .sanitize:
            return holdsRawHTML ? HTMLSanitizer.sanitize(renderHTML(unsafe: true)).html : renderHTML(unsafe: false)
        }
    }

    /// Whether this subtree holds raw HTML, block or inline.
    var holdsRawHTML: Bool {
        NodeWalk(self).contains { event, node in
            event == CMARK_EVENT_ENTER
                && (node.nodeType == CMARK_NODE_HTML_BLOCK || node.nodeType == CMARK_NODE_HTML_INLINE)
        }
    }

    /// The HTML of this node's children, raw HTML sanitized. The children
    /// from the first that holds raw HTML to the last are sanitized together,
    /// as one fragment (an element one child opens may hold the next ones,
    /// as in a browser); the children before and after are cmark's safe
    /// output, exactly as in a document without raw HTML. HTML is parsed
    /// forward only, and cmark closes every element it opens, so the
    /// children before cannot be changed by what follows them. The children
    /// after are left out only when the raw HTML closes all it opens (the
    /// sanitizer checks); otherwise they join the fragment. The sanitizer's
    /// cost so follows the part of a document that holds raw HTML.
    func renderChildrenSanitized() -> HTMLSanitizer.Result {
        let all = children
        guard let first = all.firstIndex(where: \.holdsRawHTML), let last = all.lastIndex(where: \.holdsRawHTML) else {
            return HTMLSanitizer.Result(html: renderHTML(unsafe: false), removed: [])
        }
        let before = all[..<first].map { $0.renderHTML(unsafe: false) }.joined()
        let withHTML = all[first...last].map { $0.renderHTML(unsafe: true) }.joined()
        let after = all[(last + 1)...]
        var result: HTMLSanitizer.Result
        if after.isEmpty {
            result = HTMLSanitizer.sanitize(withHTML)
        } else if let closed = HTMLSanitizer.sanitizeIfClosed(withHTML) {
            result = closed
            result.html += after.map { $0.renderHTML(unsafe: false) }.joined()
        } else {
            result = HTMLSanitizer.sanitize(withHTML + after.map { $0.renderHTML(unsafe: true) }.joined())
        }
        result.html = before + result.html
        return result
    }

    /// A custom node whose HTML is `enter` … children … `exit`, passed through
    /// verbatim (we build these strings, escaped, so safe mode does not apply).
    static func custom(block: Bool, enter: String, exit: String) -> CmarkNode {
        let node = cmark_node_new(block ? CMARK_NODE_CUSTOM_BLOCK : CMARK_NODE_CUSTOM_INLINE)!
        cmark_node_set_on_enter(node, enter)
        cmark_node_set_on_exit(node, exit)
        return node
    }

    /// Moves every child of `self` to the end of `target`.
    func moveChildren(to target: CmarkNode) {
        while let child = firstChild {
            cmark_node_unlink(child)
            cmark_node_append_child(target, child)
        }
    }
}

/// Parses CommonMark into a document the caller must `cmark_node_free`.
func parseDocument(_ text: String) -> CmarkNode {
    let length = text.utf8.count
    return text.withCString { cmark_parse_document($0, length, CMARK_OPT_DEFAULT)! }
}

/// cmark's enter/exit iterator as a Swift sequence. The iterator is freed
/// when the walk ends or is dropped, so a loop may stop early (`break`,
/// `return`, `contains`, `first(where:)`) without leaking it.
struct NodeWalk: Sequence, IteratorProtocol {
    /// Owns one `cmark_iter`; frees it when the last copy of the walk goes.
    private final class Handle {
        let iterator: OpaquePointer

        init?(_ root: CmarkNode) {
            guard let iterator = cmark_iter_new(root) else { return nil }
            self.iterator = iterator
        }

        deinit { cmark_iter_free(iterator) }
    }

    private var handle: Handle?

    init(_ root: CmarkNode) {
        handle = Handle(root)
    }

    mutating func next() -> (cmark_event_type, CmarkNode)? {
        guard let iterator = handle?.iterator else { return nil }
        let event = cmark_iter_next(iterator)
        if event == CMARK_EVENT_DONE || event == CMARK_EVENT_NONE {
            handle = nil
            return nil
        }
        return (event, cmark_iter_get_node(iterator))
    }
}

/// cmark's HTML escaping of text (`&`, `<`, `>`, `"`), byte for byte.
func appendCmarkEscaped(_ text: String, to out: inout String) {
    var start = text.utf8.startIndex
    var index = start
    let utf8 = text.utf8
    while index != utf8.endIndex {
        let replacement: String?
        switch utf8[index] {
        case UInt8(ascii: "&"): replacement = "&amp;"
        case UInt8(ascii: "<"): replacement = "&lt;"
        case UInt8(ascii: ">"): replacement = "&gt;"
        case UInt8(ascii: "\""): replacement = "&quot;"
        default: replacement = nil
        }
        if let replacement {
            out += text[start..<index]
            out += replacement
            start = utf8.index(after: index)
        }
        index = utf8.index(after: index)
    }
    out += text[start...]
}

/// Collapses runs of white space to one space and trims both ends.
func collapseWhitespace(_ text: String) -> String {
    var bytes: [UInt8] = []
    bytes.reserveCapacity(text.utf8.count)
    var pendingSpace = false
    for b in text.utf8 {
        if b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D {
            pendingSpace = !bytes.isEmpty
        } else {
            if pendingSpace { bytes.append(0x20) }
            pendingSpace = false
            bytes.append(b)
        }
    }
    return String(decoding: bytes, as: UTF8.self)
}
