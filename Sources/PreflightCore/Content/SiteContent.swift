/// Everything read from a site folder, validated: the content stage's result.
public struct SiteContent: Sendable {
    public var config: SiteConfig
    /// Sorted by id.
    public var checklists: [Checklist]
    /// Sorted by slug.
    public var services: [Service]
    /// Per service slug, sorted oldest first by (date, name); drafts included.
    public var reviews: [String: [Review]]
    /// Sorted by slug; drafts included.
    public var pages: [FreePage]
    /// Sorted by id.
    public var campaigns: [Campaign] = []
    /// The checklist used when neither review nor service names one.
    public var defaultChecklist: String?
    /// Markdown and YAML files read.
    public var fileCount: Int
    /// Images and documents beside services and reviews, by service slug.
    var assets: [String: [FileIndex.Asset]] = [:]
    /// Evidence records of the site's services (docs/format.md, "Evidence").
    public var evidence = EvidenceIndex()
    /// What the catalog files of `catalog:` declare (docs/format.md,
    /// "Services from a catalog"): its services are in `services` already.
    public var catalog = Catalog()
}

/// Reads a site folder into `SiteContent`, collecting every problem on the way.
public enum ContentLoader {
    /// Loads and validates the site at `siteDirectory`.
    /// Returns nil content when any error was found; warnings never block.
    /// `baseURL` (from `--base-url`) replaces the configured one before anything reads it.
    /// With `partial`, content is returned in spite of errors: what could be
    /// read, for `check` to look for warnings elsewhere in the site.
    /// Evidence is read from the site's `evidence/` and from `evidence`
    /// (more files or folders); records dated after `buildDate` do not count.
    public static func load(
        siteDirectory: String, baseURL: BaseURL? = nil, partial: Bool = false, evidence: [String] = [],
        buildDate: Day? = nil
    ) -> (content: SiteContent?, diagnostics: DiagnosticList, fileCount: Int) {
        load(siteDirectory: siteDirectory, baseURL: baseURL, partial: partial, evidence: evidence, buildDate: buildDate, cache: nil)
    }

    /// `load`, reusing from `cache` every review whose file, surroundings
    /// and checklist are unchanged, and recording in it the ones parsed.
    static func load(
        siteDirectory: String, baseURL: BaseURL?, partial: Bool, evidence: [String], buildDate: Day?,
        cache: BuildCache?
    ) -> (content: SiteContent?, diagnostics: DiagnosticList, fileCount: Int) {
        var diagnostics = DiagnosticList()
        var files = FileIndex(siteDirectory: siteDirectory)

        let configText = files.readConfig(&diagnostics)
        var config = SiteConfig.parse(configText, diagnostics: &diagnostics)
        if let baseURL { config.baseURL = baseURL.value }
        files.walk(&diagnostics)

        let unsafe = config.unsafeHTML
        let (checklists, defaultChecklist) = loadChecklists(files, config: config, diagnostics: &diagnostics)
        config.defaultChecklist = defaultChecklist

        let catalog = Catalog.load(config.catalog, siteDirectory: siteDirectory, unsafeHTML: unsafe, diagnostics: &diagnostics)
        let (services, reviews) = loadServices(
            files.services, checklists: checklists, defaultChecklist: defaultChecklist, unsafe: unsafe,
            knownChecklistIDs: Set(files.checklists.map(\.id)), catalog: catalog, cache: cache, diagnostics: &diagnostics)

        checkTargets(
            services: services, reviews: reviews, checklists: checklists, config: config,
            defaultChecklist: defaultChecklist, diagnostics: &diagnostics)

        let pages = parseEach(files.pages, into: &diagnostics) { entry, d in
            entry.file.read(into: &d).flatMap { FreePage.parse(slug: entry.id, file: $0, unsafeHTML: unsafe, diagnostics: &d) }
        }.compactMap { $0 }

        let campaigns = parseEach(files.campaigns, into: &diagnostics) { entry, d in
            entry.file.read(into: &d).flatMap { Campaign.parse(id: entry.id, file: $0, unsafeHTML: unsafe, diagnostics: &d) }
        }.compactMap { $0 }
        checkCampaignGoals(campaigns, services: services, reviews: reviews, checklists: checklists,
            defaultChecklist: defaultChecklist, diagnostics: &diagnostics)

        let assets = checkedAssets(files.services, unsafeHTML: unsafe, diagnostics: &diagnostics)
        let evidenceSources = EvidenceFiles.sources(siteDirectory: siteDirectory, extra: evidence, diagnostics: &diagnostics)
        let index = EvidenceFiles.read(evidenceSources, buildDate: buildDate, diagnostics: &diagnostics).resolve(
            services: services,
            checklist: { judgedChecklist(of: $0, reviews: reviews, checklists: checklists, defaultChecklist: defaultChecklist) },
            diagnostics: &diagnostics)
        let fileCount = files.fileCount + evidenceSources.count + catalog.files.count
        if diagnostics.hasErrors && !partial { return (nil, diagnostics, fileCount) }
        let checklistsInOrder = checklists.values.sorted { $0.id < $1.id }
        var content = SiteContent(
            config: config, checklists: checklistsInOrder, services: services,
            reviews: reviews, pages: pages, campaigns: campaigns, defaultChecklist: defaultChecklist,
            fileCount: fileCount, assets: assets)
        content.evidence = index
        content.catalog = catalog
        return (content, diagnostics, content.fileCount)
    }

