/// A small, strict XML reader for test reports (JUnit XML): elements,
/// attributes, text, CDATA, comments and processing instructions, in UTF-8.
/// It refuses what reports never need and attacks use: a DTD (so no entity
/// can expand, no external file can be read), entities other than XML's five
/// and character references, nesting deeper than `maxDepth`, and elements
/// with more than `maxAttributes` attributes. Events go to a handler as they
/// are read; nothing of the document is kept.
struct XMLReader {
    enum Event {
        case start(name: String, attributes: [(name: String, value: String)])
        case end(name: String)
        /// Character data (text or CDATA), entities decoded.
        case text(String)
    }

    struct Failure: Error, Equatable {
        var line: Int
        var column: Int
        var message: String
    }

    static let maxDepth = 256
    static let maxAttributes = 256

    private let bytes: [UInt8]
    private var i = 0
    private var line = 1
    private var lineStart = 0

    private init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// Reads `bytes` as one XML document, calling `handle` for each event;
    /// `handle` returns false to stop early.
    static func read(_ bytes: [UInt8], _ handle: (Event) throws(Failure) -> Void) throws(Failure) {
        var reader = XMLReader(bytes)
        try reader.document(handle)
    }

    private func failure(_ message: String) -> Failure {
        Failure(line: line, column: i - lineStart + 1, message: message)
    }

    private func peek(_ text: StaticString, at offset: Int = 0) -> Bool {
        let n = text.utf8CodeUnitCount
        guard i + offset + n <= bytes.count else { return false }
        for k in 0..<n where bytes[i + offset + k] != text.utf8Start[k] { return false }
        return true
    }

    private mutating func advance(_ n: Int = 1) {
        for _ in 0..<n {
            if i < bytes.count, bytes[i] == 0x0A {
                line += 1
                lineStart = i + 1
            }
            i += 1
        }
    }

    /// Moves past `terminator`; an error naming `what` when the input ends first.
    private mutating func skip(past terminator: StaticString, _ what: String) throws(Failure) {
        while i < bytes.count {
            if peek(terminator) {
                advance(terminator.utf8CodeUnitCount)
                return
            }
            advance()
        }
        throw failure("\(what) is not closed")
    }

