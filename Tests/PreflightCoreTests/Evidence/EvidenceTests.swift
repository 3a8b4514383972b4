import Foundation
import Testing
@testable import PreflightCore

// Evidence records (docs/format.md, "Evidence"): their form, how they are
// read and kept, and how they answer `auto` checks, at the rules' boundaries.

/// A checklist with an auto check (every=30), an auto check without `every`,
/// a rule check and a plain one.
let evidenceChecklist = """
    ---
    title: Ops
    levels: [Bronze, Silver]
    ---

    ## Recovery {#recovery}

    - [ ] The restore drill passed {#drill auto every=30 level=Silver required}
    - [ ] The suite passes {#suite auto}
    - [ ] The runbook is linked {#runbook rule=links.runbook}
    - [ ] Owners are named {#owners level=Bronze}
    """

/// A site with that checklist, services `pay` (tier 1, a runbook link) and
/// `ledger`, one review of `pay` on 2026-11-01, and `files` on top.
func evidenceSite(_ files: [String: String] = [:]) throws -> TempSite {
    var all = [
        "content/checklists/ops.md": evidenceChecklist,
        "content/services/pay/index.md": "---\nname: Pay\ntier: 1\nlinks:\n  Runbook: https://wiki.example.org/pay\n---\n",
        "content/services/ledger/index.md": "---\nname: Ledger\n---\n",
        "content/services/pay/reviews/2026-11-01.md": "---\ndate: 2026-11-01\ndecision: approved\n---\n- [x] x {#owners}\n",
    ]
    all.merge(files) { $1 }
    return try TempSite(all)
}

func record(_ service: String = "pay", _ check: String = "drill", _ result: String = "pass", at: String, source: String = "https://ci.example.org/1", note: String? = nil) -> String {
    var line = "{\"service\": \"\(service)\", \"check\": \"\(check)\", \"result\": \"\(result)\", \"at\": \"\(at)\", \"source\": \"\(source)\""
    if let note { line += ", \"note\": \"\(note)\"" }
    return line + "}"
}

func model(_ site: TempSite, asOf: String, evidence: [String] = []) throws -> (SiteModel, DiagnosticList) {
    let day = try #require(Day(asOf))
    let (content, diagnostics, _) = ContentLoader.load(siteDirectory: site.root, evidence: evidence, buildDate: day)
    let loaded = try #require(content, "\(diagnostics.lines)")
    return (SiteModel(content: loaded, options: BuildOptions(siteDirectory: site.root, buildDate: day)), diagnostics)
}

func state(_ model: SiteModel, _ check: String) -> CheckState? {
    state(model, "pay", check)
}

func state(_ model: SiteModel, _ service: String, _ check: String) -> CheckState? {
    model.readiness[service]?.latest?.checks.first { $0.id == check }
}

@Suite struct TimestampTests {
    @Test func readsRFC3339WithOffsetsAsInstants() throws {
        let z = try #require(Timestamp("2026-11-20T03:12:00Z"))
        let plus = try #require(Timestamp("2026-11-20T05:12:00+02:00"))
        #expect(z == plus)
        #expect(z.day.description == "2026-11-20")
        // An offset can move the UTC day: 23:30 at -02:00 is the next day in UTC.
        #expect(Timestamp("2026-11-20T23:30:00-02:00")?.day.description == "2026-11-21")
        #expect(Timestamp("2026-11-20t03:12:00.125z")?.nanoseconds == 125_000_000)
        #expect(try #require(Timestamp("2026-11-20T03:12:00.5Z")) > z)
        #expect(Timestamp("2026-12-31T23:59:60Z")?.day.description == "2026-12-31")
        // RFC 3339 bounds no fraction: digits past nanoseconds are cut.
        #expect(Timestamp("2026-11-20T03:12:00.123456789123456789123456789123Z")?.nanoseconds == 123_456_789)
    }

    @Test(arguments: [
        ("2026-11-20", "a day without a time"), ("2026-11-20T03:12:00", "no offset"),
        ("2026-13-01T00:00:00Z", "no month 13"), ("2026-02-30T00:00:00Z", "28 days"),
        ("2026-11-20 03:12:00Z", "RFC 3339"), ("2026-11-20T25:00:00Z", "RFC 3339"), ("", "empty"),
        ("2026-11-20T03:12:00+0200", "RFC 3339"), ("2026-11-20T03:12:00.Z", "RFC 3339"),
        ("99999-11-25T03:00:00Z", "`99999-11-25`"),
    ])
    func refusesAnythingElseWithAReason(text: String, words: String) {
        #expect(Timestamp(text) == nil)
        #expect(Timestamp.problem(text).contains(words), "\(Timestamp.problem(text))")
    }
}

