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
        /// A file of the last build's output that the build cache shows is
        /// unchanged (`BuildCache`): left where it is when the output is
        /// updated in place, or linked into a new output, while it is still
        /// that file (`isIt`: another build may have replaced the folder
        /// since), else written from `otherwise`.
        case unchanged(at: String, isIt: @Sendable (String) -> Bool, otherwise: @Sendable () -> [UInt8])
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

    init(path: String, contents: Contents) {
        self.path = path
        self.contents = contents
    }

    /// The file's bytes when they are in memory (pages and exports); empty otherwise.
    var bytesOrEmpty: [UInt8] {
        switch contents {
        case .bytes(let bytes): return bytes
        case .text(let text): return Array(text.utf8)
        case .staticFile, .unchanged: return []
        }
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
