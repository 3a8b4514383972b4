/// The build pipeline: load → readiness → plan → render → write.
///
/// Each phase takes values and returns values; only `write` touches the
/// output folder. `serve` runs the same phases up to the plan and renders
/// entries when they are asked for.
public enum Site {
    /// What a build reports: diagnostics, the files it made, where time went.
    public struct Report: Sendable {
        public var diagnostics = DiagnosticList()
        /// The rendered site, for a build in memory (no output folder); nil
        /// when the content had errors or writing failed.
        public var files: [OutputFile]?
        /// Whether the site was written to its output folder; a build with
        /// an output renders each page as it writes it and keeps no `files`.
        public var published = false
        /// Whether the build made its site: in memory or in its output folder.
        public var succeeded: Bool { files != nil || published }
        public var phases: [(name: String, duration: Duration)] = []
        public var serviceCount = 0
        public var reviewCount = 0
        public var fileCount = 0
        /// Why the output could not be written (a refused folder, a full or
        /// read-only disk), when it could not.
        public var publishError: String?
        /// The path part of the site's base URL, when the content had no errors.
        public var basePath: String?
        /// Things worth saying that are not problems: catalog entities of
        /// kinds Preflight does not read, counted by kind; a build cache
        /// that could not be used.
        public var notes: [String] = []
        /// With a build cache: nothing changed since the build that made it,
        /// and the output was left as it was.
        public var upToDate = false
        /// With a build cache: what was reused and what was made
        /// ("reviews 3 parsed, 9,997 reused (9,990 without reading their
        /// files); pages 12 rendered, 11,988 reused").
        public var cacheSummary: String?
    }

    /// Everything read and derived from the site before anything is rendered.
    struct Prepared: Sendable {
        let model: SiteModel
        let theme: Theme
        let staticFiles: [(path: String, file: StaticFile)]
    }

    /// Builds the site in memory, or renders it straight into `output` when given.
    public static func build(_ options: BuildOptions, output: SiteWriter.Target? = nil) -> Report {
        var report = Report()
        if let output, let refusal = output.refusal(siteDirectory: options.siteDirectory, evidence: options.evidence)
            ?? options.cache?.refusal(siteDirectory: options.siteDirectory, output: output.path, evidence: options.evidence)
        {
            report.publishError = refusal
            return report
        }
        if let settings = options.cache, let output {
            var notes: [String] = []
            let key = cacheKey(options, settings)
            let cache = report.phase("cache") { BuildCache.open(settings.directory, key: key, notes: &notes) }
            report.notes += notes
            if let cache { return build(options, output: output, cache: cache, report: report) }
        }
        guard let prepared = prepare(options, &report) else { return report }
        let plan = report.phase("plan") { SitePlan(prepared) }
        guard let output else {
            report.files = report.phase("render") { plan.renderAll() }
            return report
        }
        // Each page is rendered in the work item that writes it and dropped
        // there: memory holds the model and a page per core, not the site.
        report.publishError = report.phase("render+write") { SiteWriter.publish(plan.output, to: output) }
        report.published = report.publishError == nil
        return report
    }

    /// A build that reads and keeps `cache` (docs/format.md, "Build cache").
    private static func build(_ options: BuildOptions, output: SiteWriter.Target, cache: BuildCache, report: Report) -> Report {
        var report = report
        let excluded = Set([output.path, cache.directory].compactMap(FileSystem.canonical))
        let scan = report.phase("scan") { InputScan.scan(roots: [options.siteDirectory] + options.evidence, excluded: excluded) }
        let lastOutput = cache.previous.map(\.output)
        if let previous = cache.previous, previous.inputs.matches(scan), FileSystem.canonical(output.path) == previous.output,
            report.phase("verify", {
                // Every file and folder as it was left: a folder's times move when anything
                // is added to it, so a file Preflight did not write is dealt with now
                // (refused, or replaced with --force), as a build without the cache would.
                previous.outputs.values.allSatisfy { BuildCache.OutputRecord(path: $0.path, in: output.path) == $0 }
                    && cache.outputFoldersAsRecorded(in: output.path)
            })
        {
            report.diagnostics = DiagnosticList(previous.diagnostics)
            report.notes += previous.notes
            (report.serviceCount, report.reviewCount, report.fileCount) = (previous.serviceCount, previous.reviewCount, previous.fileCount)
            report.published = true
            report.upToDate = true
            return report
        }
        cache.trust(scan, siteDirectory: options.siteDirectory)
        let notesBefore = report.notes.count
        // The model is dropped before the cache is saved: at 100,000 reviews
        // the two together would pass the build's memory bound.
        func publish(_ report: inout Report) -> [String]? {
            guard let prepared = prepare(options, &report, cache: cache) else { return nil }
            let site = report.phase("site keys") { cache.siteKeys(scan: scan, siteDirectory: options.siteDirectory) }
            cache.dropWhatLoadingNeeded()
            let plan = report.phase("plan") { SitePlan(prepared) }
            // The last output's files are reused, in place, only when this build writes to it.
            let linkable = lastOutput == FileSystem.canonical(output.path) ? lastOutput : nil
            report.publishError = report.phase("render+write") {
                SiteWriter.publish(
                    plan.output(cache: cache, site: site, outputPath: output.path, lastOutput: linkable), to: output)
            }
            return plan.entries.map(\.path)
        }
        let paths = publish(&report)
        report.published = paths != nil && report.publishError == nil
        guard report.published, let paths, let written = FileSystem.canonical(output.path) else { return report }
        let tally = cache.tally
        report.cacheSummary = "reviews \(tally.reviewsParsed) parsed, \(tally.reviewsReused) reused "
            + "(\(tally.reviewsUnread) without reading their files); "
            + "pages \(tally.pagesRendered) rendered, \(tally.pagesReused) reused"
        let (diagnostics, notes) = (report.diagnostics.items, Array(report.notes[notesBefore...]))
        let counts = (report.serviceCount, report.reviewCount, report.fileCount)
        let saved = report.phase("cache save") { () -> String? in
            var outputs: [String: BuildCache.OutputRecord] = [:]
            // A file the update left in place was looked at while it was planned.
            for path in paths + [Manifest.fileName] {
                if let record = cache.keptOutputRecord(at: path) ?? BuildCache.OutputRecord(path: path, in: output.path) {
                    outputs[path] = record
                }
            }
            return cache.save(
                inputs: scan, output: written, outputs: outputs,
                folders: BuildCache.OutputRecord.folders(of: paths, in: output.path), diagnostics: diagnostics, notes: notes,
                counts: counts)
        }
        if let saved { report.notes.append(saved) }
        return report
    }

