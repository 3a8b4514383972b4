/// The Atom feed of reviews and the sitemap: the only outputs with absolute URLs.
public enum Feeds {
    public struct Entry: Sendable {
        public var title: String
        /// Relative to the base URL.
        public var url: String
        public var date: Day
        public var summary: String
    }

    /// An Atom feed, newest entry first; `updated` is the newest entry's date
    /// (the build date when there is none), so a rebuild is byte-identical.
    public static func atom(title: String, baseURL: String, entries: [Entry], buildDate: Day) -> String {
        let updated = entries.map(\.date).max() ?? buildDate
        var xml = """
            <?xml version="1.0" encoding="utf-8"?>
            <feed xmlns="http://www.w3.org/2005/Atom">
            <title>\(escapeXML(title)) · reviews</title>
            <id>\(escapeXML(baseURL))feed.xml</id>
            <link rel="self" href="\(escapeXML(baseURL))feed.xml"/>
            <link rel="alternate" href="\(escapeXML(baseURL))"/>
            <updated>\(updated.timestamp)</updated>
            <author><name>\(escapeXML(title))</name></author>

            """
        for entry in entries {
            let link = baseURL + entry.url
            xml += """
                <entry>
                <title>\(escapeXML(entry.title))</title>
                <id>\(escapeXML(link))</id>
                <link rel="alternate" href="\(escapeXML(link))"/>
                <updated>\(entry.date.timestamp)</updated>
                <summary>\(escapeXML(entry.summary))</summary>
                </entry>

                """
        }
        return xml + "</feed>\n"
    }

    /// `sitemap.xml` listing `paths` (relative to the base URL) with optional last-modified days.
    public static func sitemap(baseURL: String, pages: [(path: String, lastModified: Day?)]) -> String {
        var xml = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
        xml += "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n"
        for page in pages {
            xml += "<url><loc>\(escapeXML(baseURL + page.path))</loc>"
            if let day = page.lastModified { xml += "<lastmod>\(day)</lastmod>" }
            xml += "</url>\n"
        }
        return xml + "</urlset>\n"
    }
}
