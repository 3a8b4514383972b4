import CCmark

/// GitHub-style pipe tables, which CommonMark (and so cmark) lacks.
///
/// cmark reads a table as one paragraph. We find the header and delimiter rows
/// in that paragraph's source lines, split rows into cells (honouring `\|`),
/// let cmark parse each cell's inline Markdown, and put a table of custom nodes
/// in the paragraph's place, so cmark's renderer still escapes every cell.
enum PipeTable {
    enum Alignment {
        case none, left, center, right

        var attribute: String {
            switch self {
            case .none: return ""
            case .left: return " class=\"align-left\""
            case .center: return " class=\"align-center\""
            case .right: return " class=\"align-right\""
            }
        }
    }

    /// Cheap pre-check: a table paragraph spans lines and has a `|` in its text.
    static func mayBeTable(_ paragraph: CmarkNode) -> Bool {
        guard paragraph.endLine > paragraph.startLine else { return false }
        var child = paragraph.firstChild
        while let node = child {
            if node.nodeType == CMARK_NODE_TEXT, node.literal.utf8.contains(UInt8(ascii: "|")) { return true }
            child = node.next
        }
        return false
    }

    static func replace(_ paragraph: CmarkNode, sourceLines: [Substring]) {
        let start = paragraph.startLine
        let end = paragraph.endLine
        guard start >= 1, end > start, end <= sourceLines.count else { return }
        let prefixWidth = paragraph.startColumn - 1
        let lines = (start...end).map { stripContainerPrefix(sourceLines[$0 - 1], width: prefixWidth) }
        guard lines.contains(where: { $0.contains("|") }) else { return }

        var headerIndex: Int?
        var alignments: [Alignment] = []
        for i in 0..<(lines.count - 1) {
            guard let aligns = delimiterRow(lines[i + 1]),
                lines[i].contains("|") || lines[i + 1].contains("|"),
                cells(lines[i]).count == aligns.count
            else { continue }
            headerIndex = i
            alignments = aligns
            break
        }
        guard let headerIndex else { return }

        if headerIndex > 0 {
            let prefix = lines[0..<headerIndex].joined(separator: "\n")
            insertParsedBlocks(prefix, before: paragraph)
        }

        let table = CmarkNode.custom(block: true, enter: "<table>", exit: "</table>")
        let head = CmarkNode.custom(block: true, enter: "<thead>", exit: "</thead>")
        cmark_node_append_child(table, head)
        cmark_node_append_child(head, row(cells(lines[headerIndex]), tag: "th", alignments: alignments))
        let bodyLines = lines[(headerIndex + 2)...]
        if !bodyLines.isEmpty {
            let body = CmarkNode.custom(block: true, enter: "<tbody>", exit: "</tbody>")
            cmark_node_append_child(table, body)
            for line in bodyLines {
                cmark_node_append_child(body, row(cells(line), tag: "td", alignments: alignments))
            }
        }
        cmark_node_insert_before(paragraph, table)
        cmark_node_unlink(paragraph)
        cmark_node_free(paragraph)
    }

    /// Removes list indentation or `>` markers that belong to the containing block.
    static func stripContainerPrefix(_ line: Substring, width: Int) -> String {
        var s = line
        var removed = 0
        while removed < width, let c = s.first, c == " " || c == "\t" || c == ">" {
            s.removeFirst()
            removed += 1
        }
        while let last = s.last, last == "\r" { s.removeLast() }
        return String(s)
    }

    /// The alignments of a delimiter row like `| :-- | :-: | --: |`, or nil.
    static func delimiterRow(_ line: String) -> [Alignment]? {
        let parts = cells(line)
        guard !parts.isEmpty else { return nil }
        var result: [Alignment] = []
        for part in parts {
            let left = part.hasPrefix(":")
            let right = part.hasSuffix(":") && part.count > 1
            let dashes = part.dropFirst(left ? 1 : 0).dropLast(right ? 1 : 0)
            guard !dashes.isEmpty, dashes.allSatisfy({ $0 == "-" }) else { return nil }
            switch (left, right) {
            case (true, true): result.append(.center)
            case (true, false): result.append(.left)
            case (false, true): result.append(.right)
            case (false, false): result.append(.none)
            }
        }
        return result
    }

    /// Splits a row on unescaped `|`; outer pipes are optional; `\|` becomes `|`.
    static func cells(_ line: String) -> [String] {
        var cells: [String] = []
        var current = ""
        var escaped = false
        var chars = Substring(line.trimmingSpaces())
        if chars.first == "|" { chars.removeFirst() }
        var endsWithPipe = false
        for c in chars {
            if escaped {
                if c != "|" { current.append("\\") }
                current.append(c)
                escaped = false
            } else if c == "\\" {
                escaped = true
            } else if c == "|" {
                cells.append(current.trimmingSpaces())
                current = ""
                endsWithPipe = true
                continue
            } else {
                current.append(c)
            }
            endsWithPipe = false
        }
        if escaped { current.append("\\") }
        if !endsWithPipe || !current.trimmingSpaces().isEmpty {
            cells.append(current.trimmingSpaces())
        }
        return cells
    }

    private static func row(_ cells: [String], tag: String, alignments: [Alignment]) -> CmarkNode {
        let tr = CmarkNode.custom(block: true, enter: "<tr>", exit: "</tr>")
        for (i, alignment) in alignments.enumerated() {
            let cell = CmarkNode.custom(block: false, enter: "<\(tag)\(alignment.attribute)>", exit: "</\(tag)>")
            if i < cells.count { appendInlines(of: cells[i], to: cell) }
            cmark_node_append_child(tr, cell)
        }
        return tr
    }

    /// Parses `text` as inline Markdown and moves the result under `target`.
    private static func appendInlines(of text: String, to target: CmarkNode) {
        guard !text.isEmpty else { return }
        let document = parseDocument(text)
        defer { cmark_node_free(document) }
        if let first = document.firstChild, first.nodeType == CMARK_NODE_PARAGRAPH, first.next == nil {
            first.moveChildren(to: target)
            Autolink.linkAll(in: target)
        } else {
            // A cell that would parse as a block (`# x`, `- x`) is shown as its text.
            let node = cmark_node_new(CMARK_NODE_TEXT)!
            node.literal = text
            cmark_node_append_child(target, node)
        }
    }

    private static func insertParsedBlocks(_ text: String, before node: CmarkNode) {
        let document = parseDocument(text)
        defer { cmark_node_free(document) }
        Autolink.linkAll(in: document)
        while let block = document.firstChild {
            cmark_node_unlink(block)
            cmark_node_insert_before(node, block)
        }
    }
}

extension String {
    func trimmingSpaces() -> String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\t" { s.removeLast() }
        return String(s)
    }
}