    /// What a cache must have been made with to be used: this Preflight,
    /// the build date and options, the configuration and the theme's files.
    static func cacheKey(_ options: BuildOptions, _ settings: BuildCacheSettings) -> String {
        var d = FastDigest()
        d.add("preflight \(settings.version)")
        d.add(options.buildDate.description)
        d.add(options.includeDrafts ? "drafts" : "no drafts")
        d.add(options.baseURL?.value ?? "\u{0}")
        d.add(options.evidence.joined(separator: "\u{0}"))
        d.add(InputScan.digest(ofFile: options.siteDirectory + "/" + SiteConfig.fileName) ?? "no config")
        d.add(InputScan.digest(ofTree: options.siteDirectory + "/" + Theme.folder))
        return d.hex
    }

    /// Builds in memory and adds the warnings of `SiteChecks`, and the
    /// `--fail-on` errors: what `preflight check` reports.
    ///
    /// Errors do not stop the warnings: what could be read is checked all
    /// the same, leaving out what an error already explains (see
    /// `SiteChecks.run`), so one run reports every problem.
    public static func check(_ options: BuildOptions, failOn: Set<SiteChecks.Condition> = []) -> Report {
        var report = Report()
        guard let prepared = prepare(options, &report, partial: true) else { return report }
        let files = report.phase("render") { SitePlan(prepared).renderAll() }
        let errors = report.diagnostics.items.filter { $0.severity == .error }
        report.files = errors.isEmpty ? files : nil
        report.diagnostics.append(
            contentsOf: SiteChecks.run(prepared.model, files: files, failOn: failOn, errors: errors))
        return report
    }

    /// load → theme → static → readiness: everything before rendering, nil
    /// when the site has errors (they are in the report). With `partial`,
    /// only a theme that cannot be loaded stops it.
    static func prepare(
        _ options: BuildOptions, _ report: inout Report, partial: Bool = false, cache: BuildCache? = nil
    ) -> Prepared? {
        let (content, diagnostics, fileCount) = report.phase("load") {
            ContentLoader.load(
                siteDirectory: options.siteDirectory, baseURL: options.baseURL, partial: partial,
                evidence: options.evidence, buildDate: options.buildDate, cache: cache)
        }
        report.diagnostics = diagnostics
        report.fileCount = fileCount
        if let skipped = content?.catalog.skipped, !skipped.isEmpty {
            let total = skipped.values.reduce(0, +)
            let kinds = skipped.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
            report.notes.append(
                "the catalog's \(total == 1 ? "entity" : "\(total) entities") of other kinds (\(kinds)) \(total == 1 ? "was" : "were") skipped")
        }
        let theme = report.phase("theme") { r in Theme.load(siteDirectory: options.siteDirectory, diagnostics: &r.diagnostics) }
        let staticFiles = report.phase("static") { r in
            StaticFiles.collect(siteDirectory: options.siteDirectory, diagnostics: &r.diagnostics)
        }
        guard let content, let theme, partial || !report.diagnostics.hasErrors else { return nil }
        let model = report.phase("readiness") { SiteModel(content: content, options: options) }
        report.serviceCount = content.services.count
        report.reviewCount = model.reviews.values.reduce(0) { $0 + $1.count }
        report.basePath = model.config.basePath
        return Prepared(model: model, theme: theme, staticFiles: staticFiles)
    }

    /// The prepared site alone, for tests and `serve`.
    static func prepare(_ options: BuildOptions) -> (prepared: Prepared?, report: Report) {
        var report = Report()
        let prepared = prepare(options, &report)
        return (prepared, report)
    }
}

extension Site.Report {
    /// Runs one named phase of the build and records how long it took (`--verbose`).
    mutating func phase<T>(_ name: String, _ body: (inout Site.Report) -> T) -> T {
        let clock = ContinuousClock()
        let start = clock.now
        let value = body(&self)
        phases.append((name, clock.now - start))
        return value
    }

    mutating func phase<T>(_ name: String, _ body: () -> T) -> T {
        phase(name) { (_: inout Site.Report) in body() }
    }
}

extension SitePlan {
    init(_ prepared: Site.Prepared) {
        self.init(model: prepared.model, theme: prepared.theme, staticFiles: prepared.staticFiles)
    }
}
