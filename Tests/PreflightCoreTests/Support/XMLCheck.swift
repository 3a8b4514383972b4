import Foundation

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// Whether bytes parse as well-formed XML (feeds, sitemaps, badges).
enum XMLCheck {
    static func isWellFormed(_ data: Data) -> Bool {
        XMLParser(data: data).parse()
    }
}
