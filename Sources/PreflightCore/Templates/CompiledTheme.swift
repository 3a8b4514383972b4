import Mustache

/// The theme's templates in a compiled form: swift-mustache's own parse of
/// each file (so the same text gives the same tags, standalone lines and
/// indentation), turned once into nodes that render typed values
/// (`TemplateValue`) into one byte buffer. swift-mustache looks every name
/// up through a stack of `Any` with casts to its protocols, and builds each
/// section as a string of its own; those casts were a quarter of a build's CPU.
///
/// It renders what swift-mustache renders, byte for byte, for the templates
/// it accepts: text, variables (`{{x}}`, `{{{x}}}`, `{{&x}}`, dotted names,
/// `{{.}}`), sections, inverted sections, comments, set delimiters,
/// partials with their indentation, and inheritance (`{{<parent}}`,
/// `{{$block}}`). A template set using anything else (transforms such as
/// `{{lowercased(x)}}`, a `{{%CONTENT_TYPE}}` pragma, a dynamic partial) is
/// not compiled, and the theme renders through swift-mustache as before.
struct CompiledTheme: Sendable {
    /// Templates by name; a partial names its template by position.
    private let templates: [Nodes]
    private let positions: [String: Int]

    /// One template or section body.
    final class Nodes: Sendable {
        let nodes: [Node]
        init(_ nodes: [Node]) { self.nodes = nodes }
    }

    enum Node: Sendable {
        case text([UInt8])
        case variable(Name, escaped: Bool)
        case section(Name, Nodes, inverted: Bool)
        /// A partial (`{{>name}}`) or a parent (`{{<name}}`, with its blocks);
        /// nil position: no such template, which renders nothing.
        case partial(Int?, indentation: String?, blocks: [String: Nodes]?)
        case block(String, default: Nodes, indentation: String?)
    }

    /// A tag's name as swift-mustache resolves it.
    struct Name: Sendable {
        /// Split at dots, empty parts dropped; empty (`.`, `{{}}`): the current value.
        let parts: [String]
        /// A name starting with a dot: looked up on the current value only, not the stack.
        let local: Bool

        init(_ name: String) {
            parts = name.split(separator: ".").map(String.init)
            local = name.first == "."
        }
    }

    /// Compiles `library`'s templates named `names`; nil when one of them
    /// uses a tag outside the compiled set, or its parse is not the shape
    /// this code reads (a swift-mustache release that changed it).
    init?(_ library: MustacheLibrary, names: [String]) {
        var positions: [String: Int] = [:]
        for (i, name) in names.enumerated() { positions[name] = i }
        var templates: [Nodes] = []
        for name in names {
            guard let template = library.getTemplate(named: name),
                let nodes = Self.compile(template, positions: positions)
            else { return nil }
            templates.append(nodes)
        }
        self.templates = templates
        self.positions = positions
    }

    // MARK: Compiling swift-mustache's parse

    /// The payload of an enum case or the fields of a tuple, by label.
    private static func fields(_ value: Any) -> [String: Any] {
        var result: [String: Any] = [:]
        for (i, child) in Mirror(reflecting: value).children.enumerated() {
            result[child.label ?? ".\(i)"] = child.value
        }
        return result
    }

    /// An optional's value (nil for `.none`); a non-optional as it is.
    private static func unwrapped(_ value: Any) -> Any?? {
        let mirror = Mirror(reflecting: value)
        guard mirror.displayStyle == .optional else { return .some(value) }
        return .some(mirror.children.first?.value)
    }

    private static func compile(_ template: Any, positions: [String: Int]) -> Nodes? {
        guard let tokens = fields(template)["tokens"] as? [Any] else { return nil }
        var nodes: [Node] = []
        for token in tokens {
            let mirror = Mirror(reflecting: token)
            guard mirror.displayStyle == .enum, let child = mirror.children.first, let kind = child.label else { return nil }
            let payload = fields(child.value)
            func transformsEmpty() -> Bool { (payload["transforms"] as? [String])?.isEmpty == true }
            switch kind {
            case "text":
                guard let text = child.value as? String else { return nil }
                nodes.append(.text(Array(text.utf8)))
            case "variable", "unescapedVariable":
                guard let name = payload["name"] as? String, transformsEmpty() else { return nil }
                nodes.append(.variable(Name(name), escaped: kind == "variable"))
            case "section", "invertedSection":
                guard let name = payload["name"] as? String, transformsEmpty(), let body = payload["template"],
                    let inner = compile(body, positions: positions)
                else { return nil }
                nodes.append(.section(Name(name), inner, inverted: kind == "invertedSection"))
            case "partial":
                guard let name = payload[".0"] as? String,
                    let indentation = payload["indentation"].flatMap(unwrapped), let inherits = payload["inherits"].flatMap(unwrapped)
                else { return nil }
                var blocks: [String: Nodes]?
                if let inherits {
                    guard let list = inherits as? [String: Any] else { return nil }
                    blocks = [:]
                    for (block, body) in list {
                        guard let inner = compile(body, positions: positions) else { return nil }
                        blocks![block] = inner
                    }
                }
                guard indentation == nil || indentation is String else { return nil }
                nodes.append(.partial(positions[name], indentation: indentation as? String, blocks: blocks))
            case "blockExpansion":
                guard let name = payload["name"] as? String, let body = payload["default"],
                    let indentation = payload["indentation"].flatMap(unwrapped), indentation == nil || indentation is String,
                    let inner = compile(body, positions: positions)
                else { return nil }
                nodes.append(.block(name, default: inner, indentation: indentation as? String))
            default:
                // dynamicNamePartial, contentType, a stray blockDefinition, or a case this code does not know.
                return nil
            }
        }
        return Nodes(nodes)
    }

