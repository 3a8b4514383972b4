/// `search-index.json`: what the search box searches, written at build time.
public enum SearchIndex {
    public struct Entry: Sendable {
        public var kind: String
        public var title: String
        /// Relative to the site root.
        public var url: String
        /// Extra words that should find it (owner, tags, check ids).
        public var keywords: String
    }

    public static func json(_ entries: [Entry]) -> String {
        JSONValue.array(
            entries.map {
                .object([
                    ("kind", .string($0.kind)), ("title", .string($0.title)), ("url", .string($0.url)),
                    ("keywords", .string($0.keywords)),
                ])
            }
        ).serialized()
    }
}
