/// Finds Markdown links to pages or anchors the generated site does not have.
struct LinkCheck {
    let model: SiteModel
    /// Output path → the `id`s its HTML declares (nil for non-HTML files).
    let targets: [String: Set<String>?]

    /// `failedSources`: paths of files with errors. The pages they would
    /// have made count as present (anchors unchecked), so a link to them is
    /// not reported on top of the error.
    init(model: SiteModel, files: [OutputFile], failedSources: Set<String> = []) {
        self.model = model
        var targets: [String: Set<String>?] = [:]
        for file in files {
            if file.path.hasSuffix(".html"), case .bytes(let bytes) = file.contents {
                targets[file.path] = Self.ids(in: bytes)
            } else {
                targets[file.path] = .some(nil)
            }
        }
        for source in failedSources {
            if let page = Self.page(ofSource: source), targets[page] == nil { targets[page] = .some(nil) }
        }
        self.targets = targets
    }

    /// The page a content file makes, by the layout of FORMAT.md.
    static func page(ofSource source: String) -> String? {
        let parts = source.split(separator: "/").map(String.init)
        guard parts.first == "content", let last = parts.last, last.hasSuffix(".md") else { return nil }
        let name = String(last.dropLast(3))
        let url: String
        switch parts.count {
        case 3 where parts[1] == "checklists": url = SiteModel.checklistURL(name)
        case 3 where parts[1] == "pages": url = SiteModel.pageURL(name)
        case 3 where parts[1] == "campaigns": url = SiteModel.campaignURL(name)
        case 4 where parts[1] == "services" && last == "index.md": url = SiteModel.serviceURL(parts[2])
        case 5 where parts[1] == "services" && parts[3] == "reviews": url = SiteModel.reviewURL(service: parts[2], name: name)
        default: return nil
        }
        return url + "index.html"
    }

    func run() -> [Diagnostic] {
        var result: [Diagnostic] = []
        for service in model.content.services {
            if let path = service.path {
                let url = SiteModel.serviceURL(service.slug)
                check(service.markdownLinks + service.frontMatterLinks, from: url, file: path, into: &result)
            }
            for review in model.reviews[service.slug] ?? [] {
                check(review.markdownLinks, from: SiteModel.reviewURL(review), file: review.path, into: &result)
            }
        }
        for checklist in model.content.checklists {
            check(checklist.markdownLinks, from: SiteModel.checklistURL(checklist.id), file: checklist.path, into: &result)
        }
        for page in model.pages {
            check(page.markdownLinks, from: SiteModel.pageURL(page.slug), file: page.path, into: &result)
        }
        for (campaign, _) in model.campaigns {
            check(campaign.markdownLinks, from: SiteModel.campaignURL(campaign.id), file: campaign.path, into: &result)
        }
        return result
    }

    /// Why a link does not resolve, and how to fix it.
    struct Problem: Equatable {
        var message: String
        var hint: String
    }

    private func check(_ links: [MarkdownLink], from pageURL: String, file: String, into result: inout [Diagnostic]) {
        for link in links {
            if let problem = problem(link.target, from: pageURL, isImage: link.isImage, file: file) {
                result.append(
                    .warning(
                        "\(link.isImage ? "image" : "link") `\(link.url)` \(problem.message)",
                        at: SourceLocation(path: file, line: link.line, column: link.column), hint: problem.hint))
            }
        }
    }

    static let pageHint = "links between pages use site URLs such as `../../checklists/<id>/` or `../reviews/<name>/`"

    /// Why `url`, written on the page at `pageURL`, does not resolve; nil when it does
    /// or when it points outside the site (other hosts, other schemes).
    func problem(_ url: String, from pageURL: String, isImage: Bool = false, file: String = "") -> Problem? {
        if url.isEmpty || url.hasPrefix("//") || url.hasURLScheme { return nil }
        var path = Substring(url)
        var fragment: Substring?
        if let hash = path.firstIndex(of: "#") {
            fragment = path[path.index(after: hash)...]
            path = path[..<hash]
        }
        if let query = path.firstIndex(of: "?") { path = path[..<query] }

        var segments: [Substring]
        if path.hasPrefix("/") {
            let base = model.config.basePath
            guard path.hasPrefix(base) else { return nil }  // outside the site's base path
            segments = path.dropFirst(base.count).split(separator: "/", omittingEmptySubsequences: false)
        } else {
            segments = pageURL.split(separator: "/") + path.split(separator: "/", omittingEmptySubsequences: false)
        }
        guard let resolved = resolvedPath(segments) else {
            return Problem(
                message: "points outside the site",
                hint: "it climbs above the site's root: remove a `../`, or write the full URL")
        }
        let joined = resolved.joined(separator: "/")
        let directoryLink = path.isEmpty || path.hasSuffix("/")
        let candidates = directoryLink || joined.isEmpty
            ? [joined.isEmpty ? "index.html" : joined + "/index.html"]
            : [joined, joined + "/index.html"]
        guard let target = candidates.first(where: { targets[$0] != nil }) else {
            if path.isEmpty { return nil }
            return Problem(message: "has no page in the site", hint: missingHint(String(path), isImage: isImage, file: file))
        }
        if let fragment, !fragment.isEmpty, let ids = targets[target] ?? nil {
            let anchor = String(fragment).removingPercentEncoding()
            guard !ids.contains(anchor) else { return nil }
            let near = FrontMatterFields.closest(to: anchor, in: ids.sorted())
            return Problem(
                message: "names an anchor, `#\(fragment)`, that \(path.isEmpty ? "this page" : "the page") does not have",
                hint: near.map { "did you mean `#\($0)`?" }
                    ?? "an anchor is a heading's id: the slug of its text, or its `{#id}`")
        }
        return nil
    }

    /// How to fix a link to a path the site does not have.
    private func missingHint(_ path: String, isImage: Bool, file: String) -> String {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        if name.lowercased().hasSuffix(".md") {
            return "a Markdown file is published as a page: link to the page, e.g. `\(String(name.dropLast(3)))/` for a review beside this one"
        }
        if isImage || FileIndex.isAsset(name) {
            let folder = file.split(separator: "/").dropLast().joined(separator: "/")
            let beside = file.hasPrefix("content/services/") ? "beside this file (`\(folder)/\(name)`)" : "in static/"
            return "put the file \(beside), or in static/ at the path the link names"
        }
        return Self.pageHint
    }

    /// Values of every `id="…"` attribute in an HTML page.
    static func ids(in bytes: [UInt8]) -> Set<String> {
        var ids: Set<String> = []
        let needle: [UInt8] = Array(" id=\"".utf8)
        var i = 0
        while i + needle.count < bytes.count {
            if bytes[i] == needle[0], bytes[i..<(i + needle.count)].elementsEqual(needle) {
                var j = i + needle.count
                while j < bytes.count && bytes[j] != UInt8(ascii: "\"") { j += 1 }
                ids.insert(String(decoding: bytes[(i + needle.count)..<j], as: UTF8.self))
                i = j
            }
            i += 1
        }
        return ids
    }
}
