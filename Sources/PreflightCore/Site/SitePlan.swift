/// Every path the site holds, mapped to what produces it: a page to render,
/// an export, a theme asset or a static file. `build` renders every entry and
/// writes them; `serve` keeps the plan and renders an entry when it is asked
/// for. A new output is added here, in `entries`, and nowhere else.
public struct SitePlan: Sendable {
    enum Source: Sendable {
        case page(PageRenderer.Job)
        case export(Export)
        case asset([UInt8])
        case staticFile(StaticFile)
    }

    /// Set once, but for `derived` in a build with a cache (`output(cache:…)`).
    private(set) var model: SiteModel
    let theme: Theme
    /// Every output path with its source, in render order (see `PageRenderer.jobs`).
    let entries: [(path: String, source: Source)]
    private let index: [String: Int]

    init(model: SiteModel, theme: Theme, staticFiles: [(path: String, file: StaticFile)]) {
        self.model = model
        self.theme = theme
        var entries: [(path: String, source: Source)] = PageRenderer.jobs(model).map { ($0.path, .page($0.job)) }
        entries += Export.all(model).map { ($0.path, .export($0.export)) }
        entries += theme.assets.map { ($0.path, .asset($0.bytes)) }
        for slug in model.content.assets.keys.sorted() {
            entries += model.content.assets[slug]!.map { ($0.output, .staticFile($0.file)) }
        }
        entries += staticFiles.map { ($0.path, .staticFile($0.file)) }
        // static/ wins over theme assets and generated files of the same path:
        // the last entry of a path is the one kept, in the place of the first.
        var index: [String: Int] = [:]
        var kept: [(path: String, source: Source)] = []
        for entry in entries {
            if let i = index[entry.path] {
                kept[i] = entry
            } else {
                index[entry.path] = kept.count
                kept.append(entry)
            }
        }
        self.entries = kept
        self.index = index
    }

    /// The plan of `previous` for a model updated in the services `changed`
    /// (`serve`): the same entries, rendered from the new model. Entries name
    /// pages by position (the third service, its second review), so they stay
    /// right while every list the paths come from is the same, in the same
    /// order; nil when a path came, went or moved (a review's new date, a new
    /// owner, an asset added), and the plan must be made again.
    init?(reusing previous: SitePlan, for model: SiteModel, changed: Set<String>) {
        let old = previous.model
        let (services, before) = (model.content.services, old.content.services)
        guard services.count == before.count, services.indices.allSatisfy({ services[$0].slug == before[$0].slug }),
            model.teams.map(\.slug) == old.teams.map(\.slug),
            model.campaigns.map(\.campaign.id) == old.campaigns.map(\.campaign.id),
            model.content.checklists.map(\.id) == old.content.checklists.map(\.id),
            model.pages.map(\.slug) == old.pages.map(\.slug)
        else { return nil }
        for slug in changed {
            let reviews = (model.reviews[slug] ?? []).map(SiteModel.reviewURL)
            let before = (old.reviews[slug] ?? []).map(SiteModel.reviewURL)
            let sameAssets = (model.content.assets[slug] ?? []).elementsEqual(old.content.assets[slug] ?? []) {
                $0.output == $1.output && $0.file.source == $1.file.source && $0.file.identity == $1.file.identity
            }
            guard reviews == before, sameAssets else { return nil }
        }
        self.model = model
        self.theme = previous.theme
        self.entries = previous.entries
        self.index = previous.index
    }

    /// The path part of the base URL, where the site is served.
    public var basePath: String { model.config.basePath }

    /// Every output path, sorted.
    public var paths: [String] { entries.map(\.path).sorted() }

    public func contains(_ path: String) -> Bool {
        index[path] != nil
    }

    func source(at path: String) -> Source? {
        index[path].map { entries[$0].source }
    }

    /// The file at `path`, rendered now; nil when the site has no such path.
    public func file(at path: String) -> OutputFile? {
        source(at: path).map { render($0, at: path) }
    }

