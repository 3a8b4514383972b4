/// Escapers for the formats the site is written in. Every output goes
/// through one of these; none is re-implemented elsewhere.

/// Escapes text for HTML text and attribute values.
public func escapeHTML(_ text: String) -> String {
    var text = text
    let escaped: [UInt8]? = text.withUTF8 { bytes in
        guard bytes.contains(where: { htmlEntity($0) != nil }) else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + 32)
        appendEscapedHTML(bytes, to: &out)
        return out
    }
    return escaped.map { String(decoding: $0, as: UTF8.self) } ?? text
}

/// The entity `escapeHTML` writes for a byte of UTF-8 text; nil for a byte
/// it keeps. The five characters it escapes and the control characters it
/// replaces are ASCII, a byte each, and no byte of another character's
/// UTF-8 is below 0x80, so escaping these bytes escapes exactly those
/// characters.
func htmlEntity(_ byte: UInt8) -> StaticString? {
    switch byte {
    case UInt8(ascii: "&"): "&amp;"
    case UInt8(ascii: "<"): "&lt;"
    case UInt8(ascii: ">"): "&gt;"
    case UInt8(ascii: "\""): "&quot;"
    case UInt8(ascii: "'"): "&#39;"
    // Control characters HTML does not allow in text (NUL among them, which
    // a YAML or JSON string can carry) become U+FFFD, as a browser shows them.
    case 0x00...0x08, 0x0B, 0x0E...0x1F, 0x7F: "\u{FFFD}"
    default: nil
    }
}

/// `escapeHTML` on UTF-8 bytes, appended to `out`: runs of bytes it keeps
/// are copied whole.
func appendEscapedHTML(_ bytes: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
    var runStart = 0
    for (i, byte) in bytes.enumerated() {
        guard let entity = htmlEntity(byte) else { continue }
        out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<i]))
        out.append(contentsOf: UnsafeBufferPointer(start: entity.utf8Start, count: entity.utf8CodeUnitCount))
        runStart = i + 1
    }
    out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart...]))
}

/// Escapes text for XML (and SVG) text and attribute values: drops the control
/// characters XML 1.0 forbids, then escapes as for HTML (`&#39;` is valid XML).
func escapeXML(_ text: String) -> String {
    func forbidden(_ c: Unicode.Scalar) -> Bool {
        (c.value < 0x20 && c != "\t" && c != "\n" && c != "\r") || c.value == 0xFFFE || c.value == 0xFFFF
    }
    guard text.unicodeScalars.contains(where: forbidden) else { return escapeHTML(text) }
    var allowed = String.UnicodeScalarView()
    allowed.append(contentsOf: text.unicodeScalars.filter { !forbidden($0) })
    return escapeHTML(String(allowed))
}

/// A character a terminal or a page would act on rather than show: C0 and
/// C1 controls, line and paragraph separators, bidirectional overrides and
/// isolates. Shown escaped in diagnostics, as a space in Markdown.
func isHiddenControl(_ c: Unicode.Scalar) -> Bool {
    let v = c.value
    return v < 0x20 || (0x7F...0x9F).contains(v) || v == 0x2028 || v == 0x2029 || (0x202A...0x202E).contains(v)
        || (0x2066...0x2069).contains(v)
}

/// What text shown on a page must not hold: a hidden control but a tab or
/// a line break (catalog strings, evidence sources and notes drop them).
func isUnsafeInText(_ c: Unicode.Scalar) -> Bool {
    isHiddenControl(c) && c != "\t" && c != "\n" && c != "\r"
}

/// `text` without the characters `isUnsafeInText` names, and the first of
/// them (`U+202E`); nil when it holds none.
public func droppingUnsafeCharacters(_ text: String) -> (text: String, first: String)? {
    guard let bad = text.unicodeScalars.first(where: isUnsafeInText) else { return nil }
    let hex = String(bad.value, radix: 16, uppercase: true)
    let kept = String(String.UnicodeScalarView(text.unicodeScalars.filter { !isUnsafeInText($0) }))
    return (kept, "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex)
}

/// Escapes text for an inline place in Markdown (a table cell, a list item
/// of a pull-request comment): a backslash before each character that could
/// start emphasis, code, a link, raw HTML, an entity, math or strikethrough,
/// or end a cell; a word joiner after `@` and `#`, so a name mentions no one
/// and links no issue; control characters, line and paragraph separators and
/// bidirectional overrides become spaces, so a name cannot end a table row
/// or reorder what follows it.
func escapeMarkdown(_ text: String) -> String {
    var out = ""
    out.reserveCapacity(text.utf8.count)
    for c in text.unicodeScalars {
        if isHiddenControl(c) {
            out += " "
        } else {
            if "\\`*_[]<>|!&~$".unicodeScalars.contains(c) { out += "\\" }
            out.unicodeScalars.append(c)
            if c == "@" || c == "#" { out += "\u{2060}" }
        }
    }
    return out
}

/// Path segments with `.` and empty segments dropped, `..` applied and
/// `%XX` decoded; nil when a `..` climbs above the first segment. Used
/// wherever a relative link is resolved (link checks, files beside reviews).
func resolvedPath<S: Sequence>(_ segments: S) -> [String]? where S.Element == Substring {
    var resolved: [String] = []
    for segment in segments {
        switch segment {
        case "", ".": continue
        case "..":
            if resolved.isEmpty { return nil }
            resolved.removeLast()
        default: resolved.append(String(segment).removingPercentEncoding())
        }
    }
    return resolved
}

extension String {
    /// Whether this URL starts with a scheme (`https:`, `mailto:`).
    var hasURLScheme: Bool {
        guard let colon = firstIndex(of: ":") else { return false }
        let scheme = self[..<colon]
        return !scheme.isEmpty && scheme.allSatisfy { $0.isLetter || $0.isNumber || $0 == "+" || $0 == "-" || $0 == "." }
    }

    /// Decodes `%XX` escapes (anchors and request paths); invalid escapes stay as written.
    public func removingPercentEncoding() -> String {
        guard contains("%") else { return self }
        var bytes: [UInt8] = []
        var iterator = Array(utf8)[...]
        while let b = iterator.popFirst() {
            if b == UInt8(ascii: "%"), iterator.count >= 2,
                let value = UInt8(String(decoding: iterator.prefix(2), as: UTF8.self), radix: 16)
            {
                bytes.append(value)
                iterator = iterator.dropFirst(2)
            } else {
                bytes.append(b)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
