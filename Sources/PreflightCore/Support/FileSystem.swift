#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The few file-system reads the content stage needs, on POSIX calls: no
/// Foundation bridging on the hot path, and symlinks are seen for what they are.
public enum FileSystem {
    public enum Kind: Sendable, Equatable {
        case file, directory, symlink, other
    }

    public struct Entry: Sendable, Equatable {
        public var name: String
        public var kind: Kind
    }

    public struct Failure: Error, Sendable, CustomStringConvertible {
        public var path: String
        public var reason: String
        public var description: String { "\(path): \(reason)" }
    }

    public static func currentDirectory() -> String? {
        guard let cwd = getcwd(nil, 0) else { return nil }
        defer { free(cwd) }
        return String(cString: cwd)
    }

    /// The kind of `path` itself (a symlink is reported as a symlink), or nil if absent.
    public static func kind(_ path: String) -> Kind? {
        var info = stat()
        guard lstat(path, &info) == 0 else { return nil }
        switch info.st_mode & S_IFMT {
        case S_IFREG: return .file
        case S_IFDIR: return .directory
        case S_IFLNK: return .symlink
        default: return .other
        }
    }

    /// Entries of a folder sorted by name (byte order), without `.` and `..`.
    /// The order never depends on the file system's listing order.
    public static func list(_ path: String) throws(Failure) -> [Entry] {
        guard let dir = opendir(path) else { throw Failure(path: path, reason: errorText()) }
        defer { closedir(dir) }
        var entries: [Entry] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            if name == "." || name == ".." { continue }
            // The directory entry says what it is; only unknown ones cost an lstat.
            let type: Kind?
            switch Int32(entry.pointee.d_type) {
            case Int32(DT_REG): type = .file
            case Int32(DT_DIR): type = .directory
            case Int32(DT_LNK): type = .symlink
            case Int32(DT_UNKNOWN): type = kind(path + "/" + name)
            default: type = .other
            }
            entries.append(Entry(name: name, kind: type ?? .other))
        }
        return entries.sorted { Array($0.name.utf8).lexicographicallyPrecedes(Array($1.name.utf8)) }
    }

    /// What identifies a file while the site is built and served: the file a
    /// build checked is the only one `serve` hands out for that path.
    public struct Identity: Sendable, Equatable {
        var device: UInt64
        var inode: UInt64
    }

    /// An open input file: a regular file with one link, reached without
    /// following any symbolic link. Closed when the last reference goes.
    public final class InputFile: Sendable {
        public let descriptor: Int32
        public let size: Int
        public let identity: Identity

        init(descriptor: Int32, size: Int, identity: Identity) {
            self.descriptor = descriptor
            self.size = size
            self.identity = identity
        }

        deinit { Glibc.close(descriptor) }

        /// Reads `count` bytes at `offset`, fewer only at the end of the file
        /// (an empty array there), into one buffer filled in place.
        public func read(at offset: Int, count: Int) throws(Failure) -> [UInt8] {
            var bytes = [UInt8](repeating: 0, count: count)
            guard let done = bytes.withUnsafeMutableBytes({ FileSystem.read(descriptor, into: $0, at: offset) }) else {
                throw Failure(path: "", reason: errorText())
            }
            if done < count { bytes.removeLast(count - done) }
            return bytes
        }
    }

    /// Opens `relative` inside the folder `root` for reading. No component of
    /// `relative` may be a symbolic link (each folder is opened with
    /// `O_NOFOLLOW`, so a folder swapped for a link mid-build is refused too);
    /// the file must be a regular file with exactly one link, since a hard link
    /// could publish a file from outside the site; special files (FIFOs,
    /// devices) are refused without blocking. `root` itself is the user's to name.
    public static func open(_ relative: String, in root: String) throws(Failure) -> InputFile {
        var dir = Glibc.open(root.isEmpty ? "." : root, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard dir >= 0 else { throw Failure(path: root, reason: errorText()) }
        let parts = relative.split(separator: "/").map(String.init)
        guard !parts.isEmpty, !parts.contains(".."), !parts.contains(".") else {
            Glibc.close(dir)
            throw Failure(path: relative, reason: "not a path inside the site")
        }
        for part in parts.dropLast() {
            let next = openat(dir, part, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            let code = errno
            Glibc.close(dir)
            guard next >= 0 else { throw Failure(path: relative, reason: reason(code, folder: part)) }
            dir = next
        }
        let fd = openat(dir, parts.last!, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
        let code = errno
        Glibc.close(dir)
        guard fd >= 0 else { throw Failure(path: relative, reason: reason(code, folder: nil)) }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            let text = errorText()
            Glibc.close(fd)
            throw Failure(path: relative, reason: text)
        }
        guard info.st_mode & S_IFMT == S_IFREG else {
            Glibc.close(fd)
            throw Failure(path: relative, reason: "not a regular file (a folder, pipe or device); Preflight reads only regular files")
        }
        guard info.st_nlink == 1 else {
            Glibc.close(fd)
            throw Failure(
                path: relative,
                reason: "the file has \(info.st_nlink) hard links; Preflight reads only files with one link, "
                    + "so that no link can publish a file from outside the site (copy it instead)")
        }
        return InputFile(
            descriptor: fd, size: Int(info.st_size),
            identity: Identity(device: UInt64(info.st_dev), inode: UInt64(info.st_ino)))
    }

    private static func reason(_ code: Int32, folder: String?) -> String {
        switch code {
        case ELOOP:
            return folder.map { "`\($0)` is a symbolic link; Preflight does not follow links" }
                ?? "the file is a symbolic link; Preflight does not follow links"
        case ENOTDIR: return folder.map { "`\($0)` is not a folder" } ?? String(cString: strerror(code))
        default: return String(cString: strerror(code))
        }
    }

    /// The bytes of the regular file `relative` inside `root` (see `open`).
    /// Refuses anything larger than `limit`.
    public static func read(_ relative: String, in root: String, limit: Int = 64 << 20) throws(Failure) -> [UInt8] {
        let file = try open(relative, in: root)
        guard file.size <= limit else {
            throw Failure(path: relative, reason: "file is \(file.size >> 20) MiB, over the \(limit >> 20) MiB limit")
        }
        // The size fstat gave: a file that shrank meanwhile is cut to what was
        // read, one that grew is read up to the size it had when it was opened.
        do throws(Failure) { return try file.read(at: 0, count: file.size) } catch {
            throw Failure(path: relative, reason: error.reason)
        }
    }

    /// Creates a new file (and its folders); fails if the file exists.
    public static func createFile(_ path: String, contents: [UInt8]) throws(Failure) {
        var folders: [String] = []
        var dir = path
        while let slash = dir.lastIndex(of: "/"), slash > dir.startIndex {
            dir = String(dir[..<slash])
            if kind(dir) == .directory { break }
            folders.append(dir)
        }
        for folder in folders.reversed() {
            guard mkdir(folder, 0o755) == 0 || errno == EEXIST else { throw Failure(path: folder, reason: errorText()) }
        }
        try write(contents, to: path, flags: O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC)
    }

    /// Creates new files (and their folders) on every core: on a disk where
    /// creating a file is slow, many at once is what makes it fast. Throws
    /// the first failure, in the order given.
    public static func createFiles(_ files: [(path: String, contents: [UInt8])]) throws(Failure) {
        let failures = files.parallelMap { file -> Failure? in
            do throws(Failure) {
                try createFile(file.path, contents: file.contents)
                return nil
            } catch {
                return error
            }
        }
        if let first = failures.lazy.compactMap({ $0 }).first { throw first }
    }

    /// Creates folders (absolute paths; each one's parent must be in the list
    /// or exist), shallowest first and each depth on every core, so no two
    /// threads race to make the same parent.
    public static func makeFolders(_ paths: Set<String>) throws(Failure) {
        let byDepth = Dictionary(grouping: paths) { path in path.utf8.filter { $0 == UInt8(ascii: "/") }.count }
        for depth in byDepth.keys.sorted() {
            let failures = byDepth[depth]!.parallelMap { path -> Failure? in
                mkdir(path, 0o755) == 0 || errno == EEXIST ? nil : Failure(path: path, reason: errorText())
            }
            if let first = failures.lazy.compactMap({ $0 }).first { throw first }
        }
    }

    /// Writes all of `bytes` to a file opened with `flags` (mode 0644).
    static func write(_ bytes: [UInt8], to path: String, flags: Int32) throws(Failure) {
        let fd = Glibc.open(path, flags, 0o644)
        guard fd >= 0 else { throw Failure(path: path, reason: errorText()) }
        defer { close(fd) }
        do throws(Failure) { try write(bytes, to: fd) } catch { throw Failure(path: path, reason: error.reason) }
    }

    /// Writes all of `bytes` to an open file (or standard output: 1).
    public static func write(_ bytes: [UInt8], to fd: Int32) throws(Failure) {
        if let failure = bytes.withUnsafeBytes({ write($0, to: fd) }) { throw failure }
    }

    /// Writes the UTF-8 of `text` to a file opened with `flags` (mode 0644), without a copy.
    static func write(_ text: String, to path: String, flags: Int32) throws(Failure) {
        let fd = Glibc.open(path, flags, 0o644)
        guard fd >= 0 else { throw Failure(path: path, reason: errorText()) }
        defer { close(fd) }
        var text = text
        if let failure = text.withUTF8({ write(UnsafeRawBufferPointer($0), to: fd) }) {
            throw Failure(path: path, reason: failure.reason)
        }
    }

    /// Fills `buffer` from the open file `fd` at `offset`: how many bytes
    /// were read (fewer only at the end of the file), nil on an I/O error.
    static func read(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer, at offset: Int) -> Int? {
        var done = 0
        while done < buffer.count {
            let n = pread(fd, buffer.baseAddress! + done, buffer.count - done, off_t(offset + done))
            if n < 0 {
                if errno == EINTR { continue }
                return nil
            }
            if n == 0 { break }
            done += n
        }
        return done
    }

    /// Writes all of `buffer` to the open file `fd` at `offset`; false when it could not.
    static func write(_ buffer: UnsafeRawBufferPointer, to fd: Int32, at offset: Int) -> Bool {
        var done = 0
        while done < buffer.count {
            let n = pwrite(fd, buffer.baseAddress! + done, buffer.count - done, off_t(offset + done))
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { return false }
            done += n
        }
        return true
    }

    /// Writes all of `buffer` to an open file; the failure, if any.
    private static func write(_ buffer: UnsafeRawBufferPointer, to fd: Int32) -> Failure? {
        var done = 0
        while done < buffer.count {
            let n = Glibc.write(fd, buffer.baseAddress! + done, buffer.count - done)
            if n < 0 {
                if errno == EINTR { continue }
                return Failure(path: "", reason: errorText())
            }
            done += n
        }
        return nil
    }

    /// The absolute path with every link resolved; for a path that does not
    /// exist yet, its nearest existing ancestor resolved and the rest appended.
    static func canonical(_ path: String) -> String? {
        var rest: [Substring] = []
        var current = Substring(path)
        while true {
            let head = current.isEmpty ? (path.hasPrefix("/") ? "/" : ".") : String(current)
            if let resolved = realpath(head, nil) {
                defer { free(resolved) }
                var parts = String(cString: resolved).split(separator: "/")
                for part in rest where !part.isEmpty && part != "." {
                    if part == ".." { _ = parts.popLast() } else { parts.append(part) }
                }
                return "/" + parts.joined(separator: "/")
            }
            guard let slash = current.lastIndex(of: "/") else {
                if current.isEmpty { return nil }
                rest.insert(current, at: 0)
                current = ""
                continue
            }
            rest.insert(current[current.index(after: slash)...], at: 0)
            current = current[..<slash]
        }
    }

    /// The last system call's error, in words.
    public static func errorText() -> String {
        String(cString: strerror(errno))
    }

    /// A new, empty folder only this user can read, under `$TMPDIR` when it
    /// is an absolute path to a folder it can be made in, else /tmp; nil when
    /// it cannot be made (`errorText()` says why).
    public static func makeTemporaryDirectory(prefix: String) -> String? {
        let preferred = getenv("TMPDIR").map { String(cString: $0) } ?? ""
        for parent in [preferred, "/tmp"] where parent.hasPrefix("/") && kind(parent) == .directory {
            var template = Array((parent + "/" + prefix + "XXXXXX").utf8CString)
            let made = template.withUnsafeMutableBufferPointer { buffer in
                mkdtemp(buffer.baseAddress!).map { String(cString: $0) }
            }
            if let made { return made }
        }
        return nil
    }

    /// Removes a file or a folder and everything in it; symlinks are removed, never
    /// followed. Files are unlinked on every core (an old site has thousands).
    public static func removeTree(_ path: String) {
        guard let kind = kind(path) else { return }
        guard kind == .directory else {
            unlink(path)
            return
        }
        var files: [String] = []
        var folders: [String] = []
        var pending = [path]
        while let folder = pending.popLast() {
            folders.append(folder)
            for entry in (try? list(folder)) ?? [] {
                let child = folder + "/" + entry.name
                if entry.kind == .directory { pending.append(child) } else { files.append(child) }
            }
        }
        _ = files.parallelMap { unlink($0) }
        // Children were listed after their parents: remove folders in reverse.
        for folder in folders.reversed() { rmdir(folder) }
    }
}
