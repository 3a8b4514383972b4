/// The digest of what each service's pages read (docs/format.md, "Build
/// cache"): a service page, its reviews' pages and its badge show that
/// service, its reviews, the checklists they answer, its evidence and its
/// assets, framed by what every page shows (navigation, catalog groups and
/// systems, campaigns and their status). Equal digests mean equal inputs,
/// so the page the last build made from them is the page this one would.
/// Everything else (the dashboard, lists, exports, checklist matrices, team
/// and free pages) reads across services: it is keyed by the digest of
/// every input with each review taken by its facts (`site`, see
/// `BuildCache.siteKeys`), so an edit of a review's prose alone leaves it
/// as it was; the search index, which reads the reviews' prose too, also by
/// every review file's contents (`bodies`). Theme assets and static files
/// are copied on every build.
struct PageKeys {
    private let frame: Digest
    private let services: [String: Digest]
    private let site: (facts: Digest, bodies: Digest)

    init(model: SiteModel, site: (facts: Digest, bodies: Digest)) {
        self.site = site
        let content = model.content
        var f = FastDigest()
        for checklist in content.checklists {
            f.add(checklist.id)
            f.add(checklist.title)
        }
        f.add("pages")
        for page in model.pages {
            f.add(page.slug)
            f.add(page.title)
        }
        f.add("campaigns")
        for (campaign, progress) in model.campaigns {
            f.add(String(describing: campaign))
            f.add(progress.status.rawValue)
        }
        f.add("groups")
        for (id, group) in content.catalog.groups.sorted(by: { $0.key < $1.key }) {
            f.add(id)
            f.add(group.name)
            f.add(group.parent ?? "\u{0}")
        }
        f.add("systems")
        for (id, name) in content.catalog.systems.sorted(by: { $0.key < $1.key }) {
            f.add(id)
            f.add(name)
        }
        frame = f.value
        let checklists = Dictionary(uniqueKeysWithValues: content.checklists.map { ($0.id, $0) })
        var services: [String: Digest] = [:]
        for service in content.services {
            services[service.slug] = Self.digest(
                service, reviews: model.reviews[service.slug] ?? [], content: content, checklists: checklists)
        }
        self.services = services
    }

    /// The key of the page or export `source` at `path`; nil for those copied on every build.
    func key(for source: SitePlan.Source, at path: String, model: SiteModel) -> Digest? {
        let slug: String
        switch source {
        case .page(.service(let i)): slug = model.content.services[i].slug
        case .page(.review(let s, _)): slug = s
        case .export(.badge(let s)): slug = s
        case .asset, .staticFile: return nil
        case .export(.searchIndex):
            var d = FastDigest()
            d.add("search")
            d.add(site.facts)
            d.add(site.bodies)
            d.add(path)
            return d.value
        case .page, .export:
            var d = FastDigest()
            d.add("site")
            d.add(site.facts)
            d.add(path)
            return d.value
        }
        guard let service = services[slug] else { return nil }
        var d = FastDigest()
        d.add(frame)
        d.add(service)
        d.add(path)
        return d.value
    }

    private static func digest(
        _ service: Service, reviews: [Review], content: SiteContent, checklists: [String: Checklist]
    ) -> Digest {
        var d = FastDigest()
        func add(_ text: String?) { d.add(text.map { "+" + $0 } ?? "-") }
        func add(_ location: SourceLocation?) { add(location.map { "\($0.path):\($0.line):\($0.column)" }) }
        func add(_ links: [MarkdownLink]) {
            for link in links { add("\(link.url) \(link.isImage) \(link.line) \(link.column) \(link.target)") }
            d.add("end")
        }
        add(service.slug)
        add(service.path)
        add(service.name)
        add(service.owner)
        add(service.tier)
        add(service.lifecycle)
        add(service.system)
        add(service.tags.joined(separator: "\u{0}"))
        for link in service.links { add(link.label + "\u{0}" + link.url) }
        add(service.checklist)
        add(service.checklistLocation)
        add(service.target)
        add(service.targetLocation)
        var extra = CacheWriter()
        service.extra?.encode(to: &extra)
        d.add(extra.bytes)
        add(service.html)
        add(service.markdownLinks)
        add(service.frontMatterLinks)
        add(service.keysSet.sorted().joined(separator: "\u{0}"))
        add(service.catalogLocation)
        add(service.sourceDigest?.hex)
        var used: Set<String> = []
        if let id = service.checklist { used.insert(id) }
        if let id = content.defaultChecklist { used.insert(id) }
        d.add("reviews")
        for review in reviews {
            add(review.path)
            add(review.sourceDigest?.hex)
            used.insert(review.checklist)
        }
        d.add("checklists")
        for id in used.sorted() {
            add(id)
            add(checklists[id]?.sourceDigest?.hex)
        }
        d.add("evidence")
        if let evidence = content.evidence[service.slug] {
            for check in evidence.records.keys.sorted() {
                for record in evidence.records[check]! {
                    add(record.line)
                    add(record.location)
                }
            }
        }
        d.add("assets")
        for asset in content.assets[service.slug] ?? [] {
            add(asset.source)
            add(asset.output)
        }
        return d.value
    }
}