@Suite struct JSONReaderTests {
    @Test func readsStrictJSON() throws {
        let node = try JSONReader.parse(Array(#"{"a": [1, -0.5e3, true, null], "b": "\u00e9\ud83d\ude00\n"}"#.utf8))
        #expect(node["b"]?.string == "é😀\n")
        #expect(node["a"] == .array([.number("1"), .number("-0.5e3"), .bool(true), .null]))
    }

    @Test(arguments: [
        #"{"a": 1,}"#, #"{'a': 1}"#, "{\"a\": \"x\ny\"}", #"{"a": 01}"#, #"{"a": "\ud800"}"#, #"{"a": 1} x"#,
        #"{"a" 1}"#, #"["#, #"{"a": tru}"#, #"{"a": "\q"}"#,
    ])
    func refusesWhatJSONIsNot(text: String) {
        #expect(throws: JSONReader.Failure.self) { try JSONReader.parse(Array(text.utf8)) }
    }

    @Test func boundsNesting() throws {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        let error = #expect(throws: JSONReader.Failure.self) { try JSONReader.parse(Array(deep.utf8)) }
        #expect(error?.message.contains("nested more than 128") == true)
        let fine = String(repeating: "[", count: 128) + String(repeating: "]", count: 128)
        #expect(throws: Never.self) { try JSONReader.parse(Array(fine.utf8)) }
    }
}

@Suite struct EvidenceRecordTests {
    func parse(_ line: String) -> (EvidenceRecord?, [String]) {
        var d = DiagnosticList()
        let r = EvidenceRecord.parse(line: ArraySlice(line.utf8), at: SourceLocation(path: "e.jsonl", line: 3), diagnostics: &d)
        return (r, d.sorted.map { "\($0.severity.rawValue): \($0.message)" + ($0.hint.map { " | \($0)" } ?? "") })
    }

    @Test func readsAWholeRecordAndWritesItBackTheSame() throws {
        let line = record(at: "2026-11-20T03:12:00+01:00", note: "took 14 min")
        let (r, problems) = parse(line)
        let read = try #require(r)
        #expect(problems.isEmpty)
        #expect(read.result == .pass && read.note == "took 14 min" && read.day.description == "2026-11-20")
        #expect(read.line == line)
        #expect(parse(read.line).0?.line == line)
    }

    @Test func eachMistakeIsNamedWithAHint() {
        #expect(parse(#"{"service": "pay", "check": "drill", "result": "passed", "at": "2026-11-20T03:12:00Z", "source": "x"}"#).1
            == ["error: `result` must be `pass` or `fail`, not `passed` | did you mean `pass`?"])
        #expect(parse(#"{"service": "pay", "check": "drill", "result": "pass", "source": "x"}"#).1.first?.contains("has no `at`") == true)
        #expect(parse(#"{"service": "pay", "check": "drill", "result": "pass", "at": "2026-11-20", "source": "x"}"#).1.first?.contains("a day without a time") == true)
        #expect(parse(#"{"service": "pay", "check": 3, "result": "pass", "at": "2026-11-20T03:12:00Z", "source": "x"}"#).1.first?.contains("`check` must be a string, not a number") == true)
        #expect(parse(#"{"service": "pay", "service": "pay", "check": "d", "result": "pass", "at": "2026-11-20T03:12:00Z", "source": "x"}"#).1.first?.contains("given twice") == true)
        #expect(parse(#"{"service": "pay", "check": "d", "result": "pass", "at": "2026-11-20T03:12:00Z", "source": " "}"#).1 == ["error: `source` is empty in an evidence record"])
        #expect(parse(#"["pay"]"#).1.first?.contains("is a list, not an object") == true)
        #expect(parse(#"{"service": "pay"#).1.first?.contains("not JSON") == true)
        let (kept, warned) = parse(#"{"service": "pay", "check": "d", "result": "pass", "at": "2026-11-20T03:12:00Z", "source": "x", "nte": "y"}"#)
        #expect(kept != nil)
        #expect(warned == ["warning: unknown key `nte` in an evidence record | did you mean `note`?"])
        // Hidden characters in what pages show are left out, with a warning.
        let (cleaned, told) = parse(#"{"service": "pay", "check": "d", "result": "pass", "at": "2026-11-20T03:12:00Z", "source": "nul\u0000 x", "note": "\u202Egnp.exe"}"#)
        #expect(cleaned?.source == "nul x" && cleaned?.note == "gnp.exe")
        #expect(told == [
            "warning: `note` holds a control or bidirectional-override character (U+202E); it is left out | write the text without it",
            "warning: `source` holds a control or bidirectional-override character (U+0000); it is left out | write the text without it",
        ])
    }
}

@Suite struct EvidenceLoadingTests {
    @Test func evidenceAnswersAutoChecksByTheRulesOfTheTable() throws {
        let site = try evidenceSite([
            "evidence/ci.jsonl": [
                record("pay", "drill", "pass", at: "2026-10-01T03:00:00Z"),
                record("pay", "suite", "fail", at: "2026-11-24T03:00:00Z", note: "2 of 40 tests failed"),
                record("ledger", "drill", "pass", at: "2026-11-24T03:00:00Z"),
            ].joined(separator: "\n") + "\n",
        ])
        // 2026-10-31 is the drill's last day (day + 30); 11-01 it is stale.
        let (onLastDay, _) = try model(site, asOf: "2026-10-31")
        #expect(state(onLastDay, "drill")?.state == .done)
        #expect(state(onLastDay, "drill")?.holdsUntil?.description == "2026-10-31")
        let (m, d) = try model(site, asOf: "2026-11-26")
        #expect(!d.hasErrors, "\(d.lines)")
        let drill = try #require(state(m, "drill"))
        #expect(drill.state == .expired)
        #expect(drill.verdict?.reason == "evidence 56 days old, needs 30")
        #expect(state(m, "suite")?.state == .open)
        #expect(state(m, "suite")?.verdict?.reason == "failed 2026-11-24: 2 of 40 tests failed")
        #expect(state(m, "runbook")?.state == .done)
        let r = try #require(m.readiness["pay"])
        // The drill is required: stale evidence makes the service not ready.
        #expect(r.status == .notReady)
        #expect(r.openRequired == ["drill"])
        #expect(r.expired == ["drill"])
        // ledger is unreviewed: its evidence shows, but it answers no review.
        #expect(m.readiness["ledger"]?.status == .unreviewed)
        let ledger = try #require(m.answeredChecks(of: m.servicesBySlug["ledger"]!))
        #expect(!ledger.reviewed)
        #expect(ledger.states.first { $0.id == "drill" }?.state == .done)
        #expect(ledger.states.first { $0.id == "runbook" }?.verdict?.reason == "links.runbook is not set")
        // Without any record: unanswered, "no evidence yet".
        let bare = try evidenceSite()
        let (none, _) = try model(bare, asOf: "2026-11-26")
        #expect(state(none, "suite")?.state == .unanswered)
        #expect(state(none, "suite")?.verdict?.reason == "no evidence yet")
    }

