import Foundation
import Mustache
import Testing
@testable import PreflightCore

/// The compiled templates must render what swift-mustache renders, byte for
/// byte: every page of the golden site, cases for each part of the Mustache
/// spec the compiled form takes (interpolation, sections, inverted sections,
/// comments, delimiters, partials, inheritance), and thousands of generated
/// templates and contexts.
@Suite struct CompiledThemeTests {
    /// swift-mustache's output and the compiled one (nil: not compiled).
    func both(_ templates: [String: String], _ context: Any, name: String = "main") throws -> (expected: String, compiled: String?) {
        var library = MustacheLibrary()
        for (n, text) in templates { library.register(try MustacheTemplate(string: text), named: n) }
        let expected = library.render(Theme.prepared(context), withTemplate: name) ?? ""
        guard let compiled = CompiledTheme(library, names: Array(templates.keys)) else { return (expected, nil) }
        return (expected, compiled.render(name, TemplateValue(context)) ?? "")
    }

    func expectSame(_ templates: [String: String], _ context: Any, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
        let (expected, compiled) = try both(templates, context)
        #expect(compiled != nil, "not compiled: \(templates)", sourceLocation: sourceLocation)
        #expect(compiled == expected, "\(templates.debugDescription) with \(context)", sourceLocation: sourceLocation)
    }

    /// A context value is told apart by its type before any cast is tried;
    /// the answer is the one the chain of casts gives, for the types contexts
    /// are made of and for others.
    @Test func contextValuesAreWrappedAsByCasts() throws {
        func same(_ a: TemplateValue, _ b: TemplateValue) -> Bool {
            switch (a, b) {
            case (.text(let x), .text(let y)): return x == y
            case (.bool(let x), .bool(let y)): return x == y
            case (.absent, .absent): return true
            case (.lazy(let x), .lazy(let y)): return x.count == y.count
            case (.other(let x), .other(let y)): return String(describing: x) == String(describing: y)
            case (.list(let x), .list(let y)): return x.count == y.count && zip(x, y).allSatisfy(same)
            case (.object(let x), .object(let y)):
                return x.keys.sorted() == y.keys.sorted() && x.allSatisfy { key, value in same(value, y[key]!) }
            default: return false
            }
        }
        let values: [Any] = [
            "text", 42, true, false, 2.5, Substring("sub"), ["a", "b"], [1, 2], [true],
            ["k": "v", "n": 3, "f": false, "rows": [["x": 1], ["x": 2]] as [[String: Any]]] as [String: Any],
            [["title": "t", "checks": [["id": "c"]] as [[String: Any]]]] as [[String: Any]],
            ["x": "y"] as [String: String], [["a": 1]] as [[String: Int]], [Any](), [String: Any](),
            [["k": "v"] as [String: Any], "mixed", 7] as [Any], Optional("maybe") as Any, Absent(),
            Text(renderText: "<b>"), LazyList(count: 2) { "item \($0)" },
        ]
        for value in values {
            #expect(same(TemplateValue(value), TemplateValue(cast: value)), "\(value)")
        }
    }

    @Test func theBuiltInThemeIsCompiled() throws {
        var diagnostics = DiagnosticList()
        let theme = try #require(Theme.load(siteDirectory: "/nonexistent", diagnostics: &diagnostics))
        #expect(theme.compiled != nil)
    }

    @Test func everyGoldenPageIsTheSame() throws {
        var diagnostics = DiagnosticList()
        let theme = try #require(Theme.load(siteDirectory: TemplateVariableTests.site, diagnostics: &diagnostics))
        let compiled = try #require(theme.compiled)
        var pages = 0
        for (name, contexts) in try TemplateVariableTests().contexts() {
            for context in contexts {
                let expected = theme.renderWithSwiftMustache(name, context)
                #expect(compiled.render(name, TemplateValue(context)) == expected, "\(name)")
                pages += 1
            }
        }
        #expect(pages > 20)
    }

