import Mustache

/// The templates and theme assets a site renders with: the built-in theme,
/// with any file of the site's own `templates/` folder replacing its namesake.
public struct Theme: Sendable {
    let library: MustacheLibrary
    /// The same templates compiled (see `CompiledTheme`); nil when one uses
    /// a tag the compiled form does not take, and swift-mustache renders.
    let compiled: CompiledTheme?
    /// Non-template files of the theme (CSS, scripts), by output path.
    public let assets: [(path: String, bytes: [UInt8])]

    public static let folder = "templates"
    static let templateExtension = ".mustache"

    /// Loads the theme for the site at `siteDirectory`, reporting template syntax errors.
    public static func load(siteDirectory: String, diagnostics: inout DiagnosticList) -> Theme? {
        var sources: [String: (text: String, path: String?)] = [:]
        for (name, text) in BuiltinTheme.files { sources[name] = (text, nil) }
        let overrides = siteDirectory + "/" + folder
        if !FileIndex.isLinkedFolder(folder, in: siteDirectory, &diagnostics), FileSystem.kind(overrides) == .directory {
            for path in overrideFiles(overrides, prefix: "", diagnostics: &diagnostics) {
                let relative = folder + "/" + path
                do {
                    let bytes = try FileSystem.read(relative, in: siteDirectory)
                    switch SourceFile.decode(path: relative, bytes: bytes) {
                    case .success(let text): sources[path] = (text, relative)
                    case .failure(let d): diagnostics.append(d)
                    }
                } catch {
                    diagnostics.error("cannot read file: \(error.reason)", at: SourceLocation(path: relative))
                }
            }
        }

        var library = MustacheLibrary()
        var names: [String] = []
        var graph = PartialGraph()
        var assets: [(String, [UInt8])] = []
        var ok = true
        for name in sources.keys.sorted() {
            let (text, path) = sources[name]!
            guard name.hasSuffix(templateExtension) else {
                assets.append((name, Array(text.utf8)))
                continue
            }
            let nesting = PartialGraph.nesting(of: text)
            guard nesting <= PartialGraph.maxDepth else {
                ok = false
                diagnostics.error(
                    "sections nest \(nesting) levels deep; Preflight renders at most \(PartialGraph.maxDepth)",
                    at: SourceLocation(path: path ?? "built-in \(name)"), hint: "flatten the template")
                continue
            }
            do {
                let template = try MustacheTemplate(string: text)
                let templateName = String(name.dropLast(templateExtension.count))
                library.register(template, named: templateName)
                names.append(templateName)
                graph.add(template, named: templateName)
            } catch let error as MustacheTemplate.ParserError {
                ok = false
                diagnostics.error(
                    "template syntax error: \(describe(error.error))",
                    at: SourceLocation(
                        path: path ?? "built-in \(name)", line: error.context.lineNumber,
                        column: error.context.columnNumber + 1))
            } catch {
                ok = false
                diagnostics.error("template error: \(error)", at: SourceLocation(path: path ?? "built-in \(name)"))
            }
        }
        func location(_ template: String) -> SourceLocation {
            let name = template + templateExtension
            return SourceLocation(path: sources[name]?.path ?? "built-in \(name)")
        }
        for name in graph.dynamic.sorted() {
            ok = false
            diagnostics.error(
                "template names a partial from its context (`{{>*name}}`), which Preflight does not support",
                at: location(name), hint: "name the partial: `{{> partials/name}}`")
        }
        for cycle in graph.cycles() {
            ok = false
            diagnostics.error(
                "templates include each other in a cycle: \(cycle.joined(separator: " → "))",
                at: location(cycle[0]), hint: "a template cannot include itself, directly or through other templates")
        }
        if ok, let chain = graph.tooDeep() {
            ok = false
            diagnostics.error(
                "partials and sections nest more than \(PartialGraph.maxDepth) levels deep: "
                    + "\(chain.prefix(5).joined(separator: " → "))\(chain.count > 5 ? " → …" : "")",
                at: location(chain[0]), hint: "include fewer partials within each other")
        }
        guard ok else { return nil }
        return Theme(library: library, compiled: CompiledTheme(library, names: names), assets: assets)
    }

    /// Renders the named template (without `.mustache`).
    public func render(_ name: String, _ context: [String: Any]) -> String {
        guard let compiled else { return renderWithSwiftMustache(name, context) }
        return compiled.render(name, TemplateValue(context)) ?? ""
    }