    @Test func aTickDoesNotOverruleEvidenceButAWaiverWaives() throws {
        let site = try evidenceSite([
            "content/services/pay/reviews/2026-11-01.md":
                "---\ndate: 2026-11-01\ndecision: approved\n---\n- [x] x {#drill}\n- [~] x: not run here {#suite until=2027-01-01}\n- [x] x {#runbook}\n",
            "content/services/ledger/reviews/2026-11-01.md": "---\ndate: 2026-11-01\n---\n- [x] x {#runbook}\n- [x] x {#suite}\n",
            "evidence/ci.jsonl": record("pay", "drill", "fail", at: "2026-11-20T03:00:00Z") + "\n"
                + record("pay", "suite", "fail", at: "2026-11-20T03:00:00Z") + "\n"
                + record("ledger", "suite", "pass", at: "2026-11-20T03:00:00Z") + "\n",
        ])
        let (m, _) = try model(site, asOf: "2026-11-26")
        let drill = try #require(state(m, "drill"))
        #expect(drill.state == .open && drill.isContradicted)
        let suite = try #require(state(m, "suite"))
        #expect(suite.state == .waived && !suite.isContradicted)
        #expect(suite.verdict?.record?.result == .fail)
        #expect(state(m, "ledger", "runbook")?.isContradicted == true)
        #expect(state(m, "ledger", "suite")?.isContradicted == false)
        // `check` says so, at the tick.
        let report = Site.check(BuildOptions(siteDirectory: site.root, buildDate: Day("2026-11-26")!))
        let lines = report.diagnostics.lines
        #expect(lines.contains { $0.hasPrefix("content/services/pay/reviews/2026-11-01.md:5:1: warning: check `drill` is ticked done, but its evidence failed 2026-11-20") }, "\(lines)")
        #expect(lines.contains { $0.contains("ledger/reviews/2026-11-01.md:4:1: warning: check `runbook` is ticked done, but its rule `links.runbook` does not hold") }, "\(lines)")
        #expect(!lines.contains { $0.contains("check `suite` is ticked") })
    }

