/// `rule=` on a check: a test of the service's own front matter that answers
/// the check (docs/format.md, "`rule=` checks"). The whole vocabulary is
/// `KEY`, `KEY = VALUE`, `KEY in [A, B]` and `KEY not in [A, B]`.
public struct CheckRule: Sendable, Equatable, CustomStringConvertible {
    public enum Test: Sendable, Equatable {
        /// The key has a value.
        case isSet
        case equals(String)
        case oneOf([String])
        case noneOf([String])
    }

    /// The key, split at dots: `["links", "runbook"]`.
    public var path: [String]
    public var test: Test
    /// The rule as written.
    public var description: String

    /// Service keys a rule may name, and how many more dotted parts each takes.
    static let keys: [(name: String, parts: ClosedRange<Int>)] = [
        ("name", 0...0), ("owner", 0...0), ("tier", 0...0), ("lifecycle", 0...0), ("tags", 0...0),
        ("checklist", 0...0), ("target", 0...0), ("links", 0...1), ("extra", 1...32),
    ]

    static let vocabulary = "a rule is `KEY`, `KEY = VALUE`, `KEY in [A, B]` or `KEY not in [A, B]`, "
        + "where KEY is name, owner, tier, lifecycle, tags, checklist, target, links, links.LABEL or extra.KEY"

    /// Reads a rule; the problem in words when it cannot be read.
    public static func parse(_ text: String) -> Result<CheckRule, Problem> {
        var scanner = Scanner(Array(text.unicodeScalars))
        scanner.skipSpace()
        let path = scanner.word(allowDots: true)
        guard !path.isEmpty else { return .failure(Problem("rule `\(text)` does not start with a key")) }
        let parts = path.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard parts.allSatisfy({ !$0.isEmpty }) else { return .failure(Problem("`\(path)` is not a key: a dot needs a name on each side")) }
        guard let key = keys.first(where: { $0.name == parts[0] }) else {
            let near = FrontMatterFields.closest(to: parts[0], in: keys.map(\.name))
            return .failure(Problem(
                "`\(parts[0])` is not a service key a rule can read" + (near.map { " (did you mean `\($0)`?)" } ?? "")))
        }
        guard key.parts.contains(parts.count - 1) else {
            return .failure(Problem(
                key.name == "extra" ? "`extra` needs the name of a custom field: `extra.NAME`"
                    : "`\(key.name)` has no parts: write `\(key.name)`, not `\(path)`"))
        }
        scanner.skipSpace()
        let test: Test
        if scanner.atEnd {
            test = .isSet
        } else if scanner.take("=") {
            scanner.skipSpace()
            guard let value = scanner.value() else {
                return .failure(Problem(scanner.unclosedQuote ? "a quoted value is not closed" : "`=` needs a value after it"))
            }
            test = .equals(value)
        } else {
            let word = scanner.word(allowDots: false)
            var negated = false
            var op = word
            if word == "not" {
                negated = true
                scanner.skipSpace()
                op = scanner.word(allowDots: false)
            }
            guard op == "in" else {
                return .failure(Problem(
                    word.isEmpty ? "unexpected `\(scanner.rest)` after `\(path)`" : "`\(word)` is not part of the rule vocabulary"))
            }
            scanner.skipSpace()
            guard scanner.take("[") else { return .failure(Problem("`in` needs a list: `in [A, B]`")) }
            var values: [String] = []
            while true {
                scanner.skipSpace()
                guard let value = scanner.value() else {
                    return .failure(Problem(
                        scanner.unclosedQuote ? "a quoted value is not closed" : "the list after `in` needs values: `in [A, B]`"))
                }
                values.append(value)
                scanner.skipSpace()
                if scanner.take(",") { continue }
                guard scanner.take("]") else { return .failure(Problem("the list after `in` is not closed with `]`")) }
                break
            }
            test = negated ? .noneOf(values) : .oneOf(values)
        }
        scanner.skipSpace()
        guard scanner.atEnd else { return .failure(Problem("unexpected `\(scanner.rest)` at the end of the rule")) }
        return .success(CheckRule(path: parts, test: test, description: text))
    }

    public struct Problem: Error, Sendable, Equatable {
        public var message: String
        init(_ message: String) { self.message = message }
    }

    /// A key's value on a service: text, a list (tags, link labels, a list in
    /// `extra`), a map that has entries, or nothing.
    enum Value: Equatable {
        case text(String)
        case list([String])
        case map
    }

    /// The value of this rule's key on `service`; nil when it has none.
    func value(on service: Service) -> Value? {
        func text(_ s: String?) -> Value? { s.map { $0.isEmpty ? nil : Value.text($0) } ?? nil }
        switch path[0] {
        case "name": return text(service.name)
        case "owner": return text(service.owner)
        case "tier": return text(service.tier)
        case "lifecycle": return text(service.lifecycle)
        case "checklist": return text(service.checklist)
        case "target": return text(service.target)
        case "tags": return service.tags.isEmpty ? nil : .list(service.tags)
        case "links":
            guard path.count == 2 else { return service.links.isEmpty ? nil : .list(service.links.map(\.label)) }
            return text(service.links.first { Self.matches(label: $0.label, part: path[1]) }?.url)
        case "extra":
            var node = service.extra
            for part in path.dropFirst() {
                guard case .object(let pairs)? = node,
                    let found = pairs.first(where: { $0.0 == part }) ?? pairs.first(where: { Self.matches(label: $0.0, part: part) })
                else { return nil }
                node = found.1
            }
            guard let node else { return nil }
            return Self.value(of: node)
        default: return nil
        }
    }