    /// Renders the named template into UTF-8 bytes, the context made by
    /// `context` and let go of once it is a template value: a listing page
    /// of 20,000 services holds neither the context nor a copy of its text
    /// in a string while it is written.
    func renderBytes(_ name: String, _ context: () -> [String: Any]) -> [UInt8] {
        guard let compiled else { return Array(renderWithSwiftMustache(name, context()).utf8) }
        let value = TemplateValue(context())
        return compiled.renderBytes(name, value) ?? []
    }

    /// Renders through swift-mustache itself, which the compiled form must equal.
    func renderWithSwiftMustache(_ name: String, _ context: [String: Any]) -> String {
        library.render(Theme.prepared(context), withTemplate: name) ?? ""
    }

    private static func overrideFiles(_ dir: String, prefix: String, diagnostics: inout DiagnosticList) -> [String] {
        var result: [String] = []
        let entries: [FileSystem.Entry]
        do {
            entries = try FileSystem.list(dir)
        } catch {
            diagnostics.error("cannot read folder: \(error.reason)", at: SourceLocation(path: folder + "/" + prefix))
            return []
        }
        for entry in entries where !entry.name.hasPrefix(".") {
            let relative = prefix + entry.name
            switch entry.kind {
            case .file: result.append(relative)
            case .directory:
                result += overrideFiles(dir + "/" + entry.name, prefix: relative + "/", diagnostics: &diagnostics)
            case .symlink:
                diagnostics.error(
                    "\(folder)/\(relative) is a symbolic link; Preflight does not follow links",
                    at: SourceLocation(path: folder + "/" + relative))
            case .other:
                diagnostics.error(
                    "\(folder)/\(relative) is not a regular file (a pipe, socket or device)",
                    at: SourceLocation(path: folder + "/" + relative), hint: "remove it from templates/")
            }
        }
        return result
    }

    private static func describe(_ error: Error) -> String {
        switch error as? MustacheTemplate.Error {
        case .sectionCloseNameIncorrect?: return "a closing tag does not match the open section"
        case .unfinishedName?: return "a tag is not closed with `}}`"
        case .expectedSectionEnd?: return "a section is never closed"
        case .invalidSetDelimiter?: return "bad set-delimiter tag"
        default: return "\(error)"
        }
    }
}

extension Theme {
    /// The context with every string and number wrapped in `Text`, which
    /// swift-mustache renders through one protocol cast; a plain `String` or
    /// `Int` goes through several failed casts and `String(describing:)`
    /// first. Output is the same; rendering a large site is about 13% faster.
    /// It is made from `TemplateValue`, the compiled form's value, so that
    /// both engines are handed the same values.
    static func prepared(_ value: Any) -> Any {
        TemplateValue(value).prepared
    }
}

/// A string value for templates (see `Theme.prepared`).
///
/// It is a `MustacheParent` without children: inside a section opened on a
/// string (`{{#level}}{{level}}{{/level}}`), each name is looked up on the
/// string first, and swift-mustache reflects (`Mirror`) on any value that is
/// not a parent before it moves on to the outer contexts.
struct Text: MustacheCustomRenderable, MustacheParent {
    let renderText: String
    var isNull: Bool { false }

    func child(named: String) -> Any? { nil }
}

/// A list for templates whose items are made when the template reaches
/// them, each prepared (`Theme.prepared`) and dropped once rendered: a page
/// listing 20,000 services (the dashboard, a checklist's matrix) holds one
/// row's context at a time, not all of them. It answers the transforms of a
/// list (`first`, `last`, `count`, `empty`, `reversed`) as an array does.
struct LazyList: MustacheSequence, MustacheTransformable {
    let count: Int
    let item: (Int) -> Any

    init(count: Int, item: @escaping (Int) -> Any) {
        self.count = count
        self.item = item
    }

    /// Each element of `elements`, made into its context when reached.
    init<C: RandomAccessCollection>(_ elements: C, _ transform: @escaping (C.Element) -> Any) where C.Index == Int {
        self.init(count: elements.count) { transform(elements[elements.startIndex + $0]) }
    }

    var isEmpty: Bool { count == 0 }

    struct Iterator: IteratorProtocol {
        let list: LazyList
        var index = 0

        mutating func next() -> Any? {
            guard index < list.count else { return nil }
            defer { index += 1 }
            return Theme.prepared(list.item(index))
        }
    }

    func makeIterator() -> Iterator {
        Iterator(list: self)
    }

    func transform(_ name: String) -> Any? {
        switch name {
        case "first": return isEmpty ? nil : Theme.prepared(item(0))
        case "last": return isEmpty ? nil : Theme.prepared(item(count - 1))
        case "count": return count
        case "empty": return isEmpty
        case "reversed": return LazyList(count: count) { item(count - 1 - $0) }
        default: return nil
        }
    }
}