    /// The checklists, parsed in parallel, and the site default: as configured,
    /// else the only checklist.
    static func loadChecklists(
        _ files: FileIndex, config: SiteConfig, diagnostics: inout DiagnosticList
    ) -> (checklists: [String: Checklist], defaultChecklist: String?) {
        let unsafe = config.unsafeHTML
        let parsedChecklists = parseEach(files.checklists, into: &diagnostics) { entry, d -> Checklist? in
            guard let file = entry.file.read(into: &d),
                var checklist = Checklist.parse(id: entry.id, file: file, unsafeHTML: unsafe, diagnostics: &d)
            else { return nil }
            checklist.sourceDigest = file.digest
            return checklist
        }
        var checklists: [String: Checklist] = [:]
        for checklist in parsedChecklists.compactMap({ $0 }) { checklists[checklist.id] = checklist }

        var defaultChecklist: String?
        if let configured = config.defaultChecklist {
            if checklists[configured] != nil || files.checklists.contains(where: { $0.id == configured }) {
                defaultChecklist = configured
            } else {
                diagnostics.error(
                    "`default_checklist` names unknown checklist `\(configured)`",
                    at: config.defaultChecklistLocation ?? SourceLocation(path: SiteConfig.fileName),
                    hint: Review.knownChecklistsHint(checklists))
                // Kept, so that each review without a `checklist:` is not
                // also told the site has no default: this error is the one.
                defaultChecklist = configured
            }
        } else if files.checklists.count == 1 {
            defaultChecklist = files.checklists[0].id
        }
        return (checklists, defaultChecklist)
    }

    /// The checklist `service` is judged against: its latest published
    /// review's, else the one a new review would answer.
    static func judgedChecklist(
        of service: Service, reviews: [String: [Review]], checklists: [String: Checklist], defaultChecklist: String?
    ) -> Checklist? {
        let latest = reviews[service.slug]?.last { !$0.draft }
        return (latest?.checklist ?? service.checklist ?? defaultChecklist).flatMap { checklists[$0] }
    }

