/// One file of the generated site, held in memory until it is published.
public struct OutputFile: Sendable {
    /// Path inside the output folder, with `/` separators.
    public var path: String
    public var contents: Contents

    public enum Contents: Sendable {
        case bytes([UInt8])
        /// A page rendered as it is written (`SiteWriter.Source`): its UTF-8
        /// goes to the file without a copy into bytes first.
        case text(String)
        /// A file of `static/`, streamed from the site when it is written.
        case staticFile(StaticFile)
    }

    public init(path: String, text: String) {
        self.path = path
        self.contents = .bytes(Array(text.utf8))
    }

    /// A page to be written at once: the text is kept as it is (see `Contents.text`).
    init(path: String, writing text: String) {
        self.path = path
        self.contents = .text(text)
    }

    public init(path: String, bytes: [UInt8]) {
        self.path = path
        self.contents = .bytes(bytes)
    }

    public init(path: String, staticFile: StaticFile) {
        self.path = path
        self.contents = .staticFile(staticFile)
    }
}
