import Yams

/// Services and teams read from the service catalog files that
/// `preflight.yml`'s `catalog:` names: Backstage entities and OpsLevel's
/// `opslevel.yml` (docs/format.md, "Services from a catalog").
public struct Catalog: Sendable {
    /// A service the catalog declares, before `content/services/<id>/index.md` is merged in.
    struct Entry: Sendable {
        var service: Service
        var location: SourceLocation
        /// The owner as written (an entity reference), for resolving it to a group.
        var ownerReference: (kind: String?, namespace: String?, name: String)?
        var ownerLocation: SourceLocation?
    }

    /// A team: a Backstage `Group`.
    public struct Group: Sendable, Equatable {
        public var id: String
        /// Its display name: `spec.profile.displayName`, else `metadata.title`, else its name.
        public var name: String
        /// The id of its parent group.
        public var parent: String?
        var location: SourceLocation

        public static func == (a: Group, b: Group) -> Bool {
            a.id == b.id && a.name == b.name && a.parent == b.parent
        }
    }

    /// By id, in the order read; the first of two entities with one id is kept.
    var entries: [String: Entry] = [:]
    /// Teams by id.
    public var groups: [String: Group] = [:]
    /// System titles by system id.
    var systems: [String: String] = [:]
    /// Entities of kinds Preflight does not read, counted by kind.
    public var skipped: [String: Int] = [:]
    /// Every catalog file read, as a site path, in the order read.
    public var files: [String] = []

    public init() {}

    /// The largest catalog file read: every file is read whole by the YAML parser.
    static let maxBytes = 16 << 20
    /// How deep `**` and Location targets may reach.
    static let maxDepth = 16

    /// Reads the catalog files `patterns` name (each with where it was
    /// written in preflight.yml), following Location entities, and resolves
    /// owners and systems. Problems are diagnostics at the YAML's line.
    static func load(
        _ patterns: [(pattern: String, at: SourceLocation)], siteDirectory: String, unsafeHTML: Bool,
        diagnostics: inout DiagnosticList
    ) -> Catalog {
        var reader = Reader(root: siteDirectory, unsafeHTML: unsafeHTML)
        for (pattern, at) in patterns {
            for file in reader.expand(pattern, from: "", at: at, &diagnostics) { reader.read(file, &diagnostics) }
        }
        return reader.resolved(&diagnostics)
    }

    /// The top-level entries of the site folder that `preflight.yml`'s
    /// catalog patterns reach (`catalog` for `catalog/**/*.yaml`,
    /// `opslevel.yml`), and those holding the files its Location entities
    /// name (`teams` for a root `catalog-info.yaml` whose targets are
    /// `./teams/*.yaml`): what `serve` watches for catalog changes.
    public static func watchedEntries(siteDirectory: String) -> [String] {
        var ignored = DiagnosticList()
        var files = FileIndex(siteDirectory: siteDirectory)
        let config = SiteConfig.parse(files.readConfig(&ignored), diagnostics: &ignored)
        func top(_ path: String) -> String? {
            let parts = path.split(separator: "/").filter { $0 != "." }
            guard let first = parts.first, first != "..", !path.hasPrefix("/") else { return nil }
            return String(first)
        }
        var entries = config.catalog.compactMap { top($0.pattern) }
        guard !config.catalog.isEmpty else { return entries }
        let catalog = load(config.catalog, siteDirectory: siteDirectory, unsafeHTML: config.unsafeHTML, diagnostics: &ignored)
        for file in catalog.files { if let entry = top(file), !entries.contains(entry) { entries.append(entry) } }
        return entries
    }

    /// The service the site's catalog declares with id `slug` (before any
    /// `index.md` is merged in), for `preflight new`: nil when the site has
    /// no catalog or it declares no such service. Problems are left to `check`.
    static func declaredService(_ slug: String, siteDirectory: String) -> (service: Service, location: SourceLocation)? {
        var ignored = DiagnosticList()
        var files = FileIndex(siteDirectory: siteDirectory)
        let config = SiteConfig.parse(files.readConfig(&ignored), diagnostics: &ignored)
        return declaredService(slug, config: config, siteDirectory: siteDirectory)
    }