    // MARK: Rendering

    /// Renders the template `name` (nil when there is none, as swift-mustache).
    func render(_ name: String, _ value: TemplateValue) -> String? {
        renderBytes(name, value).map { String(decoding: $0, as: UTF8.self) }
    }

    /// `render` as UTF-8 bytes, without a copy into a string.
    func renderBytes(_ name: String, _ value: TemplateValue) -> [UInt8]? {
        guard let position = positions[name] else { return nil }
        var renderer = Renderer(templates: templates, stack: [value])
        renderer.render(templates[position], indentation: nil, blocks: nil)
        return renderer.out
    }

    private struct Renderer {
        let templates: [Nodes]
        var stack: [TemplateValue]
        var out: [UInt8] = []

        init(templates: [Nodes], stack: [TemplateValue]) {
            self.templates = templates
            self.stack = stack
            out.reserveCapacity(16 << 10)
        }

        /// One template or section body, as swift-mustache's `render(context:)`:
        /// under an indentation, each node's non-empty output that starts
        /// a line of this body's own output is indented.
        mutating func render(_ body: Nodes, indentation: String?, blocks: [String: Nodes]?) {
            let start = out.count
            guard let indentation, !indentation.isEmpty else {
                for node in body.nodes { render(node, indentation: indentation, blocks: blocks) }
                return
            }
            for node in body.nodes {
                let before = out.count
                render(node, indentation: indentation, blocks: blocks)
                // `string.last == "\n"`: a line feed that is not the end of a "\r\n".
                if out.count > before, before > start, out[before - 1] == 0x0A,
                    !(before - 2 >= start && out[before - 2] == 0x0D)
                {
                    out.insert(contentsOf: indentation.utf8, at: before)
                }
            }
        }

        private mutating func render(_ node: Node, indentation: String?, blocks: [String: Nodes]?) {
            switch node {
            case .text(let bytes):
                out.append(contentsOf: bytes)
            case .variable(let name, let escaped):
                guard let value = lookUp(name) else { return }
                if case .text(let text) = value {
                    escaped ? Self.escape(text, into: &out) : out.append(contentsOf: text.utf8)
                } else {
                    let text = value.described
                    escaped ? Self.escape(text, into: &out) : out.append(contentsOf: text.utf8)
                }
            case .section(let name, let inner, let inverted):
                let value = lookUp(name)
                inverted
                    ? renderInverted(value, inner, indentation: indentation, blocks: blocks)
                    : renderSection(value, inner, indentation: indentation, blocks: blocks)
            case .partial(let position, let indented, let inherits):
                guard let position else { return }
                var merged = blocks
                if let inherits {
                    // The outer template's blocks win, as in swift-mustache.
                    merged = blocks?.merging(inherits) { outer, _ in outer } ?? inherits
                }
                render(templates[position], indentation: Self.joined(indentation, indented), blocks: merged)
            case .block(let name, let fallback, let indented):
                render(blocks?[name] ?? fallback, indentation: Self.joined(indentation, indented), blocks: blocks)
            }
        }

        private static func joined(_ outer: String?, _ inner: String?) -> String? {
            guard let inner else { return outer }
            return (outer ?? "") + inner
        }

