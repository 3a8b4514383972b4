import CCmark

/// What the Markdown stage hands on: rendered HTML plus the structure the
/// readiness rules need, as plain Swift values (no cmark pointer escapes).
public struct MarkdownResult: Sendable {
    public var html: String
    public var headings: [Heading]
    public var taskItems: [TaskItem]
    /// Every link and image target, in document order.
    public var links: [MarkdownLink]
    /// What a writer should hear about: raw HTML the sanitizer removed,
    /// text that looks like a task box but is not one. Warnings, located.
    public var notes: [MarkdownNote] = []
}

/// A warning found while rendering, reported by whoever owns the file.
public struct MarkdownNote: Sendable, Equatable {
    public var message: String
    public var hint: String
    public var line: Int
    public var column: Int
}

extension DiagnosticList {
    /// Reports the notes of a rendered Markdown file as warnings at their lines.
    mutating func warn(_ notes: [MarkdownNote], in path: String) {
        for note in notes {
            warning(note.message, at: SourceLocation(path: path, line: note.line, column: note.column), hint: note.hint)
        }
    }
}

/// How raw HTML is treated in one document: passed through (the site opted
/// in), sanitized (the document has some), or never present (cmark's safe
/// mode, which also blanks unsafe link URLs, is then exact and cheapest).
enum HTMLMode {
    case unsafe, sanitize, safe
}

/// A link or image target written in Markdown, located at its block.
/// (cmark records positions for blocks only, so the column is the block's.)
public struct MarkdownLink: Sendable, Equatable {
    /// As written.
    public var url: String
    public var isImage: Bool
    public var line: Int
    public var column: Int
    /// As published: `url`, or what a link to a file beside the page became.
    public var target: String

    public init(url: String, isImage: Bool, line: Int, column: Int, target: String? = nil) {
        self.url = url
        self.isImage = isImage
        self.line = line
        self.column = column
        self.target = target ?? url
    }
}

/// A heading with its anchor id (explicit `{#id}` or the slug of its text).
public struct Heading: Sendable, Equatable {
    public var level: Int
    public var text: String
    public var id: String
    public var explicitID: Bool
    public var attributes: Attributes?
    public var line: Int
    public var column: Int
}

/// A task-list item (`- [ ]`, `- [x]`, `- [~]`) with its trailing attributes.
public struct TaskItem: Sendable, Equatable {
    public enum Box: String, Sendable, Equatable {
        case done, open, waived
    }

    public var box: Box
    /// The item's first paragraph as plain text, box and attributes removed,
    /// white space collapsed.
    public var text: String
    /// The same paragraph as inline HTML.
    public var html: String
    public var attributes: Attributes?
    public var line: Int
    public var column: Int
    /// The headings this item sits under, outermost first.
    public var headings: [Heading]
    /// Plain text of the rest of the item (further paragraphs, nested lists),
    /// white space collapsed; empty when the item is one paragraph.
    public var detail: String = ""
    /// The rest of the item rendered as HTML, and as written (its source
    /// lines, indentation removed); both empty when the item is one paragraph.
    public var detailHTML: String = ""
    public var detailMarkdown: String = ""
    /// A trailing block that starts like an attribute block (`{#…}` or
    /// `{key=…}`) but could not be read, as the reader sees it: a typo or
    /// Markdown inside it. Nil when there is none, or it was read.
    public var unreadableAttributes: String?
}

