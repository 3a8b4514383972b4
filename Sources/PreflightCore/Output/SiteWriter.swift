#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Publishes a generated site atomically: every file is written to a staging
/// folder beside the output, which then takes the output's place in one step.
/// A failed or killed build leaves the last good output as it was.
///
/// Preflight never deletes or overwrites a file it did not write: every
/// output folder carries a manifest of what the build wrote (`Manifest`),
/// and a folder is replaced only when it is empty or holds nothing else,
/// apart from the entries a published folder keeps (`Manifest.isKept`).
public enum SiteWriter {
    /// Where a build writes, and whether it may replace a folder that holds
    /// files Preflight did not write (`--force`).
    public struct Target: Sendable {
        public var path: String
        public var force: Bool

        public init(path: String, force: Bool = false) {
            var path = path
            while path.count > 1 && path.hasSuffix("/") { path.removeLast() }
            self.path = path
            self.force = force
        }

        /// Why the site must not be written to this folder: it is the site
        /// folder or holds it, or it is, holds or is inside one of the site's
        /// source folders (whose files the next build would read, or which a
        /// build would nest inside itself). Nil when it is fine.
        public func refusal(siteDirectory: String, evidence: [String] = []) -> String? {
            SiteWriter.sourceConflict(path, siteDirectory: siteDirectory, evidence: evidence)
                .map { "refusing to write the site into \(path): \($0)" }
        }
    }

    /// Why a folder a build writes (`path`: the output, the build cache)
    /// must not be where it is: it is or holds the site folder, or it is,
    /// holds or is inside a folder the build reads (content, templates,
    /// static, evidence and each `--evidence` path). Nil when it is fine,
    /// and when a path cannot be resolved (the build then says why).
    public static func sourceConflict(_ path: String, siteDirectory: String, evidence: [String]) -> String? {
        guard let site = FileSystem.canonical(siteDirectory), let target = FileSystem.canonical(path) else { return nil }
        if within(site, target) {
            return "\(site == target ? "it is" : "it contains") the site folder, whose sources it would mix with what the build writes"
        }
        var sources = ["content", Theme.folder, StaticFiles.folder, EvidenceFiles.folder].map { folder in
            (path: FileSystem.canonical(siteDirectory + "/" + folder) ?? site + "/" + folder, name: "the site's \(folder)/ folder")
        }
        sources += evidence.compactMap { given in FileSystem.canonical(given).map { (path: $0, name: "--evidence `\(given)`") } }
        for (source, name) in sources {
            if within(target, source) {
                return "it is \(target == source ? "" : "inside ")\(name), which the next build would read"
            }
            if within(source, target) { return "it contains \(name)" }
        }
        return nil
    }

    /// Whether canonical path `inner` is `outer` or lies inside it.
    static func within(_ inner: String, _ outer: String) -> Bool {
        inner == outer || inner.hasPrefix(outer == "/" ? "/" : outer + "/")
    }

    static let marker = ".preflight-"

    /// The files of a site, each made when it is written and dropped once it
    /// is: a build holds a few pages at a time, not the whole site.
    public struct Source: Sendable {
        /// Every path of the site, in the order the files are made.
        public var paths: [String]
        /// The file at `paths[i]`, made now.
        public var make: @Sendable (Int) -> OutputFile
        /// Whether the files this source leaves `.unchanged` are in the
        /// target folder itself (a rebuild with the build cache into the
        /// folder the last build wrote): the folder is then updated in
        /// place (`update`) rather than made again beside it.
        var updatesInPlace = false
        /// Told, when the folder is updated in place, of each file it left
        /// where it was (by its index in `paths`).
        var leftInPlace: (@Sendable (Int) -> Void)?
        /// Whether the target folder had no entry added or removed since the
        /// build that last wrote it (asked under the lock, before an update in
        /// place): it then holds nothing Preflight did not write, and is not
        /// walked to find out.
        var unchangedSinceWritten: (@Sendable () -> Bool)?

        public init(paths: [String], make: @escaping @Sendable (Int) -> OutputFile) {
            self.paths = paths
            self.make = make
        }

        /// Files already in memory.
        public init(_ files: [OutputFile]) {
            self.init(paths: files.map(\.path)) { files[$0] }
        }
    }

    /// Writes `files` as the new content of the target folder; the reason
    /// when it could not, with the old folder left as it was.
    public static func publish(_ files: [OutputFile], to target: Target) -> String? {
        publish(Source(files), to: target)
    }

