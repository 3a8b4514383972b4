import PreflightCore

#if canImport(Glibc)
    import Glibc
#endif

/// The site as it was committed at a git revision, written into a temporary
/// folder for `diff --base`.
///
/// The files are read from git's objects (`ls-tree`, then `cat-file
/// --batch`), not with `git archive` or a checkout: those apply
/// `.gitattributes` (`export-ignore` would hide a review from the base, and
/// filters would rewrite it), and the base must be exactly what was committed.
struct GitBase {
    /// The temporary folder; everything in it goes with `remove()`.
    let root: String
    /// The site at the revision, nil when the site folder was not a folder then.
    let site: String?
    /// The full commit id the revision named.
    let commit: String
    /// What the base lacks, for a warning: "content/services/x is a submodule…".
    let notes: [String]

    struct Failure: Error {
        var message: String
    }

    /// Exports the tree of `siteDirectory` at `revision`. Fails, saying why,
    /// outside a git repository, for a revision that names no commit, or when
    /// git cannot read the tree (a partial clone whose remote is gone).
    /// `cleanup` is told about the temporary folder as soon as it exists.
    static func export(revision: String, siteDirectory: String, cleanup: SignalCleanup) throws(Failure) -> GitBase {
        let shown = DiagnosticFormatter.visible(revision)
        guard !revision.isEmpty else {
            throw Failure(message: "--base is empty (was it a `$(git merge-base …)` that failed?)")
        }
        guard !revision.hasPrefix("-"), !revision.hasPrefix("^") else {
            throw Failure(message: "`\(shown)` is not a git revision")
        }
        let git = Git(directory: siteDirectory)
        let prefix = try git.output(["rev-parse", "--show-prefix"]) { error in
            let folder = DiagnosticFormatter.visible(siteDirectory)
            if error.contains("dubious ownership") {
                return "git refuses to read the repository of `\(folder)`: \(error); allow it with "
                    + "`git config --global --add safe.directory <repository>`"
            }
            return "`\(folder)` is not in a git repository, so --base has nothing to compare with"
                + " (git said: \(error)); to compare two site folders, name both: preflight diff OLD NEW"
        }
        let commit = try git.output(["rev-parse", "--verify", "--quiet", "--end-of-options", revision + "^{commit}"]) { _ in
            if (try? git.output(["rev-parse", "--verify", "--quiet", "--end-of-options", revision]) { $0 }) != nil {
                return "`\(shown)` names a git object that is not a commit"
            }
            let shallow = (try? git.output(["rev-parse", "--is-shallow-repository"]) { $0 }) == "true"
            return "git does not know the revision `\(shown)`"
                + (shallow ? "; this clone is shallow: fetch the history first (`git fetch --unshallow`, or actions/checkout with fetch-depth: 0)" : "")
        }
        guard commit.utf8.allSatisfy({ Git.isHex($0) }), commit.count == 40 || commit.count == 64 else {
            throw Failure(message: "`\(shown)` does not name one commit")
        }
        var path = prefix
        if path.hasSuffix("/") { path.removeLast() }
        let failed = { (error: String) in "git cannot read the tree of \(shown): \(error)" }
        // The site folder at the base: absent (the change adds it) or not a folder.
        if !path.isEmpty {
            let entry = try git.entries(["ls-tree", "-z", "--full-tree", commit, "--", path], failure: failed)
            guard let entry = entry.first, entry.path == path, entry.type == "tree" else {
                let what = entry.isEmpty ? "did not exist" : "was not a folder"
                return GitBase(root: "", site: nil, commit: commit, notes: ["the site folder \(what) at \(shown); every service is new"])
            }
        }
        let entries = try git.entries(["ls-tree", "-r", "-z", "--full-tree", path.isEmpty ? commit : commit + ":" + path], failure: failed)
        guard let root = cleanup.guardingNew({ FileSystem.makeTemporaryDirectory(prefix: "preflight-diff-") }) else {
            throw Failure(message: "cannot make a temporary folder for the base in $TMPDIR or /tmp: \(FileSystem.errorText())")
        }
        let base = GitBase(
            root: root, site: root + "/site", commit: commit,
            notes: entries.filter { $0.type == "commit" }.map {
                "\(DiagnosticFormatter.visible($0.path)) is a submodule at \(shown); its files are not compared"
            })
        do throws(Failure) {
            try base.write(entries.filter { $0.type == "blob" }, with: git, failure: failed)
        } catch {
            cleanup.removeNow()
            throw error
        }
        return base
    }