    /// The same, for a caller that has read `preflight.yml` already.
    static func declaredService(
        _ slug: String, config: SiteConfig, siteDirectory: String
    ) -> (service: Service, location: SourceLocation)? {
        guard !config.catalog.isEmpty else { return nil }
        var ignored = DiagnosticList()
        let catalog = load(config.catalog, siteDirectory: siteDirectory, unsafeHTML: config.unsafeHTML, diagnostics: &ignored)
        return catalog.entries[slug].map { ($0.service, $0.location) }
    }

    /// Whether `text` is a repository's `owner/name` (GitLab: `group/sub/name`):
    /// two or more parts of letters, digits, `.`, `_` and `-`, none `.` or
    /// `..`, so that the link it makes stays on the host's repository pages.
    static func isRepositoryPath(_ text: String) -> Bool {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        return parts.count >= 2 && parts.allSatisfy { part in
            !part.isEmpty && part != "." && part != ".."
                && part.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "._-".unicodeScalars.contains($0)) }
        }
    }

    /// The id of a Backstage entity: its name in lower case with `_` and `.`
    /// made `-`, prefixed with its namespace outside `default`. Nil when that
    /// is not a valid id.
    static func id(name: String, namespace: String?) -> String? {
        func slug(_ text: String) -> String {
            String(text.lowercased().map { $0 == "_" || $0 == "." ? "-" : $0 })
        }
        var id = slug(name)
        if let namespace, !namespace.isEmpty, namespace.lowercased() != "default" { id = slug(namespace) + "-" + id }
        return Slug.isValid(id) ? id : nil
    }

    /// `[kind:][namespace/]name`, an entity reference as Backstage writes one.
    static func reference(_ text: String) -> (kind: String?, namespace: String?, name: String) {
        var rest = Substring(text.trimmingSpaces())
        var kind: String?
        if let colon = rest.firstIndex(of: ":") {
            kind = rest[..<colon].lowercased()
            rest = rest[rest.index(after: colon)...]
        }
        var namespace: String?
        if let slash = rest.firstIndex(of: "/") {
            namespace = String(rest[..<slash])
            rest = rest[rest.index(after: slash)...]
        }
        return (kind, namespace, String(rest))
    }
}

extension Catalog {
    /// Reads catalog files into a catalog.
    struct Reader {
        let root: String
        let unsafeHTML: Bool
        var catalog = Catalog()
        /// Files already read (a Location may name one twice).
        var seen: Set<String> = []
        /// The file being read, and what `text` and `texts` found wrong in it so far.
        var currentPath = ""
        var problems = DiagnosticList()

        init(root: String, unsafeHTML: Bool) {
            self.root = root.count > 1 && root.hasSuffix("/") ? String(root.dropLast()) : root
            self.unsafeHTML = unsafeHTML
        }