    @Test func newestWinsByInstantAcrossFilesAndKeepsOnePerDay() throws {
        let site = try evidenceSite([
            "evidence/a.jsonl": record("pay", "suite", "fail", at: "2026-11-20T10:00:00+02:00") + "\n",
            "evidence/nested/b.jsonl": record("pay", "suite", "pass", at: "2026-11-20T09:00:00Z") + "\n"
                + record("pay", "suite", "fail", at: "2026-11-19T23:00:00Z") + "\n",
        ])
        let (m, d) = try model(site, asOf: "2026-11-26")
        #expect(!d.hasErrors)
        // 10:00+02:00 is 08:00Z, before 09:00Z: the pass is newest.
        #expect(state(m, "suite")?.state == .done)
        #expect(m.content.evidence["pay"]?.records["suite"]?.map(\.day.description) == ["2026-11-19", "2026-11-20"])
        // As of the 19th, the 20th's records have not happened yet.
        let (earlier, _) = try model(site, asOf: "2026-11-19")
        #expect(state(earlier, "suite")?.state == .open)
    }

    @Test func problemsAreNamedAtTheirLine() throws {
        let lines = [
            record("pay", "suite", "pass", at: "2026-11-20T03:00:00Z"),
            "",
            "   ",
            record("pay", "suite", "pass", at: "2026-11-20T04:00:00+01:00"),
            record("pay", "suite", "fail", at: "2026-11-20T03:00:00Z"),
            record("pya", "suite", "pass", at: "2026-11-20T03:00:00Z"),
            record("pya", "drill", "pass", at: "2026-11-21T03:00:00Z"),
            record("pay", "suit", "pass", at: "2026-11-20T03:00:00Z"),
            record("pay", "owners", "pass", at: "2026-11-20T03:00:00Z"),
            record("pay", "runbook", "pass", at: "2026-11-20T03:00:00Z"),
            record("pay", "drill", "pass", at: "2027-01-01T00:00:00Z"),
            record("pay", "drill", "pass", at: "2027-01-02T00:00:00Z"),
            "{\"service\": \"pay\", \"check\": \"suite\", \"result\": \"pass\", \"at\": \"2026-11-20T03:00:00Z\", \"source\": \"\u{FF}\"}",
            "not json",
        ]
        var text = lines.joined(separator: "\r\n")
        text = "\u{FEFF}" + text
        var bytes = Array(text.utf8)
        // Line 13: an invalid byte in place of the `ÿ`.
        if let at = bytes.firstRange(of: Array("\u{FF}".utf8)) { bytes.replaceSubrange(at, with: [0xFF]) }
        let site = try evidenceSite(["evidence/README.md": "# Evidence\n"])
        try site.write("evidence/ci.jsonl", Data(bytes))
        let (content, d, _) = ContentLoader.load(siteDirectory: site.root, buildDate: Day("2026-11-26")!)
        #expect(content == nil)
        let found = d.lines
        #expect(found.contains("evidence/ci.jsonl:4:1: warning: duplicate evidence: the same record as evidence/ci.jsonl:1"), "\(found)")
        #expect(found.contains { $0.hasPrefix("evidence/ci.jsonl:5:1: error: evidence for `pay` / `suite` at 2026-11-20T03:00:00Z says fail, but evidence/ci.jsonl:1 says pass") }, "\(found)")
        #expect(found.contains("evidence/ci.jsonl:6:1: warning: evidence for `pya`, which is not a service of this site (2 records, the first here); it answers nothing"), "\(found)")
        #expect(found.contains("evidence/ci.jsonl:8:1: warning: evidence for `pay` names `suit`, which is not a check of checklist `ops` (1 record); it answers nothing"), "\(found)")
        #expect(found.contains("evidence/ci.jsonl:9:1: warning: check `owners` of checklist `ops` is not `auto`, so evidence for `pay` cannot answer it (1 record); it answers nothing"), "\(found)")
        #expect(found.contains { $0.hasPrefix("evidence/ci.jsonl:10:1: warning: check `runbook` of checklist `ops` is not `auto`") })
        #expect(found.contains("evidence/ci.jsonl:11:1: warning: 2 evidence records dated after the build date 2026-11-26 are not counted (the first here)"), "\(found)")
        #expect(found.contains("evidence/ci.jsonl:13:1: error: evidence line is not UTF-8"), "\(found)")
        #expect(found.contains { $0.hasPrefix("evidence/ci.jsonl:14:1: error: evidence line is not JSON") }, "\(found)")
        #expect(!found.contains { $0.contains("README") })
        let hints = d.sorted.compactMap(\.hint)
        #expect(hints.contains("did you mean `pay`?") && hints.contains("did you mean `suite`?"))
    }

