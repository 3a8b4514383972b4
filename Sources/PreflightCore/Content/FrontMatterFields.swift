import Yams

/// Typed, located access to a front matter mapping.
///
/// Each accessor reports a diagnostic at the key's line when the value has the
/// wrong shape, and remembers the key as known; `unknownKeys()` then lists the
/// keys nobody asked for, so misspellings are reported rather than ignored.
struct FrontMatterFields {
    let path: String
    /// File line of the YAML text's first line.
    let firstLine: Int
    private(set) var entries: [(key: String, keyMark: Mark?, value: Node)]
    private var known: Set<String> = []
    /// Where this mapping sits (for "missing key" diagnostics).
    let location: SourceLocation
    /// The key path of this mapping inside the front matter, e.g. `signoffs[1]`.
    let context: String

    /// Parses a file's front matter. A file without one gives an empty
    /// mapping. `subject` names what is read in messages: a YAML file read
    /// this way (`preflight.yml`, an evidence mapping) is not front matter.
    static func parse(
        _ file: SourceFile, subject: String = "front matter", diagnostics: inout DiagnosticList
    ) -> FrontMatterFields? {
        let empty = FrontMatterFields(
            path: file.path, firstLine: file.frontMatterFirstLine, entries: [],
            location: SourceLocation(path: file.path), context: "")
        guard let yaml = file.frontMatter else { return empty }
        if let (line, column) = YAMLAliases.first(in: yaml) {
            diagnostics.error(
                "YAML aliases (`*name`) are not supported in \(subject)",
                at: SourceLocation(path: file.path, line: file.frontMatterFirstLine + line - 1, column: column),
                hint: "write the value out; if the `*` is text, quote the value")
            return nil
        }
        let node: Node?
        do {
            // No tag resolution (its regular expressions are the slow part of Yams):
            // every accessor reads the raw text and its quoting style itself. The
            // encoding is named because Yams' default reads the environment each call.
            node = try Yams.compose(yaml: yaml, .basic, .default, .utf8)
        } catch let error as YamlError {
            diagnostics.append(yamlDiagnostic(error, file: file, subject: subject))
            return nil
        } catch {
            diagnostics.error("\(subject) could not be read: \(error)", at: SourceLocation(path: file.path))
            return nil
        }
        guard let node else { return empty }
        guard case .mapping(let mapping) = node else {
            diagnostics.error(
                "\(subject) must be a mapping of `key: value` lines, not \(describe(node))",
                at: SourceLocation(path: file.path, line: file.frontMatterFirstLine),
                hint: subject == "front matter" ? "write front matter as `key: value` lines between the `---` lines" : "write `key: value` lines")
            return nil
        }
        return FrontMatterFields(
            mapping: mapping, path: file.path, firstLine: file.frontMatterFirstLine,
            location: SourceLocation(path: file.path), context: "", diagnostics: &diagnostics)
    }

    private init(
        path: String, firstLine: Int, entries: [(key: String, keyMark: Mark?, value: Node)],
        location: SourceLocation, context: String
    ) {
        self.path = path
        self.firstLine = firstLine
        self.entries = entries
        self.location = location
        self.context = context
    }

    private init(
        mapping: Node.Mapping, path: String, firstLine: Int, location: SourceLocation,
        context: String, diagnostics: inout DiagnosticList
    ) {
        self.path = path
        self.firstLine = firstLine
        self.location = location
        self.context = context
        var entries: [(key: String, keyMark: Mark?, value: Node)] = []
        for (key, value) in mapping {
            guard case .scalar(let scalar) = key else {
                diagnostics.error(
                    "front matter keys must be plain words", at: Self.location(key.mark, path, firstLine))
                continue
            }
            entries.append((scalar.string, key.mark, value))
        }
        self.entries = entries
    }

    func location(_ mark: Mark?) -> SourceLocation {
        Self.location(mark, path, firstLine)
    }

    static func location(_ mark: Mark?, _ path: String, _ firstLine: Int) -> SourceLocation {
        guard let mark else { return SourceLocation(path: path, line: max(firstLine - 1, 1)) }
        return SourceLocation(path: path, line: firstLine + mark.line - 1, column: mark.column)
    }

    private func name(_ key: String) -> String {
        context.isEmpty ? "`\(key)`" : "`\(context).\(key)`"
    }

    /// The value of `key`, or nil when absent or null; marks the key as known.
    mutating func value(_ key: String) -> (node: Node, at: SourceLocation)? {
        known.insert(key)
        guard let entry = entries.first(where: { $0.key == key }) else { return nil }
        if Self.isNull(entry.value) { return nil }
        return (entry.value, location(entry.keyMark))
    }

    func has(_ key: String) -> Bool {
        entries.contains { $0.key == key }
    }

    /// Any scalar, as text (`tier: 1` reads as "1").
    mutating func string(_ key: String, _ diagnostics: inout DiagnosticList) -> String? {
        guard let (node, at) = value(key) else { return nil }
        guard case .scalar(let scalar) = node else {
            diagnostics.error("\(name(key)) must be text, not \(Self.describe(node))", at: at)
            return nil
        }
        return scalar.string
    }

