import ArgumentParser
import PreflightCore

#if canImport(Glibc)
    import Glibc
#endif

struct Evidence: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Record machine evidence for `auto` checks: one result, or JUnit and SARIF reports.",
        discussion: """
            Evidence records are JSON Lines under the site's evidence/ folder
            (docs/format.md, "Evidence"). Both subcommands append to a .jsonl file,
            never rewrite one, and never write a record the file already holds.
            """,
        subcommands: [EvidenceAdd.self, EvidenceImportCommand.self]
    )
}

/// Where records go and what stamps them: shared by `add` and `import`.
struct RecordOptions: ParsableArguments {
    @Option(
        name: .customLong("site"),
        help: ArgumentHelp(
            "The site folder: records are checked against its services and checks.",
            discussion: "Without a content/ folder there, only the records' form is checked."),
        completion: .directory)
    var siteDirectory: String = "."

    @Option(
        help: ArgumentHelp(
            "When the result was produced (RFC 3339, e.g. 2026-11-20T03:12:00Z; default: now).", valueName: "time"))
    var at: String?

    @Option(
        help: ArgumentHelp(
            "Where to see the result: a URL or any text.",
            discussion: "Default in GitHub Actions: the run's URL; in GitLab CI: $CI_JOB_URL. Required elsewhere.",
            valueName: "url"))
    var source: String?

    @Option(
        help: ArgumentHelp("The .jsonl file to append to (default: SITE/evidence/records.jsonl).", valueName: "file"),
        completion: .file(extensions: ["jsonl"]))
    var to: String?

    @Flag(name: .customLong("dry-run"), help: "Print the records instead of appending them.")
    var dryRun = false

    /// The time, resolved once in `validate`.
    private(set) var timestamp = Timestamp(unixSeconds: 0)!
    /// The source, resolved once in `validate`.
    private(set) var resolvedSource = ""

    enum CodingKeys: String, CodingKey {
        case siteDirectory, at, source, to, dryRun
    }

    mutating func validate() throws {
        guard FileSystem.kind(siteDirectory) == .directory else {
            throw ValidationError("site folder `\(siteDirectory)` does not exist or is not a folder")
        }
        if let at {
            guard let parsed = Timestamp(at) else {
                throw ValidationError("--at: \(Timestamp.problem(at)); write it as 2026-11-20T03:12:00Z")
            }
            timestamp = parsed
        } else {
            guard let now = Timestamp(unixSeconds: Int64(time(nil))) else {
                throw ValidationError("the system clock is out of range; give --at")
            }
            timestamp = now
        }
        let env = environment()
        if let source {
            guard !source.allSatisfy({ $0 == " " || $0 == "\t" }) else { throw ValidationError("--source is empty") }
            resolvedSource = source
        } else if let server = env["GITHUB_SERVER_URL"], let repository = env["GITHUB_REPOSITORY"],
            let run = env["GITHUB_RUN_ID"], !server.isEmpty, !repository.isEmpty, !run.isEmpty
        {
            resolvedSource = "\(server)/\(repository)/actions/runs/\(run)"
        } else if let job = env["CI_JOB_URL"], !job.isEmpty {
            resolvedSource = job
        } else {
            // In a CI job whose run variables are missing, say which ones.
            let missing = env["GITHUB_ACTIONS"] == "true"
                ? "GITHUB_SERVER_URL, GITHUB_REPOSITORY and GITHUB_RUN_ID are not all set"
                : env["GITLAB_CI"] == "true" ? "CI_JOB_URL is not set" : nil
            throw ValidationError(
                missing.map { "--source is required: \($0), so the run's URL is not known; give --source" }
                    ?? "--source is required outside GitHub Actions and GitLab CI: the URL of the CI run, or a few words")
        }
    }

    var target: String { to ?? joinPath(siteDirectory, "evidence/records.jsonl") }

    /// Checks `records` against the site, then appends them (or prints them
    /// with --dry-run); prints what it did. `location` says where a record
    /// came from, for errors about it.
    func write(_ records: [EvidenceRecord], at location: (EvidenceRecord) -> SourceLocation?) throws {
        let formatter = DiagnosticFormatter(siteDirectory: ".")
        if let problems = EvidenceImport.problems(
            of: records, siteDirectory: siteDirectory, at: { location($0) ?? SourceLocation(path: "") })
        {
            if problems.hasErrors {
                report(problems, formatter)
                writeError("error: nothing was written\n")
                throw ExitCode(1)
            }
        } else {
            writeError("note: no site at \(siteDirectory) (no content/ folder): the records' services and checks are not checked\n")
        }
        // As a build would: a record dated after the build date does not count.
        if let now = Timestamp(unixSeconds: Int64(time(nil)) + 300), timestamp > now {
            writeError(
                "warning: --at \(timestamp) is in the future: a build dated before \(timestamp.day) does not count "
                    + "\(records.count == 1 ? "the record" : "these records")\n"
                    + "    hint: give the time the result was produced, in UTC or with its offset (2026-11-20T03:12:00Z)\n")
        }
        // Text a page shows must not hide or reorder what follows it.
        for (name, value) in [("--source", resolvedSource)] + records.compactMap({ $0.note.map { ("the note", $0) } }) {
            if let (_, first) = droppingUnsafeCharacters(value) {
                writeError("error: \(name) holds a control or bidirectional-override character (\(first)); nothing was written\n")
                throw ExitCode(1)
            }
        }
        if dryRun {
            for record in records { print(record.line) }
            return
        }
        var diagnostics = DiagnosticList()
        guard let outcome = EvidenceLog.append(records, to: target, diagnostics: &diagnostics) else {
            report(diagnostics, formatter)
            throw ExitCode(1)
        }
        let already = outcome.already == 0 ? "" : " (\(plural(outcome.already, "record")) already there)"
        print("Appended \(plural(outcome.written, "record")) to \(target)\(already)")
    }
}

