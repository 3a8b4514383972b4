import ArgumentParser
import PreflightCore

#if canImport(Glibc)
    import Glibc
#endif

struct Diff: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show what a change does to readiness: a git revision against the working tree, or two site folders.",
        discussion: """
            preflight diff --base main         the site in . against it at main
            preflight diff site --base origin/main
            preflight diff old-site new-site   two folders, no git needed

            Both sides are judged on the same day (--as-of, else SOURCE_DATE_EPOCH,
            else today). Reported: for each service whose figures or checks moved,
            status, level, score, target and staleness before → after, and the
            checks newly done, open or waived; services added and removed;
            checklist edits (checks added, removed, re-levelled, re-weighted,
            made required…), each with how many services it moves on its own.

            With --base, git exports the site folder's tree at that revision into
            a temporary folder; the working tree, uncommitted edits included, is
            the new side. For a pull request, compare with the merge base:
              preflight diff --base "$(git merge-base HEAD origin/main)"

            Errors in the base are warnings (the change may be fixing them);
            errors in the new side fail the command, as `build` would.

            Exit status: 1 when the new side has errors, or a service regressed
            in a --fail-on condition; 2 on a usage mistake, outside a git
            repository with --base, or for a revision git does not know; else 0.
            """
    )

    @Argument(
        help: ArgumentHelp(
            "The site folder (default .) with --base; without it, the old and the new site folders.",
            valueName: "folder"),
        completion: .directory)
    var folders: [String] = []

    @Option(help: ArgumentHelp(
        "Compare with the site at this git revision (a branch, tag or commit).", valueName: "revision"))
    var base: String?

    @Option(help: "Output format: text, markdown (for a pull-request comment or $GITHUB_STEP_SUMMARY) or json.")
    var format: DiffReport.Format = .text

    @Option(
        name: .customLong("fail-on"),
        help: ArgumentHelp(
            "Exit 1 when a service gets worse in these ways, comma-separated: regression (all of them), \(Regressions.allowed).",
            discussion: "Only services in both sides count; nothing else fails.",
            valueName: "conditions"))
    var failOn: Regressions?

    @OptionGroup var judging: JudgingOptions

    enum CodingKeys: String, CodingKey {
        case folders, base, format, failOn, judging
    }

    func validate() throws {
        _ = try failOn?.check()
        if base != nil {
            guard folders.count <= 1 else {
                throw ValidationError("with --base, name one site folder (the new side), not \(folders.count)")
            }
        } else if folders.count != 2 {
            throw ValidationError(
                "name the old and the new site folders, or one site folder and --base REVISION to compare with git")
        }
        for folder in folders where FileSystem.kind(folder) != .directory {
            throw ValidationError("site folder `\(folder)` does not exist or is not a folder")
        }
    }

    func run() throws {
        let headFolder = base == nil ? folders[1] : folders.first ?? "."
        var baseFolder: String? = folders.first
        var baseLabel = folders.first ?? ""
        let cleanup = SignalCleanup()
        if let base {
            progress("reading the site at \(DiagnosticFormatter.visible(base)) from git…")
            let exported: GitBase
            do {
                exported = try GitBase.export(revision: base, siteDirectory: headFolder, cleanup: cleanup)
            } catch {
                writeError("error: \(error.message)\n")
                throw ExitCode(2)
            }
            for note in exported.notes { writeError("warning: \(note)\n") }
            baseFolder = exported.site
            baseLabel = base
        }
        defer { cleanup.removeNow() }

        progress("loading and comparing both sides…")
        let comparison = Site.compare(base: baseFolder, head: judging.options(siteDirectory: headFolder))
        let report = DiffReport(
            comparison: comparison, base: baseLabel, head: base == nil ? headFolder : "working tree",
            asOf: judging.buildDate.day,
            formatters: (
                DiagnosticFormatter(siteDirectory: base == nil ? baseLabel : headFolder),
                DiagnosticFormatter(siteDirectory: headFolder)
            ))
        if let problem = writeOutput(report.render(format)) {
            writeError("error: cannot write the report: \(problem)\n")
            throw ExitCode(1)
        }

        let (baseFormatter, headFormatter) = report.formatters
        let shownBase = DiagnosticFormatter.visible(baseLabel)
        if !comparison.baseErrors.isEmpty {
            let n = comparison.baseErrors.count
            writeError("warning: the base (\(shownBase)) has \(plural(n, "error")); it is compared as far as it could be read:\n")
            for d in comparison.baseErrors { writeError(indented(baseFormatter.text(d))) }
        }
        var failed = false
        if !comparison.headErrors.isEmpty {
            failed = true
            writeError("error: the new side has \(plural(comparison.headErrors.count, "error")); the site would not build:\n")
            for d in comparison.headErrors { writeError(indented(headFormatter.text(d))) }
        }
        if let failOn {
            let regressed = comparison.diff.regressions(in: failOn.conditions)
            if !regressed.isEmpty {
                failed = true
                let names = regressed.map { change in
                    "\(DiagnosticFormatter.visible(change.slug)) (\(change.regressions.filter(failOn.conditions.contains).map(\.label).joined(separator: ", ")))"
                }
                writeError("error: \(plural(regressed.count, "service")) regressed (--fail-on): \(names.joined(separator: ", "))\n")
            }
            let excused = comparison.diff.excused(in: failOn.conditions)
            if !excused.isEmpty {
                writeError("warning: not counted by --fail-on, as the base had errors in their files: "
                    + excused.map { DiagnosticFormatter.visible($0.slug) }.joined(separator: ", ") + "\n")
            }
        }
        if failed { throw ExitCode(1) }
    }

    /// A line saying what a long step is doing, on standard error when it is
    /// a terminal (a big site takes seconds; CI logs need no such lines).
    private func progress(_ text: String) {
        guard isatty(2) != 0 else { return }
        writeError(text + "\n")
    }

    /// A diagnostic under its side's heading: every line indented.
    private func indented(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { "  " + $0 + "\n" }.joined()
    }
}
