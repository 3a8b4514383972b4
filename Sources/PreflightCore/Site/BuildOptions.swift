/// What a build is asked to do: the command line, as typed values.
public struct BuildOptions: Sendable {
    public var siteDirectory: String
    /// Replaces `base_url` from preflight.yml (`--base-url`); applied to the
    /// config as it is loaded, before any stage reads it.
    public var baseURL: BaseURL?
    /// The day readiness is judged on (staleness, overdue action items).
    public var buildDate: Day
    /// Include reviews and pages marked `draft: true`.
    public var includeDrafts: Bool
    /// Evidence files and folders besides the site's `evidence/` (`--evidence`).
    public var evidence: [String]
    /// The build cache to read and keep (`build --cache DIR`); nil builds without one.
    public var cache: BuildCacheSettings?

    public init(
        siteDirectory: String, baseURL: BaseURL? = nil, buildDate: Day, includeDrafts: Bool = false,
        evidence: [String] = []
    ) {
        self.siteDirectory = siteDirectory
        self.baseURL = baseURL
        self.buildDate = buildDate
        self.includeDrafts = includeDrafts
        self.evidence = evidence
    }
}

/// The build date: `--as-of`, else `SOURCE_DATE_EPOCH` (when set and not
/// empty), else today (UTC). Resolved once per run; `isPinned` is the one
/// answer to "does the date change while `serve` runs".
public struct BuildDate: Sendable, Equatable {
    public var day: Day
    /// Fixed by `--as-of` or `SOURCE_DATE_EPOCH`: the same for every rebuild.
    public var isPinned: Bool

    public enum Problem: Error, Sendable, Equatable, CustomStringConvertible {
        case badEpoch(String)
        case epochOutOfRange(String)
        case clockOutOfRange

        public var description: String {
            switch self {
            case .badEpoch(let s): return "SOURCE_DATE_EPOCH must be a whole number of seconds, not `\(s)`"
            case .epochOutOfRange(let s):
                return "SOURCE_DATE_EPOCH `\(s)` is not a day from \(Day.first) to \(Day.last)"
            case .clockOutOfRange: return "the system clock is not on a day from \(Day.first) to \(Day.last)"
            }
        }
    }

    public init(day: Day, isPinned: Bool) {
        self.day = day
        self.isPinned = isPinned
    }

    public static func resolve(asOf: Day?, environment: [String: String], now: Int64) throws(Problem) -> BuildDate {
        if let asOf { return BuildDate(day: asOf, isPinned: true) }
        if let epoch = environment["SOURCE_DATE_EPOCH"], !epoch.isEmpty {
            guard let seconds = Int64(epoch) else { throw .badEpoch(epoch) }
            guard let day = Day(unixSeconds: seconds) else { throw .epochOutOfRange(epoch) }
            return BuildDate(day: day, isPinned: true)
        }
        guard let day = Day(unixSeconds: now) else { throw .clockOutOfRange }
        return BuildDate(day: day, isPinned: false)
    }

    /// The day to judge a rebuild on at `now`: the pinned day, else today.
    public func current(now: Int64) -> Day {
        isPinned ? day : Day(unixSeconds: now) ?? day
    }
}

/// Where a build keeps its cache (docs/format.md, "Build cache") and what
/// names the Preflight that makes it: a cache made by another version or
/// binary is not used.
public struct BuildCacheSettings: Sendable {
    public var directory: String
    public var version: String

    public init(directory: String, version: String) {
        self.directory = directory
        self.version = version
    }

    /// Why the cache must not be kept in `directory`: it is, holds or is
    /// inside the output folder (which a build replaces), or a folder the
    /// build reads (`SiteWriter.sourceConflict`). Nil when it is fine: the
    /// default, `.preflight-cache/` in the site folder, is hidden, and no
    /// loader reads a hidden entry.
    public func refusal(siteDirectory: String, output: String, evidence: [String]) -> String? {
        let refusing = "refusing to keep the build cache in \(directory):"
        if let reason = SiteWriter.sourceConflict(directory, siteDirectory: siteDirectory, evidence: evidence) {
            return "\(refusing) \(reason)"
        }
        guard let cache = FileSystem.canonical(directory), let published = FileSystem.canonical(output) else { return nil }
        if SiteWriter.within(cache, published) {
            return "\(refusing) it is \(cache == published ? "" : "inside ")the output folder, which a build replaces"
        }
        if SiteWriter.within(published, cache) { return "\(refusing) it contains the output folder" }
        return nil
    }
}