    /// Makes and writes every file of `source` as the new content of the
    /// target folder; the reason when it could not, with the old folder left
    /// as it was.
    public static func publish(_ source: Source, to target: Target) -> String? {
        do throws(Failure) {
            try publishOrThrow(source, to: target)
            return nil
        } catch {
            return error.message
        }
    }

    struct Failure: Error {
        var message: String
    }

    private static func publishOrThrow(_ source: Source, to target: Target) throws(Failure) {
        let output = target.path
        let (parent, name) = split(output)
        try ensureDirectory(parent)
        // A rebuild into the last build's folder: checked under the lock, in `update`.
        if source.updatesInPlace, !target.force, FileSystem.kind(output) == .directory,
            try update(source, output: output, parent: parent, name: name)
        {
            return
        }
        // Before anything is written, so a refusal is quick; checked again at the swap.
        try checkReplaceable(output, force: target.force)

        // Clean-up and a new staging folder, under the parent's lock: no build takes
        // another's staging folder for a leftover between its mkdir and its flock.
        let (staging, stagingLock) = try withLock(on: parent) { () throws(Failure) -> (String, Int32) in
            removeLeftovers(in: parent, name: name)
            let staging = "\(parent)/.\(name)\(marker)new-\(uniqueSuffix())"
            try makeDirectory(staging)
            // Held until the build ends: another build's clean-up leaves this folder alone.
            let fd = open(staging, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
            if fd >= 0 { flock(fd, LOCK_EX) }
            return (staging, fd)
        }
        defer { if stagingLock >= 0 { close(stagingLock) } }
        do throws(Failure) {
            try writeAll(source, into: staging)
            try write(Array(Manifest.text(for: source.paths).utf8), to: staging + "/" + Manifest.fileName)
            // The swap under the parent's lock: what the output holds, and so what it
            // keeps, is decided by one build at a time.
            let old = try withLock(on: parent) { () throws(Failure) -> String? in
                try checkReplaceable(output, force: target.force)
                try carryKeptEntries(of: output, into: staging, paths: source.paths)
                return try swapIn(staging, as: output, parent: parent, name: name)
            }
            if let old { FileSystem.removeTree(old) }
        } catch {
            FileSystem.removeTree(staging)
            throw Failure(message: error.message)
        }
    }

    /// Updates the folder the last build wrote in place (`Source.updatesInPlace`):
    /// files whose bytes are as they were stay as they are; the others are
    /// written into a staging folder beside the output first, and only once
    /// all of them are written are they moved into place, the files the site
    /// no longer has removed and the manifest replaced. A build that fails
    /// leaves the old output as it was; one killed while moving files leaves
    /// some new and some old, which the next build finds (the build cache's
    /// record of the output no longer matches them) and writes again.
    /// Returns false, having changed nothing, when the folder has no manifest
    /// or a file of the new site is a folder of the old one or the other way
    /// round: the site is then made beside it and swapped in.
    private static func update(_ source: Source, output: String, parent: String, name: String) throws(Failure) -> Bool {
        try withLock(on: parent) { () throws(Failure) -> Bool in
            // The manifests are compared and written before any file is made,
            // and let go of: at 100,000 reviews each is tens of megabytes.
            guard let plan = Manifest.update(in: output, to: source.paths) else { return false }
            // A folder nothing was added to since the last build wrote it is not walked for strangers.
            try checkReplaceable(output, force: source.unchangedSinceWritten?() == true)
            removeLeftovers(in: parent, name: name)
            let staging = "\(parent)/.\(name)\(marker)new-\(uniqueSuffix())"
            try makeDirectory(staging)
            defer { FileSystem.removeTree(staging) }
            try write(plan.manifest, to: staging + "/manifest")
            if let both = plan.both { try write(both, to: staging + "/both") }
            // Each changed file under its number in the staging folder.
            let results = Array(source.paths.indices).parallelMap { i -> Result<Bool, Failure> in
                let file = source.make(i)
                let target = output + "/" + file.path
                let staged = staging + "/\(i)"
                do throws(Failure) {
                    switch file.contents {
                    case .unchanged(let at, _, let otherwise):
                        // Made just now, under the parent's lock, from a look at this very
                        // file (`SitePlan.output`): it is still the file the cache recorded.
                        if at == target {
                            source.leftInPlace?(i)
                            return .success(false)
                        }
                        try write(otherwise(), to: staged)
                    case .bytes(let bytes): try write(bytes, to: staged)
                    case .text(let text): try write(text, to: staged)
                    case .staticFile(let file): try copy(file, to: staged)
                    }
                    return .success(true)
                } catch {
                    return .failure(error)
                }
            }
            var changed: [Int] = []
            for (i, result) in results.enumerated() {
                switch result {
                case .success(true): changed.append(i)
                case .success(false): break
                case .failure(let failure):
                    throw Failure(message: "\(failure.message) (in \(staging), where the changed files are written)")
                }
            }
            // While files move, the manifest lists the old site's and the new one's:
            // a build killed now leaves nothing the next one would take for foreign.
            if plan.both != nil {
                guard rename(staging + "/both", output + "/" + Manifest.fileName) == 0 else {
                    throw failure("cannot replace \(output)/\(Manifest.fileName)")
                }
            }
            for i in changed {
                let target = output + "/" + source.paths[i]
                try ensureDirectory(split(target).parent)
                guard rename(staging + "/\(i)", target) == 0 else { throw failure("cannot replace \(target)") }
            }
            for path in plan.gone where !path.hasSuffix("/") { unlink(output + "/" + path) }
            // Folders deepest first; one that still holds something stays.
            for path in plan.gone.filter({ $0.hasSuffix("/") }).sorted(by: >) { rmdir(output + "/" + path) }
            guard rename(staging + "/manifest", output + "/" + Manifest.fileName) == 0 else {
                throw failure("cannot replace \(output)/\(Manifest.fileName)")
            }
            return true
        }
    }

    /// Throws when `output` is not a folder, or holds files Preflight did not write (unless forced).
    private static func checkReplaceable(_ output: String, force: Bool) throws(Failure) {
        switch FileSystem.kind(output) {
        case nil, .directory?: break
        case .symlink?:
            throw Failure(message: "\(output) is a symbolic link; Preflight does not write through links (choose the folder itself)")
        default:
            throw Failure(message: "\(output) exists and is not a folder; remove it or choose another --output")
        }
        if !force, FileSystem.kind(output) == .directory, let foreign = Manifest.firstForeignEntry(in: output) {
            throw Failure(
                message: "\(output) holds files Preflight did not write, such as \(output)/\(foreign); "
                    + "refusing to replace it\n    hint: move them away or choose another --output; "
                    + "pass --force to replace the folder anyway (an output of Preflight 0.1 has no manifest "
                    + "yet: --force once)")
        }
    }

    /// Moves the entries a published folder keeps (.git, CNAME) into the new
    /// site, unless the new site has its own or the last build wrote them;
    /// puts them back if one cannot move.
    private static func carryKeptEntries(of output: String, into staging: String, paths: [String]) throws(Failure) {
        guard FileSystem.kind(output) == .directory else { return }
        let produced = Set(paths.map { String($0.split(separator: "/").first ?? "") })
        let written = Manifest.listed(in: output) ?? []
        let kept = ((try? FileSystem.list(output)) ?? []).map(\.name).filter {
            Manifest.isKept($0) && !produced.contains($0) && !written.contains($0) && !written.contains($0 + "/")
        }
        var carried: [String] = []
        for entry in kept {
            guard rename(output + "/" + entry, staging + "/" + entry) == 0 else {
                let f = failure("cannot keep \(output)/\(entry) in the new site")
                for entry in carried { _ = rename(staging + "/" + entry, output + "/" + entry) }
                throw f
            }
            carried.append(entry)
        }
    }

    /// Runs `body` holding an exclusive `flock` on the folder `path` (best
    /// effort: a file system without locks runs it unlocked).
    private static func withLock<T>(on path: String, _ body: () throws(Failure) -> T) throws(Failure) -> T {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if fd >= 0 { flock(fd, LOCK_EX) }
        defer { if fd >= 0 { close(fd) } }
        return try body()
    }

    /// Folders first, one by one; then the files, on every core, each made
    /// and written in one work item and dropped at its end.
    private static func writeAll(_ source: Source, into staging: String) throws(Failure) {
        var made: Set<String> = [staging]
        for path in source.paths {
            let (dir, _) = split(staging + "/" + path)
            if made.insert(dir).inserted { try makeDirectories(dir) }
        }
        let failures = Array(source.paths.indices).parallelMap { i -> Failure? in
            let file = source.make(i)
            let target = staging + "/" + file.path
            do throws(Failure) {
                switch file.contents {
                case .bytes(let bytes): try write(bytes, to: target)
                case .text(let text): try write(text, to: target)
                case .staticFile(let source): try copy(source, to: target)
                case .unchanged(let old, let isIt, let otherwise):
                    if link(old, target) != 0 || !isIt(target) {
                        unlink(target)
                        try write(otherwise(), to: target)
                    }
                }
                return nil
            } catch {
                return error
            }
        }
        if let failure = failures.lazy.compactMap({ $0 }).first {
            throw Failure(message: "\(failure.message) (in \(staging), where the new site is assembled)")
        }
    }

    /// Puts the staging folder in the output's place; returns where the old
    /// site now is, to be removed, if there was one.
    private static func swapIn(_ staging: String, as output: String, parent: String, name: String) throws(Failure) -> String? {
        guard FileSystem.kind(output) != nil else {
            guard rename(staging, output) == 0 else { throw failure("cannot create \(output)") }
            return nil
        }
        // Linux: exchange the two folders in one step, so `output` is never missing.
        if let exchange = renameExchange, exchange(AT_FDCWD, staging, AT_FDCWD, output, 2) == 0 {
            return staging
        }
        let old = "\(parent)/.\(name)\(marker)old-\(uniqueSuffix())"
        guard rename(output, old) == 0 else { throw failure("cannot replace \(output)") }
        guard rename(staging, output) == 0 else {
            let f = failure("cannot replace \(output)")
            _ = rename(old, output)
            throw f
        }
        return old
    }

    private typealias RenameAt2 = @convention(c) (
        Int32, UnsafePointer<CChar>, Int32, UnsafePointer<CChar>, UInt32
    ) -> Int32

    /// glibc's `renameat2`, looked up at run time (older libcs lack it).
    private static let renameExchange: RenameAt2? = {
        #if os(Linux)
            guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "renameat2") else { return nil }
            return unsafeBitCast(symbol, to: RenameAt2.self)
        #else
            return nil
        #endif
    }()