    /// What a new review of `service` would answer, resolved as the loader
    /// resolves a review's checklist: `explicit`, else the service's, else the
    /// site default. Only checklists found in `content/checklists/` are read.
    /// The id is nil when nothing names one; the checklist is nil when the
    /// named one is missing or has errors (in the diagnostics); `known` are
    /// the ids of the site's checklists.
    static func checklistForNewReview(
        of service: String, explicit: String?, siteDirectory: String
    ) -> (id: String?, checklist: Checklist?, diagnostics: DiagnosticList, known: [String]) {
        var ignored = DiagnosticList()
        var files = FileIndex(siteDirectory: siteDirectory)
        let config = SiteConfig.parse(files.readConfig(&ignored), diagnostics: &ignored)
        files.walk(&ignored)
        var diagnostics = DiagnosticList()
        let (checklists, defaultChecklist) = loadChecklists(files, config: config, diagnostics: &diagnostics)
        var serviceChecklist: String?
        if explicit == nil, let index = files.services.first(where: { $0.slug == service })?.index,
            let file = index.read(into: &ignored)
        {
            serviceChecklist = Service.parse(slug: service, file: file, unsafeHTML: false, diagnostics: &ignored)?.checklist
        }
        // index.md overrides the catalog's keys it sets, `checklist` too.
        if explicit == nil, serviceChecklist == nil {
            serviceChecklist = Catalog.declaredService(service, config: config, siteDirectory: siteDirectory)?.service.checklist
        }
        let known = files.checklists.map(\.id).sorted()
        guard let id = explicit ?? serviceChecklist ?? defaultChecklist else { return (nil, nil, diagnostics, known) }
        let own = diagnostics.sorted.filter { $0.path == "content/checklists/\(id).md" }
        var result = DiagnosticList()
        result.append(contentsOf: own)
        return (id, own.contains { $0.severity == .error } ? nil : checklists[id], result, known)
    }

    /// The services' images and documents by slug. An SVG can carry script,
    /// which runs when a reader opens it from the site: unless the site
    /// trusts its writers (`unsafe_html`), one that does is an error.
    static func checkedAssets(
        _ folders: [FileIndex.ServiceFolder], unsafeHTML: Bool, diagnostics: inout DiagnosticList
    ) -> [String: [FileIndex.Asset]] {
        var assets: [String: [FileIndex.Asset]] = [:]
        for folder in folders where !folder.assets.isEmpty {
            assets[folder.slug] = folder.assets
            guard !unsafeHTML else { continue }
            for asset in folder.assets where asset.source.lowercased().hasSuffix(".svg") {
                let at = SourceLocation(path: asset.source)
                guard let bytes = try? readAll(asset.file, limit: maxSVGBytes) else {
                    diagnostics.error(
                        "cannot read \(asset.source), or it is larger than \(maxSVGBytes / 1_000_000) MB", at: at)
                    continue
                }
                if let problem = SVGCheck.problem(bytes) {
                    diagnostics.error(
                        "SVG not published: it holds \(problem)", at: at,
                        hint: "remove it from the SVG, or export the picture as PNG; "
                            + "`unsafe_html: true` in preflight.yml publishes it as it is")
                }
            }
        }
        return assets
    }

    static let maxSVGBytes = 5_000_000

    private static func readAll(_ file: StaticFile, limit: Int) throws -> [UInt8]? {
        let opened = try file.open()
        guard opened.size <= limit else { return nil }
        return try opened.read(at: 0, count: opened.size)
    }