    private static func value(of node: JSONValue) -> Value? {
        switch node {
        case .null: return nil
        case .bool(let b): return .text(b ? "true" : "false")
        case .int(let i): return .text(String(i))
        case .string(let s): return s.isEmpty ? nil : .text(s)
        case .array(let items):
            let texts = items.compactMap { item -> String? in
                if case .text(let t)? = value(of: item) { return t }
                return nil
            }
            return items.isEmpty ? nil : .list(texts)
        case .object(let pairs): return pairs.isEmpty ? nil : .map
        }
    }

    /// A label or custom key named by a rule's part: the same with case
    /// ignored, or the same slug (`on-call` finds `On call`).
    static func matches(label: String, part: String) -> Bool {
        label.lowercased() == part.lowercased() || Slug.make(label) == Slug.make(part)
            || squeezed(label) == squeezed(part)
    }

    /// Letters and digits alone, in lower case: `oncall` finds `On call`.
    private static func squeezed(_ text: String) -> String {
        String(text.lowercased().unicodeScalars.filter { $0.properties.isAlphabetic || $0.properties.numericType != nil }.map(Character.init))
    }

    /// Whether the rule holds for `service`, and why not when it does not.
    public func evaluate(_ service: Service) -> (holds: Bool, reason: String?) {
        let key = path.joined(separator: ".")
        let value = value(on: service)
        func or(_ values: [String]) -> String {
            values.count <= 1 ? values.joined() : values.dropLast().joined(separator: ", ") + " or " + values.last!
        }
        func shown(_ value: Value) -> String {
            switch value {
            case .text(let t): return t
            case .list(let items): return items.joined(separator: ", ")
            case .map: return "a map"
            }
        }
        switch test {
        case .isSet:
            return value == nil ? (false, "\(key) is not set") : (true, nil)
        case .equals(let wanted):
            return check(value, key: key, wanted: [wanted], negated: false, or: or, shown: shown)
        case .oneOf(let wanted):
            return check(value, key: key, wanted: wanted, negated: false, or: or, shown: shown)
        case .noneOf(let unwanted):
            return check(value, key: key, wanted: unwanted, negated: true, or: or, shown: shown)
        }
    }

    private func check(
        _ value: Value?, key: String, wanted: [String], negated: Bool, or: ([String]) -> String, shown: (Value) -> String
    ) -> (holds: Bool, reason: String?) {
        guard let value else { return negated ? (true, nil) : (false, "\(key) is not set") }
        let hit: String?
        switch value {
        case .text(let t): hit = wanted.contains(t) ? t : nil
        case .list(let items): hit = items.first { wanted.contains($0) }
        case .map: hit = nil
        }
        if negated {
            guard let hit else { return (true, nil) }
            if case .list = value { return (false, "\(key) holds \(hit)") }
            return (false, "\(key) is \(hit)")
        }
        if hit != nil { return (true, nil) }
        if case .list = value { return (false, "\(key) holds none of \(or(wanted))") }
        return (false, "\(key) is \(shown(value)), not \(or(wanted))")
    }

    /// A small scanner over the rule's characters.
    private struct Scanner {
        let chars: [Unicode.Scalar]
        var i = 0

        init(_ chars: [Unicode.Scalar]) { self.chars = chars }

        var atEnd: Bool { i >= chars.count }
        var rest: String { String(String.UnicodeScalarView(chars[i...])) }

        mutating func skipSpace() {
            while i < chars.count, chars[i] == " " || chars[i] == "\t" { i += 1 }
        }

        mutating func take(_ c: Unicode.Scalar) -> Bool {
            guard i < chars.count, chars[i] == c else { return false }
            i += 1
            return true
        }

        /// Letters, digits, `-`, `_` (and `.` in a key).
        mutating func word(allowDots: Bool) -> String {
            let start = i
            while i < chars.count,
                chars[i].properties.isAlphabetic || ("0"..."9").contains(chars[i]) || chars[i] == "-" || chars[i] == "_"
                    || (allowDots && chars[i] == ".")
            { i += 1 }
            return String(String.UnicodeScalarView(chars[start..<i]))
        }

        /// Whether the last `value()` found a quote that is not closed.
        var unclosedQuote = false

        /// A quoted value, or a bare one up to a space, `,` or `]`.
        mutating func value() -> String? {
            guard i < chars.count else { return nil }
            if chars[i] == "\"" || chars[i] == "'" {
                let quote = chars[i]
                i += 1
                let start = i
                while i < chars.count, chars[i] != quote { i += 1 }
                guard i < chars.count else {
                    unclosedQuote = true
                    return nil
                }
                let value = String(String.UnicodeScalarView(chars[start..<i]))
                i += 1
                return value
            }
            let start = i
            while i < chars.count, chars[i] != " ", chars[i] != "\t", chars[i] != ",", chars[i] != "]", chars[i] != "[" { i += 1 }
            return i > start ? String(String.UnicodeScalarView(chars[start..<i])) : nil
        }
    }
}