        /// The site paths `pattern` names, relative to the folder `base`
        /// (`""`: the site folder), sorted. A path that names no file is an
        /// error at `at`; a pattern that leaves the site, one too.
        func expand(_ pattern: String, from base: String, at: SourceLocation, _ diagnostics: inout DiagnosticList) -> [String] {
            let trimmed = pattern.hasPrefix("./") ? String(pattern.dropFirst(2)) : pattern
            guard !trimmed.allSatisfy({ $0 == " " || $0 == "/" || $0 == "." }) || trimmed.hasPrefix("/") || trimmed.contains("..") else {
                diagnostics.error(
                    "catalog path `\(pattern)` names no file", at: at,
                    hint: "name a YAML file or a glob of them: `catalog/*.yaml`, `opslevel.yml`")
                return []
            }
            var parts = base.split(separator: "/").map(String.init)
            for part in trimmed.split(separator: "/", omittingEmptySubsequences: true).map(String.init) {
                if part == "." { continue }
                if part == ".." {
                    guard !parts.isEmpty, !parts.last!.contains(where: { $0 == "*" || $0 == "?" }) else {
                        parts = ["..", ""]
                        break
                    }
                    parts.removeLast()
                } else {
                    parts.append(part)
                }
            }
            guard !trimmed.hasPrefix("/"), !parts.isEmpty, !parts.contains("..") else {
                diagnostics.error(
                    "catalog path `\(pattern)` is outside the site folder", at: at,
                    hint: "catalog files are read from inside the site, like everything else")
                return []
            }
            guard parts.contains(where: { $0.contains("*") || $0.contains("?") }) else {
                let path = parts.joined(separator: "/")
                switch FileSystem.kind(root + "/" + path) {
                case .file?: return [path]
                case nil:
                    diagnostics.error(
                        "catalog file \(path) does not exist", at: at,
                        hint: "paths are relative to the site folder\(base.isEmpty ? "" : " (or, in a Location, to the file that names them)")")
                case .symlink?: diagnostics.error("\(path) is a symbolic link; Preflight does not follow links", at: at)
                default: diagnostics.error("catalog path \(path) is not a file", at: at)
                }
                return []
            }
            var found: [String] = []
            var links: [String] = []
            match(parts[...], in: "", depth: 0, into: &found, links: &links)
            // A link the pattern names would be read if it were a file: it is
            // reported as a link named outright is, never dropped unsaid.
            for link in Set(links).sorted() {
                diagnostics.error(
                    "\(link) is a symbolic link; Preflight does not follow links", at: at,
                    hint: "move the file itself here, or name where it lives in the catalog list")
            }
            if found.isEmpty && links.isEmpty {
                // In preflight.yml or a Location's targets alike.
                diagnostics.warning(
                    "catalog pattern `\(pattern)` matches no file", at: at,
                    hint: base.isEmpty
                        ? "patterns are relative to the site folder: `catalog/*.yaml`, `catalog/**/catalog-info.yaml`"
                        : "a Location's targets are relative to the file that names them: `./components/*.yaml`")
            }
            return found.sorted()
        }

        /// Files under `folder` that `parts` match (`**`: any folders, none
        /// included), and the symbolic links the pattern names in `links`
        /// (`**` itself goes into no linked folder, and names none).
        private func match(
            _ parts: ArraySlice<String>, in folder: String, depth: Int, into found: inout [String], links: inout [String]
        ) {
            guard let part = parts.first, depth <= Catalog.maxDepth else { return }
            let entries = (try? FileSystem.list(folder.isEmpty ? root : root + "/" + folder))?
                .filter { !$0.name.hasPrefix(".") } ?? []
            func path(_ name: String) -> String { folder.isEmpty ? name : folder + "/" + name }
            if part == "**" {
                match(parts.dropFirst(), in: folder, depth: depth, into: &found, links: &links)
                for entry in entries where entry.kind == .directory {
                    match(parts, in: path(entry.name), depth: depth + 1, into: &found, links: &links)
                }
                return
            }
            let glob = Glob(part)
            for entry in entries where glob.matches(entry.name) {
                if entry.kind == .symlink {
                    links.append(path(entry.name))
                } else if parts.count == 1 {
                    if entry.kind == .file { found.append(path(entry.name)) }
                } else if entry.kind == .directory {
                    match(parts.dropFirst(), in: path(entry.name), depth: depth + 1, into: &found, links: &links)
                }
            }
        }

        /// Reads one catalog file (once), its documents and any Location it holds.
        mutating func read(_ path: String, _ diagnostics: inout DiagnosticList) {
            guard seen.insert(path).inserted else { return }
            catalog.files.append(path)
            let at = SourceLocation(path: path)
            let bytes: [UInt8]
            do {
                bytes = try FileSystem.read(path, in: root, limit: Catalog.maxBytes)
            } catch {
                diagnostics.error(
                    "cannot read catalog file: \(error.reason)", at: at,
                    hint: error.reason.contains("limit") ? "split the catalog into several files (a Location entity can list them)" : nil)
                return
            }
            let text: String
            switch SourceFile.decode(path: path, bytes: bytes) {
            case .success(let decoded): text = decoded
            case .failure(let diagnostic):
                diagnostics.append(diagnostic)
                return
            }
            if let (line, column) = YAMLAliases.first(in: text) {
                diagnostics.error(
                    "YAML aliases (`*name`) are not supported in catalog files", at: SourceLocation(path: path, line: line, column: column),
                    hint: "write the value out; if the `*` is text, quote the value")
                return
            }
            var documents: YamlSequence<Node>
            do {
                documents = try Yams.compose_all(yaml: text, .basic, .default, .utf8)
            } catch {
                diagnostics.append(yamlProblem(error, path: path))
                return
            }
            let outer = currentPath
            currentPath = path
            defer { currentPath = outer }
            var index = 0
            while let node = documents.next() {
                index += 1
                read(node, path: path, document: index, &diagnostics)
                diagnostics.append(contentsOf: problems.items)
                problems = DiagnosticList()
            }
            if let error = documents.error { diagnostics.append(yamlProblem(error, path: path)) }
        }

