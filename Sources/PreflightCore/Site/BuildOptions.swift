/// What a build is asked to do.
public struct BuildOptions: Sendable {
    public var siteDirectory: String
    /// Replaces `base_url` from preflight.yml (`--base-url`).
    public var baseURL: String?
    /// The day readiness is judged on (staleness, overdue action items).
    public var buildDate: Day
    /// Include reviews and pages marked `draft: true`.
    public var includeDrafts: Bool

    public init(siteDirectory: String, baseURL: String? = nil, buildDate: Day, includeDrafts: Bool = false) {
        self.siteDirectory = siteDirectory
        self.baseURL = baseURL
        self.buildDate = buildDate
        self.includeDrafts = includeDrafts
    }
}

/// The build date: `--as-of`, else `SOURCE_DATE_EPOCH`, else today (UTC).
public enum BuildDate {
    public enum Problem: Error, Sendable, CustomStringConvertible {
        case badAsOf(String)
        case badEpoch(String)

        public var description: String {
            switch self {
            case .badAsOf(let s): return "--as-of must be a date written YYYY-MM-DD, not `\(s)`"
            case .badEpoch(let s): return "SOURCE_DATE_EPOCH must be a whole number of seconds, not `\(s)`"
            }
        }
    }

    public static func resolve(asOf: String?, environment: [String: String], now: Int64) throws(Problem) -> Day {
        if let asOf {
            guard let day = Day(asOf) else { throw .badAsOf(asOf) }
            return day
        }
        if let epoch = environment["SOURCE_DATE_EPOCH"], !epoch.isEmpty {
            guard let seconds = Int64(epoch) else { throw .badEpoch(epoch) }
            return Day(unixSeconds: seconds)
        }
        return Day(unixSeconds: now)
    }
}