    /// Writes the blobs into `site`: files on every core in batches as
    /// `cat-file` streams them, symbolic links last (so nothing is written
    /// through one, whatever a crafted tree holds).
    private func write(_ blobs: [Git.Entry], with git: Git, failure: (String) -> String) throws(Failure) {
        guard let site else { return }
        guard mkdir(site, 0o700) == 0 else { throw Failure(message: "cannot make \(site): \(FileSystem.errorText())") }
        for blob in blobs where !Git.isSafe(blob.path) {
            throw Failure(message: failure("the tree holds an unsafe path `\(DiagnosticFormatter.visible(blob.path))`"))
        }
        let list = root + "/objects"
        var folders: Set<String> = []
        for blob in blobs {
            var path = Substring(blob.path)
            while let slash = path.lastIndex(of: "/") {
                path = path[..<slash]
                guard folders.insert(site + "/" + path).inserted else { break }
            }
        }
        do throws(FileSystem.Failure) {
            try FileSystem.createFile(list, contents: Array(blobs.map { $0.id + "\n" }.joined().utf8))
            try FileSystem.makeFolders(folders)
        } catch {
            throw Failure(message: "cannot write \(error.path): \(error.reason)")
        }
        var batch: [(path: String, contents: [UInt8])] = []
        var batchBytes = 0
        var links: [(path: String, target: [UInt8])] = []
        var next = 0
        var problem: String?
        func flush() {
            guard problem == nil, !batch.isEmpty else { return }
            do throws(FileSystem.Failure) { try FileSystem.createFiles(batch) } catch { problem = "cannot write \(error)" }
            batch.removeAll(keepingCapacity: true)
            batchBytes = 0
        }
        let status = git.stream(["cat-file", "--batch"], input: list) { object in
            guard next < blobs.count, problem == nil else { return }
            let blob = blobs[next]
            next += 1
            guard let object else {
                problem = failure("git has no object for `\(DiagnosticFormatter.visible(blob.path))` (a partial clone?)")
                return
            }
            if blob.mode == "120000" {
                links.append((site + "/" + blob.path, object))
                return
            }
            batch.append((site + "/" + blob.path, object))
            batchBytes += object.count
            if batch.count >= 512 || batchBytes >= 16 << 20 { flush() }
        }
        flush()
        unlink(list)
        if let problem { throw Failure(message: problem) }
        guard status.code == 0, next == blobs.count else {
            throw Failure(message: failure(status.error.isEmpty ? "cat-file stopped early" : status.error))
        }
        for link in links {
            var target = link.target
            target.append(0)
            let made = target.withUnsafeBufferPointer { symlink(UnsafeRawPointer($0.baseAddress!).assumingMemoryBound(to: CChar.self), link.path) }
            guard made == 0 else { throw Failure(message: "cannot make the link \(link.path): \(FileSystem.errorText())") }
        }
    }
}

/// git run as a child process in one folder, with the environment variables
/// that would point it elsewhere (`GIT_DIR` set by a hook, say) removed, so it
/// finds the repository from the folder as a user's git would.
struct Git {
    let directory: String

    struct Entry {
        var mode: String
        var type: String
        var id: String
        var path: String
    }

    /// Runs git and returns its output without the final newline; `failure`
    /// turns git's first line of complaint into the message thrown.
    func output(_ arguments: [String], failure: (String) -> String) throws(GitBase.Failure) -> String {
        var out: [UInt8] = []
        let status = stream(arguments, input: nil, raw: true) { out += $0 ?? [] }
        guard status.code == 0 else { throw GitBase.Failure(message: failure(status.error)) }
        while out.last == 0x0A { out.removeLast() }
        return String(decoding: out, as: UTF8.self)
    }

    /// `ls-tree -z` entries: `<mode> <type> <id>\t<path>\0`.
    func entries(_ arguments: [String], failure: (String) -> String) throws(GitBase.Failure) -> [Entry] {
        var out: [UInt8] = []
        let status = stream(arguments, input: nil, raw: true) { out += $0 ?? [] }
        guard status.code == 0 else { throw GitBase.Failure(message: failure(status.error)) }
        return out.split(separator: 0).compactMap { record in
            guard let tab = record.firstIndex(of: 0x09) else { return nil }
            let head = record[..<tab].split(separator: 0x20).map { String(decoding: $0, as: UTF8.self) }
            guard head.count == 3 else { return nil }
            return Entry(mode: head[0], type: head[1], id: head[2], path: String(decoding: record[(tab + 1)...], as: UTF8.self))
        }
    }