        private func yamlProblem(_ error: Error, path: String) -> Diagnostic {
            guard let yaml = error as? YamlError else {
                return .error("catalog could not be read: \(error)", at: SourceLocation(path: path))
            }
            let file = SourceFile(path: path, frontMatter: "", frontMatterFirstLine: 1, body: "", bodyFirstLine: 1)
            return FrontMatterFields.yamlDiagnostic(yaml, file: file, subject: "catalog")
        }

        private func location(_ node: Node?, _ path: String) -> SourceLocation {
            FrontMatterFields.location(node?.mark, path, 1)
        }

        /// One YAML document: a Backstage entity, an OpsLevel service, or neither.
        private mutating func read(_ node: Node, path: String, document: Int, _ diagnostics: inout DiagnosticList) {
            guard case .mapping = node else {
                if FrontMatterFields.isNull(node) { return }  // an empty document (`---` at the end)
                diagnostics.warning(
                    "catalog document \(document) is \(FrontMatterFields.describe(node)), not an entity", at: location(node, path),
                    hint: "an entity is a mapping with `apiVersion`, `kind`, `metadata` and `spec`")
                return
            }
            if let kind = text(node["kind"]) {
                readEntity(node, kind: kind, path: path, &diagnostics)
            } else if node["service"] != nil, node["version"] != nil {
                readOpsLevel(node, path: path, &diagnostics)
            } else {
                diagnostics.warning(
                    "catalog document \(document) has no `kind`: neither a Backstage entity nor an OpsLevel service",
                    at: location(node, path),
                    hint: "a Backstage entity has `apiVersion`, `kind` and `metadata`; an opslevel.yml has `version: 1` and `service:`")
            }
        }

        /// A scalar's text; nil for null, and for a list or mapping (a
        /// warning: the value is left out, as nothing in an entity Preflight
        /// reads as text may be one). Control characters (but tabs and line
        /// breaks) and bidirectional overrides are left out with a warning:
        /// a name must not hide text or reorder what follows it on a page.
        mutating func text(_ node: Node?) -> String? {
            guard let node, !FrontMatterFields.isNull(node) else { return nil }
            guard case .scalar(let scalar) = node else {
                problem("expected text here, not \(FrontMatterFields.describe(node)); the value is left out", node)
                return nil
            }
            var value = scalar.string.trimmingSpaces()
            if let (kept, first) = droppingUnsafeCharacters(value) {
                problem("text holds a control or bidirectional-override character (\(first)); it is left out", node)
                value = kept.trimmingSpaces()
            }
            return value.isEmpty ? nil : value
        }

        /// The texts of a list of scalars; a warning for a value that is not
        /// a list, and for items that are not text, which are left out.
        mutating func texts(_ node: Node?) -> [String] {
            list(node).compactMap { text($0) }
        }

        /// The items of a list; none, with a warning, for a value that is not one.
        mutating func list(_ node: Node?) -> [Node] {
            guard let node, !FrontMatterFields.isNull(node) else { return [] }
            guard case .sequence(let items) = node else {
                problem("expected a list here, not \(FrontMatterFields.describe(node)); the value is left out", node)
                return []
            }
            return Array(items)
        }

        private mutating func problem(_ message: String, _ node: Node) {
            let diagnostic = Diagnostic.warning(message, at: location(node, currentPath))
            if !problems.items.contains(where: { $0.line == diagnostic.line && $0.column == diagnostic.column && $0.message == message }) {
                problems.append(diagnostic)
            }
        }