/// The Markdown stage: cmark parses, a few AST passes add what CommonMark lacks
/// (task lists, pipe tables, heading anchors, attribute blocks), cmark renders.
public enum Markdown {
    /// Parses `body` and renders it.
    ///
    /// - Parameters:
    ///   - firstLine: the file line of the body's first line, so reported lines
    ///     count the whole file, front matter included.
    ///   - unsafeHTML: let raw HTML and unsafe URLs through (site config opt-in).
    ///   - itemDetails: fill in `detailHTML` and `detailMarkdown` of task items
    ///     (a checklist's guidance; nothing else needs them).
    ///   - rewriteLink: a new URL for a link or image target, or nil to keep it.
    ///   - checkSlots: put `slotMarker(i)` in place of the first paragraph of
    ///     task item `i` and wrap what follows it in `<div class="guidance">`,
    ///     so a checklist page can show each check in place.
    public static func render(
        _ body: String, firstLine: Int = 1, unsafeHTML: Bool = false, itemDetails: Bool = false,
        checkSlots: Bool = false, rewriteLink: ((String) -> String?)? = nil
    ) -> MarkdownResult {
        let document = parseDocument(body)
        defer { cmark_node_free(document) }
        cmark_consolidate_text_nodes(document)

        let lineOffset = firstLine - 1
        // Source lines are only needed for tables, so they are split on first use.
        var sourceLines: [Substring]?

        // Collect first, then change the tree: cmark's iterator must not see edits.
        var paragraphs: [CmarkNode] = []
        var order: [(isHeading: Bool, node: CmarkNode)] = []
        var links: [MarkdownLink] = []
        var rawHTML: [CmarkNode] = []
        var bareURLs: [CmarkNode] = []
        var linkDepth = 0
        for (event, node) in NodeWalk(document) {
            let type = node.nodeType
            if type == CMARK_NODE_LINK || type == CMARK_NODE_IMAGE {
                linkDepth += event == CMARK_EVENT_ENTER ? 1 : -1
            }
            guard event == CMARK_EVENT_ENTER else { continue }
            switch type {
            case CMARK_NODE_PARAGRAPH: paragraphs.append(node)
            case CMARK_NODE_HEADING: order.append((true, node))
            case CMARK_NODE_ITEM: order.append((false, node))
            case CMARK_NODE_HTML_BLOCK, CMARK_NODE_HTML_INLINE: rawHTML.append(node)
            case CMARK_NODE_TEXT where linkDepth == 0:
                if Autolink.mayContainURL(node) { bareURLs.append(node) }
            case CMARK_NODE_LINK, CMARK_NODE_IMAGE:
                let at = blockPosition(node)
                let url = cmark_node_get_url(node).map { String(cString: $0) } ?? ""
                let target = rewriteLink?(url)
                if let target { cmark_node_set_url(node, target) }
                links.append(
                    MarkdownLink(
                        url: url, isImage: type == CMARK_NODE_IMAGE, line: at.line + lineOffset, column: at.column,
                        target: target))
            default: break
            }
        }
        let mode: HTMLMode = unsafeHTML ? .unsafe : rawHTML.isEmpty ? .safe : .sanitize
        var notes: [MarkdownNote] = []
        // Copied now: later passes free some nodes (tables replace their paragraph).
        var rawPieces: [(html: String, line: Int, column: Int)] = []
        if mode == .sanitize {
            for node in rawHTML {
                let at = blockPosition(node)
                let (html, filtered) = TagFilter.apply(node.literal)
                if !filtered.isEmpty {
                    node.literal = html
                    notes.append(
                        MarkdownNote(
                            message: "raw HTML shown as text: \(filtered.map { "`<\($0)>`" }.joined(separator: ", "))",
                            hint: "these tags would hide the rest of the page; to show the tag itself, write it in backticks, e.g. `` `<\(filtered[0])>` ``",
                            line: at.line + lineOffset, column: at.column))
                }
                rawPieces.append((html, at.line + lineOffset, at.column))
            }
        }

        // Before tables, which free their paragraph's nodes (cells are parsed
        // again and linked on their own).
        for node in bareURLs { Autolink.link(node) }
        var tables = false
        for paragraph in paragraphs {
            if let note = boxLookalike(paragraph, lineOffset: lineOffset) { notes.append(note) }
            guard PipeTable.mayBeTable(paragraph) && !isTaskParagraph(paragraph) else { continue }
            if sourceLines == nil { sourceLines = SourceFile.lines(Substring(body)) }
            PipeTable.replace(paragraph, sourceLines: sourceLines!)
            tables = true
        }
        if tables && mode == .sanitize {
            // Table cells are parsed again from the source: filter their raw
            // HTML too (the paragraph it came from was already reported).
            var cellHTML: [CmarkNode] = []
            for (event, node) in NodeWalk(document)
            where event == CMARK_EVENT_ENTER && node.nodeType == CMARK_NODE_HTML_INLINE {
                cellHTML.append(node)
            }
            for node in cellHTML {
                let (html, filtered) = TagFilter.apply(node.literal)
                if !filtered.isEmpty { node.literal = html }
            }
        }

        var headings: [Heading] = []
        var items: [TaskItem] = []
        var itemNodes: [CmarkNode] = []
        var stack: [Heading] = []
        var usedIDs: Set<String> = []
        for (isHeading, node) in order {
            if isHeading {
                let heading = anchorHeading(node, lineOffset: lineOffset, usedIDs: &usedIDs)
                headings.append(heading)
                while let last = stack.last, last.level >= heading.level { stack.removeLast() }
                stack.append(heading)
            } else if var item = taskItem(node, lineOffset: lineOffset, mode: mode) {
                item.headings = stack
                items.append(item)
                itemNodes.append(node)
            }
        }
        let holdsTasks = itemDetails || checkSlots ? itemsHoldingTasks(itemNodes) : []
        if itemDetails {
            addDetails(
                to: &items, nodes: itemNodes, holdsTasks: holdsTasks, body: body, sourceLines: &sourceLines,
                mode: mode)
        }
        if checkSlots {
            for (i, node) in itemNodes.enumerated() {
                guard let paragraph = node.firstChild else { continue }
                if !holdsTasks.contains(node), paragraph.next != nil {
                    let guidance = CmarkNode.custom(block: true, enter: "<div class=\"guidance\">", exit: "</div>")
                    while let rest = paragraph.next {
                        cmark_node_unlink(rest)
                        cmark_node_append_child(guidance, rest)
                    }
                    cmark_node_append_child(node, guidance)
                }
                let slot = CmarkNode.custom(block: true, enter: slotMarker(i), exit: "")
                cmark_node_insert_before(paragraph, slot)
                cmark_node_unlink(paragraph)
                cmark_node_free(paragraph)
            }
        }

        let html: String
        if mode == .sanitize {
            let result = document.renderChildrenSanitized()
            html = result.html
            // Which raw HTML lost what is worked out only when something was lost.
            if !result.removed.isEmpty { notes += sanitizerNotes(rawPieces) }
        } else {
            html = document.renderHTML(mode)
        }
        return MarkdownResult(html: html, headings: headings, taskItems: items, links: links, notes: notes)
    }

