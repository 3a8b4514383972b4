/// The files of a site folder, found by the layout rules of FORMAT.md.
///
/// Names are checked here (`<id>`, `<slug>`, `<name>`); anything else under
/// `content/services` or `content/checklists` is an error naming the path.
/// Hidden files (`.DS_Store`, editor swap files) are skipped, as Hugo and Jekyll do.
struct FileIndex {
    let root: String
    private(set) var checklists: [Named] = []
    private(set) var services: [ServiceFolder] = []
    private(set) var pages: [Named] = []
    private(set) var campaigns: [Named] = []
    private(set) var fileCount = 0

    /// A file on disk: the site folder and the file's path inside it.
    struct File: Sendable {
        var root: String
        var path: String

        /// Reads and splits the file, reporting unreadable or non-UTF-8 files.
        func read(into diagnostics: inout DiagnosticList) -> SourceFile? {
            guard let text = readText(into: &diagnostics) else { return nil }
            switch SourceFile.split(path: path, text: text) {
            case .success(let file): return file
            case .failure(let diagnostic):
                diagnostics.append(diagnostic)
                return nil
            }
        }

        /// The file's text, reporting unreadable or non-UTF-8 files.
        func readText(into diagnostics: inout DiagnosticList) -> String? {
            do {
                let bytes = try FileSystem.read(path, in: root)
                switch SourceFile.decode(path: path, bytes: bytes) {
                case .success(let text): return text
                case .failure(let diagnostic):
                    diagnostics.append(diagnostic)
                    return nil
                }
            } catch {
                diagnostics.error("cannot read file: \(error.reason)", at: SourceLocation(path: path))
                return nil
            }
        }
    }

    struct Named: Sendable {
        var id: String
        var file: File
    }

    struct ServiceFolder: Sendable {
        var slug: String
        var folder: String
        var index: File?
        var reviews: [Named]
        /// Images and documents in the folder, in `reviews/`, or in folders
        /// of theirs, published next to the pages (FORMAT.md v2, "Reviews").
        var assets: [Asset] = []
    }

    /// A file published as it is, from beside a service's or a review's page.
    struct Asset: Sendable {
        /// Path in the site folder (`content/services/<slug>/…`).
        var source: String
        /// Path in the output (`services/<slug>/…`).
        var output: String
        var file: StaticFile
    }

    /// File kinds published from content folders (case ignored).
    static let assetExtensions: Set<String> = ["png", "jpg", "jpeg", "gif", "webp", "svg", "pdf"]

