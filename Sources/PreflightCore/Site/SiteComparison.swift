extension Site {
    /// Two sites' readiness compared (`preflight diff`), with the errors of each side.
    public struct Comparison: Sendable {
        public var diff: ReadinessDiff
        /// Errors of the base: it is compared as far as it could be read (a
        /// change may be fixing them), so they are reported, never fatal.
        public var baseErrors: [Diagnostic]
        /// Errors of the head: the change would not build.
        public var headErrors: [Diagnostic]

        public init(diff: ReadinessDiff, baseErrors: [Diagnostic] = [], headErrors: [Diagnostic] = []) {
            self.diff = diff
            self.baseErrors = baseErrors
            self.headErrors = headErrors
        }
    }

    /// Loads the site folder `base` and the site of `head`, and derives both
    /// readiness models with `head`'s options (the same build date, drafts
    /// or not); nothing is rendered. With no `base`, every service is new.
    public static func compare(base: String?, head: BuildOptions) -> Comparison {
        var old = ReadinessDiff.Side.empty
        var baseErrors: [Diagnostic] = []
        if let base {
            var options = head
            options.siteDirectory = base
            (old, baseErrors) = side(options)
        }
        let (new, headErrors) = side(head)
        return Comparison(diff: ReadinessDiff(base: old, head: new), baseErrors: baseErrors, headErrors: headErrors)
    }

    /// The services whose figures `errors` may have changed: all of them for
    /// an error in the config or a checklist, else those with an error in
    /// their own folder (free pages and the theme do not count).
    private static func doubtful(_ errors: [Diagnostic], services: [String]) -> Set<String> {
        var slugs: Set<String> = []
        for error in errors {
            let parts = error.path.split(separator: "/")
            if error.path == SiteConfig.fileName || error.path == "content" || error.path.hasPrefix("content/checklists") {
                return Set(services)
            }
            if parts.count >= 3, parts[0] == "content", parts[1] == "services" { slugs.insert(String(parts[2])) }
        }
        return slugs
    }

    private static func side(_ options: BuildOptions) -> (ReadinessDiff.Side, [Diagnostic]) {
        let (content, diagnostics, _) = ContentLoader.load(
            siteDirectory: options.siteDirectory, baseURL: options.baseURL, partial: true,
            evidence: options.evidence, buildDate: options.buildDate)
        let errors = diagnostics.sorted.filter { $0.severity == .error }
        guard let content else { return (.empty, errors) }
        let model = SiteModel(content: content, options: options)
        let entries = content.services.sorted { $0.slug < $1.slug }.compactMap { service in
            model.readiness[service.slug].map {
                ReadinessDiff.Side.Entry(service: service, readiness: $0, latest: model.reviews[service.slug]?.last)
            }
        }
        var side = ReadinessDiff.Side(services: entries, checklists: model.checklists)
        side.doubtful = doubtful(errors, services: entries.map(\.service.slug))
        return (side, errors)
    }
}