        private mutating func renderSection(_ value: TemplateValue?, _ body: Nodes, indentation: String?, blocks: [String: Nodes]?) {
            guard let value else { return }
            switch value {
            case .bool(let flag):
                if flag { render(body, indentation: indentation, blocks: blocks) }
            case .list(let items):
                for item in items { inside(item) { $0.render(body, indentation: indentation, blocks: blocks) } }
            case .lazy(let list):
                for i in 0..<list.count {
                    inside(TemplateValue(list.item(i))) { $0.render(body, indentation: indentation, blocks: blocks) }
                }
            case .other(let any):
                if let items = TemplateValue.sequence(any) {
                    for item in items { inside(TemplateValue(prepared: item)) { $0.render(body, indentation: indentation, blocks: blocks) } }
                } else if let flag = any as? Bool {
                    if flag { render(body, indentation: indentation, blocks: blocks) }
                } else if let renderable = any as? MustacheCustomRenderable, renderable.isNull {
                    return
                } else {
                    inside(value) { $0.render(body, indentation: indentation, blocks: blocks) }
                }
            case .text, .object:
                inside(value) { $0.render(body, indentation: indentation, blocks: blocks) }
            case .absent:
                return
            }
        }

        private mutating func renderInverted(_ value: TemplateValue?, _ body: Nodes, indentation: String?, blocks: [String: Nodes]?) {
            guard let value else { return render(body, indentation: indentation, blocks: blocks) }
            switch value {
            case .bool(let flag):
                if !flag { render(body, indentation: indentation, blocks: blocks) }
            case .list(let items):
                // An empty list is the context of its inverted section, as in swift-mustache.
                if items.isEmpty { inside(value) { $0.render(body, indentation: indentation, blocks: blocks) } }
            case .lazy(let list):
                if list.isEmpty { inside(value) { $0.render(body, indentation: indentation, blocks: blocks) } }
            case .other(let any):
                if let items = TemplateValue.sequence(any) {
                    if items.isEmpty { inside(value) { $0.render(body, indentation: indentation, blocks: blocks) } }
                } else if let flag = any as? Bool {
                    if !flag { render(body, indentation: indentation, blocks: blocks) }
                } else if let renderable = any as? MustacheCustomRenderable, renderable.isNull {
                    render(body, indentation: indentation, blocks: blocks)
                }
            case .text, .object:
                return
            case .absent:
                render(body, indentation: indentation, blocks: blocks)
            }
        }

        private mutating func inside(_ value: TemplateValue, _ body: (inout Renderer) -> Void) {
            stack.append(value)
            body(&self)
            stack.removeLast()
        }

        /// swift-mustache's `getChild` without transforms: the first part
        /// from the innermost value that has it, the rest from that value;
        /// a value that is there but empty (`Absent`) ends the search as nil.
        private func lookUp(_ name: Name) -> TemplateValue? {
            guard let first = name.parts.first else { return stack.last }
            var found: TemplateValue?
            if name.local {
                found = stack.last!.child(first)
            } else {
                for value in stack.reversed() {
                    if let child = value.child(first) {
                        found = child
                        break
                    }
                }
            }
            for part in name.parts.dropFirst() {
                guard let value = found else { return nil }
                found = value.child(part)
            }
            switch found {
            case .absent?: return nil
            case .other(let custom as MustacheCustomRepresentation)?:
                return custom.representation.map { TemplateValue(prepared: $0) }
            default: return found
            }
        }

        /// swift-mustache's HTML escape: `<`, `>`, `&`, `"` and `'`, each
        /// only as a character of its own (one followed by a combining mark
        /// is another character, and is kept); and, unlike swift-mustache,
        /// the control characters HTML forbids in text made U+FFFD
        /// (`htmlEntity`).
        static func escape(_ text: String, into out: inout [UInt8]) {
            var text = text
            text.withUTF8 { bytes in
                // Without a special character, or in ASCII, bytes are characters.
                guard bytes.contains(where: { htmlEntity($0) != nil }), bytes.contains(where: { $0 >= 0x80 }) else {
                    return appendEscapedHTML(bytes, to: &out)
                }
                var start = 0
                for character in String(decoding: bytes, as: UTF8.self) {
                    let width = character.utf8.count
                    if width == 1 {
                        appendEscapedHTML(UnsafeBufferPointer(rebasing: bytes[start..<start + 1]), to: &out)
                    } else {
                        out.append(contentsOf: bytes[start..<start + width])
                    }
                    start += width
                }
            }
        }
    }
}

/// A template context value for `CompiledTheme`: what `Theme.prepared`
/// makes for swift-mustache, as cases instead of `Any`.
enum TemplateValue {
    case text(String)
    case bool(Bool)
    case object([String: TemplateValue])
    case list([TemplateValue])
    /// Items made when reached (`LazyList`).
    case lazy(LazyList)
    /// There, but empty: ends a name's search through the stack as nil.
    case absent
    /// Anything else, answered by swift-mustache's rules for `Any`.
    case other(Any)