    nonisolated(unsafe) static let data: [String: Any] = [
        "name": "Ada <& \"Lovelace\" '>",
        "combining": "a<\u{338} & &\u{301} é ≮",
        "number": 42,
        "yes": true, "no": false,
        "empty": "",
        "absent": Absent(),
        "list": [["x": "1", "y": true], ["x": "2"], ["x": "<3>"]],
        "strings": ["a", "b<", "c"],
        "numbers": [1, 2, 3],
        "flags": [true, false],
        "none": [Any](),
        "lazy": LazyList(count: 3) { ["x": "lazy \($0)"] },
        "lazyNone": LazyList(count: 0) { _ in [:] },
        "object": ["x": "inner", "deeper": ["x": "deepest", "absent": Absent()]] as [String: Any],
        "x": "outer",
        "crlf": "line\r\nnext",
    ]

    @Test func interpolation() throws {
        for template in [
            "Hello {{name}}!", "{{{name}}}", "{{&name}}", "{{ name }}|{{{ name }}}|{{& name }}", "{{combining}}", "{{number}}",
            "{{yes}} {{no}}", "[{{empty}}]", "[{{absent}}]", "[{{missing}}]", "{{object.x}} {{object.deeper.x}} {{object.missing.x}}",
            "{{object.deeper.absent}}", "{{absent.x}}", "{{.}}", "{{ . }}", "{{..}}", "{{}}", "{{.x}}", "{{list}}", "{{strings}}",
            "{{object}}", "{{lazy}}", "{{crlf}}", "a.{{x.}}.b", "{{yes.x}}", "{{number.x}}",
        ] {
            try expectSame(["main": template], Self.data)
        }
    }

    @Test func sections() throws {
        for template in [
            "{{#yes}}Y{{/yes}}{{#no}}N{{/no}}", "{{#list}}{{x}}{{y}},{{/list}}", "{{#strings}}[{{.}}]{{/strings}}",
            "{{#numbers}}{{.}}{{/numbers}}", "{{#flags}}<{{.}}>{{/flags}}", "{{#none}}never{{/none}}",
            "{{#lazy}}{{x}};{{/lazy}}", "{{#object}}{{x}} {{name}} {{#deeper}}{{x}}{{absent}}{{/deeper}}{{/object}}",
            "{{#name}}{{.}} {{x}}{{/name}}", "{{#empty}}[empty is a string]{{/empty}}", "{{#absent}}no{{/absent}}",
            "{{#missing}}no{{/missing}}", "{{#number}}{{.}}{{/number}}", "{{#object.deeper}}{{x}}{{/object.deeper}}",
            "{{#list}}{{#y}}{{x}} is y{{/y}}{{/list}}", "{{#list}}{{#strings}}{{x}}{{.}}{{/strings}}{{/list}}",
            "{{#crlf}}{{.}}{{/crlf}}", "{{#.}}{{x}}{{/.}}",
        ] {
            try expectSame(["main": template], Self.data)
        }
    }

    @Test func invertedSections() throws {
        for template in [
            "{{^yes}}Y{{/yes}}{{^no}}N{{/no}}", "{{^list}}L{{/list}}", "{{^none}}empty{{/none}}", "{{^lazyNone}}[{{count}}]{{/lazyNone}}",
            "{{^none}}[{{count}}{{x}}]{{/none}}", "{{^absent}}absent{{/absent}}", "{{^missing}}missing{{/missing}}",
            "{{^empty}}no{{/empty}}", "{{^object}}no{{/object}}", "{{^object.deeper.absent}}gone{{/object.deeper.absent}}",
        ] {
            try expectSame(["main": template], Self.data)
        }
    }

    @Test func standaloneLinesCommentsAndDelimiters() throws {
        for template in [
            "a\n{{#yes}}\nb\n{{/yes}}\nc\n", "a\n  {{#yes}}  \n  b\n  {{/yes}}\t\nc", "a\r\n{{#no}}\r\nb\r\n{{/no}}\r\nc\r\n",
            "  {{^no}}\n  x\n  {{/no}}", "a {{#yes}}\nb{{/yes}} c", "{{! a comment }}x", "a\n  {{! standalone }}\nb",
            "a\n{{!\nmulti\nline\n}}\nb", "{{=<% %>=}}<% name %> {{name}} <%={{ }}=%>{{name}}", "a\n  {{=| |=}}\n|x|\n",
            "\t{{#list}}\n\t- {{x}}\n\t{{/list}}\n", "{{#list}}\n{{x}}\n{{/list}}", "x\n{{name}}\n  {{name}}  \n",
            "\n\n{{#yes}}\n\n{{/yes}}\n\n", "no newline at end {{#yes}}{{/yes}}", "{{#yes}}\n{{/yes}}", "\r\n", "a\rb{{name}}\r",
        ] {
            try expectSame(["main": template], Self.data)
        }
    }

