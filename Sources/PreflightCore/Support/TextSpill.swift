#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Text kept out of the process's memory until it is read again: the HTML
/// of every review body, which a build needs once, when the review's page is
/// written. At 100,000 reviews it is about a gigabyte; in a file it costs
/// the page cache, which the kernel can write out, instead of resident memory.
///
/// The file has no name: on Linux it is made with `O_TMPFILE`, so nothing
/// can be left behind, even by a build killed at any instant. Elsewhere (or
/// where the file system refuses `O_TMPFILE`) it is unlinked as soon as it
/// is open. Where no temporary file can be made, the text stays in memory
/// (`SpilledText` holds it inline).
final class TextSpill: @unchecked Sendable {
    private let fd: Int32
    private let owned: Bool
    private let lock = Lock()
    private var end = 0

    /// A spill file in `folder`, by default `$TMPDIR` (or `/tmp`); nil when
    /// none can be made.
    init?(in folder: String? = nil) {
        var folder = folder ?? getenv("TMPDIR").map { String(cString: $0) } ?? "/tmp"
        if folder.isEmpty { folder = "/tmp" }
        guard let fd = Self.unnamedFile(in: folder) ?? Self.unlinkedFile(in: folder) else { return nil }
        self.fd = fd
        self.owned = true
    }

    /// Appends to the open file `descriptor` from `end` on (the build cache's
    /// blob, `BuildCache`), which stays its owner's to close.
    init(descriptor: Int32, end: Int) {
        self.fd = descriptor
        self.owned = false
        self.end = end
    }

    /// A file that never has a name. A named file, even one unlinked at
    /// once, is left behind when a signal ends the process between the two
    /// calls (`diff`'s clean-up exits from its signal handler).
    private static func unnamedFile(in folder: String) -> Int32? {
        #if os(Linux)
            // O_TMPFILE is a macro of macros that Swift does not import:
            // __O_TMPFILE | O_DIRECTORY, with __O_TMPFILE 020000000 on
            // every architecture Swift runs on.
            let fd = open(folder, 0o20000000 | O_DIRECTORY | O_RDWR | O_CLOEXEC, 0o600)
            return fd >= 0 ? fd : nil
        #else
            return nil
        #endif
    }

    private static func unlinkedFile(in folder: String) -> Int32? {
        var template = Array((folder + "/.preflight-spill-XXXXXX").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { return nil }
        template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
        _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        return fd
    }

    deinit {
        if owned { close(fd) }
    }

    /// Where the file ends once every append so far is written.
    var length: Int { lock.withLock { end } }

    /// Writes `bytes` at the end of the file; their offset, nil when the file refused them.
    func append(_ bytes: UnsafeRawBufferPointer) -> Int? {
        let count = bytes.count
        let offset = lock.withLock {
            defer { end += count }
            return end
        }
        guard FileSystem.write(bytes, to: fd, at: offset) else { return nil }
        return offset
    }

    /// The text stored at `offset` by an earlier build (the cache's blob), read when asked for.
    func text(at offset: Int, count: Int) -> SpilledText {
        SpilledText(spill: self, offset: offset, count: count)
    }

    /// Stores `text`; inline when it is short or the file cannot take it.
    func store(_ text: String) -> SpilledText {
        var text = text
        let count = text.utf8.count
        guard count >= 256 else { return SpilledText(text) }
        let offset = text.withUTF8 { append(UnsafeRawBufferPointer($0)) }
        guard let offset else { return SpilledText(text) }
        return SpilledText(spill: self, offset: offset, count: count)
    }

    /// The text stored at `offset`; empty when the file cannot be read (an
    /// I/O error: the file is unlinked, nothing else can change it).
    fileprivate func read(offset: Int, count: Int) -> String {
        String(unsafeUninitializedCapacity: count) { buffer in
            FileSystem.read(fd, into: UnsafeMutableRawBufferPointer(buffer), at: offset) == count ? count : 0
        }
    }
}

/// A text in memory or in a `TextSpill`; read with `string`.
struct SpilledText: Sendable {
    private enum Storage: Sendable {
        case inline(String)
        case spilled(TextSpill, offset: Int, count: Int)
    }

    private let storage: Storage

    init(_ text: String) {
        storage = .inline(text)
    }

    fileprivate init(spill: TextSpill, offset: Int, count: Int) {
        storage = .spilled(spill, offset: offset, count: count)
    }

    /// Where the text is in `spill`; nil when it is in memory or elsewhere.
    func location(in spill: TextSpill) -> (offset: Int, count: Int)? {
        if case .spilled(let other, let offset, let count) = storage, other === spill { return (offset, count) }
        return nil
    }

    /// The text.
    var string: String {
        switch storage {
        case .inline(let text): return text
        case .spilled(let spill, let offset, let count): return spill.read(offset: offset, count: count)
        }
    }
}