    private mutating func document(_ handle: (Event) throws(Failure) -> Void) throws(Failure) {
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { i = 3 }
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) {
            throw failure("the report is UTF-16; Preflight reads UTF-8 reports")
        }
        var depth = 0
        var sawRoot = false
        var stack: [String] = []
        var text: [UInt8] = []
        func flush() throws(Failure) {
            guard !text.isEmpty else { return }
            let decoded = String(decoding: text, as: UTF8.self)
            text.removeAll(keepingCapacity: true)
            if depth > 0 { try handle(.text(decoded)) }
        }
        while i < bytes.count {
            let b = bytes[i]
            if b == UInt8(ascii: "<") {
                if peek("<!--") {
                    try flush()
                    advance(4)
                    try skip(past: "-->", "a comment")
                } else if peek("<![CDATA[") {
                    guard depth > 0 else { throw failure("CDATA outside the root element") }
                    advance(9)
                    let start = i
                    try skip(past: "]]>", "a CDATA section")
                    text.append(contentsOf: bytes[start..<(i - 3)])
                } else if peek("<!DOCTYPE") || peek("<!doctype") {
                    throw failure("the report declares a DTD (<!DOCTYPE>); test reports never need one, and Preflight does not read them")
                } else if peek("<!") {
                    throw failure("unexpected `<!` (only comments and CDATA are read)")
                } else if peek("<?") {
                    try flush()
                    advance(2)
                    let start = i
                    try skip(past: "?>", "a processing instruction")
                    let body = String(decoding: bytes[start..<(i - 2)], as: UTF8.self)
                    if body.hasPrefix("xml "), let encoding = Self.declaredEncoding(body),
                        !["utf-8", "utf8", "us-ascii", "ascii"].contains(encoding.lowercased())
                    {
                        throw failure("the report declares encoding \(encoding); Preflight reads UTF-8 reports")
                    }
                } else if peek("</") {
                    try flush()
                    advance(2)
                    let name = try self.name()
                    skipSpace()
                    guard i < bytes.count, bytes[i] == UInt8(ascii: ">") else { throw failure("expected `>` to end </\(name)") }
                    advance()
                    guard let open = stack.popLast() else { throw failure("</\(name)> closes nothing") }
                    guard open == name else { throw failure("</\(name)> closes <\(open)>") }
                    depth -= 1
                    try handle(.end(name: name))
                } else {
                    try flush()
                    guard depth > 0 || !sawRoot else { throw failure("a second root element") }
                    advance()
                    let name = try self.name()
                    var attributes: [(name: String, value: String)] = []
                    while true {
                        let hadSpace = skipSpace()
                        guard i < bytes.count else { throw failure("<\(name) is not closed") }
                        if bytes[i] == UInt8(ascii: ">") || peek("/>") { break }
                        guard hadSpace else { throw failure("expected a space before an attribute of <\(name)>") }
                        let attribute = try self.name()
                        skipSpace()
                        guard i < bytes.count, bytes[i] == UInt8(ascii: "=") else {
                            throw failure("attribute `\(attribute)` needs `=\"…\"`")
                        }
                        advance()
                        skipSpace()
                        let value = try quoted()
                        guard !attributes.contains(where: { $0.name == attribute }) else {
                            throw failure("attribute `\(attribute)` is given twice on <\(name)>")
                        }
                        attributes.append((attribute, value))
                        guard attributes.count <= Self.maxAttributes else {
                            throw failure("<\(name)> has more than \(Self.maxAttributes) attributes")
                        }
                    }
                    let empty = peek("/>")
                    advance(empty ? 2 : 1)
                    sawRoot = true
                    guard depth < Self.maxDepth else { throw failure("elements nested more than \(Self.maxDepth) deep") }
                    try handle(.start(name: name, attributes: attributes))
                    if empty {
                        try handle(.end(name: name))
                    } else {
                        depth += 1
                        stack.append(name)
                    }
                }
            } else if b == UInt8(ascii: "&") {
                guard depth > 0 else { throw failure("text outside the root element") }
                text.append(contentsOf: try entity())
            } else {
                if depth == 0, !(b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D) {
                    throw failure(sawRoot ? "text after the root element" : "text before the root element (is this XML?)")
                }
                if depth > 0 { text.append(b) }
                advance()
            }
        }
        if let open = stack.last { throw failure("the report ends inside <\(open)>") }
        guard sawRoot else { throw failure("the report has no root element") }
    }

    @discardableResult
    private mutating func skipSpace() -> Bool {
        let start = i
        while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x09 || bytes[i] == 0x0A || bytes[i] == 0x0D { advance() }
        return i > start
    }

    private mutating func name() throws(Failure) -> String {
        let start = i
        while i < bytes.count {
            let b = bytes[i]
            let ok = b >= 0x80 || (b >= 0x61 && b <= 0x7A) || (b >= 0x41 && b <= 0x5A) || (b >= 0x30 && b <= 0x39)
                || b == UInt8(ascii: "-") || b == UInt8(ascii: "_") || b == UInt8(ascii: ".") || b == UInt8(ascii: ":")
            guard ok, i - start < 1024 else { break }
            advance()
        }
        guard i > start else { throw failure("expected a name") }
        return String(decoding: bytes[start..<i], as: UTF8.self)
    }

    private mutating func quoted() throws(Failure) -> String {
        guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") || bytes[i] == UInt8(ascii: "'") else {
            throw failure("an attribute value must be quoted")
        }
        let quote = bytes[i]
        advance()
        var value: [UInt8] = []
        while true {
            guard i < bytes.count else { throw failure("an attribute value is not closed") }
            let b = bytes[i]
            if b == quote {
                advance()
                break
            }
            if b == UInt8(ascii: "<") { throw failure("`<` inside an attribute value") }
            if b == UInt8(ascii: "&") {
                value.append(contentsOf: try entity())
            } else {
                value.append(b)
                advance()
            }
        }
        return String(decoding: value, as: UTF8.self)
    }

    /// `&amp;`, `&lt;`, `&gt;`, `&quot;`, `&apos;`, `&#N;` or `&#xN;`: the
    /// only references a document without a DTD can hold.
    private mutating func entity() throws(Failure) -> [UInt8] {
        let start = i
        advance()
        let nameStart = i
        while i < bytes.count, bytes[i] != UInt8(ascii: ";"), i - nameStart < 12 { advance() }
        guard i < bytes.count, bytes[i] == UInt8(ascii: ";") else {
            i = start
            throw failure("`&` must start an entity such as &amp;")
        }
        let name = String(decoding: bytes[nameStart..<i], as: UTF8.self)
        advance()
        switch name {
        case "amp": return [UInt8(ascii: "&")]
        case "lt": return [UInt8(ascii: "<")]
        case "gt": return [UInt8(ascii: ">")]
        case "quot": return [UInt8(ascii: "\"")]
        case "apos": return [UInt8(ascii: "'")]
        default:
            var value: UInt32?
            if name.hasPrefix("#x") || name.hasPrefix("#X") {
                value = UInt32(name.dropFirst(2), radix: 16)
            } else if name.hasPrefix("#") {
                value = UInt32(name.dropFirst(), radix: 10)
            } else {
                throw failure("unknown entity &\(name); (a report without a DTD has only &amp; &lt; &gt; &quot; &apos;)")
            }
            guard let value, let scalar = Unicode.Scalar(value), value != 0 else {
                throw failure("&\(name); is not a character")
            }
            return Array(String(Character(scalar)).utf8)
        }
    }

    /// The `encoding="…"` of an XML declaration's body.
    static func declaredEncoding(_ body: String) -> String? {
        guard let range = body.range(of: "encoding") else { return nil }
        let rest = body[range.upperBound...].drop { $0 == " " || $0 == "=" }
        guard let quote = rest.first, quote == "\"" || quote == "'" else { return nil }
        return String(rest.dropFirst().prefix { $0 != quote })
    }
}