    @Test func partialsAndIndentation() throws {
        let partials = [
            "line": "[{{x}}]", "lines": "one {{x}}\ntwo\n{{#list}}\n- {{x}}\n{{/list}}\n", "nested": "n:\n  {{>lines}}\nend\n",
            "crlf": "a\r\nb\r\n", "noEnd": "{{crlf}}\n{{name}}", "value": "{{crlf}}\n",
        ]
        for template in [
            "{{>line}}", "  {{>line}}\n", "a\n  {{>lines}}\nb", "  {{>nested}}\n", "\t{{> lines }}\n", "x {{>lines}} y",
            "{{#list}}\n  {{>line}}\n{{/list}}", "  {{>missing}}\n", "  {{>crlf}}\n", "  {{>noEnd}}\n", ">\n  {{>value}}\n<",
            "{{#object}}\n    {{>nested}}\n{{/object}}",
        ] {
            try expectSame(partials.merging(["main": template]) { $1 }, Self.data)
        }
    }

    @Test func inheritance() throws {
        let parents = [
            "base": "<h1>{{$title}}Default{{/title}}</h1>\n{{$body}}\n  body default\n{{/body}}\n<p>{{name}}</p>\n",
            "middle": "{{<base}}{{$title}}Middle {{x}}{{/title}}{{/base}}",
            "indented": "a\n  {{$block}}\n  one\n  two\n  {{/block}}\nb\n",
            "partialWithBlock": "{{$title}}inner default{{/title}}",
            "usesPartial": "{{<base}}{{$body}}  {{>partialWithBlock}}\n{{/body}}{{/base}}",
        ]
        for template in [
            "{{<base}}{{/base}}", "{{<base}}{{$title}}Mine{{/title}}{{/base}}", "{{<base}}\n{{$body}}\nmy body\n{{/body}}\n{{/base}}\n",
            "{{<middle}}{{/middle}}", "{{<middle}}{{$title}}Top{{/title}}{{/middle}}", "{{<middle}}{{$body}}b{{/body}}{{/middle}}",
            "x\n  {{<indented}}\n  {{$block}}\n    mine\n    again\n  {{/block}}\n  {{/indented}}\ny\n", "{{<indented}}{{/indented}}",
            "{{#list}}{{<base}}{{$title}}{{x}}{{/title}}{{/base}}{{/list}}", "{{<usesPartial}}{{$title}}outer{{/title}}{{/usesPartial}}",
            "{{$title}}not in a parent{{/title}}", "{{<missing}}{{$a}}b{{/a}}{{/missing}}",
        ] {
            try expectSame(parents.merging(["main": template]) { $1 }, Self.data)
        }
    }

    /// Templates outside the compiled set are left to swift-mustache.
    @Test func transformsAndPragmasAreNotCompiled() throws {
        for template in ["{{lowercased(name)}}", "{{#reversed(list)}}{{x}}{{/reversed(list)}}", "{{%CONTENT_TYPE: TEXT}}{{name}}", "{{>*name}}"] {
            #expect(try both(["main": template], Self.data).compiled == nil, "\(template)")
        }
        var diagnostics = DiagnosticList()
        let site = try TempSite(["templates/404.mustache": "{{#first(list)}}{{/first(list)}}{{title}}"])
        let theme = try #require(Theme.load(siteDirectory: site.root, diagnostics: &diagnostics))
        #expect(theme.compiled == nil)
        #expect(theme.render("404", ["title": "Lost <page>"]) == "Lost &lt;page&gt;")
    }