    /// Services and their reviews, parsed in parallel: one per folder, merged
    /// with the catalog's entity of the same id, and, with `catalogOnly`, one
    /// per catalog entity that has no folder. Sorted by slug.
    static func loadServices(
        _ folders: [FileIndex.ServiceFolder], checklists: [String: Checklist], defaultChecklist: String?,
        unsafe: Bool, knownChecklistIDs: Set<String>, reusing unchanged: [String: Review] = [:],
        catalog: Catalog = Catalog(), catalogOnly: Bool = true, cache: BuildCache? = nil,
        diagnostics: inout DiagnosticList
    ) -> (services: [Service], reviews: [String: [Review]]) {
        let parsedServices = parseEach(folders, into: &diagnostics) { entry, d -> Service? in
            guard let indexFile = entry.index else { return Service(slug: entry.slug) }
            guard let file = indexFile.read(into: &d),
                var service = Service.parse(slug: entry.slug, file: file, unsafeHTML: unsafe, diagnostics: &d)
            else { return nil }
            if cache != nil { service.sourceDigest = file.digest }
            return service
        }
        // A checklist no file declares is reported where the service names it, and dropped.
        func checkChecklist(_ service: inout Service, _ fallback: SourceLocation) {
            guard let id = service.checklist, checklists[id] == nil, !knownChecklistIDs.contains(id) else { return }
            diagnostics.error(
                "unknown checklist `\(id)`", at: service.checklistLocation ?? fallback,
                hint: Review.knownChecklistsHint(checklists))
            service.checklist = nil
        }
        var services: [Service] = []
        var catalogServices = catalogOnly ? catalog.entries : [:]
        for (service, entry) in zip(parsedServices, folders) {
            catalogServices[entry.slug] = nil
            // A broken index.md still leaves a service to hang its reviews on.
            var service = service ?? Service(slug: entry.slug)
            if let declared = catalog.entries[entry.slug]?.service {
                // The catalog gives the keys; index.md adds prose and overrides what it sets.
                service = entry.index == nil ? declared : declared.merged(with: service)
            }
            checkChecklist(&service, SourceLocation(path: service.path ?? entry.folder))
            services.append(service)
        }

        // Catalog services without a folder (and so without a review), added after
        // the folders' (which reviews are matched with, below), then all sorted.
        let folderServices = services
        for entry in catalogServices.values {
            var service = entry.service
            checkChecklist(&service, entry.location)
            services.append(service)
        }
        services.sort { $0.slug < $1.slug }

        struct ReviewJob: Sendable {
            var service: String
            var entry: FileIndex.Named
            var context: Review.Context
        }
        var jobs: [ReviewJob] = []
        let unreadableChecklists = knownChecklistIDs.subtracting(checklists.keys)
        // With a cache, bodies go to its blob, where the next build finds them.
        let spill = cache?.spill ?? TextSpill()
        let checklistIDs = checklists.keys.sorted()
        for (service, entry) in zip(folderServices, folders) {
            var context = Review.Context(
                serviceName: service.name, serviceChecklist: service.checklist,
                defaultChecklist: defaultChecklist, checklists: checklists, unsafeHTML: unsafe)
            context.assets = Set(entry.assets.map(\.source))
            context.unreadableChecklists = unreadableChecklists
            context.spill = spill
            if cache != nil {
                context.cacheDigest = BuildCache.contextDigest(
                    context, service: service.slug, checklistIDs: checklistIDs, unsafe: unsafe)
            }
            for review in entry.reviews where unchanged[review.file.path] == nil {
                jobs.append(ReviewJob(service: service.slug, entry: review, context: context))
            }
        }
        var parsedReviews = parseEach(jobs, into: &diagnostics) { job, d -> Review? in
            if let kept = cache?.untouchedReview(at: job.entry.file.path, context: job.context, diagnostics: &d) {
                return kept
            }
            guard let file = job.entry.file.read(into: &d) else { return nil }
            guard let cache else {
                return Review.parse(service: job.service, name: job.entry.id, file: file, context: job.context, diagnostics: &d)
            }
            return cache.review(service: job.service, name: job.entry.id, file: file, context: job.context, diagnostics: &d)
        }
        for entry in folders {
            for review in entry.reviews { if let kept = unchanged[review.file.path] { parsedReviews.append(kept) } }
        }
        // Each service's array made at its final size: grown by appending, five
        // reviews would take room for eight, for the whole build.
        var counts: [String: Int] = [:]
        for case let review? in parsedReviews { counts[review.service, default: 0] += 1 }
        var reviews: [String: [Review]] = [:]
        reviews.reserveCapacity(counts.count)
        for (slug, count) in counts {
            var list: [Review] = []
            list.reserveCapacity(count)
            reviews[slug] = list
        }
        for case let review? in parsedReviews { reviews[review.service]!.append(review) }
        for key in reviews.keys {
            reviews[key]!.sort { ($0.date, $0.name) < ($1.date, $1.name) }
        }
        return (services, reviews)
    }