    @Test func foldersAndPathsOutsideTheSite() throws {
        let site = try evidenceSite(["evidence/junit.xml": "<testsuites/>", "evidence/deep/1/2/3/4/5/6/7/8/x.jsonl": ""])
        let outside = try TempSite(["ci/more.jsonl": record("pay", "suite", "pass", at: "2026-11-20T03:00:00Z") + "\n"])
        try FileManager.default.createSymbolicLink(atPath: site.root + "/evidence/link.jsonl", withDestinationPath: outside.root + "/ci/more.jsonl")
        let (_, d, _) = ContentLoader.load(
            siteDirectory: site.root, evidence: [outside.root + "/ci/more.jsonl", outside.root + "/ci", outside.root + "/missing"],
            buildDate: Day("2026-11-26")!)
        let lines = d.lines
        #expect(lines.contains("evidence/junit.xml:1:1: error: unexpected file evidence/junit.xml among the evidence"), "\(lines)")
        #expect(d.sorted.first { $0.path == "evidence/junit.xml" }?.hint?.contains("preflight evidence import") == true)
        #expect(lines.contains { $0.hasPrefix("evidence/deep/1/2/3/4/5/6/7:1:1: error: folder evidence/deep/1/2/3/4/5/6/7 is nested more than 8 folders deep") }, "\(lines)")
        #expect(lines.contains("evidence/link.jsonl:1:1: error: evidence/link.jsonl is a symbolic link; Preflight does not follow links"))
        #expect(lines.contains("\(outside.root)/missing:1:1: error: no evidence file or folder at \(outside.root)/missing"))
        // The same record read through the file and through its folder: a duplicate, named by its own path.
        #expect(lines.contains("\(outside.root)/ci/more.jsonl:1:1: warning: duplicate evidence: the same record as \(outside.root)/ci/more.jsonl:1"), "\(lines)")
        // Paths outside the site are shown as given, never under the site folder.
        let formatter = DiagnosticFormatter(siteDirectory: "site")
        #expect(formatter.displayPath("./ci/x.jsonl") == "./ci/x.jsonl")
        #expect(formatter.displayPath("evidence/x.jsonl") == "site/evidence/x.jsonl")
        #expect(EvidenceFiles.displayPath("ci/x.jsonl") == "./ci/x.jsonl")
    }