        /// A description's Markdown, its notes at the file's lines: a block
        /// scalar (`|`, `>`) starts on the line after its key.
        private func describe(_ description: String, _ node: Node?, path: String, _ diagnostics: inout DiagnosticList) -> String {
            var first = node?.mark?.line ?? 1
            if case .scalar(let scalar)? = node, scalar.style == .literal || scalar.style == .folded { first += 1 }
            let markdown = Markdown.render(description, firstLine: first, unsafeHTML: unsafeHTML)
            diagnostics.warn(markdown.notes, in: path)
            return markdown.html
        }

        private mutating func readEntity(_ node: Node, kind: String, path: String, _ diagnostics: inout DiagnosticList) {
            let metadata = node["metadata"]
            let spec = node["spec"]
            let lower = kind.lowercased()
            guard ["component", "group", "system", "location"].contains(lower) else {
                catalog.skipped[kind, default: 0] += 1
                return
            }
            if lower == "location" {
                readLocation(spec, path: path, &diagnostics)
                return
            }
            if let metadata, !FrontMatterFields.isNull(metadata), !metadata.isMapping {
                diagnostics.error(
                    "`metadata` of a catalog \(kind) is \(FrontMatterFields.describe(metadata)), not a mapping", at: location(metadata, path),
                    hint: "`metadata` holds the entity's `name`, `title`, `tags`…: `metadata: {name: payments-api}`")
                return
            }
            guard let name = text(metadata?["name"]) else {
                diagnostics.error(
                    "catalog \(kind) has no `metadata.name`", at: location(metadata ?? node, path),
                    hint: "every entity needs a name: `metadata: {name: payments-api}`")
                return
            }
            let namespace = text(metadata?["namespace"])
            guard let id = Catalog.id(name: name, namespace: namespace) else {
                diagnostics.error(
                    "catalog \(kind) name `\(name)` cannot be a Preflight id", at: location(metadata?["name"], path),
                    hint: "names are letters, digits, `-`, `_` and `.`, starting with a letter or digit")
                return
            }
            switch lower {
            case "group":
                let display = text(spec?["profile"]?["displayName"]) ?? text(metadata?["title"]) ?? name
                let parent = text(spec?["parent"]).flatMap { ref -> String? in
                    let r = Catalog.reference(ref)
                    return Catalog.id(name: r.name, namespace: r.namespace ?? namespace)
                }
                if let first = catalog.groups[id] {
                    duplicate("group", id, first.location, at: location(metadata?["name"], path), &diagnostics)
                    return
                }
                catalog.groups[id] = Group(id: id, name: display, parent: parent, location: location(metadata?["name"], path))
            case "system":
                catalog.systems[id] = catalog.systems[id] ?? text(metadata?["title"]) ?? name
            default:
                readComponent(metadata, spec, id: id, name: name, namespace: namespace, path: path, &diagnostics)
            }
        }

        private func duplicate(
            _ what: String, _ id: String, _ first: SourceLocation, at: SourceLocation, _ diagnostics: inout DiagnosticList
        ) {
            diagnostics.warning(
                "catalog \(what) `\(id)` is declared twice (first at \(first.path):\(first.line)); the first is kept",
                at: at, hint: "give each entity its own name, or its own namespace")
        }

