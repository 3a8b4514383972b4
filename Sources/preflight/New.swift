import ArgumentParser
import PreflightCore

#if canImport(Glibc)
    import Glibc
#endif

struct New: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Create a service or a review record from a template.",
        subcommands: [NewService.self, NewReview.self]
    )
}

/// `--site DIR`, for commands whose positional argument is not the site.
struct SiteFolderOption: ParsableArguments {
    @Option(name: .customLong("site"), help: "The site folder.", completion: .directory)
    var siteDirectory: String = "."

    func validate() throws {
        guard FileSystem.kind(siteDirectory) == .directory else {
            throw ValidationError("site folder `\(siteDirectory)` does not exist or is not a folder")
        }
    }
}

struct NewService: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "service",
        abstract: "Create content/services/SLUG/index.md.",
        discussion: """
            Refuses to overwrite an existing file. For a service the site's catalog declares, \
            the file sets only the keys given here (each overrides the catalog's) and says \
            which catalog file the rest comes from.
            """
    )

    @Argument(help: "The service's slug: lower-case letters, digits and `-` (its folder and URL).")
    var slug: String

    @Option(help: "The service's display name (default: the slug).")
    var name: String?

    @Option(help: "The owning team.")
    var owner: String?

    @Option(help: "The service's tier, e.g. 1.")
    var tier: String?

    @OptionGroup var site: SiteFolderOption

    func run() throws {
        try create({ () throws(Scaffold.Failure) in
            [try Scaffold.service(slug: slug, name: name, owner: owner, tier: tier, siteDirectory: site.siteDirectory)]
        }, in: site.siteDirectory)
    }
}

struct NewReview: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "review",
        abstract: "Create a review record listing every check of its checklist as open.",
        discussion: """
            Writes content/services/SLUG/reviews/DATE.md (or NAME.md with --name), with one
            open task item per check, with its id, grouped by category. Refuses to
            overwrite an existing file. A service the site's catalog declares needs no
            folder yet: its first review makes one.
            """
    )

    @Argument(help: "The slug of the service under review.")
    var slug: String

    @Option(help: "The day of the review, YYYY-MM-DD (default: today, UTC).")
    var date: Day?

    @Option(help: "The checklist id (default: the service's, then the site's).")
    var checklist: String?

    @Option(help: "The file name without .md (default: the date).")
    var name: String?

    @OptionGroup var site: SiteFolderOption

    func run() throws {
        let day = try date ?? today()
        try create({ () throws(Scaffold.Failure) in
            [
                try Scaffold.review(
                    siteDirectory: site.siteDirectory, service: slug, date: day, checklistID: checklist, name: name)
            ]
        }, in: site.siteDirectory)
    }
}

struct Init: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Create a new site: configuration, a starter checklist and an example service.",
        discussion: """
            The new site builds and checks clean. In a folder that is not empty (an existing \
            repository), adds only the files that are missing and never overwrites one; the \
            example service is left out where the folder already has services, and the starter \
            checklist where it already has checklists.
            """
    )

    @Argument(help: "The folder to create the site in (created if missing; `.` for the current folder).", completion: .directory)
    var directory: String

    @Option(help: "The site's title.")
    var title: String = "Production readiness"

    func run() throws {
        var files = Scaffold.site(title: title, today: try today())
        var kept: [String] = []
        if let kind = FileSystem.kind(directory) {
            guard kind == .directory else {
                writeError("error: \(directory) exists and is not a folder\n")
                throw ExitCode(1)
            }
            let entries = (try? FileSystem.list(directory)) ?? []
            if !entries.isEmpty {
                (files, kept) = Scaffold.missing(files, in: directory, title: title)
            }
        }
        if !files.isEmpty { try create({ files }, in: directory) }
        for path in kept { print("kept \(joinPath(directory, path)) (already there; not overwritten)") }
        if files.isEmpty {
            print("Nothing to add: \(directory) already has every file `init` writes.")
            return
        }
        print("""

            Next steps:
              cd \(directory)
              preflight serve            # preview with live reload
              preflight new service my-service --owner my-team
              preflight new review my-service
              preflight check            # what CI runs on pull requests
            """)
    }
}

/// Creates the files `make` returns, printing each path, or a clear error.
func create(_ make: () throws(Scaffold.Failure) -> [Scaffold.NewFile], in siteDirectory: String) throws {
    do {
        let files = try make()
        try Scaffold.create(files, in: siteDirectory)
        for file in files { print("created \(joinPath(siteDirectory, file.path))") }
    } catch {
        writeError("error: \(error.message)\n")
        if let hint = error.hint { writeError("    hint: \(hint)\n") }
        throw ExitCode(1)
    }
}

/// Today (UTC), for commands that date what they write.
func today() throws -> Day {
    do {
        return try BuildDate.resolve(asOf: nil, environment: environment(), now: Int64(time(nil))).day
    } catch {
        throw ValidationError(error.description)
    }
}