    mutating func requiredString(_ key: String, _ diagnostics: inout DiagnosticList, hint: String) -> String? {
        if !has(key) || value(key) == nil {
            known.insert(key)
            diagnostics.error("\(name(key)) is required", at: location, hint: hint)
            return nil
        }
        let at = value(key)?.at ?? location
        guard let text = string(key, &diagnostics) else { return nil }
        if text.allSatisfy(\.isWhitespace) {
            diagnostics.error("\(name(key)) is empty", at: at, hint: hint)
            return nil
        }
        return text
    }

    mutating func bool(_ key: String, _ diagnostics: inout DiagnosticList) -> Bool? {
        guard let (node, at) = value(key) else { return nil }
        if case .scalar(let s) = node, s.style == .plain || s.style == .any {
            switch s.string {
            case "true", "True", "TRUE": return true
            case "false", "False", "FALSE": return false
            default: break
            }
        }
        diagnostics.error("\(name(key)) must be `true` or `false`, not \(Self.describe(node))", at: at)
        return nil
    }

    mutating func int(_ key: String, _ diagnostics: inout DiagnosticList) -> Int? {
        guard let (node, at) = value(key) else { return nil }
        if case .scalar(let s) = node, s.style == .plain || s.style == .any, let n = Int(s.string) {
            return n
        }
        diagnostics.error("\(name(key)) must be a whole number, not \(Self.describe(node))", at: at)
        return nil
    }

    mutating func day(_ key: String, _ diagnostics: inout DiagnosticList) -> Day? {
        guard let (node, at) = value(key) else { return nil }
        if case .scalar(let s) = node {
            if let day = Day(s.string) { return day }
            diagnostics.error(
                Day.problem(name(key), s.string), at: at, hint: "for example `\(key): 2026-03-31`")
            return nil
        }
        diagnostics.error(
            "\(name(key)) must be a day written YYYY-MM-DD, not \(Self.describe(node))", at: at,
            hint: "for example `\(key): 2026-03-31`")
        return nil
    }

    /// A list of scalars. A lone scalar is an error: `tags: a, b` is almost always a mistake.
    mutating func stringList(_ key: String, _ diagnostics: inout DiagnosticList) -> [String]? {
        guard let (node, at) = value(key) else { return nil }
        guard case .sequence(let seq) = node else {
            diagnostics.error(
                "\(name(key)) must be a list, not \(Self.describe(node))", at: at,
                hint: "write `\(key): [a, b]` or one `- item` per line")
            return nil
        }
        var items: [String] = []
        for item in seq {
            guard case .scalar(let s) = item else {
                diagnostics.error(
                    "every item of \(name(key)) must be text, not \(Self.describe(item))",
                    at: item.mark.map { location($0) } ?? at)
                continue
            }
            if !Self.isNull(item) { items.append(s.string) }
        }
        return items
    }

    /// A nested mapping, e.g. `links` or one sign-off.
    mutating func mapping(_ key: String, _ diagnostics: inout DiagnosticList) -> FrontMatterFields? {
        guard let (node, at) = value(key) else { return nil }
        guard case .mapping(let m) = node else {
            diagnostics.error("\(name(key)) must be a mapping of `key: value`, not \(Self.describe(node))", at: at)
            return nil
        }
        let inner = context.isEmpty ? key : "\(context).\(key)"
        return FrontMatterFields(
            mapping: m, path: path, firstLine: firstLine, location: at, context: inner,
            diagnostics: &diagnostics)
    }

    /// A list of mappings, e.g. `signoffs`.
    mutating func mappingList(_ key: String, _ diagnostics: inout DiagnosticList) -> [FrontMatterFields]? {
        guard let (node, at) = value(key) else { return nil }
        guard case .sequence(let seq) = node else {
            diagnostics.error("\(name(key)) must be a list, not \(Self.describe(node))", at: at)
            return nil
        }
        var result: [FrontMatterFields] = []
        for (i, item) in seq.enumerated() {
            let itemAt = item.mark.map { location($0) } ?? at
            guard case .mapping(let m) = item else {
                diagnostics.error(
                    "item \(i + 1) of \(name(key)) must be a mapping of `key: value`, not \(Self.describe(item))",
                    at: itemAt)
                continue
            }
            let inner = (context.isEmpty ? key : "\(context).\(key)") + "[\(i + 1)]"
            result.append(
                FrontMatterFields(
                    mapping: m, path: path, firstLine: firstLine, location: itemAt, context: inner,
                    diagnostics: &diagnostics))
        }
        return result
    }

    /// A value passed to templates untouched. Bounded, so an alias bomb cannot blow up.
    mutating func freeValue(_ key: String, _ diagnostics: inout DiagnosticList) -> JSONValue? {
        guard let (node, at) = value(key) else { return nil }
        var budget = Self.freeValueBudget
        guard let value = Self.convert(node, budget: &budget, depth: 0) else {
            diagnostics.error(
                "\(name(key)) is too large (over \(Self.freeValueBudget) values or nested over 32 levels)",
                at: at, hint: "YAML aliases multiply: keep custom fields small")
            return nil
        }
        return value
    }

