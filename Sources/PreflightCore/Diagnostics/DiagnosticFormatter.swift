/// Renders diagnostics for people (`path:line:col: error: message`) or for tools.
public struct DiagnosticFormatter: Sendable {
    public enum Format: String, Sendable, CaseIterable {
        case text
        case json
        case github
    }

    /// Prefix put before every diagnostic path: the site folder as the user named it.
    public var pathPrefix: String

    public init(siteDirectory: String) {
        self.pathPrefix = DiagnosticFormatter.displayPrefix(for: siteDirectory)
    }

    /// A site path from where the command was run. A path outside the site
    /// (an `--evidence` file, kept as typed: `/…`, `./…`, `../…`) is shown as it is.
    public func displayPath(_ path: String) -> String {
        path.hasPrefix("/") || path.hasPrefix("./") || path.hasPrefix("../") ? path : pathPrefix + path
    }

    /// A hint with the site paths it names (`content/…`, `static/`,
    /// `templates/`, `preflight.yml`) written as the diagnostic paths are,
    /// from where the command was run.
    public func displayHint(_ hint: String) -> String {
        guard !pathPrefix.isEmpty else { return hint }
        var out = ""
        var rest = Substring(hint)
        var previous: Character = " "
        while let c = rest.first {
            if previous == " " || previous == "`" || previous == "(",
                Self.sitePaths.contains(where: { rest.hasPrefix($0) })
            {
                out += pathPrefix
            }
            out.append(c)
            previous = c
            rest = rest.dropFirst()
        }
        return out
    }

    static let sitePaths = ["content/", "static/", "templates/", "preflight.yml"]

    /// `path:line:col: severity: message`, then the hint on an indented line.
    /// Control characters from file names or front matter are shown escaped
    /// (`\u{1B}`), never sent to the terminal.
    public func text(_ diagnostic: Diagnostic) -> String {
        var line = "\(Self.visible(displayPath(diagnostic.path))):\(diagnostic.line):\(diagnostic.column): "
        line += "\(diagnostic.severity.rawValue): \(Self.visible(diagnostic.message))"
        if let hint = diagnostic.hint {
            line += "\n    hint: \(Self.visible(displayHint(hint)))"
        }
        return line
    }

    /// `text` with C0 and C1 control characters, line and paragraph separators
    /// and bidirectional overrides written as `\u{…}` escapes.
    public static func visible(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isHiddenControl) else { return text }
        var out = String.UnicodeScalarView()
        for c in text.unicodeScalars {
            if isHiddenControl(c) {
                out.append(contentsOf: "\\u{\(String(c.value, radix: 16, uppercase: true))}".unicodeScalars)
            } else {
                out.append(c)
            }
        }
        return String(out)
    }

    /// GitHub Actions workflow commands, which show up as annotations on a pull request.
    public func github(_ diagnostic: Diagnostic) -> String {
        var message = diagnostic.message
        if let hint = diagnostic.hint { message += " (hint: \(displayHint(hint)))" }
        let command = diagnostic.severity == .error ? "error" : "warning"
        // Line breaks first (the workflow-command rules), then any other control
        // character is shown escaped, as in the text format.
        return "::\(command) file=\(Self.visible(escapeProperty(displayPath(diagnostic.path)))),"
            + "line=\(diagnostic.line),col=\(diagnostic.column)::\(Self.visible(escapeData(message)))"
    }

    public func json(_ diagnostics: [Diagnostic]) -> String {
        JSONValue.array(diagnostics.map { .object(fields($0)) }).serialized()
    }

    /// One diagnostic's fields in the JSON format, in order.
    func fields(_ d: Diagnostic) -> [(String, JSONValue)] {
        [
            ("path", .string(displayPath(d.path))),
            ("line", .int(d.line)),
            ("column", .int(d.column)),
            ("severity", .string(d.severity.rawValue)),
            ("message", .string(d.message)),
            ("hint", d.hint.map { .string(displayHint($0)) } ?? .null),
        ]
    }

    public func render(_ diagnostics: [Diagnostic], as format: Format) -> String {
        switch format {
        case .text: return diagnostics.map(text).joined(separator: "\n")
        case .github: return diagnostics.map(github).joined(separator: "\n")
        case .json: return json(diagnostics)
        }
    }

    /// Workflow-command escaping, scalar by scalar: Swift treats `"\r\n"` as one
    /// `Character`, so a `Character`-wise replace of "\n" would miss it.
    private func escapeData(_ s: String) -> String {
        escape(s, also: [:])
    }

    private func escapeProperty(_ s: String) -> String {
        escape(s, also: [":": "%3A", ",": "%2C"])
    }

    private func escape(_ s: String, also extra: [Unicode.Scalar: String]) -> String {
        var out = ""
        for c in s.unicodeScalars {
            switch c {
            case "%": out += "%25"
            case "\r": out += "%0D"
            case "\n": out += "%0A"
            default:
                if let replacement = extra[c] {
                    out += replacement
                } else {
                    out.unicodeScalars.append(c)
                }
            }
        }
        return out
    }

    static func displayPrefix(for siteDirectory: String) -> String {
        var dir = siteDirectory
        while dir.count > 1 && dir.hasSuffix("/") { dir.removeLast() }
        if dir.isEmpty || dir == "." { return "" }
        if dir.hasPrefix("./") { dir.removeFirst(2) }
        if dir.hasPrefix("/"), let cwd = FileSystem.currentDirectory() {
            let base = cwd.hasSuffix("/") ? cwd : cwd + "/"
            if dir == cwd { return "" }
            if dir.hasPrefix(base) { dir = String(dir.dropFirst(base.count)) }
        }
        return dir == "/" ? "/" : dir + "/"
    }
}