    @Test func longLinesAndLargeFilesAreReadInPieces() throws {
        let site = try evidenceSite()
        // A 5 MB line without a break, then a record; then 60,000 records of one day.
        var text = String(repeating: "x", count: 5_000_000) + "\n" + record("pay", "suite", "pass", at: "2026-11-20T03:00:00Z") + "\n"
        for i in 0..<60_000 {
            text += record("pay", "drill", "pass", at: "2026-11-21T03:\(String(format: "%02d", i / 60 % 60)):\(String(format: "%02d", i % 60)).\(i)Z") + "\n"
        }
        try site.write("evidence/big.jsonl", text)
        let (content, d, _) = ContentLoader.load(siteDirectory: site.root, partial: true, buildDate: Day("2026-11-26")!)
        #expect(d.lines.filter { $0.contains("error") } == ["evidence/big.jsonl:1:1: error: evidence line is longer than 64 KiB"])
        // One record per service, check and day is kept.
        #expect(content?.evidence.count == 2)
        // A file of NUL bytes with no line break at all (24 MiB, sparse): one error, no crash.
        let sparse = site.root + "/evidence/zeros.jsonl"
        #expect(FileManager.default.createFile(atPath: sparse, contents: nil))
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: sparse))
        try handle.truncate(atOffset: 24 << 20)
        try handle.close()
        let (_, zeros, _) = ContentLoader.load(siteDirectory: site.root, partial: true, buildDate: Day("2026-11-26")!)
        #expect(zeros.lines.filter { $0.contains("zeros") } == ["evidence/zeros.jsonl:1:1: error: evidence line is longer than 64 KiB"])
    }
}

@Suite struct CheckRuleTests {
    func service(_ front: String) throws -> Service {
        var d = DiagnosticList()
        let file = try SourceFile.split(path: "s.md", text: "---\n\(front)\n---\n").get()
        return try #require(Service.parse(slug: "svc", file: file, unsafeHTML: false, diagnostics: &d))
    }

    func holds(_ rule: String, _ front: String) throws -> (Bool, String?) {
        let parsed = try CheckRule.parse(rule).get()
        let (ok, reason) = parsed.evaluate(try service(front))
        return (ok, reason)
    }

    @Test func theWholeVocabulary() throws {
        let front = """
            tier: 1
            lifecycle: in production
            tags: [pci, edge]
            links:
              On call: https://pager.example.org
            extra:
              slo: {availability: "99.9"}
              empty: ""
            """
        #expect(try holds("tier", front) == (true, nil))
        #expect(try holds("owner", front) == (false, "owner is not set"))
        #expect(try holds("tier = 1", front) == (true, nil))
        #expect(try holds("tier=2", front) == (false, "tier is 1, not 2"))
        #expect(try holds("tier in [1, 2]", front) == (true, nil))
        #expect(try holds("tier in [2,3]", front) == (false, "tier is 1, not 2 or 3"))
        #expect(try holds("tier not in [3]", front) == (true, nil))
        #expect(try holds("tier not in [1]", front) == (false, "tier is 1"))
        #expect(try holds("owner not in [x]", front) == (true, nil))
        #expect(try holds("lifecycle = 'in production'", front) == (true, nil))
        #expect(try holds("lifecycle in [\"in production\", beta]", front) == (true, nil))
        #expect(try holds("tags = pci", front) == (true, nil))
        #expect(try holds("tags in [x, y]", front) == (false, "tags holds none of x or y"))
        #expect(try holds("tags not in [edge]", front) == (false, "tags holds edge"))
        #expect(try holds("links.on-call", front) == (true, nil))
        #expect(try holds("links.ON_CALL", front) == (true, nil))
        #expect(try holds("links.oncall", front) == (true, nil))
        #expect(try holds("links.runbook", front) == (false, "links.runbook is not set"))
        #expect(try holds("links", front) == (true, nil))
        #expect(try holds("extra.slo.availability = 99.9", front) == (true, nil))
        #expect(try holds("extra.slo", front) == (true, nil))
        #expect(try holds("extra.empty", front) == (false, "extra.empty is not set"))
        #expect(try holds("name", "") == (true, nil))
    }

    @Test(arguments: [
        ("tire", "did you mean `tier`?"), ("tier > 1", "unexpected `> 1` after `tier`"),
        ("tier in 1, 2", "`in` needs a list"), ("tier in [1, 2", "not closed"), ("tier in []", "needs values"),
        ("tier and owner", "not part of the rule vocabulary"), ("extra", "`extra` needs the name"),
        ("owner.name", "`owner` has no parts"), ("links.a.b", "`links` has no parts"), ("", "does not start with a key"),
        ("tier = ", "`=` needs a value"), ("tier = 'open", "a quoted value is not closed"), ("tier in ['a', \"b]", "a quoted value is not closed"), ("links..x", "a dot needs a name"),
    ])
    func anythingElseIsAnErrorAtItsLine(rule: String, words: String) {
        guard case .failure(let problem) = CheckRule.parse(rule) else {
            Issue.record("`\(rule)` was read")
            return
        }
        #expect(problem.message.contains(words), "\(problem.message)")
    }

