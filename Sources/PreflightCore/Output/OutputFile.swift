/// One file of the generated site, held in memory until it is published.
public struct OutputFile: Sendable {
    /// Path inside the output folder, with `/` separators.
    public var path: String
    public var contents: Contents

    public enum Contents: Sendable {
        case bytes([UInt8])
        /// A file of `static/`, streamed from the site when it is written.
        case staticFile(StaticFile)
    }

    public init(path: String, text: String) {
        self.path = path
        self.contents = .bytes(Array(text.utf8))
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
