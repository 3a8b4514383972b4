/// Whether an SVG file may be published beside a page when the site does not
/// trust its writers: a reader who opens it runs any script it holds, in the
/// site's origin.
///
/// An SVG is XML, and browsers parse it as XML, so this reads it as XML
/// (not through the HTML parser, whose rules differ: text-only elements,
/// `<plaintext>`), and refuses rather than repairs. It is a check, not a
/// sanitizer: a file it passes is published byte for byte.
enum SVGCheck {
    /// Elements that run script or embed other documents, by local name.
    static let forbiddenElements: Set<String> = [
        "script", "foreignobject", "iframe", "embed", "object", "handler", "listener",
    ]

    /// What makes the SVG unsafe, as a phrase ("a `<script>` element"); nil
    /// when nothing does.
    static func problem(_ bytes: [UInt8]) -> String? {
        if bytes.starts(with: [0xFE, 0xFF]) || bytes.starts(with: [0xFF, 0xFE]) || bytes.contains(0) {
            return "text that is not UTF-8 (UTF-16 or binary), which cannot be checked"
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            return "text that is not valid UTF-8, which cannot be checked"
        }
        let s = Array(text.utf8)
        var i = 0
        func starts(_ prefix: String, at index: Int) -> Bool {
            let p = Array(prefix.utf8)
            guard index + p.count <= s.count else { return false }
            for k in 0..<p.count where (s[index + k] | (p[k] >= 0x61 && p[k] <= 0x7A ? 0x20 : 0)) != p[k] { return false }
            return true
        }
        func skip(past end: String, from index: Int) -> Int {
            var j = index
            while j < s.count, !starts(end, at: j) { j += 1 }
            return min(s.count, j + end.utf8.count)
        }
        while i < s.count {
            guard s[i] == UInt8(ascii: "<") else {
                i += 1
                continue
            }
            if starts("<!--", at: i) {
                i = skip(past: "-->", from: i + 4)
            } else if starts("<![cdata[", at: i) {
                i = skip(past: "]]>", from: i + 9)
            } else if starts("<!", at: i) {
                // DOCTYPE with an internal subset, ENTITY, ATTLIST: declarations
                // can add attributes (an `onload` default) or spell out markup.
                let end = skip(past: ">", from: i)
                let declaration = String(decoding: s[i..<end], as: UTF8.self).lowercased()
                if declaration.contains("[") || !declaration.hasPrefix("<!doctype") {
                    return "a DTD declaration (`\(declaration.prefix(20))…`)"
                }
                i = end
            } else if starts("<?", at: i) {
                let end = skip(past: "?>", from: i + 2)
                if starts("<?xml-stylesheet", at: i) { return "a stylesheet processing instruction" }
                i = end
            } else if i + 1 < s.count, s[i + 1] == UInt8(ascii: "/") {
                i = skip(past: ">", from: i)
            } else {
                if let problem = tagProblem(s, from: i + 1, next: &i) { return problem }
            }
        }
        return nil
    }

    /// Reads one start tag from `start` (just after `<`) and sets `next`
    /// past it.
    private static func tagProblem(_ s: [UInt8], from start: Int, next: inout Int) -> String? {
        func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D }
        var j = start
        while j < s.count, !isSpace(s[j]), s[j] != UInt8(ascii: ">"), s[j] != UInt8(ascii: "/") { j += 1 }
        let name = String(decoding: s[start..<j], as: UTF8.self).lowercased()
        let local = name.split(separator: ":").last.map(String.init) ?? name
        if forbiddenElements.contains(local) { return "a `<\(name)>` element" }
        while j < s.count {
            while j < s.count, isSpace(s[j]) || s[j] == UInt8(ascii: "/") { j += 1 }
            guard j < s.count, s[j] != UInt8(ascii: ">") else { break }
            let nameStart = j
            while j < s.count, !isSpace(s[j]), s[j] != UInt8(ascii: "="), s[j] != UInt8(ascii: ">") { j += 1 }
            let attribute = String(decoding: s[nameStart..<j], as: UTF8.self).lowercased()
            let attributeLocal = attribute.split(separator: ":").last.map(String.init) ?? attribute
            if attributeLocal.hasPrefix("on") { return "an event handler (`\(attribute)`)" }
            while j < s.count, isSpace(s[j]) { j += 1 }
            guard j < s.count, s[j] == UInt8(ascii: "=") else { continue }
            j += 1
            while j < s.count, isSpace(s[j]) { j += 1 }
            var value = ""
            if j < s.count, s[j] == UInt8(ascii: "\"") || s[j] == UInt8(ascii: "'") {
                let quote = s[j]
                let valueStart = j + 1
                j = valueStart
                while j < s.count, s[j] != quote { j += 1 }
                value = String(decoding: s[valueStart..<min(j, s.count)], as: UTF8.self)
                j += 1
            } else {
                let valueStart = j
                while j < s.count, !isSpace(s[j]), s[j] != UInt8(ascii: ">") { j += 1 }
                value = String(decoding: s[valueStart..<j], as: UTF8.self)
            }
            let decoded = decodeReferences(value).lowercased().unicodeScalars.filter { $0.value > 0x20 }
            let compact = String(String.UnicodeScalarView(decoded))
            if attributeLocal == "attributename", compact.hasPrefix("on") {
                return "an animation of an event handler (`\(value)`)"
            }
            for scheme in ["javascript:", "vbscript:", "data:text/html", "data:application/"] where compact.contains(scheme) {
                return "an unsafe URL (`\(HTMLSanitizer.schemePreview(value))`)"
            }
        }
        next = min(s.count, j + 1)
        return nil
    }

    /// XML character and predefined entity references decoded.
    static func decodeReferences(_ value: String) -> String {
        guard value.contains("&") else { return value }
        var out = String.UnicodeScalarView()
        var rest = Substring(value)
        while let amp = rest.firstIndex(of: "&") {
            out.append(contentsOf: rest[..<amp].unicodeScalars)
            let after = rest[rest.index(after: amp)...]
            guard let semi = after.prefix(12).firstIndex(of: ";") else {
                out.append("&")
                rest = after
                continue
            }
            let name = after[..<semi]
            var scalar: Unicode.Scalar?
            if name.hasPrefix("#x") || name.hasPrefix("#X") {
                scalar = UInt32(name.dropFirst(2), radix: 16).flatMap(Unicode.Scalar.init)
            } else if name.hasPrefix("#") {
                scalar = UInt32(name.dropFirst()).flatMap(Unicode.Scalar.init)
            } else {
                scalar = ["amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'"][String(name)]
            }
            if let scalar {
                out.append(scalar)
                rest = after[after.index(after: semi)...]
            } else {
                out.append("&")
                rest = after
            }
        }
        out.append(contentsOf: rest.unicodeScalars)
        return String(out)
    }
}