    @Test func checklistsSayWhereARuleOrAutoIsWrong() throws {
        var d = DiagnosticList()
        let text = """
            ---
            title: T
            ---
            ## A {#a}
            - [ ] x {#one auto rule=tier}
            - [ ] x {#two rule=tire}
            - [ ] x {#three rule=tier every=3}
            - [ ] x {#four rule="tier in [1, 2]"}
            - [ ] x {#five auto auto}
            - [ ] x {#six auto every=7 required}
            """
        let file = try SourceFile.split(path: "c.md", text: text).get()
        let list = try #require(Checklist.parse(id: "t", file: file, unsafeHTML: false, diagnostics: &d))
        #expect(d.lines == [
            "c.md:5:1: error: a check is `auto` or has a `rule=`, not both",
            "c.md:6:15: error: cannot read `rule=tire`: `tire` is not a service key a rule can read (did you mean `tier`?)",
            "c.md:7:1: error: `every=` does not apply to a `rule=` check",
            "c.md:9:1: error: attribute `auto` is given twice on check",
        ])
        #expect(list.check(id: "four")?.rule?.test == .oneOf(["1", "2"]))
        let six = try #require(list.check(id: "six"))
        #expect(six.auto && six.every == 7 && six.required)
        // A review cannot make a check auto.
        var r = DiagnosticList()
        let review = try SourceFile.split(path: "r.md", text: "---\ndate: 2026-01-01\n---\n- [x] x {#six auto}\n").get()
        let context = Review.Context(serviceName: "S", serviceChecklist: nil, defaultChecklist: "t", checklists: ["t": list], unsafeHTML: false)
        _ = Review.parse(service: "s", name: "r", file: review, context: context, diagnostics: &r)
        #expect(r.lines == ["r.md:4:1: error: a review's task item takes no `auto`"])
    }
}

@Suite struct EvidenceHistoryTests {
    @Test func reviewsAreJudgedWithTheEvidenceOfTheirDay() throws {
        let site = try evidenceSite([
            "content/services/pay/reviews/2026-06-01.md": "---\ndate: 2026-06-01\ndecision: approved\n---\n- [x] x {#owners}\n",
            "evidence/ci.jsonl": [
                record("pay", "suite", "fail", at: "2026-05-20T03:00:00Z"),
                record("pay", "suite", "pass", at: "2026-06-10T03:00:00Z"),
                record("pay", "suite", "pass", at: "2026-06-11T03:00:00Z"),
                record("pay", "drill", "pass", at: "2026-10-20T03:00:00Z"),
                record("pay", "suite", "fail", at: "2026-11-10T03:00:00Z"),
                record("pay", "suite", "pass", at: "2026-11-20T03:00:00Z"),
            ].joined(separator: "\n"),
        ])
        let (m, _) = try model(site, asOf: "2026-11-26")
        let reviews = try #require(m.reviews["pay"])
        let june = try #require(m.reviewReadiness[reviews[0]])
        // The June review, judged on its own day, saw May's failure.
        #expect(june.checks.first { $0.id == "suite" }?.state == .open)
        #expect(june.checks.first { $0.id == "drill" }?.state == .unanswered)
        // Its standings turn on the 10th (pass), not again on the 11th (still a
        // pass), and on 10-20 (the drill's first pass), up to the next review.
        let days = try #require(m.standings["pay"]).map(\.from.description)
        #expect(days.filter { $0 < "2026-11-01" } == ["2026-06-01", "2026-06-10", "2026-10-20"], "\(days)")
        // The latest review, from its day: the fail on 11-10, the pass on 11-20; the drill was there already.
        #expect(days.filter { $0 >= "2026-11-01" } == ["2026-11-01", "2026-11-10", "2026-11-20"], "\(days)")
        // Readiness over time counts the figures at each month's end.
        let months = m.history
        #expect(months.count == 6)
        let changeDays = Readiness.changeDays(
            reviews[1], checklist: m.checklists["ops"]!, through: Day("2026-12-31")!,
            facts: m.readiness["pay"]!.latest!.facts)
        // The drill's pass of 10-20 goes stale on 11-20 (day + 30 + 1).
        #expect(changeDays.map(\.description) == ["2026-11-10", "2026-11-20"])
    }
}