/// Prints diagnostics; one without a file is printed as `error: …`.
func report(_ diagnostics: DiagnosticList, _ formatter: DiagnosticFormatter) {
    for diagnostic in diagnostics.sorted {
        if diagnostic.path.isEmpty {
            var text = "\(diagnostic.severity.rawValue): \(DiagnosticFormatter.visible(diagnostic.message))\n"
            if let hint = diagnostic.hint { text += "    hint: \(DiagnosticFormatter.visible(hint))\n" }
            writeError(text)
        } else {
            writeError(formatter.text(diagnostic) + "\n")
        }
    }
}

struct EvidenceAdd: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Append one evidence record: a CI step's result for one service's check.",
        discussion: """
            For example, at the end of a restore drill job:
              preflight evidence add --service payments-api --check dr-drill \\
                --result pass --source "$CI_JOB_URL" --note "restore took 14 min"
            """
    )

    @Option(help: "The service's slug.")
    var service: String

    @Option(help: "The id of an `auto` check of the service's checklist.")
    var check: String

    @Option(help: "pass or fail.")
    var result: EvidenceRecord.Result

    @Option(help: "One line for people, e.g. how long the drill took.")
    var note: String?

    @OptionGroup var record: RecordOptions

    func validate() throws {
        guard Slug.isValid(service) else { throw ValidationError("--service `\(service)` is not a service slug") }
        guard Slug.isValid(check) else { throw ValidationError("--check `\(check)` is not a check id") }
    }

    func run() throws {
        // Checked as typed, as docs/format.md says: cleaning it first hid an
        // override or an escape sequence. Line breaks and tabs become spaces.
        if let note, let (_, first) = droppingUnsafeCharacters(note) {
            writeError("error: --note holds a control or bidirectional-override character (\(first)); nothing was written\n")
            throw ExitCode(1)
        }
        let line = EvidenceRecord(
            service: service, check: check, result: result, at: record.timestamp, source: record.resolvedSource,
            note: note.map(TestReports.clean).flatMap { $0.isEmpty ? nil : $0 }, location: SourceLocation(path: ""))
        try record.write([line]) { _ in nil }
    }
}

extension EvidenceRecord.Result: ExpressibleByArgument {}

struct EvidenceImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Append evidence records from JUnit XML and SARIF reports, through a mapping file.",
        discussion: """
            The mapping (YAML) says which test cases and scanner rules answer which
            service's check; see docs/format.md, "The mapping file". One record per
            service and check: fail when any test or finding mapped to it fails.
            """
    )

    @Option(help: "The mapping file (YAML).", completion: .file(extensions: ["yml", "yaml"]))
    var map: String

    @Argument(help: "JUnit XML and SARIF reports.", completion: .file())
    var reports: [String]

    @OptionGroup var record: RecordOptions

    func validate() throws {
        guard !reports.isEmpty else { throw ValidationError("name at least one report to import") }
        for path in [map] + reports where FileSystem.kind(path) != .file {
            throw ValidationError("`\(path)`: no such file (links are not followed)")
        }
    }

    func run() throws {
        let formatter = DiagnosticFormatter(siteDirectory: ".")
        var diagnostics = DiagnosticList()
        let mappingPath = EvidenceFiles.displayPath(map)
        var mapping: EvidenceMapping?
        switch readFile(map) {
        case .success(let bytes):
            guard let text = String(validating: bytes, as: UTF8.self) else {
                writeError("\(mappingPath):1:1: error: the mapping is not UTF-8\n")
                throw ExitCode(1)
            }
            mapping = EvidenceMapping.parse(text, path: mappingPath, diagnostics: &diagnostics)
        case .failure(let reason):
            writeError("error: cannot read \(map): \(reason)\n")
            throw ExitCode(1)
        }
        var files: [EvidenceImport.Report] = []
        for path in reports {
            switch readFile(path) {
            case .success(let bytes): files.append(EvidenceImport.Report(path: EvidenceFiles.displayPath(path), bytes: bytes))
            case .failure(let reason):
                diagnostics.error("cannot read \(path): \(reason)", at: SourceLocation(path: EvidenceFiles.displayPath(path)))
            }
        }
        guard let mapping, !diagnostics.hasErrors else {
            report(diagnostics, formatter)
            throw ExitCode(1)
        }
        let records = EvidenceImport.records(
            mapping: mapping, reports: files, at: record.timestamp, source: record.resolvedSource,
            diagnostics: &diagnostics)
        report(diagnostics, formatter)
        if diagnostics.hasErrors { throw ExitCode(1) }
        // Nothing to record is not a failure (docs/ci.md): the warnings above
        // say why each entry gave none, and the nightly job goes on.
        guard !records.isEmpty else {
            writeError("note: the reports gave no record, so nothing was written\n")
            return
        }
        for line in records {
            writeError("  \(line.service) / \(line.check): \(line.result.rawValue)\(line.note.map { " (\($0))" } ?? "")\n")
        }
        let locations = Dictionary(
            mapping.targets.map { ($0.service + "\u{0}" + $0.check, $0.location) }, uniquingKeysWith: { a, _ in a })
        try record.write(records) { locations[$0.service + "\u{0}" + $0.check] }
    }
}

/// A file's bytes, or why it could not be read.
private func readFile(_ path: String) -> Result<[UInt8], ReadFailure> {
    do throws(FileSystem.Failure) {
        return .success(try EvidenceImport.read(path))
    } catch {
        return .failure(ReadFailure(reason: error.reason))
    }
}

private struct ReadFailure: Error, CustomStringConvertible {
    var reason: String
    var description: String { reason }
}
