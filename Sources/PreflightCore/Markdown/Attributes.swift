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

    static let knownFlags: Set<String> = ["required"]

    private static func parse(_ inner: Substring) -> Attributes? {
        let words = inner.utf8.split(whereSeparator: { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") })
        guard !words.isEmpty else { return nil }
        var attributes = Attributes()
        var sawKeyOrID = false
        for word in words {
            if word.first == UInt8(ascii: "#") {
                let id = word.dropFirst()
                guard !id.isEmpty, id.allSatisfy(isWordByte) else { return nil }
                if attributes.id != nil { return nil }
                attributes.id = String(decoding: id, as: UTF8.self)
                sawKeyOrID = true
            } else if let eq = word.firstIndex(of: UInt8(ascii: "=")) {
                let key = word[..<eq]
                let value = word[word.index(after: eq)...]
                guard !key.isEmpty, key.allSatisfy(isWordByte), !value.isEmpty else { return nil }
                attributes.values.append(
                    KeyValue(key: String(decoding: key, as: UTF8.self), value: String(Substring(value))))
                sawKeyOrID = true
            } else {
                guard word.allSatisfy(isWordByte) else { return nil }
                attributes.flags.append(String(decoding: word, as: UTF8.self))
            }
        }
        if !sawKeyOrID && !attributes.flags.allSatisfy(knownFlags.contains) { return nil }
        return attributes
    }

    /// ASCII letters, digits, `-`, `_` and `.`.
    private static func isWordByte(_ b: UInt8) -> Bool {
        (b >= 0x61 && b <= 0x7A) || (b >= 0x41 && b <= 0x5A) || (b >= 0x30 && b <= 0x39)
            || b == UInt8(ascii: "-") || b == UInt8(ascii: "_") || b == UInt8(ascii: ".")
    }
}