    /// The value of a page context, as `Theme.prepared` would wrap it.
    ///
    /// The types contexts are made of are told apart by their metatype
    /// first: a cast that fails costs more than one that matches, and the
    /// chain of casts below made every dictionary fail two of them and every
    /// flag five (2.5 % of a full build's time, most of it failing casts).
    /// A list of dictionaries or of strings is converted item by item
    /// without boxing each item as `Any` again. Any other type takes the
    /// chain, whose answers are the same for these types.
    init(_ value: Any) {
        let type = ObjectIdentifier(Swift.type(of: value))
        if type == Self.stringType {
            self = .text(value as! String)
        } else if type == Self.objectType {
            self = .object((value as! [String: Any]).mapValues { TemplateValue($0) })
        } else if type == Self.objectsType {
            self = .list((value as! [[String: Any]]).map { .object($0.mapValues { TemplateValue($0) }) })
        } else if type == Self.boolType {
            self = .bool(value as! Bool)
        } else if type == Self.intType {
            self = .text(String(value as! Int))
        } else if type == Self.stringsType {
            self = .list((value as! [String]).map { .text($0) })
        } else {
            self.init(cast: value)
        }
    }

    private static let stringType = ObjectIdentifier(String.self)
    private static let objectType = ObjectIdentifier([String: Any].self)
    private static let objectsType = ObjectIdentifier([[String: Any]].self)
    private static let boolType = ObjectIdentifier(Bool.self)
    private static let intType = ObjectIdentifier(Int.self)
    private static let stringsType = ObjectIdentifier([String].self)

    /// `init(_:)` for any type, by casts (tests hold the two to the same answers).
    init(cast value: Any) {
        switch value {
        case let s as String: self = .text(s)
        case let i as Int: self = .text(String(i))
        case let d as [String: Any]: self = .object(d.mapValues { TemplateValue($0) })
        case let a as [Any]: self = .list(a.map { TemplateValue($0) })
        case let list as LazyList: self = .lazy(list)
        case let b as Bool: self = .bool(b)
        case is Absent: self = .absent
        case let text as Text: self = .text(text.renderText)
        default: self = .other(value)
        }
    }

    /// A value swift-mustache already holds as it is (an item of a sequence
    /// reached through `.other`): not prepared again.
    init(prepared value: Any) {
        switch value {
        case let text as Text: self = .text(text.renderText)
        case let b as Bool: self = .bool(b)
        case is Absent: self = .absent
        default: self = .other(value)
        }
    }

    /// The items of a sequence swift-mustache iterates (`MustacheSequence`).
    static func sequence(_ value: Any) -> [Any]? {
        func items<S: MustacheSequence>(_ s: S) -> [Any] { s.map { $0 as Any } }
        guard let sequence = value as? any MustacheSequence else { return nil }
        return items(sequence)
    }

    /// The value swift-mustache would hold: `Theme.prepared`'s form.
    var prepared: Any {
        switch self {
        case .text(let s): return Text(renderText: s)
        case .bool(let b): return b
        case .object(let d): return d.mapValues(\.prepared)
        case .list(let a): return a.map(\.prepared)
        case .lazy(let list): return list
        case .absent: return Absent()
        case .other(let any): return any
        }
    }

    /// The text swift-mustache renders for a value that is not a string:
    /// `String(describing:)` of what it holds.
    var described: String {
        if case .other(let any) = self, let renderable = any as? MustacheCustomRenderable {
            return renderable.renderText
        }
        return String(describing: prepared)
    }

    /// A name looked up on this value: a key of an object; on a value of
    /// another kind, what swift-mustache finds by reflection (a list's
    /// `count`, say, inside an inverted section on it).
    func child(_ name: String) -> TemplateValue? {
        switch self {
        case .object(let fields): return fields[name]
        case .text, .absent: return nil
        case .bool, .list: return Self.reflected(prepared, name)
        case .lazy(let list): return Self.reflected(list, name)
        case .other(let any):
            if let custom = any as? MustacheCustomRepresentation {
                guard let inner = custom.representation else { return nil }
                return TemplateValue(prepared: inner).child(name)
            }
            if let parent = any as? MustacheParent { return parent.child(named: name).map { TemplateValue(prepared: $0) } }
            return Self.reflected(any, name)
        }
    }

    private static func reflected(_ value: Any, _ name: String) -> TemplateValue? {
        guard let match = Mirror(reflecting: value).children.first(where: { $0.label == name }) else { return nil }
        let mirror = Mirror(reflecting: match.value)
        if mirror.displayStyle == .optional {
            guard let inner = mirror.children.first?.value else { return nil }
            return TemplateValue(prepared: inner)
        }
        return TemplateValue(prepared: match.value)
    }
}