    func render(_ source: Source, at path: String) -> OutputFile {
        switch source {
        case .page(let job): return OutputFile(path: path, text: PageRenderer(model: model, theme: theme).render(job))
        case .export(let export): return OutputFile(path: path, text: export.render(model))
        case .asset(let bytes): return OutputFile(path: path, bytes: bytes)
        case .staticFile(let file): return OutputFile(path: path, staticFile: file)
        }
    }

    /// Every file of the site, to be rendered as it is written (`build`):
    /// in render order, so the long single pages start first.
    var output: SiteWriter.Source {
        SiteWriter.Source(paths: entries.map(\.path)) { i in writing(entries[i].source, at: entries[i].path) }
    }

    /// The file of `source`, made to be written: a page's bytes as the
    /// templates made them, an export's text as it is, neither copied.
    private func writing(_ source: Source, at path: String) -> OutputFile {
        switch source {
        case .page(let job): return OutputFile(path: path, bytes: PageRenderer(model: model, theme: theme).renderBytes(job))
        case .export(let export): return OutputFile(path: path, writing: export.render(model))
        case .asset, .staticFile: return render(source, at: path)
        }
    }

    /// `output`, with each page and export whose inputs are as they were in
    /// the last build (`PageKeys`) taken from that build: left where it is
    /// when `lastOutput` is this output and the file there is still the one
    /// it wrote (the folder is then updated in place, `SiteWriter.update`),
    /// else copied from the cache, and rendered now only when neither is
    /// there. What is rendered now is kept in the cache for the next build.
    func output(
        cache: BuildCache, site: (facts: Digest, bodies: Digest), outputPath: String, lastOutput: String?
    ) -> SiteWriter.Source {
        var plan = self
        plan.model.derived = cache
        plan.model.siteFacts = site.facts
        return plan.output(
            keys: PageKeys(model: model, site: site), cache: cache, outputPath: outputPath, lastOutput: lastOutput)
    }

    private func output(keys: PageKeys, cache: BuildCache, outputPath: String, lastOutput: String?) -> SiteWriter.Source {
        var files = SiteWriter.Source(paths: entries.map(\.path)) { i in
            let (path, source) = entries[i]
            guard let key = keys.key(for: source, at: path, model: model) else { return writing(source, at: path) }
            if let record = cache.page(at: path, key: key) {
                if let lastOutput, let written = cache.outputRecord(at: path, output: lastOutput),
                    written.size == record.ref.count, BuildCache.OutputRecord(path: path, in: outputPath) == written
                {
                    cache.reused(record, at: path)
                    return OutputFile(
                        path: path,
                        contents: .unchanged(
                            at: outputPath + "/" + path,
                            isIt: { BuildCache.OutputRecord(path: path, file: $0)?.isLink(to: written) == true },
                            otherwise: { cache.read(record.ref) ?? self.render(source, at: path).bytesOrEmpty }))
                }
                if let bytes = cache.read(record.ref) {
                    cache.reused(record, at: path)
                    return OutputFile(path: path, bytes: bytes)
                }
            }
            // Kept for the next build from the text as it is: a listing page of
            // 20,000 services is tens of megabytes, and a copy in bytes would double it.
            let file = writing(source, at: path)
            cache.rendered(file, key: key, at: path)
            return file
        }
        // The files left as they were are the last output's own: it is updated where it is.
        files.updatesInPlace = lastOutput != nil
        files.leftInPlace = { [paths = files.paths] i in cache.leftInPlace(at: paths[i]) }
        files.unchangedSinceWritten = { cache.outputFoldersAsRecorded(in: outputPath) }
        return files
    }

    /// Every file of the site, rendered on every core, sorted by path.
    func renderAll() -> [OutputFile] {
        entries.parallelMap { render($0.source, at: $0.path) }.sorted { $0.path < $1.path }
    }
}