@Suite struct EvidenceOutputTests {
    @Test func pagesExportsAndTheCalendarShowEvidence() throws {
        let site = try evidenceSite([
            "evidence/ci.jsonl": record("pay", "drill", "pass", at: "2026-11-20T03:00:00Z", note: "<b>14 min</b>") + "\n"
                + record("pay", "suite", "fail", at: "2026-11-24T03:00:00Z", source: "job 4411") + "\n",
        ])
        let report = Site.build(BuildOptions(siteDirectory: site.root, buildDate: Day("2026-11-26")!))
        let files = try #require(report.files)
        func text(_ path: String) throws -> String {
            let file = try #require(files.first { $0.path == path })
            switch file.contents {
            case .bytes(let bytes): return String(decoding: bytes, as: UTF8.self)
            case .text(let text): return text
            case .staticFile, .unchanged: return ""
            }
        }
        let json = try JSONSerialization.jsonObject(with: Data(try text("readiness.json").utf8)) as! [String: Any]
        #expect(json["format"] as? Int == 3)
        let pay = (json["services"] as! [[String: Any]]).first { $0["slug"] as? String == "pay" }!
        let evidence = pay["evidence"] as! [[String: Any]]
        #expect(evidence.map { $0["check"] as? String } == ["drill", "suite", "runbook"])
        #expect(evidence[0]["state"] as? String == "done" && evidence[0]["age_days"] as? Int == 6)
        #expect(evidence[0]["holds_until"] as? String == "2026-12-20")
        #expect(evidence[1]["reason"] as? String == "failed 2026-11-24: job 4411")
        #expect(evidence[2]["kind"] as? String == "rule" && evidence[2]["result"] as? String == "pass")
        let ledger = (json["services"] as! [[String: Any]]).first { $0["slug"] as? String == "ledger" }!
        #expect((ledger["evidence"] as! [[String: Any]]).allSatisfy { $0["state"] is NSNull })

        let page = try text("services/pay/index.html")
        #expect(page.contains("<h3 id=\"evidence-heading\">Evidence</h3>"))
        #expect(page.contains("&lt;b&gt;14 min&lt;/b&gt;"))
        #expect(page.contains("<a href=\"https://ci.example.org/1\">https://ci.example.org/1</a>"))
        #expect(page.contains("job 4411") && !page.contains("href=\"job 4411\""))
        let matrix = try text("checklists/ops/index.html")
        #expect(matrix.contains("cell cell-done cell-auto"))
        #expect(matrix.contains("drill: done (from evidence)"))
        #expect(matrix.contains("auto: answered by CI evidence, at most 30 days old"))
        let calendar = try text("deadlines.ics")
        #expect(calendar.contains("UID:evidence.pay.drill@"))
        #expect(calendar.contains("DTSTART;VALUE=DATE:20261220"))
        let schema = try JSONSerialization.jsonObject(with: Data(try text("schema/evidence.json").utf8)) as! [String: Any]
        #expect((schema["required"] as? [String]) == ["service", "check", "result", "at", "source"])
    }

    @Test func diffNamesTheEvidenceThatOpenedACheck() throws {
        let base = try evidenceSite(["evidence/ci.jsonl": record("pay", "suite", "pass", at: "2026-11-20T03:00:00Z") + "\n"])
        let head = try evidenceSite([
            "evidence/ci.jsonl": record("pay", "suite", "pass", at: "2026-11-20T03:00:00Z") + "\n"
                + record("pay", "suite", "fail", at: "2026-11-25T03:00:00Z", note: "3 of 9 failed") + "\n",
        ])
        let comparison = Site.compare(base: base.root, head: BuildOptions(siteDirectory: head.root, buildDate: Day("2026-11-26")!))
        let change = try #require(comparison.diff.services.first { $0.slug == "pay" })
        #expect(change.newlyOpen == ["suite"])
        #expect(change.evidence == ["suite": "failed 2026-11-25: 3 of 9 failed"])
        let formatter = DiagnosticFormatter(siteDirectory: ".")
        let text = DiffReport(
            comparison: comparison, base: "a", head: "b", asOf: Day("2026-11-26")!, formatters: (formatter, formatter)
        ).render(.text)
        #expect(text.contains("evidence: suite failed 2026-11-25: 3 of 9 failed"), "\(text)")
    }
}