    /// The text that stands for task item `index` in a document rendered with
    /// `checkSlots`. Private-use characters, which cmark never writes itself.
    public static func slotMarker(_ index: Int) -> String {
        "\u{E000}\(index)\u{E001}"
    }

    /// The position of the block holding `node` (cmark locates blocks only).
    private static func blockPosition(_ node: CmarkNode) -> (line: Int, column: Int) {
        var block: CmarkNode? = node
        while let b = block, b.startLine == 0 { block = b.parent }
        return (block?.startLine ?? 1, block?.startColumn ?? 1)
    }

    /// One warning per raw HTML node that lost something to the sanitizer.
    private static func sanitizerNotes(_ pieces: [(html: String, line: Int, column: Int)]) -> [MarkdownNote] {
        var notes: [MarkdownNote] = []
        for piece in pieces {
            let removed = HTMLSanitizer.sanitize(piece.html).removed
            guard !removed.isEmpty else { continue }
            notes.append(
                MarkdownNote(
                    message: "raw HTML removed: \(removed.joined(separator: ", "))",
                    hint: "pages keep a safe subset of HTML, as GitHub does; write it in Markdown, "
                        + "or set `unsafe_html: true` in preflight.yml if every writer is trusted",
                    line: piece.line, column: piece.column))
        }
        return notes
    }

    /// A list item that opens like a task box but is not one: `[x]Text`
    /// (no space) or `[v]`, `[✓]`. It would count as no answer at all.
    private static func boxLookalike(_ paragraph: CmarkNode, lineOffset: Int) -> MarkdownNote? {
        guard let parent = paragraph.parent, parent.nodeType == CMARK_NODE_ITEM, parent.firstChild == paragraph,
            let text = paragraph.firstChild, text.nodeType == CMARK_NODE_TEXT,
            cmark_node_get_literal(text)?.pointee == 0x5B,  // `[`, read without making a string
            boxText(paragraph) == nil
        else { return nil }
        let literal = text.literal
        let scalars = Array(literal.unicodeScalars.prefix(4))
        guard scalars.count >= 3, scalars[0] == "[", scalars[2] == "]" else { return nil }
        let inside = scalars[1]
        let marker = String(String.UnicodeScalarView(scalars[0...2]))
        let known = inside == " " || inside == "x" || inside == "X" || inside == "~"
        let line = parent.startLine + lineOffset
        if known {
            return MarkdownNote(
                message: "`\(marker)` is not a task box: it needs a space after it", hint: "write `- \(marker) \(literal.dropFirst(3))`",
                line: line, column: parent.startColumn)
        }
        return MarkdownNote(
            message: "`\(marker)` is not a task box, so this item answers nothing",
            hint: "use `[x]` for done, `[ ]` for open, `[~]` for waived", line: line, column: parent.startColumn)
    }

