import Mustache

/// Which templates include which (`{{> name}}`, and the parents of
/// `{{< name}}` inheritance), to refuse cycles before anything renders:
/// swift-mustache follows partials without a depth limit, so a template that
/// includes itself, directly or through others, would recurse until the stack
/// overflows. Recursive partials are therefore not supported.
struct PartialGraph {
    /// Template name → the partials it names, in order of appearance.
    private(set) var edges: [String: [String]] = [:]
    /// Templates that name a partial from the context (`{{>*name}}`).
    private(set) var dynamic: Set<String> = []

    mutating func add(_ template: MustacheTemplate, named name: String) {
        var names: [String] = []
        var isDynamic = false
        Self.collect(template, into: &names, dynamic: &isDynamic)
        edges[name] = names
        if isDynamic { dynamic.insert(name) }
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
            for next in edges[name] ?? [] where edges[next] != nil {
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