        private mutating func readComponent(
            _ metadata: Node?, _ spec: Node?, id: String, name: String, namespace: String?, path: String,
            _ diagnostics: inout DiagnosticList
        ) {
            let at = location(metadata?["name"], path)
            if let first = catalog.entries[id] {
                duplicate("service", id, first.location, at: at, &diagnostics)
                return
            }
            var service = Service(slug: id)
            service.name = text(metadata?["title"]) ?? name
            service.lifecycle = text(spec?["lifecycle"])
            service.system = text(spec?["system"]).flatMap { ref in
                let r = Catalog.reference(ref)
                return Catalog.id(name: r.name, namespace: r.namespace ?? namespace)
            }
            service.tags = texts(metadata?["tags"])
            let annotations = metadata?["annotations"]
            let tierNode = annotations?["preflight.dev/tier"] ?? metadata?["labels"]?["tier"]
            service.tier = text(tierNode)
            if let node = annotations?["preflight.dev/target"], let target = text(node) {
                service.target = target
                service.targetLocation = location(node, path)
            }
            if let node = annotations?["preflight.dev/checklist"], let checklist = text(node) {
                service.checklist = checklist
                service.checklistLocation = location(node, path)
            }
            do {
                for link in list(metadata?["links"]) {
                    guard let url = text(link["url"]) else {
                        diagnostics.warning("a link of `\(id)` has no `url`; left out", at: location(link, path))
                        continue
                    }
                    let linkAt = location(link["url"], path)
                    guard Service.isSafeURL(url) else {
                        diagnostics.error("link of `\(id)` must be an http(s), mailto or relative URL, not `\(url)`", at: linkAt)
                        continue
                    }
                    service.links.append(Service.Link(label: text(link["title"]) ?? url, url: url))
                }
            }
            if let description = text(metadata?["description"]) {
                service.html = describe(description, metadata?["description"], path: path, &diagnostics)
            }
            service.catalogLocation = at
            var entry = Entry(service: service, location: at)
            if let owner = text(spec?["owner"]) {
                let r = Catalog.reference(owner)
                entry.ownerReference = (r.kind, r.namespace ?? namespace, r.name)
                entry.ownerLocation = location(spec?["owner"], path)
            }
            catalog.entries[id] = entry
        }

        /// `spec.target` and `spec.targets`: more files, relative to this one.
        private mutating func readLocation(_ spec: Node?, path: String, _ diagnostics: inout DiagnosticList) {
            var targets: [(String, SourceLocation)] = []
            if let node = spec?["target"], let target = text(node) { targets.append((target, location(node, path))) }
            for item in list(spec?["targets"]) { if let target = text(item) { targets.append((target, location(item, path))) } }
            let folder = path.contains("/") ? String(path[..<path.lastIndex(of: "/")!]) : ""
            for (target, at) in targets {
                if target.contains("://") || target.hasPrefix("url:") {
                    diagnostics.warning(
                        "catalog Location target `\(target)` is a URL; Preflight reads files only", at: at,
                        hint: "check the catalog out into the site and name it by path")
                    continue
                }
                let relative = target.hasPrefix("file:") ? String(target.dropFirst(5)) : target
                for file in expand(relative, from: folder, at: at, &diagnostics) { read(file, &diagnostics) }
            }
        }

        /// An OpsLevel `opslevel.yml` (`version: 1`).
        private mutating func readOpsLevel(_ node: Node, path: String, _ diagnostics: inout DiagnosticList) {
            let svc = node["service"]
            guard text(node["version"]) == "1" else {
                diagnostics.error(
                    "opslevel.yml version `\(text(node["version"]) ?? "?")` is not supported", at: location(node["version"], path),
                    hint: "Preflight reads version 1")
                return
            }
            guard let name = text(svc?["name"]) else {
                diagnostics.error("opslevel.yml has no `service.name`", at: location(svc ?? node, path))
                return
            }
            let aliases = texts(svc?["aliases"])
            guard let id = aliases.first(where: Slug.isValid) ?? Optional(Slug.make(name)).flatMap({ $0.isEmpty ? nil : $0 }) else {
                diagnostics.error("opslevel.yml service `\(name)` cannot be a Preflight id", at: location(svc?["name"], path))
                return
            }
            let at = location(svc?["name"], path)
            if let first = catalog.entries[id] {
                duplicate("service", id, first.location, at: at, &diagnostics)
                return
            }
            var service = Service(slug: id)
            service.name = name
            service.owner = text(svc?["owner"])
            service.lifecycle = text(svc?["lifecycle"])
            if let tier = text(svc?["tier"]) {
                let lower = tier.lowercased()
                service.tier = lower.hasPrefix("tier_") ? String(tier.dropFirst(5)) : tier
            }
            for tag in list(svc?["tags"]) {
                if let key = text(tag["key"]) {
                    service.tags.append(key + (text(tag["value"]).map { ":" + $0 } ?? ""))
                } else if let tag = text(tag) {
                    service.tags.append(tag)
                }
            }
            do {
                for repository in list(svc?["repositories"]) {
                    guard let repo = text(repository["name"]) ?? text(repository) else { continue }
                    let provider = text(repository["provider"])?.lowercased()
                    let host = provider == "gitlab" ? "https://gitlab.com/" : provider == "github" || provider == nil ? "https://github.com/" : nil
                    let lower = repo.lowercased()
                    if (lower.hasPrefix("https://") || lower.hasPrefix("http://")) && Service.isSafeURL(repo) {
                        service.links.append(Service.Link(label: repo, url: repo))
                    } else if let host, Catalog.isRepositoryPath(repo) {
                        service.links.append(Service.Link(label: repo, url: host + repo))
                    } else {
                        diagnostics.warning(
                            "repository `\(repo)` of `\(id)` is left out: it is neither an http(s) URL nor `owner/name` on GitHub or GitLab",
                            at: location(repository["name"] ?? repository, path),
                            hint: "write the repository's URL (`https://bitbucket.org/acme/pay`), or its `owner/name` with `provider: github` or `gitlab`")
                    }
                }
            }
            if let description = text(svc?["description"]) {
                service.html = describe(description, svc?["description"], path: path, &diagnostics)
            }
            service.catalogLocation = at
            catalog.entries[id] = Entry(service: service, location: at)
        }

