/// `search-index.json`: what the search box searches, written at build time.
///
/// Each entry has a title, a kind, keywords (names, owners, statuses, levels,
/// tags, ids) and, for pages with prose, `text`: the distinct words of that
/// prose, lowercased, in order of first use, without one- and two-letter
/// words, numbers and the commonest English ones. Of reviews, only each
/// service's latest has its words here. The size this gives is in
/// docs/PERFORMANCE.md ("search index").
public enum SearchIndex {
    public struct Entry: Sendable {
        public var kind: String
        public var title: String
        /// Relative to the site root.
        public var url: String
        /// Extra words that should find it (owner, tags, check ids).
        public var keywords: String
        /// A short line shown under the result (a service's status, level, score).
        public var detail: String = ""
        /// The distinct words of its prose (see `words(ofHTML:)`).
        public var text: String = ""
    }

    /// Entries as they stand in the index's array, one per line, without the
    /// brackets: what `Writer` puts together, so a part of the index made
    /// once can be kept and put in again (`Export.searchIndex`). Written an
    /// entry at a time: at 100,000 reviews the whole index as one value was
    /// among the largest things a build held (issue 31).
    static func items(_ entries: [Entry]) -> String {
        var out = ""
        for (i, entry) in entries.enumerated() {
            var pairs: [(String, JSONValue)] = [
                ("kind", .string(entry.kind)), ("title", .string(entry.title)), ("url", .string(entry.url)),
                ("keywords", .string(entry.keywords)),
            ]
            if !entry.detail.isEmpty { pairs.append(("detail", .string(entry.detail))) }
            if !entry.text.isEmpty { pairs.append(("text", .string(entry.text))) }
            out += i == 0 ? "  " : ",\n  "
            JSONValue.object(pairs).write(into: &out, indent: 1)
        }
        return out
    }

    /// The index put together from `items` texts, in order.
    struct Writer {
        private var out = ""

        mutating func add(_ items: String) {
            guard !items.isEmpty else { return }
            out += out.isEmpty ? "[\n" : ",\n"
            out += items
        }

        mutating func finish() -> String {
            guard !out.isEmpty else { return "[]\n" }
            out += "\n]\n"
            return out
        }
    }

    /// The words a search can find in a piece of HTML: tags dropped, the
    /// entities cmark writes decoded, split at anything but letters, digits,
    /// `-` and `_` (so `reporting-leads` stays one word and `leads` still
    /// finds it as part of one), lowercased, each word once. Works on UTF-8
    /// bytes (a review is read once per build): bytes of non-ASCII letters
    /// count as letters, and such words are lowercased as strings.
    public static func words(ofHTML html: String, into seen: inout Set<String>, _ out: inout [String]) {
        var word: [UInt8] = []
        var ascii = true
        func add(_ text: String) {
            guard !stopWords.contains(text), seen.insert(text).inserted else { return }
            out.append(text)
        }
        func flush() {
            defer { word.removeAll(keepingCapacity: true); ascii = true }
            if ascii {
                var start = 0
                while start < word.count, word[start] == UInt8(ascii: "-") || word[start] == UInt8(ascii: "_") { start += 1 }
                // Numbers alone (years, counts) find nothing useful.
                let digits = word[start...].allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
                if word.count - start > 2 && !digits { add(String(decoding: word[start...], as: UTF8.self)) }
                return
            }
            // Rare: split at non-ASCII punctuation (“quotes”, — dashes), by characters.
            let text = String(decoding: word, as: UTF8.self).lowercased()
            for part in text.split(whereSeparator: { !($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }) {
                let trimmed = part.drop { $0 == "-" || $0 == "_" }
                if trimmed.count > 2 { add(String(trimmed)) }
            }
        }
        var bytes = html.utf8.makeIterator()
        var inTag = false
        while let byte = bytes.next() {
            if inTag {
                if byte == UInt8(ascii: ">") { inTag = false }
                continue
            }
            switch byte {
            case UInt8(ascii: "<"):
                flush()
                inTag = true
            case UInt8(ascii: "&"):
                // `&amp;`, `&lt;`, `&#39;`…: all separate words, none is part of one.
                flush()
                var length = 0
                while length < 10, let next = bytes.next(), next != UInt8(ascii: ";") { length += 1 }
            case UInt8(ascii: "A")...UInt8(ascii: "Z"):
                word.append(byte + 32)
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "-"), UInt8(ascii: "_"):
                word.append(byte)
            case 0x80...:
                // Part of a non-ASCII character; general punctuation (U+2000–U+206F,
                // E2 80–81 …) and the no-break space (C2 A0) separate words.
                word.append(byte)
                ascii = false
            default:
                flush()
            }
        }
        flush()
    }

    /// `words(ofHTML:)` of several pieces, joined by spaces.
    public static func text(ofHTML pieces: [String]) -> String {
        var seen: Set<String> = []
        var words: [String] = []
        for html in pieces { Self.words(ofHTML: html, into: &seen, &words) }
        return words.joined(separator: " ")
    }

    static let stopWords: Set<String> = [
        "the", "and", "for", "with", "that", "this", "are", "was", "were", "from", "has", "have", "had", "but",
        "its", "into", "than", "then", "there", "their", "they", "which", "will", "would", "can", "could", "all",
        "any", "our", "you", "your", "been", "being", "also", "when", "where", "what", "who", "how", "each",
    ]
}