    /// Runs git with standard input from the file `input` (or nothing), and
    /// hands `each` the output: as read when `raw`, else one object of
    /// `cat-file --batch` at a time (nil for one git does not have). Returns the exit code and git's first
    /// line on standard error.
    @discardableResult
    func stream(
        _ arguments: [String], input: String?, raw: Bool = false, _ each: ([UInt8]?) -> Void
    ) -> (code: Int32, error: String) {
        var out: [Int32] = [0, 0]
        var err: [Int32] = [0, 0]
        guard pipe(&out) == 0 else { return (127, "cannot make a pipe") }
        guard pipe(&err) == 0 else {
            close(out[0]); close(out[1])
            return (127, "cannot make a pipe")
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, input ?? "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, out[1], 1)
        posix_spawn_file_actions_adddup2(&actions, err[1], 2)
        for fd in [out[0], out[1], err[0], err[1]] { posix_spawn_file_actions_addclose(&actions, fd) }
        let argv = (["git", "-C", directory] + arguments).map { strdup($0) } + [nil]
        defer { for p in argv { free(p) } }
        let env = Self.gitEnvironment().map { strdup($0) } + [nil]
        defer { for p in env { free(p) } }
        var pid = pid_t()
        let spawned = posix_spawnp(&pid, "git", &actions, nil, argv, env)
        close(out[1])
        close(err[1])
        defer { close(out[0]); close(err[0]) }
        guard spawned == 0 else { return (127, "git is not installed (or not on PATH); --base needs it") }
        var parser = BatchParser()
        Self.read(out[0]) { chunk in
            if raw { each(chunk) } else { parser.feed(chunk, each) }
        }
        var message: [UInt8] = []
        Self.read(err[0]) { message += $0 }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        // WIFEXITED / WEXITSTATUS by hand: Swift does not import the macros.
        let code = (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
        let line = String(decoding: message, as: UTF8.self).split(separator: "\n").first.map(String.init) ?? ""
        return (code, DiagnosticFormatter.visible(line))
    }

    private static func read(_ fd: Int32, _ each: ([UInt8]) -> Void) {
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let n = Glibc.read(fd, &buffer, buffer.count)
            if n > 0 {
                each(Array(buffer[0..<n]))
            } else if n == 0 || errno != EINTR {
                break
            }
        }
    }

    /// The parent's environment without what would send git elsewhere.
    private static func gitEnvironment() -> [String] {
        let redirecting: Set<String> = [
            "GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_PREFIX", "GIT_OBJECT_DIRECTORY",
            "GIT_ALTERNATE_OBJECT_DIRECTORIES", "GIT_COMMON_DIR", "GIT_NAMESPACE",
        ]
        return environment().filter { !redirecting.contains($0.key) }.map { "\($0.key)=\($0.value)" }
    }

    static func isHex(_ byte: UInt8) -> Bool {
        (0x30...0x39).contains(byte) || (0x61...0x66).contains(byte)
    }

    /// A path inside the tree: no empty, `.` or `..` segment, not absolute.
    static func isSafe(_ path: String) -> Bool {
        !path.isEmpty && path.split(separator: "/", omittingEmptySubsequences: false).allSatisfy {
            !$0.isEmpty && $0 != "." && $0 != ".."
        }
    }

    /// Splits `cat-file --batch` output (`<id> <type> <size>\n<bytes>\n` per
    /// object, `<id> missing\n` for one git lacks) as it arrives.
    struct BatchParser {
        private var pending: [UInt8] = []
        private var need: Int?

        mutating func feed(_ chunk: [UInt8], _ each: ([UInt8]?) -> Void) {
            pending += chunk
            var start = 0
            while true {
                if let size = need {
                    guard pending.count - start >= size + 1 else { break }
                    each(Array(pending[start..<start + size]))
                    start += size + 1
                    need = nil
                } else {
                    guard let newline = pending[start...].firstIndex(of: 0x0A) else { break }
                    let header = pending[start..<newline].split(separator: 0x20)
                    start = newline + 1
                    if header.count == 3, let size = Int(String(decoding: header[2], as: UTF8.self)) {
                        need = size
                    } else {
                        each(nil)
                    }
                }
            }
            pending.removeFirst(start)
        }
    }
}