    /// The process id and a random number: two builds never share a staging folder.
    private static func uniqueSuffix() -> String {
        "\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    }

    /// Staging and old folders left by a build that was killed: exactly the
    /// names this writer makes (`.NAME.preflight-new-PID-N`, `…-old-…`). A
    /// folder whose build still runs is locked (`flock`) and left alone.
    private static func removeLeftovers(in parent: String, name: String) {
        guard let entries = try? FileSystem.list(parent) else { return }
        for entry in entries where entry.kind == .directory && isLeftover(entry.name, of: name) {
            let path = parent + "/" + entry.name
            let fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            guard fd >= 0 else { continue }
            defer { close(fd) }
            if flock(fd, LOCK_EX | LOCK_NB) == 0 { FileSystem.removeTree(path) }
        }
    }

    static func isLeftover(_ entry: String, of name: String) -> Bool {
        for kind in ["new-", "old-"] {
            let prefix = ".\(name)\(marker)\(kind)"
            guard entry.hasPrefix(prefix) else { continue }
            let numbers = entry.dropFirst(prefix.count).split(separator: "-", omittingEmptySubsequences: false)
            return (1...2).contains(numbers.count) && numbers.allSatisfy { !$0.isEmpty && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }
        }
        return false
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

    /// New files only: a name that exists in the fresh staging folder is never written through.
    private static let createFlags = O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC

    private static func write(_ bytes: [UInt8], to path: String) throws(Failure) {
        do throws(FileSystem.Failure) {
            try FileSystem.write(bytes, to: path, flags: createFlags)
        } catch {
            throw Failure(message: "cannot write \(path): \(error.reason)")
        }
    }

    private static func write(_ text: String, to path: String) throws(Failure) {
        do throws(FileSystem.Failure) {
            try FileSystem.write(text, to: path, flags: createFlags)
        } catch {
            throw Failure(message: "cannot write \(path): \(error.reason)")
        }
    }

    /// Streams a static file in chunks: a large file never sits whole in memory.
    private static func copy(_ source: StaticFile, to path: String) throws(Failure) {
        let input: FileSystem.InputFile
        do throws(FileSystem.Failure) { input = try source.open() } catch {
            throw Failure(message: "cannot publish \(error.path): \(error.reason)")
        }
        let fd = open(path, createFlags, 0o644)
        guard fd >= 0 else { throw failure("cannot write \(path)") }
        defer { close(fd) }
        var offset = 0
        while true {
            let chunk: [UInt8]
            do throws(FileSystem.Failure) { chunk = try input.read(at: offset, count: 1 << 20) } catch {
                throw Failure(message: "cannot read \(source.source): \(error.reason)")
            }
            if chunk.isEmpty { return }
            do throws(FileSystem.Failure) { try FileSystem.write(chunk, to: fd) } catch {
                throw Failure(message: "cannot write \(path): \(error.reason)")
            }
            offset += chunk.count
        }
    }
}