    /// Generated templates and contexts (a fixed seed, so a failure repeats).
    @Test func generatedTemplatesRenderTheSame() throws {
        var random = SeededRandom(seed: 0x5EED)
        var compared = 0
        for _ in 0..<3_000 {
            let context = Self.randomObject(&random, depth: 0)
            var templates: [String: String] = ["p1": Self.randomBody(&random, depth: 2, partials: [])]
            templates["p2"] = Self.randomBody(&random, depth: 2, partials: ["p1"])
            templates["parent"] = "<{{$a}}A{{name}}{{/a}}>\n  {{$b}}\n  B\n  {{/b}}\n" + Self.randomBody(&random, depth: 1, partials: ["p1"])
            templates["main"] = Self.randomBody(&random, depth: 3, partials: ["p1", "p2", "parent"])
            guard templates.values.allSatisfy({ (try? MustacheTemplate(string: $0)) != nil }) else { continue }
            let (expected, compiled) = try both(templates, context)
            #expect(compiled == expected, "\(templates.debugDescription) with \(context)")
            if compiled != expected { return }
            compared += 1
        }
        // Some generated texts make a tag unparseable (`{` before `{{x}}`): those are skipped.
        #expect(compared > 1_500)
    }

    static let names = ["name", "x", "yes", "no", "list", "none", "object", "object.x", "absent", "missing", ".", "lazy", "empty", "number"]
    static let texts = ["a", " ", "  ", "\t", "\n", "\r\n", "<&>", "é", "\u{301}", "x y", "{", "}"]

    static func randomBody(_ random: inout SeededRandom, depth: Int, partials: [String]) -> String {
        var out = ""
        for _ in 0..<random.below(7) {
            switch random.below(depth > 0 ? 12 : 8) {
            case 0, 1: out += texts[random.below(texts.count)]
            case 2: out += "{{\(names[random.below(names.count)])}}"
            case 3: out += "{{{\(names[random.below(names.count)])}}}"
            case 4: out += "\n" + String(repeating: " ", count: random.below(3)) + "{{! c }}" + (random.below(2) == 0 ? "\n" : "")
            case 5:
                if let partial = partials.randomElement(using: &random) {
                    let tag = partial == "parent" ? "{{<parent}}{{$a}}\(texts[random.below(texts.count)]){{/a}}{{/parent}}" : "{{>\(partial)}}"
                    out += "\n" + String(repeating: " ", count: random.below(4)) + tag + (random.below(2) == 0 ? "\n" : "")
                }
            case 6: out += "{{&\(names[random.below(names.count)])}}"
            case 7: out += "\n"
            default:
                let name = ["yes", "no", "list", "none", "object", "lazy", "absent", "missing", "name", "strings", "empty"][random.below(11)]
                let open = random.below(3) == 0 ? "^" : "#"
                let pad = String(repeating: " ", count: random.below(3))
                let standalone = random.below(2) == 0
                out += (standalone ? "\n" + pad : "") + "{{\(open)\(name)}}" + (standalone ? "\n" : "")
                out += randomBody(&random, depth: depth - 1, partials: partials)
                out += (standalone ? "\n" + pad : "") + "{{/\(name)}}" + (standalone ? "\n" : "")
            }
        }
        return out
    }

    static func randomObject(_ random: inout SeededRandom, depth: Int) -> [String: Any] {
        var object: [String: Any] = [:]
        for key in ["name", "x", "yes", "no", "list", "none", "object", "absent", "lazy", "empty", "number", "strings"] where random.below(4) != 0 {
            object[key] = randomValue(&random, depth: depth)
        }
        return object
    }

    static func randomValue(_ random: inout SeededRandom, depth: Int) -> Any {
        switch random.below(depth < 2 ? 10 : 6) {
        case 0: return texts[random.below(texts.count)] + "<b>"
        case 1: return random.below(2) == 0
        case 2: return random.below(100)
        case 3: return Absent()
        case 4: return ""
        case 5: return ["s", "t<"]
        case 6, 7: return (0..<random.below(3)).map { _ in randomObject(&random, depth: depth + 1) }
        case 8:
            let items = (0..<random.below(3)).map { _ in randomObject(&random, depth: depth + 1) }
            return LazyList(items) { $0 }
        default: return randomObject(&random, depth: depth + 1)
        }
    }
}
