/// `preflight.yml`: site-wide settings. Every key is optional; unknown keys are errors.
public struct SiteConfig: Sendable, Equatable {
    public var title: String = "Production readiness"
    /// Always ends with `/`. Either a path (`/`, `/readiness/`) or an absolute URL.
    public var baseURL: String = "/"
    public var staleAfterDays: Int = 180
    /// As written; `SiteContent` resolves the "only checklist" default.
    public var defaultChecklist: String?
    public var unsafeHTML: Bool = false
    /// Tier value (as text) → the level a service of that tier must reach;
    /// `*` for every other tier and services without one.
    public var targets: [String: String] = [:]
    /// `check` warns about waivers and answers that expire within this many days.
    public var waiverWarningDays: Int = 30
    /// Where `default_checklist` was written, for diagnostics.
    var defaultChecklistLocation: SourceLocation?
    /// Where each `targets` entry was written, by tier.
    var targetLocations: [String: SourceLocation] = [:]
    /// `catalog`: paths or globs of service catalog files, each with where it was written.
    var catalog: [(pattern: String, at: SourceLocation)] = []

    public static func == (a: SiteConfig, b: SiteConfig) -> Bool {
        a.title == b.title && a.baseURL == b.baseURL && a.staleAfterDays == b.staleAfterDays
            && a.defaultChecklist == b.defaultChecklist && a.unsafeHTML == b.unsafeHTML && a.targets == b.targets
            && a.waiverWarningDays == b.waiverWarningDays && a.defaultChecklistLocation == b.defaultChecklistLocation
            && a.targetLocations == b.targetLocations && a.catalog.map(\.pattern) == b.catalog.map(\.pattern)
    }

    /// The target `targets` sets for a service of `tier`, and the tier key that set it.
    func target(forTier tier: String?) -> (level: String, key: String)? {
        if let tier, let level = targets[tier] { return (level, tier) }
        return targets["*"].map { ($0, "*") }
    }

    public init() {}

    public static let fileName = "preflight.yml"
    static let keys = [
        "title", "base_url", "stale_after_days", "default_checklist", "unsafe_html", "targets", "waiver_warning_days",
        "catalog",
    ]

    /// Parses the config text. Returns the defaults when `text` is nil (no file).
    public static func parse(_ text: String?, diagnostics: inout DiagnosticList) -> SiteConfig {
        var config = SiteConfig()
        guard let text else { return config }
        let file = SourceFile(
            path: fileName, frontMatter: text, frontMatterFirstLine: 1, body: "", bodyFirstLine: 1)
        guard var fields = FrontMatterFields.parse(file, subject: "configuration", diagnostics: &diagnostics) else { return config }
        if let title = fields.string("title", &diagnostics) { config.title = title }
        if let (_, at) = fields.value("base_url"), let url = fields.string("base_url", &diagnostics) {
            if let normalized = BaseURL(url) {
                config.baseURL = normalized.value
            } else {
                diagnostics.error(
                    "`base_url` must be \(BaseURL.rule), not `\(url)`", at: at,
                    hint: "for example `base_url: https://example.org/readiness/`")
            }
        }
        if let (_, at) = fields.value("stale_after_days"), let days = fields.int("stale_after_days", &diagnostics) {
            if days < 0 {
                diagnostics.error("`stale_after_days` must be zero or more, not \(days)", at: at)
            } else {
                config.staleAfterDays = days
            }
        }
        if let (_, at) = fields.value("default_checklist") {
            config.defaultChecklist = fields.string("default_checklist", &diagnostics)
            config.defaultChecklistLocation = at
        }
        if let unsafe = fields.bool("unsafe_html", &diagnostics) { config.unsafeHTML = unsafe }
        if let (_, at) = fields.value("waiver_warning_days"), let days = fields.int("waiver_warning_days", &diagnostics) {
            if days < 0 {
                diagnostics.error("`waiver_warning_days` must be zero or more, not \(days)", at: at)
            } else {
                config.waiverWarningDays = days
            }
        }
        if let targets = fields.mapping("targets", &diagnostics) {
            for entry in targets.entries {
                let at = targets.location(entry.keyMark)
                guard !entry.key.isEmpty, entry.key != "~", entry.key.lowercased() != "null" else {
                    diagnostics.error(
                        "`targets` needs a tier value before each `:`", at: at,
                        hint: "for example `\"1\": Gold`, or `\"*\": Bronze` for every other tier")
                    continue
                }
                guard case .scalar(let scalar) = entry.value, !FrontMatterFields.isNull(entry.value) else {
                    diagnostics.error(
                        "`targets.\(entry.key)` must be a level name", at: at,
                        hint: "for example `\"\(entry.key)\": Silver`")
                    continue
                }
                config.targets[entry.key] = scalar.string
                config.targetLocations[entry.key] = at
            }
        }
        if let (node, at) = fields.value("catalog") {
            switch node {
            case .scalar(let one): config.catalog = [(one.string, at)]
            case .sequence(let items):
                for item in items {
                    let itemAt = item.mark.map { fields.location($0) } ?? at
                    guard case .scalar(let s) = item, !FrontMatterFields.isNull(item) else {
                        diagnostics.error("every item of `catalog` must be a path or glob, not \(FrontMatterFields.describe(item))", at: itemAt)
                        continue
                    }
                    config.catalog.append((s.string, itemAt))
                }
            default:
                diagnostics.error(
                    "`catalog` must be a path or a list of paths, not \(FrontMatterFields.describe(node))", at: at,
                    hint: "for example `catalog: [catalog/*.yaml, opslevel.yml]`")
            }
        }
        fields.reportUnknownKeys(&diagnostics, severity: .error, allowed: keys)
        return config
    }

    /// The path part of `baseURL` (`/readiness/` for `https://example.org/readiness/`).
    public var basePath: String {
        guard let scheme = baseURL.firstRange(of: "://") else { return baseURL }
        let afterScheme = baseURL[scheme.upperBound...]
        guard let slash = afterScheme.firstIndex(of: "/") else { return "/" }
        return String(afterScheme[slash...])
    }
}
