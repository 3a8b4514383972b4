/// Where the site is served: a path (`/`, `/readiness/`) or an absolute http(s)
/// URL, always ending with `/`. Read from `base_url` in preflight.yml or from
/// `--base-url`; both go through this one rule.
public struct BaseURL: Sendable, Equatable, CustomStringConvertible {
    public let value: String

    /// Adds the trailing `/`; nil when the text is neither a path nor an http(s) URL.
    public init?(_ text: String) {
        let trimmed = text.trimmingSpaces()
        // `//host/` is a URL of another host without a scheme, not a path.
        guard (trimmed.hasPrefix("/") && !trimmed.hasPrefix("//")) || trimmed.hasPrefix("http://") || trimmed.hasPrefix("https://"),
            !trimmed.contains(where: { $0 == " " || $0 == "\"" || $0 == "<" || $0 == ">" })
        else { return nil }
        if trimmed.hasPrefix("http"), trimmed.split(separator: "/").count < 2 { return nil }
        value = trimmed.hasSuffix("/") ? trimmed : trimmed + "/"
    }

    public var description: String { value }

    /// What a writer is told when a value is refused.
    public static let rule = "a path starting with `/` or an http(s) URL"
}