    /// Renders what each task item holds beyond its first paragraph, after
    /// every item was rewritten. An item that holds task items of its own
    /// gets none: those are items in their own right, and rendering each
    /// item's whole subtree would make deeply nested lists quadratic.
    private static func addDetails(
        to items: inout [TaskItem], nodes itemNodes: [CmarkNode], holdsTasks: Set<CmarkNode>, body: String,
        sourceLines: inout [Substring]?, mode: HTMLMode
    ) {
        for (i, node) in itemNodes.enumerated() where !holdsTasks.contains(node) {
            guard let rest = node.firstChild?.next else { continue }
            var html = ""
            var sibling: CmarkNode? = rest
            while let block = sibling {
                html += block.renderHTML(mode)
                sibling = block.next
            }
            items[i].detailHTML = html
            if sourceLines == nil { sourceLines = SourceFile.lines(Substring(body)) }
            let first = rest.startLine - 1
            let last = min(node.endLine, sourceLines!.count)
            if first >= 0, first < last {
                items[i].detailMarkdown = dedent(sourceLines![first..<last])
            }
        }
    }

    /// The task items that hold task items of their own.
    private static func itemsHoldingTasks(_ itemNodes: [CmarkNode]) -> Set<CmarkNode> {
        let taskNodes = Set(itemNodes)
        var holdsTasks: Set<CmarkNode> = []
        for node in itemNodes {
            var ancestor = node.parent
            while let a = ancestor {
                if taskNodes.contains(a) {
                    holdsTasks.insert(a)
                    break
                }
                ancestor = a.parent
            }
        }
        return holdsTasks
    }

    /// A paragraph's content as HTML. Plain text (the common case for checks) is
    /// escaped here exactly as cmark would; anything else goes through cmark.
    static func inlineHTML(_ paragraph: CmarkNode, mode: HTMLMode) -> String {
        var html = ""
        var child = paragraph.firstChild
        while let node = child {
            switch node.nodeType {
            case CMARK_NODE_TEXT: appendCmarkEscaped(node.literal, to: &html)
            case CMARK_NODE_SOFTBREAK: html += "\n"
            default: return stripParagraph(paragraph.renderHTML(mode))
            }
            child = node.next
        }
        return html
    }

    static func stripParagraph(_ html: String) -> String {
        var s = Substring(html)
        while s.last == "\n" { s.removeLast() }
        if s.hasPrefix("<p>") && s.hasSuffix("</p>") {
            s = s.dropFirst(3).dropLast(4)
        }
        return String(s)
    }

    // MARK: Headings

    private static func anchorHeading(
        _ node: CmarkNode, lineOffset: Int, usedIDs: inout Set<String>
    ) -> Heading {
        let attributes = stripTrailingAttributes(node)
        let text = collapseWhitespace(node.plainText)
        let explicit = attributes?.id
        var base = explicit ?? Slug.make(text)
        if base.isEmpty { base = "section" }
        // Repeated anchors get -1, -2… as on GitHub, so every anchor on a page is unique.
        var id = base
        var n = 0
        while usedIDs.contains(id) {
            n += 1
            id = "\(base)-\(n)"
        }
        usedIDs.insert(id)
        let level = node.headingLevel
        // A block wrapper around an inline tag, so the heading's text stays on one line.
        let replacement = CmarkNode.custom(block: true, enter: "", exit: "")
        let tag = CmarkNode.custom(
            block: false, enter: "<h\(level) id=\"\(escapeHTML(id))\">", exit: "</h\(level)>")
        cmark_node_append_child(replacement, tag)
        cmark_node_insert_before(node, replacement)
        cmark_node_unlink(node)
        node.moveChildren(to: tag)
        let heading = Heading(
            level: level, text: text, id: id, explicitID: explicit != nil, attributes: attributes,
            line: node.startLine + lineOffset, column: node.startColumn)
        cmark_node_free(node)
        return heading
    }

    // MARK: Task items

    private static let boxes: [(marker: String, box: TaskItem.Box)] = [
        ("[ ]", .open), ("[x]", .done), ("[X]", .done), ("[~]", .waived),
    ]

    /// The text node holding a task marker, when `paragraph` opens a list item with one.
    private static func boxText(_ paragraph: CmarkNode) -> (CmarkNode, TaskItem.Box)? {
        guard let parent = paragraph.parent, parent.nodeType == CMARK_NODE_ITEM,
            parent.firstChild == paragraph,
            let text = paragraph.firstChild, text.nodeType == CMARK_NODE_TEXT
        else { return nil }
        let literal = text.literal
        for (marker, box) in boxes where literal.hasPrefix(marker) {
            let rest = literal.dropFirst(marker.count)
            if rest.isEmpty {
                // `[ ]` alone: a task only if nothing follows, or a line break does.
                if text.next == nil || text.next?.nodeType == CMARK_NODE_SOFTBREAK { return (text, box) }
                return nil
            }
            if rest.first == " " || rest.first == "\t" { return (text, box) }
        }
        return nil
    }

