/// `.preflight-manifest` in an output folder: every file and folder the build
/// wrote there. It is what lets the next build replace the folder knowing it
/// deletes nothing else.
enum Manifest {
    static let fileName = ".preflight-manifest"
    static let header = "# Written by Preflight: what it wrote here. Anything else in this folder stops the next build."

    /// The manifest of a site: its folders (ending in `/`) and files, sorted.
    static func text(for paths: [String]) -> String {
        text(entries: entries(for: paths))
    }

    static func text(entries: Set<String>) -> String {
        ([header] + entries.sorted()).joined(separator: "\n") + "\n"
    }

    /// The folders (ending in `/`) and files of a site.
    static func entries(for paths: [String]) -> Set<String> {
        var entries: Set<String> = []
        for path in paths {
            entries.insert(path)
            var folder = Substring(path)
            while let slash = folder.lastIndex(of: "/") {
                folder = folder[..<slash]
                if !entries.insert(folder + "/").inserted { break }
            }
        }
        return entries
    }

    /// What an update in place of `folder` to a site of `paths` writes and
    /// removes (`SiteWriter.update`): the new manifest, the one to keep while
    /// files move when the site gains entries (the old and new ones), and
    /// the entries the site no longer has. Nil when the folder has no
    /// manifest, or a file of one site is a folder of the other.
    static func update(in folder: String, to paths: [String])
        -> (manifest: [UInt8], both: [UInt8]?, gone: [String])?
    {
        let new = entries(for: paths)
        let manifest = Array(text(entries: new).utf8)
        guard let bytes = try? FileSystem.read(fileName, in: folder) else { return nil }
        // The same site's paths (a rebuild that added and removed no page): nothing to compare.
        if bytes == manifest { return (manifest, nil, []) }
        guard let old = entries(inManifest: bytes) else { return nil }
        for entry in new where old.contains(entry.hasSuffix("/") ? String(entry.dropLast()) : entry + "/") {
            return nil
        }
        let both = new.isSubset(of: old) ? nil : Array(text(entries: old.union(new)).utf8)
        return (manifest, both, Array(old.subtracting(new)))
    }

    /// What the manifest in `folder` lists; nil when it has none.
    static func listed(in folder: String) -> Set<String>? {
        (try? FileSystem.read(fileName, in: folder)).flatMap(entries(inManifest:))
    }

    /// What a manifest's bytes list; nil when they are not a manifest.
    private static func entries(inManifest bytes: [UInt8]) -> Set<String>? {
        let manifest = String(decoding: bytes, as: UTF8.self)
        guard manifest.hasPrefix(header) else { return nil }
        return Set(manifest.split(separator: "\n").dropFirst().map(String.init))
    }

    /// Top-level entries a published folder keeps from build to build, which
    /// Preflight neither needs in its manifest nor deletes: hidden entries
    /// (`.git` of a gh-pages checkout, `.nojekyll`) and `CNAME` (GitHub Pages'
    /// custom domain). A file of the site's own with the same name replaces it,
    /// and one the last build wrote (a CNAME from `static/`) is the site's: it
    /// goes when the site no longer has it, as an update in place removes it.
    static func isKept(_ name: String) -> Bool {
        (name.hasPrefix(".") && name != fileName) || name == "CNAME"
    }

    /// The first entry (files before the folders holding them, in path order)
    /// of `folder` that Preflight did not write; nil when there is none.
    static func firstForeignEntry(in folder: String) -> String? {
        var listed: Set<Substring> = []
        let manifest = (try? FileSystem.read(fileName, in: folder)).map { String(decoding: $0, as: UTF8.self) }
        if let manifest, manifest.hasPrefix(header) {
            listed = Set(manifest.split(separator: "\n").dropFirst())
        }
        return foreign(in: folder, prefix: "", listed: listed)
    }

    private static func foreign(in folder: String, prefix: String, listed: Set<Substring>) -> String? {
        let entries = (try? FileSystem.list(folder + "/" + prefix)) ?? []
        for entry in entries {
            let path = prefix + entry.name
            if prefix.isEmpty && (isKept(entry.name) || entry.name == fileName) { continue }
            switch entry.kind {
            case .directory:
                guard listed.contains(Substring(path + "/")) else { return path + "/" }
                if let inner = foreign(in: folder, prefix: path + "/", listed: listed) { return inner }
            case .file:
                if !listed.contains(Substring(path)) { return path }
            case .symlink, .other:
                return path
            }
        }
        return nil
    }
}
