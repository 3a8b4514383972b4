/// A trailing attribute block, `{#id required level=Gold weight=2}`, as written at
/// the end of a heading or task item. The block is never shown on a page.
public struct Attributes: Sendable, Equatable {
    public var id: String?
    /// Bare words, e.g. `required`.
    public var flags: [String] = []
    /// `key=value` pairs, in the order written.
    public var values: [KeyValue] = []
    /// The block as written, braces included.
    public var raw: String = ""

    public struct KeyValue: Sendable, Equatable {
        public var key: String
        public var value: String
    }

    public init(id: String? = nil, flags: [String] = [], values: [KeyValue] = [], raw: String = "") {
        self.id = id
        self.flags = flags
        self.values = values
        self.raw = raw
    }

    /// Splits `text` into the text before a trailing attribute block and the block.
    ///
    /// A trailing `{…}` counts as attributes only when it follows white space (or is
    /// the whole text), every word inside looks like `#id`, `word` or `word=value`,
    /// and it holds an `#id`, a `key=value` or only known flags such as `required`.
    /// A value with spaces is quoted: `level="Should have"`.
    /// So prose like "Use {placeholders}" stays text.
    public static func split(_ text: String) -> (text: String, attributes: Attributes?) {
        // Byte-level scan: this runs for every task item and heading.
        let bytes = text.utf8
        var end = bytes.endIndex
        while end > bytes.startIndex {
            let previous = bytes.index(before: end)
            guard bytes[previous] == UInt8(ascii: " ") || bytes[previous] == UInt8(ascii: "\t") else { break }
            end = previous
        }
        guard end > bytes.startIndex, bytes[bytes.index(before: end)] == UInt8(ascii: "}"),
            let open = bytes[..<end].lastIndex(of: UInt8(ascii: "{"))
        else { return (text, nil) }
        if open > bytes.startIndex {
            let before = bytes[bytes.index(before: open)]
            guard before == UInt8(ascii: " ") || before == UInt8(ascii: "\t") else { return (text, nil) }
        }
        let inner = text[bytes.index(after: open)..<bytes.index(before: end)]
        guard let attributes = parse(inner) else { return (text, nil) }
        var restEnd = open
        while restEnd > bytes.startIndex {
            let previous = bytes.index(before: restEnd)
            guard bytes[previous] == UInt8(ascii: " ") || bytes[previous] == UInt8(ascii: "\t") else { break }
            restEnd = previous
        }
        var result = attributes
        result.raw = String(text[open..<end])
        return (String(text[..<restEnd]), result)
    }

    static let knownFlags: Set<String> = ["required", "auto"]

    /// For a stray word after `key=value` (`level=Should have`): the value
    /// probably has a space and needs quotes.
    static func quoteHint(_ word: String, after pair: KeyValue?) -> String? {
        pair.map { "if `\(word)` belongs to `\($0.key)`, quote the value: `\($0.key)=\"\($0.value) \(word)\"`" }
    }

    /// The error for a trailing block that was meant as attributes but could
    /// not be read (`TaskItem.unreadableAttributes`): one wording everywhere.
    static func unreadable(_ block: String, at: SourceLocation) -> Diagnostic {
        let shown = block.count > 80 ? String(block.prefix(80)) + "…" : block
        return .error(
            "cannot read the attribute block `\(shown)` at the end of this item", at: at,
            hint: "write `{#id key=value}` as plain text: quote values with spaces (`by=\"Priya Raman\"`), "
                + "close every quote, give each key once, and keep Markdown and HTML (`*`, `` ` ``, `<`, `[`) out of it")
    }

    /// The `#id` an unreadable block opens with, when it is a valid id: the
    /// item still names that check, though nothing else in it could be read.
    static func salvagedID(_ block: String) -> String? {
        guard block.hasPrefix("{#") else { return nil }
        let id = block.dropFirst(2).prefix { $0 != " " && $0 != "}" && $0 != "\t" }
        return Slug.isValid(String(id)) ? String(id) : nil
    }

    private static func parse(_ inner: Substring) -> Attributes? {
        guard let words = words(inner), !words.isEmpty else { return nil }
        var attributes = Attributes()
        var sawKeyOrID = false
        for word in words {
            if let value = word.value {
                guard !word.key.isEmpty, word.key.utf8.allSatisfy(isWordByte), !value.isEmpty else { return nil }
                attributes.values.append(KeyValue(key: word.key, value: value))
                sawKeyOrID = true
            } else if word.key.hasPrefix("#") {
                let id = word.key.utf8.dropFirst()
                guard !id.isEmpty, id.allSatisfy(isWordByte) else { return nil }
                if attributes.id != nil { return nil }
                attributes.id = String(decoding: id, as: UTF8.self)
                sawKeyOrID = true
            } else {
                guard word.key.utf8.allSatisfy(isWordByte) else { return nil }
                attributes.flags.append(word.key)
            }
        }
        if !sawKeyOrID && !attributes.flags.allSatisfy(knownFlags.contains) { return nil }
        return attributes
    }

    /// Splits the inside of a block into words: `word`, `#id`, `key=value`,
    /// `key="a quoted value"` or `key='…'`. Nil when a quote is not closed or
    /// a quoted value runs into the next word.
    private static func words(_ inner: Substring) -> [(key: String, value: String?)]? {
        let bytes = Array(inner.utf8)
        func isSpace(_ b: UInt8) -> Bool { b == UInt8(ascii: " ") || b == UInt8(ascii: "\t") }
        var words: [(key: String, value: String?)] = []
        var i = 0
        while i < bytes.count {
            if isSpace(bytes[i]) {
                i += 1
                continue
            }
            let start = i
            while i < bytes.count, !isSpace(bytes[i]), bytes[i] != UInt8(ascii: "=") { i += 1 }
            let key = String(decoding: bytes[start..<i], as: UTF8.self)
            guard i < bytes.count, bytes[i] == UInt8(ascii: "=") else {
                words.append((key, nil))
                continue
            }
            i += 1
            if i < bytes.count, bytes[i] == UInt8(ascii: "\"") || bytes[i] == UInt8(ascii: "'") {
                let quote = bytes[i]
                i += 1
                let valueStart = i
                while i < bytes.count, bytes[i] != quote { i += 1 }
                guard i < bytes.count else { return nil }
                let value = String(decoding: bytes[valueStart..<i], as: UTF8.self)
                i += 1
                guard i == bytes.count || isSpace(bytes[i]) else { return nil }
                // Quotes only group words: surrounding and repeated spaces go.
                words.append((key, collapseWhitespace(value)))
            } else {
                let valueStart = i
                while i < bytes.count, !isSpace(bytes[i]) { i += 1 }
                let value = bytes[valueStart..<i]
                if value.contains(UInt8(ascii: "\"")) || value.contains(UInt8(ascii: "'")) { return nil }
                words.append((key, String(decoding: value, as: UTF8.self)))
            }
        }
        return words
    }

    /// ASCII letters, digits, `-`, `_` and `.`.
    private static func isWordByte(_ b: UInt8) -> Bool {
        (b >= 0x61 && b <= 0x7A) || (b >= 0x41 && b <= 0x5A) || (b >= 0x30 && b <= 0x39)
            || b == UInt8(ascii: "-") || b == UInt8(ascii: "_") || b == UInt8(ascii: ".")
    }
}
