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
        var trimmed = Substring(text)
        while let last = trimmed.last, last == " " || last == "\t" { trimmed.removeLast() }
        guard trimmed.last == "}", let open = trimmed.lastIndex(of: "{") else { return (text, nil) }
        if open > trimmed.startIndex {
            let before = trimmed[trimmed.index(before: open)]
            guard before == " " || before == "\t" else { return (text, nil) }
        }
        let inner = trimmed[trimmed.index(after: open)..<trimmed.index(before: trimmed.endIndex)]
        guard let attributes = parse(inner) else { return (text, nil) }
        var rest = trimmed[..<open]
        while let last = rest.last, last == " " || last == "\t" { rest.removeLast() }
        var result = attributes
        result.raw = String(trimmed[open...])
        return (String(rest), result)
    }

    static let knownFlags: Set<String> = ["required"]

    private static func parse(_ inner: Substring) -> Attributes? {
        let words = inner.split(whereSeparator: { $0 == " " || $0 == "\t" })
        guard !words.isEmpty else { return nil }
        var attributes = Attributes()
        var sawKeyOrID = false
        for word in words {
            if word.hasPrefix("#") {
                let id = word.dropFirst()
                guard !id.isEmpty, id.allSatisfy(isWordCharacter) else { return nil }
                if attributes.id != nil { return nil }
                attributes.id = String(id)
                sawKeyOrID = true
            } else if let eq = word.firstIndex(of: "=") {
                let key = word[..<eq]
                let value = word[word.index(after: eq)...]
                guard !key.isEmpty, key.allSatisfy(isWordCharacter), !value.isEmpty else { return nil }
                attributes.values.append(KeyValue(key: String(key), value: String(value)))
                sawKeyOrID = true
            } else {
                guard word.allSatisfy(isWordCharacter) else { return nil }
                attributes.flags.append(String(word))
            }
        }
        if !sawKeyOrID && !attributes.flags.allSatisfy(knownFlags.contains) { return nil }
        return attributes
    }

    private static func isWordCharacter(_ c: Character) -> Bool {
        c.isASCII && (c.isLetter || c.isNumber || c == "-" || c == "_" || c == ".")
    }
}
