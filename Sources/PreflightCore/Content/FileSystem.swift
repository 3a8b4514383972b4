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

    /// The bytes of a regular file. Refuses anything larger than `limit`.
    public static func read(_ path: String, limit: Int = 64 << 20) throws(Failure) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw Failure(path: path, reason: errorText()) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw Failure(path: path, reason: errorText()) }
        let size = Int(info.st_size)
        guard size <= limit else {
            throw Failure(path: path, reason: "file is \(size >> 20) MiB, over the \(limit >> 20) MiB limit")
        }
        var bytes = [UInt8](repeating: 0, count: size)
        var done = 0
        while done < size {
            let n = bytes.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress! + done, size - done) }
            if n < 0 {
                if errno == EINTR { continue }
                throw Failure(path: path, reason: errorText())
            }
            if n == 0 { break }
            done += n
        }
        if done < size { bytes.removeLast(size - done) }
        return bytes
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

    /// Writes all of `bytes` to a file opened with `flags` (mode 0644).
    static func write(_ bytes: [UInt8], to path: String, flags: Int32) throws(Failure) {
        let fd = open(path, flags, 0o644)
        guard fd >= 0 else { throw Failure(path: path, reason: errorText()) }
        defer { close(fd) }
        var done = 0
        while done < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + done, bytes.count - done) }
            if n < 0 {
                if errno == EINTR { continue }
                throw Failure(path: path, reason: errorText())
            }
            done += n
        }
    }

    static func errorText() -> String {
        String(cString: strerror(errno))
    }
}
