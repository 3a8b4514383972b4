#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Publishes a generated site atomically: every file is written to a staging
/// folder beside the output, which then takes the output's place in one step.
/// A failed or killed build leaves the last good output as it was.
public enum SiteWriter {
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public var message: String
        public var description: String { message }
    }

    static let marker = ".preflight-"

    /// Writes `files` as the new content of `output`.
    public static func publish(_ files: [OutputFile], to output: String) throws(Failure) {
        var output = output
        while output.count > 1 && output.hasSuffix("/") { output.removeLast() }
        let (parent, name) = split(output)
        try ensureDirectory(parent)
        removeLeftovers(in: parent, name: name)

        if let kind = FileSystem.kind(output) {
            guard kind == .directory else {
                throw Failure(message: "\(output) exists and is not a folder; remove it or choose another --output")
            }
            let entries = (try? FileSystem.list(output)) ?? []
            if !entries.isEmpty && !entries.contains(where: { $0.name == "readiness.json" }) {
                throw Failure(
                    message: "\(output) is not empty and was not made by Preflight; "
                        + "refusing to replace it (remove it or choose another --output)")
            }
        }

        let staging = "\(parent)/.\(name)\(marker)new-\(getpid())"
        removeTree(staging)
        do throws(Failure) {
            try makeDirectory(staging)
            // Folders first, one by one; then the files, on every core.
            var made: Set<String> = [staging]
            for file in files {
                let (dir, _) = split(staging + "/" + file.path)
                if made.insert(dir).inserted { try makeDirectories(dir) }
            }
            let failures = files.parallelMap { file -> Failure? in
                let target = staging + "/" + file.path
                do throws(Failure) {
                    switch file.contents {
                    case .bytes(let bytes): try write(bytes, to: target)
                    case .copy(let source):
                        let bytes: [UInt8]
                        do throws(FileSystem.Failure) { bytes = try FileSystem.read(source, limit: Int.max) } catch {
                            throw Failure(message: "cannot read \(source): \(error.reason)")
                        }
                        try write(bytes, to: target)
                    }
                    return nil
                } catch {
                    return error
                }
            }
            if let failure = failures.lazy.compactMap({ $0 }).first { throw failure }
            try swapIn(staging, as: output, parent: parent, name: name)
        } catch {
            removeTree(staging)
            // Speak of the folder the user named, not of the staging folder beside it.
            throw Failure(message: error.message.replacing(staging, with: output))
        }
    }

    private static func swapIn(_ staging: String, as output: String, parent: String, name: String) throws(Failure) {
        guard FileSystem.kind(output) != nil else {
            guard rename(staging, output) == 0 else { throw failure("cannot create \(output)") }
            return
        }
        // Linux: exchange the two folders in one step, so `output` is never missing.
        if let exchange = renameExchange, exchange(AT_FDCWD, staging, AT_FDCWD, output, 2) == 0 {
            removeTree(staging)
            return
        }
        let old = "\(parent)/.\(name)\(marker)old-\(getpid())"
        removeTree(old)
        guard rename(output, old) == 0 else { throw failure("cannot replace \(output)") }
        guard rename(staging, output) == 0 else {
            let f = failure("cannot replace \(output)")
            _ = rename(old, output)
            throw f
        }
        removeTree(old)
    }

    private typealias RenameAt2 = @convention(c) (
        Int32, UnsafePointer<CChar>, Int32, UnsafePointer<CChar>, UInt32
    ) -> Int32

    /// glibc's `renameat2`, looked up at run time (older libcs lack it).
    nonisolated(unsafe) private static let renameExchange: RenameAt2? = {
        #if os(Linux)
            guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "renameat2") else { return nil }
            return unsafeBitCast(symbol, to: RenameAt2.self)
        #else
            return nil
        #endif
    }()

    /// Staging and old folders left by a build that was killed.
    private static func removeLeftovers(in parent: String, name: String) {
        guard let entries = try? FileSystem.list(parent) else { return }
        let prefix = ".\(name)\(marker)"
        for entry in entries where entry.name.hasPrefix(prefix) {
            removeTree(parent + "/" + entry.name)
        }
    }

    static func split(_ path: String) -> (parent: String, name: String) {
        guard let slash = path.lastIndex(of: "/") else { return (".", path) }
        let parent = String(path[..<slash])
        return (parent.isEmpty ? "/" : parent, String(path[path.index(after: slash)...]))
    }

    private static func failure(_ what: String) -> Failure {
        Failure(message: "\(what): \(FileSystem.errorText())")
    }

    private static func ensureDirectory(_ path: String) throws(Failure) {
        if FileSystem.kind(path) == .directory { return }
        try makeDirectories(path)
    }

    private static func makeDirectory(_ path: String) throws(Failure) {
        guard mkdir(path, 0o755) == 0 || errno == EEXIST else { throw failure("cannot create folder \(path)") }
    }

    private static func makeDirectories(_ path: String) throws(Failure) {
        if path.isEmpty || FileSystem.kind(path) == .directory { return }
        let (parent, _) = split(path)
        if parent != path { try makeDirectories(parent) }
        try makeDirectory(path)
    }

    private static func write(_ bytes: [UInt8], to path: String) throws(Failure) {
        do throws(FileSystem.Failure) {
            try FileSystem.write(bytes, to: path, flags: O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC)
        } catch {
            throw Failure(message: "cannot write \(path): \(error.reason)")
        }
    }

    /// Removes a file or a folder and everything in it; symlinks are removed, never
    /// followed. Files are unlinked on every core (an old site has thousands).
    static func removeTree(_ path: String) {
        guard let kind = FileSystem.kind(path) else { return }
        guard kind == .directory else {
            unlink(path)
            return
        }
        var files: [String] = []
        var folders: [String] = []
        var pending = [path]
        while let folder = pending.popLast() {
            folders.append(folder)
            for entry in (try? FileSystem.list(folder)) ?? [] {
                let child = folder + "/" + entry.name
                if entry.kind == .directory { pending.append(child) } else { files.append(child) }
            }
        }
        _ = files.parallelMap { unlink($0) }
        // Children were listed after their parents: remove folders in reverse.
        for folder in folders.reversed() { rmdir(folder) }
    }
}
