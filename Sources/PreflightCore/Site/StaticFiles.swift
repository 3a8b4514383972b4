/// `static/`: copied verbatim into the output. Symlinks are refused, so a link
/// can never publish a file from outside the site.
enum StaticFiles {
    static let folder = "static"

    static func collect(siteDirectory: String, diagnostics: inout DiagnosticList) -> [OutputFile] {
        let root = siteDirectory + "/" + folder
        guard FileSystem.kind(root) == .directory else { return [] }
        var files: [OutputFile] = []
        walk(root, prefix: "", into: &files, diagnostics: &diagnostics)
        return files
    }

    private static func walk(_ dir: String, prefix: String, into files: inout [OutputFile], diagnostics: inout DiagnosticList) {
        let entries: [FileSystem.Entry]
        do {
            entries = try FileSystem.list(dir)
        } catch {
            diagnostics.error("cannot read folder: \(error.reason)", at: SourceLocation(path: folder + "/" + prefix))
            return
        }
        for entry in entries where !entry.name.hasPrefix(".") {
            let relative = prefix + entry.name
            switch entry.kind {
            case .file: files.append(OutputFile(path: relative, copyFrom: dir + "/" + entry.name))
            case .directory: walk(dir + "/" + entry.name, prefix: relative + "/", into: &files, diagnostics: &diagnostics)
            case .symlink:
                diagnostics.error(
                    "\(folder)/\(relative) is a symbolic link; Preflight does not follow links",
                    at: SourceLocation(path: folder + "/" + relative), hint: "copy the file into static/ instead")
            case .other: break
            }
        }
    }
}
