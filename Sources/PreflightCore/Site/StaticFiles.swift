/// A file of `static/`, copied verbatim into the output. The build opens it
/// once to check it (a regular file with one link, reached through no link)
/// and records which file it was; writing and serving read that same file
/// again, or refuse.
public struct StaticFile: Sendable {
    /// The site folder.
    var root: String
    /// Path inside the site (`static/…`).
    var source: String
    var identity: FileSystem.Identity

    /// Opens the file the build checked; fails when the path now names another
    /// file (replaced, or swapped for a link, pipe or hard link).
    public func open() throws(FileSystem.Failure) -> FileSystem.InputFile {
        let file = try FileSystem.open(source, in: root)
        guard file.identity == identity else {
            throw FileSystem.Failure(path: source, reason: "the file was replaced after the site was read; build again")
        }
        return file
    }
}

/// `static/`: copied verbatim into the output. Links are refused, so a link can
/// never publish a file from outside the site.
enum StaticFiles {
    static let folder = "static"

    /// Every file of `static/` by output path, each checked as `StaticFile` says.
    static func collect(siteDirectory: String, diagnostics: inout DiagnosticList) -> [(path: String, file: StaticFile)] {
        if FileIndex.isLinkedFolder(folder, in: siteDirectory, &diagnostics) { return [] }
        switch FileSystem.kind(siteDirectory + "/" + folder) {
        case .directory?: break
        case .symlink?, .file?, .other?:
            diagnostics.error("\(folder) is not a folder", at: SourceLocation(path: folder))
            return []
        case nil: return []
        }
        var files: [(String, StaticFile)] = []
        walk(siteDirectory, prefix: "", into: &files, diagnostics: &diagnostics)
        return files
    }

    private static func walk(
        _ root: String, prefix: String, into files: inout [(String, StaticFile)], diagnostics: inout DiagnosticList
    ) {
        let entries: [FileSystem.Entry]
        do {
            entries = try FileSystem.list(root + "/" + folder + "/" + prefix)
        } catch {
            diagnostics.error("cannot read folder: \(error.reason)", at: SourceLocation(path: folder + "/" + prefix))
            return
        }
        for entry in entries where !entry.name.hasPrefix(".") {
            let relative = prefix + entry.name
            let source = folder + "/" + relative
            switch entry.kind {
            case .file:
                do {
                    let opened = try FileSystem.open(source, in: root)
                    files.append((relative, StaticFile(root: root, source: source, identity: opened.identity)))
                } catch {
                    diagnostics.error("cannot publish \(source): \(error.reason)", at: SourceLocation(path: source))
                }
            case .directory: walk(root, prefix: relative + "/", into: &files, diagnostics: &diagnostics)
            case .symlink:
                diagnostics.error(
                    "\(source) is a symbolic link; Preflight does not follow links",
                    at: SourceLocation(path: source), hint: "copy the file into static/ instead")
            case .other:
                diagnostics.error(
                    "\(source) is not a regular file (a pipe, socket or device)", at: SourceLocation(path: source),
                    hint: "remove it from static/")
            }
        }
    }
}
