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

    public func displayPath(_ path: String) -> String {
        pathPrefix + path
    }

    /// `path:line:col: severity: message`, then the hint on an indented line.
    public func text(_ diagnostic: Diagnostic) -> String {
        var line = "\(displayPath(diagnostic.path)):\(diagnostic.line):\(diagnostic.column): "
        line += "\(diagnostic.severity.rawValue): \(diagnostic.message)"
        if let hint = diagnostic.hint {
            line += "\n    hint: \(hint)"
        }
        return line
    }

    /// GitHub Actions workflow commands, which show up as annotations on a pull request.
    public func github(_ diagnostic: Diagnostic) -> String {
        var message = diagnostic.message
        if let hint = diagnostic.hint { message += " (hint: \(hint))" }
        let command = diagnostic.severity == .error ? "error" : "warning"
        return "::\(command) file=\(escapeProperty(displayPath(diagnostic.path))),"
            + "line=\(diagnostic.line),col=\(diagnostic.column)::\(escapeData(message))"
    }

    public func json(_ diagnostics: [Diagnostic]) -> String {
        let values: [JSONValue] = diagnostics.map { d in
            .object([
                ("path", .string(displayPath(d.path))),
                ("line", .int(d.line)),
                ("column", .int(d.column)),
                ("severity", .string(d.severity.rawValue)),
                ("message", .string(d.message)),
                ("hint", d.hint.map(JSONValue.string) ?? .null),
            ])
        }
        return JSONValue.array(values).serialized()
    }

    public func render(_ diagnostics: [Diagnostic], as format: Format) -> String {
        switch format {
        case .text: return diagnostics.map(text).joined(separator: "\n")
        case .github: return diagnostics.map(github).joined(separator: "\n")
        case .json: return json(diagnostics)
        }
    }

    private func escapeData(_ s: String) -> String {
        s.replacing("%", with: "%25").replacing("\r", with: "%0D").replacing("\n", with: "%0A")
    }

    private func escapeProperty(_ s: String) -> String {
        escapeData(s).replacing(":", with: "%3A").replacing(",", with: "%2C")
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