    /// A target must be a level of the checklist it is judged against: the
    /// service's latest published review's, else the one a new review would
    /// use. Reported at the key that set it (the service's `target`, or the
    /// tier's entry in preflight.yml `targets`), once per key and checklist.
    static func checkTargets(
        services: [Service], reviews: [String: [Review]], checklists: [String: Checklist], config: SiteConfig,
        defaultChecklist: String?, diagnostics: inout DiagnosticList
    ) {
        var reported: Set<String> = []
        if !checklists.isEmpty {
            // Every level name, in ladder order, each once.
            var allLevels: [String] = []
            var known: Set<String> = []
            for checklist in checklists.values.sorted(by: { $0.id < $1.id }) {
                for level in checklist.levels where known.insert(level).inserted { allLevels.append(level) }
            }
            for (key, level) in config.targets.sorted(by: { $0.key < $1.key }) where !known.contains(level) {
                reported.insert("tier \(key)\u{0}*")
                diagnostics.error(
                    "target `\(level)` for tier `\(key)` is not a level of any checklist",
                    at: config.targetLocations[key] ?? SourceLocation(path: SiteConfig.fileName),
                    hint: allLevels.isEmpty ? "no checklist declares `levels`" : "levels: " + allLevels.joined(separator: ", "))
            }
        }
        for service in services {
            // Who set the target: the service itself, or its tier's entry.
            let (level, at, tier): (String, SourceLocation, String?)
            if let own = service.target {
                (level, at, tier) = (own, service.targetLocation ?? SourceLocation(path: service.path ?? ""), nil)
            } else if let (tierLevel, key) = config.target(forTier: service.tier) {
                (level, at, tier) = (tierLevel, config.targetLocations[key] ?? SourceLocation(path: SiteConfig.fileName), key)
            } else {
                continue
            }
            let setter = tier.map { "tier \($0)" } ?? "service \(service.slug)"
            let published = reviews[service.slug]?.last { !$0.draft }
            guard let checklistID = published?.checklist ?? service.checklist ?? defaultChecklist,
                let checklist = checklists[checklistID], !checklist.levels.contains(level),
                !reported.contains("\(setter)\u{0}*"),
                reported.insert("\(setter)\u{0}\(checklistID)").inserted
            else { continue }
            diagnostics.error(
                tier.map {
                    "target `\(level)` for tier `\($0)` is not a level of checklist `\(checklistID)`, which service `\(service.slug)` uses"
                } ?? "target `\(level)` is not a level of checklist `\(checklistID)`",
                at: at, hint: Checklist.levelsHint(checklist.levels))
        }
    }

    /// Warnings for a campaign goal that no service in scope can meet as
    /// written: a level or check id missing from a checklist its services
    /// answer (or from every checklist), and a scope that matches no service.
    static func checkCampaignGoals(
        _ campaigns: [Campaign], services: [Service], reviews: [String: [Review]], checklists: [String: Checklist],
        defaultChecklist: String?, diagnostics: inout DiagnosticList
    ) {
        for campaign in campaigns {
            let inScope = services.filter { campaign.scope.contains($0) }
            if inScope.isEmpty {
                diagnostics.warning(
                    "campaign scope (\(campaign.scope.description)) matches no service; it counts as done",
                    at: campaign.scopeLocation,
                    hint: "check the `scope` values against the services' `tier`, `owner`, `lifecycle` and `tags`")
            }
            // An owner in scope that is no service's owner, but slugs like one (a team).
            let owners = Set(services.compactMap(\.owner))
            for owner in campaign.scope.owner ?? [] where !owners.contains(owner) {
                let alike = owners.sorted().first { Slug.make($0) == Slug.make(owner) }
                    ?? FrontMatterFields.closest(to: owner, in: owners.sorted())
                diagnostics.warning(
                    "campaign scope owner `\(owner)` is no service's owner", at: campaign.scopeLocation,
                    hint: alike.map { "owners are compared exactly: did you mean `\($0)`?" }
                        ?? "owners are compared exactly, as written in the services' `owner`")
            }
            // The checklists the services in scope are judged against, each with how many use it.
            var users: [String: Int] = [:]
            for service in inScope {
                let latest = reviews[service.slug]?.last { !$0.draft }
                if let id = latest?.checklist ?? service.checklist ?? defaultChecklist { users[id, default: 0] += 1 }
            }
            let used = users.keys.sorted().compactMap { checklists[$0] }
            let all = checklists.values.sorted { $0.id < $1.id }
            func report(_ what: String, known: (Checklist) -> Bool, hint: String) {
                if !all.contains(where: known) {
                    diagnostics.warning("campaign goal \(what) is not in any checklist", at: campaign.goalLocation, hint: hint)
                    return
                }
                for checklist in used where !known(checklist) {
                    let n = users[checklist.id]!
                    diagnostics.warning(
                        "campaign goal \(what) is not in checklist `\(checklist.id)`, which \(n) service\(n == 1 ? "" : "s") in scope "
                            + "answer\(n == 1 ? "s" : ""); \(n == 1 ? "it" : "they") cannot meet the goal",
                        at: campaign.goalLocation, hint: hint)
                }
            }
            if let level = campaign.goal.level {
                let levels = all.flatMap(\.levels)
                report(
                    "level `\(level)`", known: { $0.levels.contains(level) },
                    hint: levels.isEmpty ? "no checklist declares `levels`" : Checklist.levelsHint(used.first?.levels ?? levels))
            }
            for id in campaign.goal.checks {
                let near = (used.first ?? all.first)?.nearestCheck(id: id)
                report(
                    "check `\(id)`", known: { $0.check(id: id) != nil },
                    hint: near.map { "did you mean `\($0.id)`?" } ?? "name checks by their `{#id}`")
            }
        }
    }

