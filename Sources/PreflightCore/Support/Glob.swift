/// A glob, as evidence mappings and catalog paths write them: `*` is any
/// run of characters, `?` one character, anything else itself (case
/// included). Catalog paths match it one folder name at a time.
struct Glob: Sendable, Equatable, CustomStringConvertible {
    let pattern: [Character]
    let description: String

    init(_ pattern: String) {
        self.pattern = Array(pattern)
        self.description = pattern
    }

    func matches(_ text: String) -> Bool {
        let t = Array(text)
        var (p, s) = (0, 0)
        var star: Int?
        var resume = 0
        while s < t.count {
            if p < pattern.count, pattern[p] == "?" || (pattern[p] != "*" && pattern[p] == t[s]) {
                p += 1
                s += 1
            } else if p < pattern.count, pattern[p] == "*" {
                star = p
                resume = s
                p += 1
            } else if let star {
                p = star + 1
                resume += 1
                s = resume
            } else {
                return false
            }
        }
        while p < pattern.count, pattern[p] == "*" { p += 1 }
        return p == pattern.count
    }
}