    static let freeValueBudget = 10_000

    private static func convert(_ node: Node, budget: inout Int, depth: Int) -> JSONValue? {
        budget -= 1
        guard budget >= 0, depth <= 32 else { return nil }
        switch node {
        case .scalar(let s):
            if isNull(node) { return .null }
            if s.style == .plain || s.style == .any {
                if s.string == "true" { return .bool(true) }
                if s.string == "false" { return .bool(false) }
                if let n = Int(s.string) { return .int(n) }
            }
            return .string(s.string)
        case .sequence(let seq):
            var items: [JSONValue] = []
            for item in seq {
                guard let v = convert(item, budget: &budget, depth: depth + 1) else { return nil }
                items.append(v)
            }
            return .array(items)
        case .mapping(let m):
            var pairs: [(String, JSONValue)] = []
            for (k, v) in m {
                guard case .scalar(let ks) = k, let value = convert(v, budget: &budget, depth: depth + 1)
                else { return nil }
                pairs.append((ks.string, value))
            }
            return .object(pairs)
        case .alias:
            return nil
        }
    }

    /// Keys present but never asked for, with their locations.
    func unknownKeys() -> [(key: String, at: SourceLocation)] {
        entries.filter { !known.contains($0.key) }.map { ($0.key, location($0.keyMark)) }
    }

    /// Reports unknown keys as errors or warnings, naming the keys that are allowed.
    func reportUnknownKeys(
        _ diagnostics: inout DiagnosticList, severity: Diagnostic.Severity, allowed: [String]
    ) {
        for (key, at) in unknownKeys() {
            let suggestion = Self.closest(to: key, in: allowed)
            let hint = suggestion.map { "did you mean `\($0)`?" }
                ?? "known keys: \(allowed.joined(separator: ", "))"
            diagnostics.append(
                Diagnostic(
                    path: at.path, line: at.line, column: at.column, severity: severity,
                    message: "unknown key \(name(key))", hint: hint))
        }
    }

    static func isNull(_ node: Node) -> Bool {
        guard case .scalar(let s) = node, s.style == .plain || s.style == .any else { return false }
        return s.string.isEmpty || s.string == "~" || s.string == "null" || s.string == "Null"
            || s.string == "NULL"
    }

    static func describe(_ node: Node) -> String {
        switch node {
        case .scalar(let s): return "`\(s.string.count > 40 ? String(s.string.prefix(40)) + "…" : s.string)`"
        case .sequence: return "a list"
        case .mapping: return "a mapping"
        case .alias: return "an alias"
        }
    }

    /// The allowed key within edit distance 2 of `key`, if any.
    static func closest(to key: String, in allowed: [String]) -> String? {
        let candidates = allowed.map { ($0, editDistance(key, $0)) }.filter { $0.1 <= 2 }
        return candidates.min { ($0.1, $0.0) < ($1.1, $1.0) }?.0
    }

    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a.lowercased().utf8), b = Array(b.lowercased().utf8)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }

    /// A located diagnostic for YAML that cannot be read; `subject` names
    /// what was being read ("front matter", "catalog").
    static func yamlDiagnostic(_ error: YamlError, file: SourceFile, subject: String = "front matter") -> Diagnostic {
        let first = file.frontMatterFirstLine
        func at(_ mark: Mark) -> (Int, Int) { (first + mark.line - 1, mark.column) }
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _),
            .composer(_, let problem, let mark, _):
            let (line, column) = at(mark)
            // A tab where YAML wants spaces reads as "a character that cannot start any token".
            let tabbed = file.frontMatter?.split(separator: "\n", omittingEmptySubsequences: false)
                .dropFirst(max(mark.line - 1, 0)).first?.contains("\t") ?? false
            return Diagnostic(
                path: file.path, line: line, column: column,
                message: "\(subject) is not valid YAML: \(problem)",
                hint: tabbed
                    ? "YAML indents with spaces, never tabs: this line has a tab"
                    : "check indentation and quoting; values containing `: ` or starting with `[`, `{`, `*` or `&` need quotes")
        case .duplicatedKeysInMapping(let duplicates, let context):
            let (line, column) = at(context.mark)
            let keys = duplicates.map { "`\($0)`" }.joined(separator: ", ")
            return Diagnostic(
                path: file.path, line: line, column: column,
                message: "\(subject) has duplicate key \(keys)",
                hint: "each key may appear once; this is where it first appears: remove or merge the later one")
        case .reader(let problem, _, _, _):
            return Diagnostic(path: file.path, line: first, message: "\(subject) could not be read: \(problem)")
        default:
            return Diagnostic(path: file.path, line: first, message: "\(subject) could not be read: \(error)")
        }
    }
}

/// The name of `names` within edit distance 2 of `word`, if any: the
/// "did you mean" of command-line values.
public func nearestName(to word: String, in names: [String]) -> String? {
    FrontMatterFields.closest(to: word, in: names)
}
