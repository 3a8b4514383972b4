/// Finds Markdown links to pages or anchors the generated site does not have.
struct LinkCheck {
    let model: SiteModel
    /// Output path → the `id`s its HTML declares (nil for non-HTML files).
    let targets: [String: Set<String>?]

    init(model: SiteModel, files: [OutputFile]) {
        self.model = model
        var targets: [String: Set<String>?] = [:]
        for file in files {
            if file.path.hasSuffix(".html"), case .bytes(let bytes) = file.contents {
                targets[file.path] = Self.ids(in: bytes)
            } else {
                targets[file.path] = .some(nil)
            }
        }
        self.targets = targets
    }

    func run() -> [Diagnostic] {
        var result: [Diagnostic] = []
        for service in model.content.services {
            if let path = service.path {
                check(service.markdownLinks, from: SiteModel.serviceURL(service.slug), file: path, into: &result)
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
        return result
    }

    private func check(_ links: [MarkdownLink], from pageURL: String, file: String, into result: inout [Diagnostic]) {
        for link in links {
            if let problem = problem(link.url, from: pageURL) {
                result.append(
                    .warning(
                        "\(link.isImage ? "image" : "link") `\(link.url)` \(problem)",
                        at: SourceLocation(path: file, line: link.line, column: link.column),
                        hint: "links between pages use site URLs such as `../../checklists/<id>/` or `../reviews/<name>/`"))
            }
        }
    }

    /// Why `url`, written on the page at `pageURL`, does not resolve; nil when it does
    /// or when it points outside the site (other hosts, other schemes).
    func problem(_ url: String, from pageURL: String) -> String? {
        if url.isEmpty || url.hasPrefix("//") || Self.hasScheme(url) { return nil }
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
        var resolved: [Substring] = []
        for segment in segments {
            switch segment {
            case "", ".": continue
            case "..":
                if resolved.isEmpty { return "points outside the site" }
                resolved.removeLast()
            default: resolved.append(segment)
            }
        }
        let joined = resolved.joined(separator: "/")
        let directoryLink = path.isEmpty || path.hasSuffix("/")
        let candidates = directoryLink || joined.isEmpty
            ? [joined.isEmpty ? "index.html" : joined + "/index.html"]
            : [joined, joined + "/index.html"]
        guard let target = candidates.first(where: { targets[$0] != nil }) else {
            return path.isEmpty ? nil : "has no page in the site"
        }
        if let fragment, !fragment.isEmpty, let ids = targets[target] ?? nil,
            !ids.contains(String(fragment).removingPercentEncoding())
        {
            return "names an anchor, `#\(fragment)`, that \(path.isEmpty ? "this page" : "the page") does not have"
        }
        return nil
    }

    static func hasScheme(_ url: String) -> Bool {
        guard let colon = url.firstIndex(of: ":") else { return false }
        let scheme = url[..<colon]
        return !scheme.isEmpty && scheme.allSatisfy { $0.isLetter || $0.isNumber || $0 == "+" || $0 == "-" || $0 == "." }
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
