/// Starting points for writers: new services, new review records, new sites.
/// Every file it makes builds and checks clean; it never overwrites a file.
public enum Scaffold {
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public var message: String
        public var hint: String?
        public var description: String { message }
    }

    /// A file to create, path relative to the site folder.
    public struct NewFile: Sendable, Equatable {
        public var path: String
        public var text: String
    }

    // MARK: Services

    /// A service's `index.md`. With `siteDirectory`, a service the site's
    /// catalog declares gets one that sets only the keys given (`index.md`
    /// overrides the catalog's keys it sets), and says where the rest comes from.
    public static func service(
        slug: String, name: String?, owner: String?, tier: String?, siteDirectory: String? = nil
    ) throws(Failure) -> NewFile {
        guard Slug.isValid(slug) else {
            throw Failure(
                message: "`\(slug)` is not a valid service slug",
                hint: "use lower-case letters, digits and `-`, e.g. `\(Slug.make(slug).isEmpty ? "my-service" : Slug.make(slug))`")
        }
        if let siteDirectory, let (declared, location) = Catalog.declaredService(slug, siteDirectory: siteDirectory) {
            var lines = [
                "---",
                "# \(slug) comes from the catalog: \(location.path):\(location.line).",
                "# Its name, owner, tier, lifecycle, tags and links are read there; a key",
                "# set here overrides the catalog's (docs/format.md, \"Services from a catalog\").",
            ]
            if let name { lines.append("name: \(yamlString(name))") }
            if let owner { lines.append("owner: \(yamlString(owner))") }
            if let tier { lines.append("tier: \(yamlString(tier))") }
            lines += ["---", "", "What \(name ?? declared.name) does, who uses it, and what it depends on.", ""]
            return NewFile(path: "content/services/\(slug)/index.md", text: lines.joined(separator: "\n"))
        }
        var lines = ["---", "name: \(yamlString(name ?? slug))"]
        lines.append(owner.map { "owner: \(yamlString($0))" } ?? "# owner: team-name")
        lines.append(tier.map { "tier: \(yamlString($0))" } ?? "# tier: \"1\"")
        lines += [
            "lifecycle: development",
            "tags: []",
            "# links:",
            "#   Repository: https://example.org/repo",
            "---",
            "",
            "What \(name ?? slug) does, who uses it, and what it depends on.",
            "",
        ]
        return NewFile(path: "content/services/\(slug)/index.md", text: lines.joined(separator: "\n"))
    }

    // MARK: Reviews

    /// A review record listing every check of `checklist` as open, with its id,
    /// grouped by category, ready to fill in.
    public static func review(
        service: String, date: Day, checklist: Checklist, nameChecklist: Bool, name: String? = nil
    ) -> NewFile {
        var lines = ["---", "date: \(date)"]
        if nameChecklist { lines.append("checklist: \(checklist.id)") }
        lines += [
            "decision: in-progress",
            "reviewers: []",
        ]
        if checklist.signoffs.isEmpty {
            lines += ["# signoffs:", "#   - {role: Security, name: Someone, status: pending}"]
        } else {
            // The sign-offs the checklist asks for, one per level, waiting for a name.
            lines.append("signoffs:")
            for rule in checklist.signoffs {
                lines.append("  - {role: \(yamlString(rule.role)), status: pending}  # needed for \(rule.level)")
            }
        }
        lines += [
            "---",
            "",
            "What was reviewed, who took part, and what was decided.",
            "",
            "<!-- Tick a box when the check is done: [x]. Waive one that does not apply",
            "     with [~], say why on the same line, and say until when and who agreed:",
            "     - [~] Text: why it does not apply {#id until=\(date.adding(days: 90)) by=NAME}",
            "     Unanswered checks count as open. -->",
            "",
        ]
        for category in checklist.categories {
            lines.append("## \(category.title)")
            lines.append("")
            for check in category.checks {
                if check.auto || check.rule != nil {
                    // No box: a tick cannot answer it, and an open box would invite one.
                    let by = check.auto ? "CI evidence" : "the service's `\(check.rule!.description)`"
                    let text = "\(check.text) {#\(check.id)}".replacing("--!>", with: "- -!>").replacing("-->", with: "- ->")
                    lines.append("<!-- Answered by \(by), not by a tick: \(text)")
                    lines.append("     (if it does not apply here, waive it: `- [~] … {#\(check.id)}` with a reason) -->")
                    continue
                }
                var notes: [String] = []
                if let from = check.from, date < from { notes.append("counts from \(from)") }
                if let every = check.every { notes.append("a done answer holds \(every) days") }
                lines.append("- [ ] \(check.text) {#\(check.id)}")
                if !check.guidanceMarkdown.isEmpty || !notes.isEmpty {
                    // The checklist's guidance, as a comment the writer may delete.
                    var comment = notes.isEmpty ? [] : ["(\(notes.joined(separator: "; ")))"]
                    if !check.guidanceMarkdown.isEmpty {
                        comment += check.guidanceMarkdown.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
                    }
                    // Nothing in the text may end the comment early (`-->`, or `--!>` as browsers read it).
                    let text = comment.map { $0.replacing("--!>", with: "- -!>").replacing("-->", with: "- ->") }
                    lines.append("  <!-- " + text[0])
                    lines += text.dropFirst().map { $0.isEmpty ? "" : "  " + $0 }
                    lines[lines.count - 1] += " -->"
                }
            }
            lines.append("")
        }
        lines += [
            "## Action items",
            "",
            "<!-- One task item per follow-up, with an owner and a due date:",
            "- [ ] Rehearse the rollback @team due:\(date.adding(days: 30)) -->",
            "",
        ]
        return NewFile(
            path: "content/services/\(service)/reviews/\(name ?? date.description).md",
            text: lines.joined(separator: "\n"))
    }

    /// A new review for `service` in the site at `siteDirectory`. The checklist is
    /// `checklistID`, else the service's, else the site default, else the only one.
    public static func review(
        siteDirectory: String, service: String, date: Day, checklistID: String?, name: String? = nil
    ) throws(Failure) -> NewFile {
        let folder = "content/services/\(service)"
        // A service the catalog declares needs no folder yet: its first review makes one.
        guard Slug.isValid(service),
            FileSystem.kind(siteDirectory + "/" + folder) == .directory
                || Catalog.declaredService(service, siteDirectory: siteDirectory) != nil
        else {
            throw Failure(
                message: "there is no service `\(service)` in \(siteDirectory == "." ? "this site" : siteDirectory)",
                hint: "create it first with `preflight new service \(Slug.make(service).isEmpty ? "my-service" : Slug.make(service))`")
        }
        if let name, !Slug.isValid(name) {
            throw Failure(message: "`\(name)` is not a valid review name", hint: "use lower-case letters, digits and `-`")
        }
        if let checklistID, !Slug.isValid(checklistID) {
            throw Failure(
                message: "`\(checklistID)` is not a checklist id",
                hint: "an id is the name of a file in content/checklists/ without `.md`")
        }
        let resolved = ContentLoader.checklistForNewReview(of: service, explicit: checklistID, siteDirectory: siteDirectory)
        guard let id = resolved.id else {
            throw Failure(
                message: "cannot tell which checklist the review answers",
                hint: "pass --checklist <id>, or set `default_checklist` in preflight.yml")
        }
        guard let checklist = resolved.checklist else {
            let first = resolved.diagnostics.sorted.first { $0.severity == .error }
            throw Failure(
                message: first.map { "checklist `\(id)` has errors: \($0.path):\($0.line): \($0.message)" }
                    ?? "there is no checklist `\(id)` (content/checklists/\(id).md)",
                hint: first != nil
                    ? "run `preflight check` to see every problem"
                    : resolved.known.isEmpty
                        ? "the site has no checklists yet; add one as content/checklists/<id>.md"
                        : "known checklists: \(resolved.known.joined(separator: ", "))")
        }
        return Self.review(
            service: service, date: date, checklist: checklist, nameChecklist: checklistID != nil, name: name)
    }

    /// Creates `files` under `siteDirectory`, refusing to overwrite any file that exists.
    /// Nothing is written when any of them exists.
    public static func create(_ files: [NewFile], in siteDirectory: String) throws(Failure) {
        let root = siteDirectory.hasSuffix("/") ? siteDirectory : siteDirectory + "/"
        // Never write through a link: a linked folder on the way could put the
        // file anywhere.
        for file in files {
            var prefix = ""
            for part in file.path.split(separator: "/") {
                prefix += (prefix.isEmpty ? "" : "/") + part
                if FileSystem.kind(root + prefix) == .symlink {
                    throw Failure(
                        message: "\(root == "./" ? "" : root)\(prefix) is a symbolic link; Preflight does not write through links",
                        hint: "make it a real folder inside the site")
                }
            }
        }
        for file in files where FileSystem.kind(root + file.path) != nil {
            throw Failure(
                message: "\(root == "./" ? "" : root)\(file.path) already exists; not overwriting it",
                hint: "choose another name, or move the file away first")
        }
        for file in files {
            do {
                try FileSystem.createFile(root + file.path, contents: Array(file.text.utf8))
            } catch {
                throw Failure(message: "cannot create \(root)\(file.path): \(error.reason)")
            }
        }
    }

    // MARK: Sites

    /// What `init` adds to a folder that is not empty (an existing
    /// repository, or a site missing a piece): every file of `files` that is
    /// not there yet, never one that is. The example service (and its review)
    /// is left out where the folder already has a service; the starter
    /// checklist where it has a checklist, and then `preflight.yml` leaves
    /// `default_checklist` and `targets` as comments, so that no existing
    /// review changes the checklist it answers.
    /// Returns the files to create and the paths kept as they are.
    public static func missing(
        _ files: [NewFile], in siteDirectory: String, title: String
    ) -> (add: [NewFile], kept: [String]) {
        let root = siteDirectory.hasSuffix("/") ? siteDirectory : siteDirectory + "/"
        func has(_ folder: String, _ suffix: String = "") -> Bool {
            ((try? FileSystem.list(root + folder)) ?? []).contains { !$0.name.hasPrefix(".") && $0.name.hasSuffix(suffix) }
        }
        let hasServices = has("content/services")
        let hasChecklists = has("content/checklists", ".md")
        var add: [NewFile] = []
        var kept: [String] = []
        for var file in files {
            if FileSystem.kind(root + file.path) != nil {
                kept.append(file.path)
            } else if hasServices && file.path.hasPrefix("content/services/") {
                continue
            } else if hasChecklists && file.path.hasPrefix("content/checklists/") {
                continue
            } else {
                if hasChecklists && file.path == SiteConfig.fileName {
                    file = NewFile(path: file.path, text: config(title: title, starterChecklist: false))
                }
                add.append(file)
            }
        }
        return (add, kept)
    }

    /// `preflight.yml`. With the starter checklist it names it as the default
    /// and sets targets from its levels; without (a site that has its own
    /// checklists), those lines are comments, so no review changes meaning.
    static func config(title: String, starterChecklist: Bool) -> String {
        let comment = starterChecklist ? "" : "# "
        return """
            # Preflight site configuration; every key is optional.
            title: \(yamlString(title))
            base_url: /
            stale_after_days: 180
            \(comment)default_checklist: production-readiness
            # The level each tier must reach; "*" is every other tier.
            \(comment)targets:
            \(comment)  "1": Silver
            \(comment)  "*": Bronze
            # `check` warns this many days before a waiver or answer expires.
            waiver_warning_days: 30

            """
    }

    /// The files of a new site: configuration, a starter checklist and one example
    /// service with a first review.
    public static func site(title: String, today: Day) -> [NewFile] {
        var files = [
            NewFile(path: SiteConfig.fileName, text: config(title: title, starterChecklist: true)),
            // The built site and the build cache are made from the sources, not kept with them.
            NewFile(path: ".gitignore", text: "public/\n.preflight-cache/\n"),
            NewFile(path: "content/checklists/production-readiness.md", text: starterChecklist),
            NewFile(
                path: "content/services/example-service/index.md",
                text: """
                    ---
                    name: Example service
                    owner: platform
                    tier: "2"
                    lifecycle: development
                    tags: [example]
                    ---

                    An example service to show the format. Rename the folder, or delete it
                    once you have added your own with `preflight new service`.

                    """),
        ]
        var diagnostics = DiagnosticList()
        let file = try! SourceFile.split(path: "starter.md", text: starterChecklist).get()
        if let checklist = Checklist.parse(id: "production-readiness", file: file, unsafeHTML: false, diagnostics: &diagnostics) {
            var review = Scaffold.review(
                service: "example-service", date: today, checklist: checklist, nameChecklist: false)
            // Answer the first check and waive the last for a month, so the
            // first pages show what an answer and an expiring waiver look like.
            if let first = checklist.checks.first {
                review.text = review.text.replacing("- [ ] \(first.text)", with: "- [x] \(first.text)")
            }
            if let last = checklist.checks.last, checklist.checks.count > 1 {
                review.text = review.text.replacing(
                    "- [ ] \(last.text) {#\(last.id)}",
                    with: "- [~] \(last.text): no product owner yet, the platform team decides "
                        + "{#\(last.id) until=\(today.adding(days: 30)) by=platform}")
            }
            files.append(review)
        }
        return files
    }

    static let starterChecklist = """
        ---
        title: Production readiness
        description: What a service answers before it takes production traffic.
        levels: [Bronze, Silver, Gold]
        # To reach a level, a review also needs these sign-offs approved.
        signoffs:
          - {role: Service owner, level: Bronze}
          - {role: SRE, level: Silver}
          - {role: Security, level: Gold}
        ---

        Answer every check in a review record: `[x]` done, `[ ]` open, `[~]` waived
        (say why on the same line, and until when). Required checks gate readiness.
        Text indented under a check is its guidance: how to meet it.

        ## Development process {#dev}

        - [ ] Every change is reviewed and passes CI before merge {#dev-ci required level=Bronze}
        - [ ] The service has an owning team and an on-call rotation {#dev-owner required level=Bronze}

        ## Testing {#testing}

        - [ ] Automated tests cover the core logic {#test-unit level=Bronze weight=2}
        - [ ] A load test has shown the service meets its expected peak {#test-load level=Gold}

        ## Security {#security}

        - [ ] Secrets live in a secret store, never in the repository {#sec-secrets required level=Bronze}
        - [ ] Dependencies are scanned for known vulnerabilities {#sec-deps level=Silver}

        ## Deployment plan {#deployment}

        - [ ] Deployments are automated {#dep-automated required level=Bronze}
        - [ ] A rollback has been rehearsed {#dep-rollback required level=Silver}

        ## Disaster recovery {#dr}

        - [ ] Backups exist and a restore has been tested {#dr-backup required level=Silver weight=2 every=90}

          Restore last night's backup into a scratch environment and link the
          write-up from the review.
        - [ ] A disaster recovery drill has been run {#dr-drill level=Gold}

        ## Documentation {#docs}

        - [ ] Runbooks exist for every alert {#doc-runbooks level=Silver}

        ## Stakeholder sign-off {#signoff}

        - [ ] The product owner has accepted the launch plan {#so-product level=Bronze}

        """

    /// A YAML scalar: plain when safe, else double-quoted.
    static func yamlString(_ s: String) -> String {
        let plainSafe = !s.isEmpty && s.allSatisfy { $0.isLetter || $0.isNumber || $0 == " " || $0 == "-" || $0 == "_" || $0 == "." }
            && s.first != " " && s.last != " " && s.first != "-" && Int(s) == nil
            && !["true", "false", "null", "yes", "no", "~"].contains(s.lowercased())
        if plainSafe { return s }
        var out = "\""
        for c in s.unicodeScalars {
            switch c {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            default:
                if c.value < 0x20 {
                    let hex = String(c.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(c)
                }
            }
        }
        return out + "\""
    }
}
