import ArgumentParser
import CBuildInfo
import PreflightCore

#if canImport(Glibc)
    import Glibc
#endif

/// The root command only lists the subcommands.
struct Preflight: AsyncParsableCommand {
    /// The release; `make dist` names its tarball after it.
    static let version = "1.0.0"

    /// `1.0.0`, or `1.0.0 (commit 0123abcd4567)` for a binary `make dist` built.
    static let versionText: String = {
        let commit = String(cString: preflight_build_commit())
        return commit.isEmpty ? version : "\(version) (commit \(commit))"
    }()

    /// What names this Preflight in a build cache: the version and the
    /// binary itself (its size and time), so that a rebuilt binary never
    /// takes pages made by another.
    static let cacheVersion: String = {
        var info = stat()
        let binary = stat("/proc/self/exe", &info) == 0 ? "\(info.st_size) \(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec)" : "unknown"
        return "\(versionText) \(binary)"
    }()

    static let configuration = CommandConfiguration(
        commandName: "preflight",
        abstract: "Build a production readiness site from Markdown review records.",
        discussion: """
            A site folder holds preflight.yml, content/checklists/<id>.md and
            content/services/<slug>/ (index.md and reviews/<name>.md). See
            docs/format.md for the format.

            Exit codes: 0 success, 1 content errors, 2 usage errors.
            """,
        version: versionText,
        subcommands: [Build.self, Check.self, Diff.self, Serve.self, New.self, Init.self, Evidence.self]
    )
}

@main
enum Main {
    static func main() async {
        do {
            var command = try Preflight.parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            // Usage mistakes exit 2, as documented (ArgumentParser's default is 64).
            let code = Preflight.exitCode(for: error)
            if code == .validationFailure {
                let message = Preflight.fullMessage(for: error)
                writeError(message.hasSuffix("\n") ? message : message + "\n")
                exit(2)
            }
            Preflight.exit(withError: error)
        }
    }
}

/// Options shared by commands that read a site.
struct SiteOptions: ParsableArguments {
    @Argument(help: "The site folder (holding content/ and preflight.yml).", completion: .directory)
    var siteDirectory: String = "."

    @OptionGroup var judging: JudgingOptions

    mutating func validate() throws {
        guard FileSystem.kind(siteDirectory) == .directory else {
            throw ValidationError("site folder `\(siteDirectory)` does not exist or is not a folder")
        }
    }

    /// The build date, resolved once when the options were validated.
    var buildDate: BuildDate { judging.buildDate }

    /// What every command that reads a site is asked to do.
    func options(baseURL: BaseURL? = nil) -> BuildOptions {
        judging.options(siteDirectory: siteDirectory, baseURL: baseURL)
    }
}

/// How a site's readiness is judged: on which day, drafts or not. Shared by
/// the commands that read one site and by `diff`, which reads two.
struct JudgingOptions: ParsableArguments {
    @Option(
        name: .customLong("as-of"),
        help: ArgumentHelp(
            "Judge staleness, expiry, upcoming checks and overdue items as of this day (YYYY-MM-DD).",
            discussion: "Defaults to SOURCE_DATE_EPOCH when set, else today (UTC).",
            valueName: "as-of"))
    var asOf: Day?

    @Flag(help: "Include reviews and pages marked `draft: true`.")
    var drafts = false

    @Option(
        name: .customLong("evidence"),
        help: ArgumentHelp(
            "Read evidence records from this .jsonl file or folder too (repeatable).",
            discussion: "Besides the site's own evidence/ folder; see docs/format.md, \"Evidence\".",
            valueName: "path"),
        completion: .file(extensions: ["jsonl"]))
    var evidence: [String] = []

    /// The build date, resolved once in `validate`.
    private(set) var buildDate = BuildDate(day: Day.first, isPinned: false)

    enum CodingKeys: String, CodingKey {
        case asOf, drafts, evidence
    }

    mutating func validate() throws {
        for path in evidence {
            let kind = FileSystem.kind(path.count > 1 && path.hasSuffix("/") ? String(path.dropLast()) : path)
            guard kind == .file || kind == .directory else {
                throw ValidationError(
                    kind == nil
                        ? "--evidence `\(path)`: no such file or folder"
                        : "--evidence `\(path)`: not a regular file or folder (links are not followed)")
            }
        }
        do {
            buildDate = try BuildDate.resolve(asOf: asOf, environment: environment(), now: Int64(time(nil)))
        } catch {
            throw ValidationError(error.description)
        }
    }

    func options(siteDirectory: String, baseURL: BaseURL? = nil) -> BuildOptions {
        BuildOptions(
            siteDirectory: siteDirectory, baseURL: baseURL, buildDate: buildDate.day, includeDrafts: drafts,
            evidence: evidence)
    }
}

func environment() -> [String: String] {
    var result: [String: String] = [:]
    var pointer = environ
    while let entry = pointer.pointee {
        let text = String(cString: entry)
        if let eq = text.firstIndex(of: "=") {
            result[String(text[..<eq])] = String(text[text.index(after: eq)...])
        }
        pointer += 1
    }
    return result
}

/// Writes all of `text` to standard output; the reason when it could not
/// (a full disk, a closed pipe), so a report is never lost silently.
func writeOutput(_ text: String) -> String? {
    do throws(FileSystem.Failure) {
        try FileSystem.write(Array(text.utf8), to: 1)
        return nil
    } catch {
        return error.reason
    }
}

/// Writes to standard error without touching the C `stderr` global.
func writeError(_ text: String) {
    try? FileSystem.write(Array(text.utf8), to: 2)
}