    private static func isTaskParagraph(_ paragraph: CmarkNode) -> Bool {
        boxText(paragraph) != nil
    }

    private static func taskItem(_ item: CmarkNode, lineOffset: Int, mode: HTMLMode) -> TaskItem? {
        guard let paragraph = item.firstChild, paragraph.nodeType == CMARK_NODE_PARAGRAPH,
            let (textNode, box) = boxText(paragraph)
        else { return nil }

        var literal = textNode.literal.dropFirst(3)
        while literal.first == " " || literal.first == "\t" { literal.removeFirst() }
        textNode.literal = String(literal)

        let attributes = stripTrailingAttributes(paragraph)

        let html = inlineHTML(paragraph, mode: mode)
        let text = collapseWhitespace(paragraph.plainText)
        let unreadable = attributes == nil ? unreadableBlock(text) : nil
        var rest = ""
        var sibling = paragraph.next
        while let node = sibling {
            rest += node.plainText + " "
            sibling = node.next
        }

        let label: String
        let symbol: String
        switch box {
        case .done: (label, symbol) = ("Done", "✓")
        case .open: (label, symbol) = ("Open", "○")
        case .waived: (label, symbol) = ("Waived", "~")
        }
        let marker = CmarkNode.custom(
            block: false,
            enter: "<span class=\"task-box task-\(box.rawValue)\" aria-hidden=\"true\">\(symbol)</span>"
                + "<span class=\"visually-hidden\">\(label): </span>",
            exit: "")
        if let first = paragraph.firstChild {
            cmark_node_insert_before(first, marker)
        } else {
            cmark_node_append_child(paragraph, marker)
        }
        // Empty text left behind by the marker would render nothing; drop it for tidiness.
        if textNode.literal.isEmpty {
            cmark_node_unlink(textNode)
            cmark_node_free(textNode)
        }

        return TaskItem(
            box: box, text: text, html: html, attributes: attributes,
            line: item.startLine + lineOffset, column: item.startColumn,
            headings: [], detail: collapseWhitespace(rest), unreadableAttributes: unreadable)
    }

    /// The trailing `{…}` of an item's text when it was meant as attributes
    /// but was not read: it opens with `{#` or `{word=`, or it reads as
    /// attributes once Markdown is taken out (an `<b>` or `*x*` inside it).
    static func unreadableBlock(_ text: String) -> String? {
        guard text.hasSuffix("}"), let open = text.lastIndex(of: "{") else { return nil }
        let block = text[open...]
        let inner = block.dropFirst()
        let looksMeant = inner.hasPrefix("#")
            || inner.prefix { $0 != " " && $0 != "}" }.contains("=")
        guard looksMeant || Attributes.split(text).attributes != nil else { return nil }
        return String(block)
    }

    /// Lines with their common leading white space removed, blank ends dropped.
    static func dedent(_ lines: ArraySlice<Substring>) -> String {
        var lines = Array(lines)
        while let last = lines.last, last.allSatisfy({ $0 == " " || $0 == "\t" }) { lines.removeLast() }
        while let first = lines.first, first.allSatisfy({ $0 == " " || $0 == "\t" }) { lines.removeFirst() }
        let indent = lines.filter { !$0.allSatisfy { $0 == " " || $0 == "\t" } }
            .map { $0.prefix { $0 == " " || $0 == "\t" }.count }.min() ?? 0
        return lines.map { String($0.dropFirst(min(indent, $0.prefix { $0 == " " || $0 == "\t" }.count))) }
            .joined(separator: "\n")
    }

    /// Removes a trailing `{…}` attribute block from the last text child of `node`.
    /// The text node itself stays (perhaps empty): callers may still hold it, as
    /// `taskItem` holds the node with the box marker (a fuzzer found that freeing
    /// it here was a use-after-free for `- [x] {#id}`).
    private static func stripTrailingAttributes(_ node: CmarkNode) -> Attributes? {
        guard let last = node.lastChild, last.nodeType == CMARK_NODE_TEXT else { return nil }
        let (rest, attributes) = Attributes.split(last.literal)
        guard let attributes else { return nil }
        last.literal = rest
        // A block on a line of its own leaves a line break before it: drop that too.
        if rest.isEmpty, let previous = cmark_node_previous(last),
            previous.nodeType == CMARK_NODE_SOFTBREAK || previous.nodeType == CMARK_NODE_LINEBREAK
        {
            cmark_node_unlink(previous)
            cmark_node_free(previous)
        }
        return attributes
    }
}
