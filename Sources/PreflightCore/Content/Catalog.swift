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
            let files = reader.expand(pattern, from: "", at: at, &diagnostics)
            if files.isEmpty, pattern.contains(where: { $0 == "*" || $0 == "?" }) {
                diagnostics.warning(
                    "catalog pattern `\(pattern)` matches no file", at: at,
                    hint: "patterns are relative to the site folder: `catalog/*.yaml`, `catalog/**/catalog-info.yaml`")
            }
            for file in files { reader.read(file, &diagnostics) }
        }
        return reader.resolved(&diagnostics)
    }

    /// The top-level entries of the site folder that `preflight.yml`'s
    /// catalog patterns reach (`catalog` for `catalog/**/*.yaml`,
    /// `opslevel.yml`): what `serve` watches for catalog changes.
    public static func watchedEntries(siteDirectory: String) -> [String] {
        var ignored = DiagnosticList()
        var files = FileIndex(siteDirectory: siteDirectory)
        let config = SiteConfig.parse(files.readConfig(&ignored), diagnostics: &ignored)
        return config.catalog.compactMap { pattern, _ in
            let parts = pattern.split(separator: "/").filter { $0 != "." }
            guard let first = parts.first, first != "..", !pattern.hasPrefix("/") else { return nil }
            return String(first)
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

        init(root: String, unsafeHTML: Bool) {
            self.root = root.count > 1 && root.hasSuffix("/") ? String(root.dropLast()) : root
            self.unsafeHTML = unsafeHTML
        }

        /// The site paths `pattern` names, relative to the folder `base`
        /// (`""`: the site folder), sorted. A path that names no file is an
        /// error at `at`; a pattern that leaves the site, one too.
        func expand(_ pattern: String, from base: String, at: SourceLocation, _ diagnostics: inout DiagnosticList) -> [String] {
            let trimmed = pattern.hasPrefix("./") ? String(pattern.dropFirst(2)) : pattern
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
            match(parts[...], in: "", depth: 0, into: &found)
            return found.sorted()
        }

        /// Files under `folder` that `parts` match (`**`: any folders, none included).
        private func match(_ parts: ArraySlice<String>, in folder: String, depth: Int, into found: inout [String]) {
            guard let part = parts.first, depth <= Catalog.maxDepth else { return }
            let entries = (try? FileSystem.list(folder.isEmpty ? root : root + "/" + folder))?
                .filter { !$0.name.hasPrefix(".") } ?? []
            func path(_ name: String) -> String { folder.isEmpty ? name : folder + "/" + name }
            if part == "**" {
                match(parts.dropFirst(), in: folder, depth: depth, into: &found)
                for entry in entries where entry.kind == .directory {
                    match(parts, in: path(entry.name), depth: depth + 1, into: &found)
                }
                return
            }
            let glob = Glob(part)
            for entry in entries where glob.matches(entry.name) {
                if parts.count == 1 {
                    if entry.kind == .file { found.append(path(entry.name)) }
                } else if entry.kind == .directory {
                    match(parts.dropFirst(), in: path(entry.name), depth: depth + 1, into: &found)
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
            var index = 0
            while let node = documents.next() {
                index += 1
                read(node, path: path, document: index, &diagnostics)
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

        /// A scalar's text; nil for anything else, or null.
        func text(_ node: Node?) -> String? {
            guard let node, case .scalar(let scalar) = node, !FrontMatterFields.isNull(node) else { return nil }
            let value = scalar.string.trimmingSpaces()
            return value.isEmpty ? nil : value
        }

        /// The texts of a list of scalars (others left out).
        func texts(_ node: Node?) -> [String] {
            guard let node, case .sequence(let items) = node else { return [] }
            return items.compactMap { text($0) }
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
            if case .sequence(let links)? = metadata?["links"] {
                for link in links {
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
                let markdown = Markdown.render(description, unsafeHTML: unsafeHTML)
                diagnostics.warn(markdown.notes, in: path)
                service.html = markdown.html
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
            if case .sequence(let items)? = spec?["targets"] {
                for item in items { if let target = text(item) { targets.append((target, location(item, path))) } }
            }
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
            if case .sequence(let tags)? = svc?["tags"] {
                service.tags = tags.compactMap { tag in
                    if let key = text(tag["key"]) { return key + (text(tag["value"]).map { ":" + $0 } ?? "") }
                    return text(tag)
                }
            }
            if case .sequence(let repositories)? = svc?["repositories"] {
                for repository in repositories {
                    guard let repo = text(repository["name"]) ?? text(repository) else { continue }
                    let provider = text(repository["provider"])?.lowercased()
                    let host = provider == "gitlab" ? "https://gitlab.com/" : provider == "github" || provider == nil ? "https://github.com/" : nil
                    if repo.hasPrefix("https://") || repo.hasPrefix("http://") {
                        if Service.isSafeURL(repo) { service.links.append(Service.Link(label: repo, url: repo)) }
                    } else if let host, repo.contains("/"), !repo.contains(where: { $0 == " " || $0 == ":" }) {
                        service.links.append(Service.Link(label: repo, url: host + repo))
                    }
                }
            }
            if let description = text(svc?["description"]) {
                let markdown = Markdown.render(description, unsafeHTML: unsafeHTML)
                diagnostics.warn(markdown.notes, in: path)
                service.html = markdown.html
            }
            service.catalogLocation = at
            catalog.entries[id] = Entry(service: service, location: at)
        }

        /// The catalog with owners resolved to group ids (warning about
        /// owners that are no known group, when there are groups) and system
        /// titles filled in.
        mutating func resolved(_ diagnostics: inout DiagnosticList) -> Catalog {
            var result = catalog
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
    /// The value of `key` in a mapping; nil for anything else.
    subscript(key: String) -> Node? {
        guard case .mapping(let mapping) = self else { return nil }
        return mapping.first { k, _ in
            if case .scalar(let s) = k { return s.string == key }
            return false
        }?.1
    }
}
