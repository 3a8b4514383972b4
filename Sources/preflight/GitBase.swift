import PreflightCore

#if canImport(Glibc)
    import Glibc
#endif

/// The site as it was at a git revision, exported into a temporary folder
/// for `diff --base`: `git archive` of the site folder's tree at that commit.
struct GitBase {
    /// The temporary folder; everything in it goes with `remove()`.
    let root: String
    /// The site at the revision, nil when the site folder did not exist then.
    let site: String?
    /// The full commit id the revision named.
    let commit: String

    struct Failure: Error {
        var message: String
    }

    /// Exports the tree of `siteDirectory` at `revision`. Fails, saying
    /// why, outside a git repository or for a revision git does not know.
    static func export(revision: String, siteDirectory: String) throws(Failure) -> GitBase {
        guard !revision.hasPrefix("-"), !revision.isEmpty else {
            throw Failure(message: "`\(revision)` is not a git revision")
        }
        let prefix = try git(["rev-parse", "--show-prefix"], in: siteDirectory) { error in
            "`\(siteDirectory)` is not in a git repository, so --base has nothing to compare with"
                + " (git said: \(error)); to compare two site folders, name both: preflight diff OLD NEW"
        }
        let commit = try git(["rev-parse", "--verify", "--quiet", "--end-of-options", revision + "^{commit}"], in: siteDirectory) { _ in
            "git does not know the revision `\(revision)`; in a shallow clone, fetch it first"
                + " (`git fetch origin <branch>`, or actions/checkout with fetch-depth: 0)"
        }
        // `git archive` of a subtree must run from the top: in a subfolder it
        // looks for that subfolder inside the subtree.
        let top = try git(["rev-parse", "--show-toplevel"], in: siteDirectory) { "git cannot find the repository's top: \($0)" }
        var path = prefix
        if path.hasSuffix("/") { path.removeLast() }
        let tree = commit + ":" + path
        guard let root = FileSystem.makeTemporaryDirectory(prefix: "preflight-diff-") else {
            throw Failure(message: "cannot make a temporary folder for the base: \(FileSystem.errorText())")
        }
        // The site folder may not exist at the base (the change adds it).
        guard (try? git(["cat-file", "-e", tree], in: siteDirectory) { $0 }) != nil else {
            return GitBase(root: root, site: nil, commit: commit)
        }
        let base = GitBase(root: root, site: root + "/site", commit: commit)
        do throws(Failure) {
            let archive = root + "/base.tar"
            _ = try git(["archive", "--format=tar", "-o", archive, tree], in: top) { "git archive failed: \($0)" }
            guard mkdir(root + "/site", 0o700) == 0 else {
                throw Failure(message: "cannot make \(root)/site: \(FileSystem.errorText())")
            }
            let tar = run(["tar", "-xf", archive, "-C", root + "/site"])
            guard tar.status == 0 else { throw Failure(message: "tar could not unpack the base: \(firstLine(tar.error))") }
            unlink(archive)
        } catch {
            base.remove()
            throw error
        }
        return base
    }

    func remove() {
        FileSystem.removeTree(root)
    }

    /// Runs git in `directory` and returns its output, trimmed; `failure`
    /// turns git's first line of complaint into the message thrown.
    private static func git(
        _ arguments: [String], in directory: String, failure: (String) -> String
    ) throws(Failure) -> String {
        let result = run(["git", "-C", directory] + arguments)
        if result.status == 127 && result.error.isEmpty {
            throw Failure(message: "git is not installed (or not on PATH); --base needs it")
        }
        guard result.status == 0 else { throw Failure(message: failure(firstLine(result.error))) }
        var output = result.output
        while output.last == "\n" { output.removeLast() }
        return output
    }

    private static func firstLine(_ text: String) -> String {
        let line = text.split(separator: "\n").first.map(String.init) ?? ""
        return line.isEmpty ? "no message" : line
    }

    /// Runs a program found on PATH with standard output and error captured
    /// (both are small here: a path, a commit id, a complaint). Status 127
    /// when it could not be started.
    static func run(_ arguments: [String]) -> (status: Int32, output: String, error: String) {
        var out: [Int32] = [0, 0]
        var err: [Int32] = [0, 0]
        guard pipe(&out) == 0 else { return (127, "", "") }
        guard pipe(&err) == 0 else {
            close(out[0]); close(out[1])
            return (127, "", "")
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addclose(&actions, out[0])
        posix_spawn_file_actions_addclose(&actions, err[0])
        posix_spawn_file_actions_adddup2(&actions, out[1], 1)
        posix_spawn_file_actions_adddup2(&actions, err[1], 2)
        posix_spawn_file_actions_addclose(&actions, out[1])
        posix_spawn_file_actions_addclose(&actions, err[1])
        let argv = arguments.map { strdup($0) } + [nil]
        defer { for p in argv { free(p) } }
        var pid = pid_t()
        let spawned = posix_spawnp(&pid, arguments[0], &actions, nil, argv, environ)
        close(out[1])
        close(err[1])
        defer { close(out[0]); close(err[0]) }
        guard spawned == 0 else { return (127, "", "") }
        let output = readAll(out[0])
        let error = readAll(err[0])
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        // WIFEXITED / WEXITSTATUS by hand: Swift does not import the macros.
        let code = (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
        return (code, output, error)
    }

    private static func readAll(_ fd: Int32) -> String {
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = read(fd, &buffer, buffer.count)
            if n > 0 {
                bytes += buffer[0..<n]
            } else if n == 0 || errno != EINTR {
                break
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