    /// `content` with the services `slugs` read again from disk (index.md and
    /// reviews), everything else as it was. Nil content when they have errors.
    /// Only the files in `changed` (paths in the site folder) are parsed
    /// again: the other reviews of those services are kept as they were,
    /// unless the service's `index.md` or its set of assets changed, which
    /// every review reads.
    static func reload(
        _ slugs: Set<String>, changed: Set<String>, in content: SiteContent, siteDirectory: String
    ) -> (content: SiteContent?, diagnostics: DiagnosticList) {
        var diagnostics = DiagnosticList()
        var files = FileIndex(siteDirectory: siteDirectory)
        let folders = slugs.sorted().map { files.walkService($0, &diagnostics) }
        let checklists = Dictionary(uniqueKeysWithValues: content.checklists.map { ($0.id, $0) })
        var unchanged: [String: Review] = [:]
        for folder in folders {
            let index = "content/services/\(folder.slug)/index.md"
            let assets = Set(folder.assets.map(\.source))
            let assetsBefore = Set((content.assets[folder.slug] ?? []).map(\.source))
            // Paths are the site folder's own, as in `changed`; a folder read
            // any other way is parsed whole.
            guard !changed.contains(index), (folder.index?.path ?? index) == index, assets == assetsBefore else {
                continue
            }
            for review in content.reviews[folder.slug] ?? [] where !changed.contains(review.path) {
                unchanged[review.path] = review
            }
        }
        let (services, reviews) = loadServices(
            folders, checklists: checklists, defaultChecklist: content.defaultChecklist,
            unsafe: content.config.unsafeHTML, knownChecklistIDs: Set(checklists.keys), reusing: unchanged,
            catalog: content.catalog, catalogOnly: false, diagnostics: &diagnostics)
        checkTargets(
            services: services, reviews: reviews, checklists: checklists, config: content.config,
            defaultChecklist: content.defaultChecklist, diagnostics: &diagnostics)
        let assets = checkedAssets(folders, unsafeHTML: content.config.unsafeHTML, diagnostics: &diagnostics)
        if diagnostics.hasErrors { return (nil, diagnostics) }
        var updated = content
        let bySlug = Dictionary(uniqueKeysWithValues: services.map { ($0.slug, $0) })
        updated.services = content.services.map { bySlug[$0.slug] ?? $0 }
        for slug in slugs {
            updated.reviews[slug] = reviews[slug]
            updated.assets[slug] = assets[slug]
        }
        return (updated, diagnostics)
    }

    /// Parses every entry on all cores, each with its own diagnostics, then
    /// collects the diagnostics in entry order. Results stay aligned with `entries`.
    static func parseEach<Entry: Sendable, Value: Sendable>(
        _ entries: [Entry], into diagnostics: inout DiagnosticList,
        _ parse: @Sendable (Entry, inout DiagnosticList) -> Value?
    ) -> [Value?] {
        let results = entries.parallelMap { entry -> (Value?, DiagnosticList) in
            var d = DiagnosticList()
            let value = parse(entry, &d)
            return (value, d)
        }
        for (_, d) in results { diagnostics.append(contentsOf: d.items) }
        return results.map(\.0)
    }
}
