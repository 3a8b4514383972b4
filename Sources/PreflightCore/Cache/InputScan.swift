#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// What every file a build could read looked like before it read them: the
/// path, size, times and inode of each file under the site folder (hidden
/// entries and the output folder aside, as the loaders skip them too) and
/// under each `--evidence` path. Two equal scans mean the build would read
/// the same bytes, so a rebuild has nothing to do (docs/format.md, "Build
/// cache"). A file changed within two seconds before the scan could change
/// again without its times showing it: its bytes are digested too.
struct InputScan: Equatable {
    struct Entry: Equatable {
        var path: String
        var size: Int
        var modified: Int
        var changed: Int
        var inode: UInt64
        /// The contents' digest, for a file changed just before the scan.
        var digest: String?
    }

    var entries: [Entry]

    /// Scans `roots` (the site folder first), leaving out `excluded` (canonical paths).
    static func scan(roots: [String], excluded: Set<String>) -> InputScan {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        let racyFrom = (Int(now.tv_sec) - 2) * 1_000_000_000
        var entries: [Entry] = []
        // Each path with its canonical form: the walk follows no link, so a
        // folder's canonical path is its parent's and its name.
        var pending: [(path: String, canonical: String?)] = roots.map { ($0, FileSystem.canonical($0)) }
        var seen: Set<String> = []
        while let (path, canonical) = pending.popLast() {
            guard seen.insert(path).inserted else { continue }
            var info = stat()
            guard lstat(path, &info) == 0 else {
                entries.append(Entry(path: path, size: -1, modified: 0, changed: 0, inode: 0))
                continue
            }
            let (modified, changed) = (info.modifiedNanoseconds, info.changedNanoseconds)
            if info.st_mode & S_IFMT == S_IFDIR {
                // The output folder and the cache are left out, and so are their names
                // in their parent's list: the first build's new output is no change.
                let names = ((try? FileSystem.list(path)) ?? []).map(\.name).filter { name in
                    !name.hasPrefix(".") && !(canonical.map { excluded.contains($0 + "/" + name) } ?? false)
                }
                // The folder's own entry lists its names, so a file added or removed shows.
                entries.append(Entry(path: path + "/", size: names.count, modified: 0, changed: 0, inode: 0,
                    digest: FastDigest.of(text: names.joined(separator: "\n")).hex))
                pending += names.reversed().map { name in (path + "/" + name, canonical.map { $0 + "/" + name }) }
                continue
            }
            var entry = Entry(
                path: path, size: Int(info.st_size), modified: modified, changed: changed,
                inode: info.fileIdentity)
            if max(modified, changed) >= racyFrom, info.st_mode & S_IFMT == S_IFREG {
                entry.digest = Self.digest(ofFile: path) ?? "unreadable"
            }
            entries.append(entry)
        }
        return InputScan(entries: entries)
    }

    /// Whether `now` shows the files as they were in `self`: every entry
    /// equal, and the racy ones' bytes unchanged.
    func matches(_ now: InputScan) -> Bool {
        guard entries.count == now.entries.count else { return false }
        for (a, b) in zip(entries, now.entries) {
            guard a.path == b.path, a.size == b.size, a.modified == b.modified, a.changed == b.changed,
                a.inode == b.inode
            else { return false }
            if a.path.hasSuffix("/") && a.digest != b.digest { return false }
            if !a.path.hasSuffix("/"), let digest = a.digest, Self.digest(ofFile: b.path) != digest { return false }
        }
        return true
    }

    /// Whether the file of `entry` is still as the scan saw it: nothing
    /// wrote to it since (a write moves its change time, which no writer
    /// can set back), so what the build read of it is what the scan stood for.
    static func isUnchanged(_ entry: Entry) -> Bool {
        var info = stat()
        return lstat(entry.path, &info) == 0 && Int(info.st_size) == entry.size && info.modifiedNanoseconds == entry.modified
            && info.changedNanoseconds == entry.changed && info.fileIdentity == entry.inode
    }

    static func digest(ofFile path: String) -> String? {
        contentsDigest(ofFile: path)?.hex
    }

    /// The digest of the bytes of the file at `path`; nil when it cannot be read.
    static func contentsDigest(ofFile path: String) -> Digest? {
        let fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var digest = FastDigest()
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress!, $0.count) }
            if n < 0 && errno == EINTR { continue }
            guard n >= 0 else { return nil }
            if n == 0 { break }
            buffer.withUnsafeBytes { digest.add(UnsafeRawBufferPointer(rebasing: $0[0..<n])) }
        }
        return digest.value
    }

    /// The digest of every file under `path` (names and contents); a fixed value when there is no such folder.
    static func digest(ofTree path: String) -> String {
        var d = FastDigest()
        for entry in scan(roots: [path], excluded: []).entries {
            d.add(entry.path)
            d.add(entry.path.hasSuffix("/") ? entry.digest ?? "" : digest(ofFile: entry.path) ?? "unreadable")
        }
        return d.hex
    }

    func encode(to w: inout CacheWriter) {
        w.array(entries) { w, e in
            w.string(e.path)
            w.int(e.size)
            w.int(e.modified)
            w.int(e.changed)
            w.int(Int(bitPattern: UInt(e.inode)))
            w.optional(e.digest) { $0.string($1) }
        }
    }

    init(entries: [Entry]) {
        self.entries = entries
    }

    init(from r: inout CacheReader) throws(CacheReader.Malformed) {
        entries = try r.array { (r: inout CacheReader) throws(CacheReader.Malformed) in
            Entry(
                path: try r.string(), size: try r.int(), modified: try r.int(), changed: try r.int(),
                inode: UInt64(UInt(bitPattern: try r.int())),
                digest: try r.optional { (r: inout CacheReader) throws(CacheReader.Malformed) in try r.string() })
        }
    }
}

/// What the build cache records of a file's `stat`: times in nanoseconds,
/// and the inode with its device folded in, as one number.
extension stat {
    var modifiedNanoseconds: Int { Int(st_mtim.tv_sec) * 1_000_000_000 + Int(st_mtim.tv_nsec) }
    var changedNanoseconds: Int { Int(st_ctim.tv_sec) * 1_000_000_000 + Int(st_ctim.tv_nsec) }
    var fileIdentity: UInt64 { UInt64(st_ino) ^ UInt64(st_dev) << 48 }
}
