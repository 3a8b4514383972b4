import Foundation

/// When an action item is overdue: the one rule every page, export and
/// warning uses.
extension Review.ActionItem {
    /// Open, with a due date before `day`.
    public func isOverdue(on day: Day) -> Bool {
        daysOverdue(on: day) != nil
    }

    /// How many days past its due date an open item is on `day`; nil when it
    /// is done, undated or not yet due.
    public func daysOverdue(on day: Day) -> Int? {
        guard !done, let due, due < day else { return nil }
        return due.days(until: day)
    }
}

extension Review.ActionItem {
    /// The item's HTML without the `@owner` and `due:` words it was read
    /// from: pages show the owner and the date apart, so they are not said
    /// twice. Words inside code and links stay as written; a separator left
    /// dangling at the end (`—`, `·`, `,`, `;`, `:`) or empty brackets go.
    public static func display(html: String, owner: String?, due: Day?) -> String {
        var tokens: [String] = []
        if let owner { tokens.append("@" + owner) }
        if let due { tokens.append("due:" + due.description) }
        guard !tokens.isEmpty else { return html }
        var out = ""
        out.reserveCapacity(html.utf8.count)
        var protected = 0  // depth inside <code> or <a>
        var rest = Substring(html)
        while !rest.isEmpty {
            if rest.first == "<" {
                let end = rest.firstIndex(of: ">").map { rest.index(after: $0) } ?? rest.endIndex
                let tag = rest[..<end].lowercased()
                if tag.hasPrefix("<code") || tag.hasPrefix("<a ") || tag == "<a>" { protected += 1 }
                if tag.hasPrefix("</code") || tag.hasPrefix("</a>") { protected = max(0, protected - 1) }
                out += rest[..<end]
                rest = rest[end...]
                continue
            }
            let end = rest.firstIndex(of: "<") ?? rest.endIndex
            var text = String(rest[..<end])
            var removed = false
            if protected == 0 {
                for (i, token) in tokens.enumerated() where !token.isEmpty {
                    if var range = Self.wordRange(of: token, in: text) {
                        // "@alice: do it", "(@team, due:…)": the mark that
                        // tied the word to the sentence goes with it.
                        if range.upperBound < text.endIndex, [",", ":", ";"].contains(text[range.upperBound]) {
                            range = range.lowerBound..<text.index(after: range.upperBound)
                        }
                        text.removeSubrange(range)
                        tokens[i] = ""
                        removed = true
                    }
                }
            }
            out += removed ? Self.tidy(text) : text
            rest = rest[end...]
        }
        guard tokens.contains(where: \.isEmpty) else { return html }
        // A separator left dangling at the end of the item's text goes.
        let separators: Set<Character> = [",", ";", ":", "—", "–", "·", " "]
        while let last = out.last, separators.contains(last) { out.removeLast() }
        while let first = out.first, first == " " { out.removeFirst() }
        return out.isEmpty ? html : out
    }

    /// `token` as a whole word of `text` (case-insensitive): not preceded or
    /// followed by a letter, digit or name character.
    static func wordRange(of token: String, in text: String) -> Range<String.Index>? {
        // Byte by byte (ASCII letters in any case): this runs for every
        // action item of every review, and Foundation's search is slow.
        let bytes = Array(text.utf8)
        let wanted = Array(token.utf8)
        guard !wanted.isEmpty, bytes.count >= wanted.count else { return nil }
        func fold(_ b: UInt8) -> UInt8 { b >= 65 && b <= 90 ? b + 32 : b }
        func nameByte(_ b: UInt8) -> Bool {
            b >= 0x80 || (b >= 48 && b <= 57) || (b >= 65 && b <= 90) || (b >= 97 && b <= 122)
                || b == UInt8(ascii: "_") || b == UInt8(ascii: "-") || b == UInt8(ascii: "@")
        }
        var start = 0
        while start + wanted.count <= bytes.count {
            var at = 0
            while at < wanted.count, fold(bytes[start + at]) == fold(wanted[at]) { at += 1 }
            if at == wanted.count {
                let end = start + wanted.count
                if (start == 0 || !nameByte(bytes[start - 1])) && (end == bytes.count || !nameByte(bytes[end])) {
                    let utf8 = text.utf8
                    return utf8.index(utf8.startIndex, offsetBy: start)..<utf8.index(utf8.startIndex, offsetBy: end)
                }
            }
            start += 1
        }
        return nil
    }

    /// A stretch of text a word was taken from: spaces collapsed, no space
    /// before punctuation, no empty brackets.
    /// Read as Characters, in one pass per rule (Foundation's
    /// `replacingOccurrences`, ten calls per stretch, was 6 % of a build).
    static func tidy(_ text: String) -> String {
        // "( )" first, then "()" in what is left: each read once, left to right.
        func removing(_ pattern: [Character], from chars: [Character]) -> [Character] {
            var out: [Character] = []
            out.reserveCapacity(chars.count)
            var i = 0
            while i < chars.count {
                if chars[i] == pattern[0], i + pattern.count <= chars.count,
                    chars[i..<(i + pattern.count)].elementsEqual(pattern)
                {
                    i += pattern.count
                } else {
                    out.append(chars[i])
                    i += 1
                }
            }
            return out
        }
        let chars = removing(["(", ")"], from: removing(["(", " ", ")"], from: Array(text)))
        // A run of spaces becomes one, and none is left before punctuation.
        var out = ""
        out.reserveCapacity(text.utf8.count)
        var i = 0
        while i < chars.count {
            guard chars[i] == " " else {
                out.append(chars[i])
                i += 1
                continue
            }
            var end = i
            while end < chars.count, chars[end] == " " { end += 1 }
            if end == chars.count || !tidyPunctuation.contains(chars[end]) { out.append(" ") }
            i = end
        }
        return out
    }

    private static let tidyPunctuation: Set<Character> = [",", ".", ";", ":", ")", "!", "?"]
}
