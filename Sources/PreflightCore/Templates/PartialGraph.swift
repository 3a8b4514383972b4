import Mustache

/// Which templates include which (`{{> name}}`, and the parents of
/// `{{< name}}` inheritance), to refuse cycles before anything renders:
/// swift-mustache follows partials without a depth limit, so a template that
/// includes itself, directly or through others, would recurse until the stack
/// overflows. Recursive partials are therefore not supported.
struct PartialGraph {
    /// Template name → the partials it names, in order of appearance.
    private(set) var edges: [String: [String]] = [:]
    /// Template name → how deep its sections nest (see `nesting(of:)`).
    private(set) var depths: [String: Int] = [:]

    /// How deep rendering may go: sections within sections along a chain of
    /// partials. swift-mustache parses and renders by recursion, on worker
    /// threads with small stacks; no real template comes near this.
    static let maxDepth = 100
    /// Templates that name a partial from the context (`{{>*name}}`).
    private(set) var dynamic: Set<String> = []

    mutating func add(_ template: MustacheTemplate, named name: String) {
        var names: [String] = []
        var isDynamic = false
        Self.collect(template, into: &names, dynamic: &isDynamic)
        edges[name] = names
        depths[name] = Self.nesting(of: template.description)
        if isDynamic { dynamic.insert(name) }
    }

    /// The deepest nesting of sections (`{{#}}`, `{{^}}`, blocks `{{$}}` and
    /// parents `{{<}}`) in a template's text, following set-delimiter tags.
    /// Read from the text, so that a template too deep to parse safely is
    /// refused before swift-mustache's recursive parser sees it.
    static func nesting(of text: String) -> Int {
        var open: [UInt8] = Array("{{".utf8)
        var close: [UInt8] = Array("}}".utf8)
        let bytes = Array(text.utf8)
        var depth = 0
        var deepest = 0
        var i = 0
        func matches(_ needle: [UInt8], at index: Int) -> Bool {
            index + needle.count <= bytes.count && bytes[index..<(index + needle.count)].elementsEqual(needle)
        }
        while i < bytes.count {
            guard matches(open, at: i) else {
                i += 1
                continue
            }
            var j = i + open.count
            while j < bytes.count && !matches(close, at: j) { j += 1 }
            let tag = bytes[(i + open.count)..<min(j, bytes.count)].drop { $0 == 0x20 }
            switch tag.first {
            case UInt8(ascii: "#"), UInt8(ascii: "^"), UInt8(ascii: "$"), UInt8(ascii: "<"):
                depth += 1
                deepest = max(deepest, depth)
            case UInt8(ascii: "/"):
                depth = max(0, depth - 1)
            case UInt8(ascii: "="):
                // {{=<% %>=}}: the new delimiters, separated by white space.
                let inner = tag.dropFirst().reversed().drop { $0 == 0x20 }.dropFirst().reversed()
                let parts = inner.split(separator: 0x20)
                if parts.count == 2 {
                    open = Array(parts[0])
                    close = Array(parts[1])
                }
            default: break
            }
            i = j + close.count
        }
        return deepest
    }

    /// The deepest chain of partials, counting each template's own nesting
    /// plus one, as names from the outermost template; nil when none goes
    /// past `limit`. Call after `cycles()` found none.
    func tooDeep(limit: Int = maxDepth) -> [String]? {
        var best: [String: (depth: Int, chain: [String])] = [:]
        func visit(_ name: String, level: Int) -> (depth: Int, chain: [String]) {
            if let known = best[name] { return known }
            // Past the limit the answer is known; stop before the recursion is deep.
            if level > limit { return (limit + 1, [name]) }
            var deepest: (depth: Int, chain: [String]) = (0, [])
            for next in edges[name] ?? [] where edges[next] != nil {
                let below = visit(next, level: level + 1)
                if below.depth > deepest.depth { deepest = below }
            }
            let result = (deepest.depth + (depths[name] ?? 0) + 1, [name] + deepest.chain)
            best[name] = result
            return result
        }
        for name in edges.keys.sorted() {
            let found = visit(name, level: 0)
            if found.depth > limit { return found.chain }
        }
        return nil
    }

    /// The templates' parsed tokens are internal to swift-mustache; reflection
    /// reads them as its parser made them (set delimiters, sections, blocks and
    /// the overrides of a parent included). `ThemeTests` pins this down.
    private static func collect(_ value: Any, into names: inout [String], dynamic: inout Bool) {
        for child in Mirror(reflecting: value).children {
            switch child.label {
            case "partial"?:
                if let name = Mirror(reflecting: child.value).children.first?.value as? String { names.append(name) }
            case "dynamicNamePartial"?:
                dynamic = true
            default: break
            }
            collect(child.value, into: &names, dynamic: &dynamic)
        }
    }

    /// Every cycle, each as the chain of template names that closes it
    /// (`["a", "b", "a"]`), found from the templates in name order.
    func cycles() -> [[String]] {
        var state: [String: Bool] = [:]  // false: on the current path; true: finished
        var stack: [String] = []
        var found: [[String]] = []
        func visit(_ name: String) {
            state[name] = false
            stack.append(name)
            // Deeper than any template may go: `tooDeep` reports it (and the
            // search itself must not recurse without bound).
            for next in edges[name] ?? [] where edges[next] != nil && stack.count <= Self.maxDepth {
                switch state[next] {
                case nil: visit(next)
                case false?: found.append(Array(stack[stack.lastIndex(of: next)!...]) + [next])
                case true?: break
                }
            }
            stack.removeLast()
            state[name] = true
        }
        for name in edges.keys.sorted() where state[name] == nil { visit(name) }
        return found
    }
}