        /// The catalog with owners resolved to group ids (warning about
        /// owners that are no known group, when there are groups) and system
        /// titles filled in.
        mutating func resolved(_ diagnostics: inout DiagnosticList) -> Catalog {
            var result = catalog
            // A parent that is no Group of the catalog, or a loop of parents, would
            // make a team nobody declared, or none at the top: the group is put there.
            let ids = catalog.groups.keys.sorted()
            for id in ids {
                guard let parent = catalog.groups[id]!.parent, catalog.groups[parent] == nil else { continue }
                diagnostics.warning(
                    "parent `\(parent)` of group `\(id)` is not a Group of the catalog; `\(id)` is shown as a top-level team",
                    at: catalog.groups[id]!.location,
                    hint: FrontMatterFields.closest(to: parent, in: ids).map { "did you mean `\($0)`?" }
                        ?? "declare the parent group, or remove `spec.parent`")
                result.groups[id]!.parent = nil
            }
            for id in ids {
                var seen: Set<String> = [id]
                var next = result.groups[id]!.parent
                while let parent = next, seen.insert(parent).inserted { next = result.groups[parent]?.parent }
                guard next == id else { continue }
                diagnostics.warning(
                    "group `\(id)` is its own ancestor (its parents lead back to it through \(seen.count) groups); `\(id)` is shown as a top-level team",
                    at: catalog.groups[id]!.location, hint: "a group's parent must not be one of its own members")
                result.groups[id]!.parent = nil
            }
            for (id, entry) in catalog.entries {
                var entry = entry
                if let owner = entry.ownerReference {
                    let groupID = Catalog.id(name: owner.name, namespace: owner.namespace)
                    entry.service.owner = groupID ?? owner.name
                    let isGroup = owner.kind == nil || owner.kind == "group"
                    if !catalog.groups.isEmpty, !isGroup || groupID.map({ catalog.groups[$0] == nil }) ?? true,
                        let at = entry.ownerLocation
                    {
                        let near = groupID.flatMap { FrontMatterFields.closest(to: $0, in: catalog.groups.keys.sorted()) }
                        diagnostics.warning(
                            "owner `\(owner.name)` of `\(id)` is not a group of the catalog", at: at,
                            hint: near.map { "did you mean `group:\($0)`?" } ?? "owners are groups (`group:team-name`); teams come from the catalog's Group entities")
                    }
                }
                result.entries[id] = entry
            }
            return result
        }
    }
}

extension Node {
    var isMapping: Bool {
        if case .mapping = self { return true }
        return false
    }

    /// The value of `key` in a mapping; nil for anything else.
    subscript(key: String) -> Node? {
        guard case .mapping(let mapping) = self else { return nil }
        return mapping.first { k, _ in
            if case .scalar(let s) = k { return s.string == key }
            return false
        }?.1
    }
}