    static func isAsset(_ name: String) -> Bool {
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return false }
        return assetExtensions.contains(name[name.index(after: dot)...].lowercased())
    }

    /// How deep folders of images may nest below a service or reviews folder.
    static let maxAssetDepth = 8

    /// The index of the site at `siteDirectory` (a trailing `/` is allowed).
    init(siteDirectory: String) {
        let root = siteDirectory.hasSuffix("/") ? String(siteDirectory.dropLast()) : siteDirectory
        self.root = root.isEmpty ? "/" : root
    }

    private func full(_ relative: String) -> String {
        root + "/" + relative
    }

    mutating func readConfig(_ diagnostics: inout DiagnosticList) -> String? {
        let path = SiteConfig.fileName
        switch FileSystem.kind(full(path)) {
        case nil: return nil
        case .file:
            fileCount += 1
            return File(root: root, path: path).readText(into: &diagnostics)
        case .symlink:
            diagnostics.error(
                "\(path) is a symbolic link; Preflight does not follow links", at: SourceLocation(path: path))
            return nil
        default:
            diagnostics.error("\(path) is not a regular file", at: SourceLocation(path: path))
            return nil
        }
    }

    mutating func walk(_ diagnostics: inout DiagnosticList) {
        if Self.isLinkedFolder("content", in: root, &diagnostics) { return }
        guard FileSystem.kind(full("content")) == .directory else {
            diagnostics.error(
                "no content/ folder in the site", at: SourceLocation(path: "content"),
                hint: "run Preflight in a site folder, or start one with `preflight init DIR`")
            return
        }
        for entry in entries("content", &diagnostics) {
            let path = "content/\(entry.name)"
            switch (entry.name, entry.kind) {
            case ("checklists", .directory): walkMarkdownFolder(path, into: \.checklists, &diagnostics)
            case ("services", .directory): walkServices(path, &diagnostics)
            case ("pages", .directory): walkMarkdownFolder(path, into: \.pages, &diagnostics)
            case ("campaigns", .directory): walkMarkdownFolder(path, into: \.campaigns, &diagnostics)
            default:
                reject(
                    entry, at: path,
                    expected: "content/ holds checklists/, services/, pages/ and campaigns/", &diagnostics)
            }
        }
    }

    /// `<id>.md` files, as in content/checklists, content/pages and content/campaigns.
    private mutating func walkMarkdownFolder(
        _ folder: String, into list: WritableKeyPath<FileIndex, [Named]>, _ diagnostics: inout DiagnosticList
    ) {
        for entry in entries(folder, &diagnostics) {
            let path = "\(folder)/\(entry.name)"
            if entry.kind == .file, let id = markdownName(entry.name) {
                self[keyPath: list].append(Named(id: id, file: File(root: root, path: path)))
                fileCount += 1
            } else {
                reject(entry, at: path, expected: "\(folder)/ holds `<id>.md` files", &diagnostics)
            }
        }
    }

    private mutating func walkServices(_ folder: String, _ diagnostics: inout DiagnosticList) {
        for entry in entries(folder, &diagnostics) {
            let path = "\(folder)/\(entry.name)"
            guard entry.kind == .directory, Slug.isValid(entry.name) else {
                reject(entry, at: path, expected: "\(folder)/ holds one `<slug>/` folder per service", &diagnostics)
                continue
            }
            services.append(walkService(entry.name, &diagnostics))
        }
    }

    /// One service folder: its index.md and reviews/.
    mutating func walkService(_ slug: String, _ diagnostics: inout DiagnosticList) -> ServiceFolder {
        let path = "content/services/\(slug)"
        var service = ServiceFolder(slug: slug, folder: path, index: nil, reviews: [])
        for inner in entries(path, &diagnostics) {
            let innerPath = "\(path)/\(inner.name)"
            switch (inner.name, inner.kind) {
            case ("index.md", .file):
                service.index = File(root: root, path: innerPath)
                fileCount += 1
            case ("reviews", .directory):
                for review in entries(innerPath, &diagnostics) {
                    let reviewPath = "\(innerPath)/\(review.name)"
                    if review.kind == .file, let name = markdownName(review.name) {
                        service.reviews.append(
                            Named(id: name, file: File(root: root, path: reviewPath)))
                        fileCount += 1
                    } else if !addAssets(review, at: reviewPath, depth: 0, to: &service.assets, &diagnostics) {
                        reject(
                            review, at: reviewPath,
                            expected: "reviews/ holds `<name>.md` files, and images or PDFs beside them",
                            &diagnostics)
                    }
                }
            default:
                if !addAssets(inner, at: innerPath, depth: 0, to: &service.assets, &diagnostics) {
                    reject(
                        inner, at: innerPath,
                        expected: "a service folder holds index.md, reviews/, and images or PDFs beside them",
                        &diagnostics)
                }
            }
        }
        return service
    }

    /// Adds `entry` when it is an image or document (or a folder of them),
    /// checked as `static/` files are; false when it is neither, for the
    /// caller to reject. A folder holding anything else is reported here.
    private mutating func addAssets(
        _ entry: FileSystem.Entry, at path: String, depth: Int, to assets: inout [Asset],
        _ diagnostics: inout DiagnosticList
    ) -> Bool {
        switch entry.kind {
        case .file where Self.isAsset(entry.name):
            do {
                let opened = try FileSystem.open(path, in: root)
                assets.append(
                    Asset(
                        source: path, output: String(path.dropFirst("content/".count)),
                        file: StaticFile(root: root, source: path, identity: opened.identity)))
            } catch {
                diagnostics.error("cannot publish \(path): \(error.reason)", at: SourceLocation(path: path))
            }
            return true
        case .directory where !entry.name.contains("."):
            // (A dot would let a folder take a page's name: `index.html/`.)
            let inner = entries(path, &diagnostics)
            // A folder is taken as a folder of images only when it holds one.
            guard inner.contains(where: { $0.kind == .directory || Self.isAsset($0.name) }) else { return false }
            guard depth < Self.maxAssetDepth else {
                diagnostics.error(
                    "folder \(path) is nested more than \(Self.maxAssetDepth) folders deep", at: SourceLocation(path: path),
                    hint: "keep images at most \(Self.maxAssetDepth) folders below the service or reviews folder")
                return true
            }
            for child in inner where !addAssets(child, at: "\(path)/\(child.name)", depth: depth + 1, to: &assets, &diagnostics) {
                reject(
                    child, at: "\(path)/\(child.name)",
                    expected: "a folder beside reviews holds images and PDFs (\(Self.assetExtensions.sorted().joined(separator: ", ")))",
                    &diagnostics)
            }
            return true
        default:
            return false
        }
    }

    /// Whether the site's source folder `name` (content, templates, static) is
    /// a symbolic link, which is reported: a linked source folder would
    /// publish files from outside the site.
    static func isLinkedFolder(_ name: String, in root: String, _ diagnostics: inout DiagnosticList) -> Bool {
        guard FileSystem.kind(root + "/" + name) == .symlink else { return false }
        diagnostics.error(
            "\(name) is a symbolic link; Preflight does not follow links", at: SourceLocation(path: name),
            hint: "make \(name)/ a real folder inside the site")
        return true
    }

    /// Folder entries without hidden files; a folder that cannot be read is reported.
    private func entries(_ folder: String, _ diagnostics: inout DiagnosticList) -> [FileSystem.Entry] {
        do {
            return try FileSystem.list(full(folder)).filter { !$0.name.hasPrefix(".") }
        } catch {
            diagnostics.error("cannot read folder: \(error.reason)", at: SourceLocation(path: folder))
            return []
        }
    }

    /// `name` without `.md` when it is a valid `<id>.md`.
    private func markdownName(_ name: String) -> String? {
        guard name.hasSuffix(".md") else { return nil }
        let id = String(name.dropLast(3))
        return Slug.isValid(id) ? id : nil
    }

    private func reject(
        _ entry: FileSystem.Entry, at path: String, expected: String, _ diagnostics: inout DiagnosticList
    ) {
        let message: String
        switch entry.kind {
        case .symlink: message = "\(path) is a symbolic link; Preflight does not follow links"
        case .directory: message = "unexpected folder \(path)"
        default: message = "unexpected file \(path)"
        }
        let base = entry.name.hasSuffix(".md") ? String(entry.name.dropLast(3)) : entry.name
        let hint: String
        if entry.kind != .symlink, entry.kind == .directory || entry.name.hasSuffix(".md"), !Slug.isValid(base),
            !Slug.make(base).isEmpty
        {
            hint = "\(expected); names are lower-case letters, digits and `-`, e.g. `\(Slug.make(base))`"
        } else {
            hint = expected
        }
        diagnostics.error(message, at: SourceLocation(path: path), hint: hint)
    }
}
