import Testing
@testable import PreflightCore

@Suite struct EscapingTests {
    /// `escapeHTML` as first written: scalar by scalar. Escaping UTF-8
    /// bytes must give the same text.
    static func reference(_ text: String) -> String {
        var out = ""
        for c in text.unicodeScalars {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            // Control characters HTML does not allow in text.
            case "\u{0}"..."\u{8}", "\u{B}", "\u{E}"..."\u{1F}", "\u{7F}": out += "\u{FFFD}"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }

    @Test func escapesTheFiveCharacters() {
        #expect(escapeHTML(#"<a href="x">Tom & Jerry's</a>"#)
            == "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;")
        #expect(escapeHTML("plain") == "plain")
        #expect(escapeHTML("") == "")
        #expect(escapeHTML("a\u{0}b\u{1B}[31m\t\n") == "a\u{FFFD}b\u{FFFD}[31m\t\n")
    }

    @Test func bytesMatchScalars() {
        let pieces = ["<", ">", "&", "\"", "'", "a", " ", "é", "e\u{301}", "<\u{301}", "\u{0}", "\r\n", "🚀", "👍🏽",
            "\u{E000}", "日本", "&amp;", "\u{1B}", "\u{7F}", "\t", "\u{C}"]
        var random = SeededRandom(seed: 0xE5C)
        for _ in 0..<3_000 {
            var text = ""
            for _ in 0..<random.below(12) { text += pieces[random.below(pieces.count)] }
            #expect(escapeHTML(text) == Self.reference(text), "\(text.debugDescription)")
        }
    }
}
