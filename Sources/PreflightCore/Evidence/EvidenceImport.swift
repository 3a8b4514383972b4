/// `preflight evidence import`: JUnit and SARIF reports turned into evidence
/// records through a mapping (docs/format.md, "The mapping file").
public enum EvidenceImport {
    /// A report to import: the path it is named by, and its bytes.
    public struct Report: Sendable {
        public var path: String
        public var bytes: [UInt8]

        public init(path: String, bytes: [UInt8]) {
            self.path = path
            self.bytes = bytes
        }
    }

    /// Reads a report file (a regular file, not a link, at most 100 MB).
    public static func read(_ path: String) throws(FileSystem.Failure) -> [UInt8] {
        let slash = path.lastIndex(of: "/")
        let folder = slash.map { $0 == path.startIndex ? "/" : String(path[..<$0]) } ?? "."
        let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
        return try FileSystem.read(name, in: folder, limit: TestReports.maxBytes)
    }

    /// The records the reports give by `mapping`, one per service and check,
    /// all at `at` from `source`, in the mapping's order. A report that cannot
    /// be read is an error; a mapping entry that matched nothing, a warning.
    public static func records(
        mapping: EvidenceMapping, reports: [Report], at: Timestamp, source: String, diagnostics: inout DiagnosticList
    ) -> [EvidenceRecord] {
        var cases: [TestReports.TestCase] = []
        var runs: [TestReports.Run] = []
        for report in reports {
            let location = SourceLocation(path: report.path)
            guard String(validating: report.bytes, as: UTF8.self) != nil else {
                diagnostics.error("\(report.path) is not UTF-8", at: location, hint: "JUnit and SARIF reports are UTF-8")
                continue
            }
            let first = report.bytes.first { !($0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D || $0 == 0xEF || $0 == 0xBB || $0 == 0xBF) }
            do throws(TestReports.Problem) {
                if first == UInt8(ascii: "{") {
                    runs += try TestReports.sarif(report.bytes)
                } else if first == UInt8(ascii: "<") {
                    cases += try TestReports.junit(report.bytes)
                } else {
                    throw TestReports.Problem(message: "neither a JUnit XML nor a SARIF report")
                }
            } catch {
                diagnostics.error(
                    "cannot import \(report.path): \(error.message)",
                    at: SourceLocation(path: report.path, line: error.line, column: error.column),
                    hint: "import JUnit XML (`<testsuites>`) and SARIF 2.1.0 (`{\"runs\": …}`) reports")
            }
        }
        guard !diagnostics.hasErrors else { return [] }

        // Per service and check, in the mapping's order: each entry's outcome.
        struct Outcome {
            var failed: [String] = []
            var passed: [String] = []
        }
        var outcomes: [String: Outcome] = [:]
        var order: [(service: String, check: String)] = []
        func add(_ service: String, _ check: String, _ update: (inout Outcome) -> Void) {
            let key = service + "\u{0}" + check
            if outcomes[key] == nil {
                outcomes[key] = Outcome()
                order.append((service, check))
            }
            update(&outcomes[key]!)
        }
        for entry in mapping.junit {
            let matched = cases.filter { entry.testcase.matches($0.fullName) || entry.testcase.matches($0.name) }
            let ran = matched.filter { $0.outcome != .skipped }
            guard !ran.isEmpty else {
                diagnostics.warning(
                    matched.isEmpty
                        ? "`testcase: \(entry.testcase)` matched no test case in the reports; no record for \(entry.service) / \(entry.check)"
                        : "every test case `\(entry.testcase)` matched was skipped; no record for \(entry.service) / \(entry.check)",
                    at: entry.location, hint: "a renamed test must not go quiet: fix the pattern, or remove the entry")
                continue
            }
            let failures = ran.compactMap { test -> String? in
                guard case .failed(let message) = test.outcome else { return nil }
                return TestReports.clean(test.fullName) + (message.isEmpty ? "" : " (\(message))")
            }
            add(entry.service, entry.check) { outcome in
                if failures.isEmpty {
                    outcome.passed.append(ran.count == 1 ? "1 test passed" : "\(ran.count) tests passed")
                } else {
                    outcome.failed.append("\(failures.count) of \(ran.count) tests failed: " + failures.prefix(3).joined(separator: "; "))
                }
            }
        }
        for entry in mapping.sarif {
            let scanned = runs.filter { run in entry.tool.map { $0.matches(run.tool) } ?? true }
            guard !scanned.isEmpty else {
                diagnostics.warning(
                    "no SARIF run\(entry.tool.map { " of tool `\($0)`" } ?? "") in the reports; no record for \(entry.service) / \(entry.check)",
                    at: entry.location, hint: "import the scanner's report, or fix the `tool` pattern")
                continue
            }
            let findings = scanned.flatMap(\.findings).filter { finding in
                entry.rule.matches(finding.rule) && entry.levels.contains(finding.level)
                    && (entry.path.map { glob in finding.uris.contains { glob.matches($0) } } ?? true)
            }
            let tools = Array(Set(scanned.map(\.tool))).sorted().joined(separator: ", ")
            // A run that did not complete cannot show that nothing was found: its
            // findings fail the check, and without any there is no record.
            if findings.isEmpty, let run = scanned.first(where: { $0.incomplete != nil }) {
                diagnostics.warning(
                    "the SARIF run\(run.tool.isEmpty ? "" : " of `\(run.tool)`") \(run.incomplete!); no record for \(entry.service) / \(entry.check)",
                    at: entry.location, hint: "a scan that did not finish must not pass the check: fix the scan, then import its report")
                continue
            }
            add(entry.service, entry.check) { outcome in
                if findings.isEmpty {
                    outcome.passed.append("no findings of \(entry.rule)" + (tools.isEmpty ? "" : " (\(tools))"))
                } else {
                    let shown = findings.prefix(3).map { finding in
                        "\(finding.rule) (\(finding.level))" + (finding.uris.first.map { " in \($0)" } ?? "")
                    }
                    outcome.failed.append(
                        (findings.count == 1 ? "1 finding: " : "\(findings.count) findings: ") + shown.joined(separator: "; "))
                }
            }
        }
        return order.map { service, check in
            let outcome = outcomes[service + "\u{0}" + check]!
            let failed = !outcome.failed.isEmpty
            let note = TestReports.clean((failed ? outcome.failed : outcome.passed).joined(separator: "; "))
            return EvidenceRecord(
                service: service, check: check, result: failed ? .fail : .pass, at: at, source: source, note: note,
                location: SourceLocation(path: "(new)"))
        }
    }

    /// Errors for records that name a service or check the site at
    /// `siteDirectory` does not have as an `auto` check. Nil when there is no
    /// site there (a `content/` folder) to check against.
    public static func problems(
        of records: [EvidenceRecord], siteDirectory: String, at location: (EvidenceRecord) -> SourceLocation
    ) -> DiagnosticList? {
        guard FileSystem.kind(siteDirectory + "/content") == .directory else { return nil }
        guard let content = ContentLoader.load(siteDirectory: siteDirectory, partial: true).content else { return nil }
        var diagnostics = DiagnosticList()
        var reviews: [String: [Review]] = content.reviews
        for key in reviews.keys { reviews[key] = reviews[key]!.filter { !$0.draft } }
        let checklists = Dictionary(uniqueKeysWithValues: content.checklists.map { ($0.id, $0) })
        let targets = EvidenceTargets(services: content.services) {
            ContentLoader.judgedChecklist(
                of: $0, reviews: reviews, checklists: checklists, defaultChecklist: content.defaultChecklist)
        }
        for record in records {
            if let (message, hint) = targets.problem(service: record.service, check: record.check) {
                diagnostics.error(message, at: location(record), hint: hint)
            }
        }
        return diagnostics
    }
}
