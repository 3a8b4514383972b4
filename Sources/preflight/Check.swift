import ArgumentParser
import PreflightCore

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Report every problem in the site without writing anything.",
        discussion: """
            Errors are everything `build` refuses. Warnings point at likely mistakes: a
            check without an explicit id, an unknown front matter key, a review approved
            while a required check is open, a task item that answers no check (with the
            nearest check as a suggestion), a waiver without a reason or without `until`,
            a waiver or time-limited answer that has expired or expires within
            `waiver_warning_days`, an overdue action item, a stale service, a service
            folder without index.md, a Markdown link to a page or anchor the site
            does not have, a tick the evidence or a rule contradicts, evidence that is
            stale or names no service or check, and catalog entities that clash, name
            no known owner or have values of the wrong shape.

            Exit status: 1 when there are errors (or warnings with --strict), else 0.
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json, github
    }

    @OptionGroup var site: SiteOptions

    @Option(help: "Output format: text (path:line:col: …), json (a list of objects) or github (workflow commands that annotate a pull request).")
    var format: Format = .text

    @Flag(help: "Treat warnings as errors: exit 1 when there is any.")
    var strict = false

    @Option(
        name: .customLong("fail-on"),
        help: ArgumentHelp(
            "Make these service states errors, comma-separated: \(FailOn.allowed).",
            discussion: "Any of: \(FailOn.allowed). For example --fail-on stale,not-ready,unreviewed to gate a release.",
            valueName: "conditions"))
    var failOn: FailOn?

    func validate() throws {
        _ = try failOn?.check()
    }

    func run() throws {
        let result = Site.check(site.options(), failOn: failOn?.conditions ?? [])
        for note in result.notes { writeError("note: \(note)\n") }
        let diagnostics = result.diagnostics.sorted
        let formatter = DiagnosticFormatter(siteDirectory: site.siteDirectory)
        let errors = result.diagnostics.errorCount
        let warnings = result.diagnostics.warningCount
        let summary = "\(plural(errors, "error")), \(plural(warnings, "warning")) in \(plural(result.fileCount, "file"))"
        switch format {
        case .json:
            print(formatter.render(diagnostics, as: .json), terminator: "")
            writeError(summary + "\n")
        case .text, .github:
            if !diagnostics.isEmpty {
                print(formatter.render(diagnostics, as: format == .text ? .text : .github))
            }
            print(summary)
        }
        if errors > 0 || (strict && warnings > 0) { throw ExitCode(1) }
    }
}
