import CCmark

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Bare `http://` and `https://` URLs in text become links, as on GitHub
/// (its "extended autolinks", for these two schemes): the URL starts at the
/// start of a text, after white space or one of `*_~(`, runs to white space
/// or `<`, and leaves out trailing punctuation (`?!.,:*_~'"`), a `)` that
/// closes nothing, and a trailing entity-like `&name;`.
enum Autolink {
    /// Cheap pre-check on a text node, on cmark's own bytes: every text node
    /// of every document passes here, and most hold no URL.
    static func mayContainURL(_ node: CmarkNode) -> Bool {
        guard let literal = cmark_node_get_literal(node) else { return false }
        return strstr(literal, "http://") != nil || strstr(literal, "https://") != nil
    }

    /// Links every bare URL in the text nodes under `root` that are not
    /// already inside a link or an image.
    static func linkAll(in root: CmarkNode) {
        var found: [CmarkNode] = []
        var linkDepth = 0
        for (event, node) in NodeWalk(root) {
            let type = node.nodeType
            if type == CMARK_NODE_LINK || type == CMARK_NODE_IMAGE {
                linkDepth += event == CMARK_EVENT_ENTER ? 1 : -1
            } else if event == CMARK_EVENT_ENTER, type == CMARK_NODE_TEXT, linkDepth == 0, mayContainURL(node) {
                found.append(node)
            }
        }
        for node in found { link(node) }
    }

    /// Splits the text node `node` around the URLs it holds, each made a link.
    static func link(_ node: CmarkNode) {
        let text = node.literal
        let ranges = urls(in: text)
        guard !ranges.isEmpty else { return }
        var position = text.startIndex
        for range in ranges {
            if position < range.lowerBound {
                cmark_node_insert_before(node, textNode(String(text[position..<range.lowerBound])))
            }
            let url = String(text[range])
            let link = cmark_node_new(CMARK_NODE_LINK)!
            cmark_node_set_url(link, url)
            cmark_node_append_child(link, textNode(url))
            cmark_node_insert_before(node, link)
            position = range.upperBound
        }
        // The node itself keeps what follows the last URL, so callers that
        // hold it (the task box reader) still find it in the tree.
        node.literal = String(text[position...])
    }

    private static func textNode(_ text: String) -> CmarkNode {
        let node = cmark_node_new(CMARK_NODE_TEXT)!
        node.literal = text
        return node
    }

    /// The ranges of the bare URLs in `text`.
    static func urls(in text: String) -> [Range<String.Index>] {
        var result: [Range<String.Index>] = []
        var search = text.startIndex
        while search < text.endIndex,
            let match = text.range(of: "http", options: [], range: search..<text.endIndex)
        {
            search = match.upperBound
            var rest = text[match.upperBound...]
            if rest.hasPrefix("s") { rest = rest.dropFirst() }
            guard rest.hasPrefix("://") else { continue }
            if match.lowerBound > text.startIndex {
                let before = text[text.index(before: match.lowerBound)]
                guard before.isWhitespace || "*_~(".contains(before) else { continue }
            }
            let hostStart = rest.index(rest.startIndex, offsetBy: 3)
            var end = hostStart
            while end < text.endIndex, !text[end].isWhitespace, text[end] != "<" { end = text.index(after: end) }
            var url = text[match.lowerBound..<end]
            url = trimmed(url)
            let host = text[hostStart..<url.endIndex].prefix { $0 != "/" && $0 != "?" && $0 != "#" }
            guard let first = host.first, first.isLetter || first.isNumber,
                host.allSatisfy({ $0.isLetter || $0.isNumber || "-_.:".contains($0) })
            else { continue }
            result.append(url.startIndex..<url.endIndex)
            search = url.endIndex
        }
        return result
    }

    /// `url` without the trailing characters GitHub leaves out of a link.
    private static func trimmed(_ url: Substring) -> Substring {
        var url = url
        // Counted once: recounting for each `)` removed would be quadratic.
        let opens = url.utf8.reduce(0) { $0 + ($1 == UInt8(ascii: "(") ? 1 : 0) }
        var closes = url.utf8.reduce(0) { $0 + ($1 == UInt8(ascii: ")") ? 1 : 0) }
        while let last = url.last {
            if "?!.,:*_~'\"".contains(last) {
                url.removeLast()
            } else if last == ")" {
                guard closes > opens else { break }
                url.removeLast()
                closes -= 1
            } else if last == ";", let amp = url.lastIndex(of: "&"),
                url[url.index(after: amp)..<url.index(before: url.endIndex)].allSatisfy({ $0.isLetter || $0.isNumber }),
                url.index(after: amp) < url.index(before: url.endIndex)
            {
                url = url[..<amp]
            } else {
                break
            }
        }
        return url
    }
}
