import Foundation
import Testing
@testable import PreflightCore

// `preflight evidence import`: the JUnit and SARIF readers, hostile reports,
// the mapping, and how records are appended.

private func junit(_ text: String) throws(TestReports.Problem) -> [TestReports.TestCase] {
    try TestReports.junit(Array(text.utf8))
}

private func problem(_ text: String) -> TestReports.Problem? {
    do { _ = try junit(text) } catch { return error }
    return nil
}

@Suite struct JUnitReportTests {
    @Test func readsNestedSuitesAndOutcomes() throws {
        let cases = try junit("""
            <?xml version="1.0" encoding="UTF-8"?>
            <!-- a comment -->
            <testsuites><testsuite name="a"><testsuite name="inner">
              <testcase classname="drill.pay" name="restore"/>
              <testcase classname="drill.pay" name="counts"><failure message="3 &lt; 4">trace</failure></testcase>
              <testcase name="bare"><error>boom &#x2603; <![CDATA[<not a tag>]]></error></testcase>
              <testcase classname="drill.pay" name="later"><skipped/></testcase>
              <testcase classname="" name="empty-class"><system-out>noise</system-out></testcase>
            </testsuite></testsuite></testsuites>
            """)
        #expect(cases.map(\.fullName) == ["drill.pay.restore", "drill.pay.counts", "bare", "drill.pay.later", "empty-class"])
        #expect(cases.map(\.outcome) == [.passed, .failed("3 < 4"), .failed("boom ☃ <not a tag>"), .skipped, .passed])
        #expect(try junit("<testsuite name='one'><testcase name='x'/></testsuite>").count == 1)
    }

    @Test(arguments: [
        // Entity expansion ("billion laughs") and external entities need a DTD: refused outright.
        ("<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;&lol;\">]><testsuites>&lol2;</testsuites>", "declares a DTD"),
        ("<!DOCTYPE x SYSTEM \"file:///etc/passwd\"><testsuites/>", "declares a DTD"),
        ("<testsuites>&lol;</testsuites>", "unknown entity &lol;"),
        ("<testsuites>&#0;</testsuites>", "is not a character"),
        ("<testsuites><testcase name='x'></testsuites>", "closes <testcase>"),
        ("<testsuites>", "ends inside <testsuites>"),
        ("<html><body/></html>", "not a JUnit report"),
        ("<testsuites a='1' a='2'/>", "given twice"),
        ("<testsuites/><testsuites/>", "a second root element"),
        ("hello", "text before the root element"),
        ("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><testsuites/>", "encoding ISO-8859-1"),
        ("<testsuites><!-- open", "comment is not closed"),
        ("<testsuites name=x/>", "must be quoted"),
    ])
    func refusesWhatIsNotAPlainReport(text: String, words: String) {
        let found = problem(text)
        #expect(found?.message.contains(words) == true, "\(String(describing: found))")
    }

    @Test func boundsNestingAndAttributes() {
        let deep = String(repeating: "<testsuite>", count: 100_000)
        #expect(problem("<testsuites>" + deep)?.message == "elements nested more than 256 deep")
        let attributes = (0..<300).map { "a\($0)='x'" }.joined(separator: " ")
        #expect(problem("<testsuites \(attributes)/>")?.message == "<testsuites> has more than 256 attributes")
        #expect(problem("\u{FEFF}<testsuites/>") == nil)
        #expect(throws: TestReports.Problem.self) { try TestReports.junit([0xFF, 0xFE, 0x3C, 0x00]) }
    }

    @Test func problemsHaveALineAndColumn() {
        let found = problem("<testsuites>\n  <testcase name='a'>\n  </testsuite>\n</testsuites>")
        #expect(found?.line == 3 && found?.column == 15, "\(String(describing: found))")
    }
}

@Suite struct SARIFReportTests {
    @Test func readsRunsRulesLevelsAndLocations() throws {
        let runs = try TestReports.sarif(Array(#"""
            {"version": "2.1.0", "runs": [{
              "tool": {"driver": {"name": "Trivy", "rules": [{"id": "CVE-1", "defaultConfiguration": {"level": "error"}}]}},
              "results": [
                {"ruleIndex": 0, "message": {"text": "one"}, "locations": [{"physicalLocation": {"artifactLocation": {"uri": "a/go.sum"}}}]},
                {"ruleId": "CVE-2", "message": {"text": "two"}},
                {"ruleId": "CVE-3", "level": "note", "message": {"text": "three"}, "suppressions": [{"kind": "inSource"}]},
                {"rule": {"id": "CVE-4"}, "baselineState": "absent"},
                {"ruleId": "CVE-6", "kind": "pass", "level": "none"},
                {"rule": {"id": "CVE-5"}, "baselineState": "new"}
              ]}, {"tool": {"driver": {"name": "Other"}}}]}
            """#.utf8))
        #expect(runs.map(\.tool) == ["Trivy", "Other"])
        #expect(runs[0].findings == [
            .init(rule: "CVE-1", level: "error", message: "one", uris: ["a/go.sum"]),
            .init(rule: "CVE-2", level: "warning", message: "two", uris: []),
            .init(rule: "CVE-5", level: "warning", message: "", uris: []),
        ])
        #expect(throws: TestReports.Problem.self) { try TestReports.sarif(Array(#"{"version": "2.1.0"}"#.utf8)) }
    }

    /// A report that cannot be read as SARIF 2.1.0 must not pass a check:
    /// each of these is an error naming what is wrong.
    @Test(arguments: [
        (#"{"version": "2.1.0", "runs": [{"results": [{"ruleId": "CVE-1", "level": "critical"}]}]}"#, "its level is `critical`"),
        (#"{"version": "1.0.0", "runs": [{"results": [{"ruleId": "CVE-1", "level": "ERROR"}]}]}"#, "its `version` is `1.0.0`"),
        (#"{"runs": []}"#, "its `version` is missing"),
        (#"{"version": "2.1.0", "runs": [{"results": {"ruleId": "CVE-1"}}]}"#, "`results` is not a list"),
        (#"{"version": "2.1.0", "runs": [{"results": ["CVE-1"]}]}"#, "result 1 of run 1 is not an object"),
        (#"{"version": "2.1.0", "runs": ["trivy"]}"#, "run 1 is not an object"),
        (#"{"version": "2.1.0", "runs": [{"tool": {"driver": {"rules": [{"id": "R", "defaultConfiguration": {"level": "high"}}]}}, "results": [{"ruleId": "R"}]}]}"#, "the rule of result 1 of run 1: its level is `high`"),
    ])
    func refusesWhatIsNotSARIF(text: String, words: String) {
        do {
            _ = try TestReports.sarif(Array(text.utf8))
            Issue.record("read \(text)")
        } catch {
            #expect(error.message.contains(words), "\(error.message)")
        }
    }

    /// A run without `results`, or whose invocation failed, says nothing about what was found.
    @Test func incompleteRunsAndRuleDefaultsByID() throws {
        let runs = try TestReports.sarif(Array(#"""
            {"version": "2.1.0", "runs": [
              {"tool": {"driver": {"name": "A"}}},
              {"tool": {"driver": {"name": "B"}}, "invocations": [{"executionSuccessful": false}], "results": []},
              {"tool": {"driver": {"name": "C", "rules": [{"id": "CVE-1", "defaultConfiguration": {"level": "note"}}]}},
               "invocations": [{"executionSuccessful": true}], "results": [{"ruleId": "CVE-1"}]}
            ]}
            """#.utf8))
        #expect(runs.map { $0.incomplete != nil } == [true, true, false])
        #expect(runs[2].findings.map(\.level) == ["note"])
    }

    @Test func hostileStringsReachNotesCleanAndShort() {
        let hostile = "\u{1B}[31mred\u{1B}[0m\u{202E}gnp.exe\u{0}\n\t" + String(repeating: "é", count: 500)
        let cleaned = TestReports.clean(hostile)
        #expect(!cleaned.unicodeScalars.contains { $0.value < 0x20 || $0 == "\u{202E}" })
        #expect(cleaned.hasPrefix("[31mred[0mgnp.exe é"))
        #expect(cleaned.count == TestReports.maxText && cleaned.hasSuffix("…"))
    }
}

@Suite struct GlobTests {
    @Test(arguments: [
        ("drill.*", "drill.pay.restore", true), ("drill.*", "drill", false), ("*", "", true), ("a?c", "abc", true),
        ("a?c", "ac", false), ("*.restore", "drill.pay.restore", true), ("CVE-*", "cve-1", false),
        ("a*b*c", "aXbYc", true), ("a*b*c", "aXbY", false), ("**", "x", true), ("services/pay/*", "services/pay/a/b", true),
    ])
    func matches(pattern: String, text: String, expected: Bool) {
        #expect(Glob(pattern).matches(text) == expected)
    }
}

@Suite struct EvidenceImportTests {
    private func mapping(_ text: String) -> (EvidenceMapping?, [String]) {
        var d = DiagnosticList()
        let m = EvidenceMapping.parse(text, path: "map.yml", diagnostics: &d)
        return (m, d.lines)
    }

    @Test func theMappingIsCheckedAtItsLines() {
        #expect(mapping("junit:\n  - testcase: a\n    service: pay\n").1 == ["map.yml:2:5: error: `junit[1].check` is required"])
        #expect(mapping("junit:\n  - testcse: a\n    service: pay\n    check: c\n").1.contains("map.yml:2:5: error: unknown key `junit[1].testcse`"))
        #expect(mapping("sarif:\n  - rule: a\n    levels: [error, warn]\n    service: pay\n    check: c\n").1 == ["map.yml:3:5: error: `warn` is not a SARIF level"])
        #expect(mapping("jnuit: []\n").1.contains("map.yml:1:1: error: unknown key `jnuit`"))
        #expect(mapping("junit: []\n").1 == ["map.yml:1:1: error: the mapping maps nothing"])
        #expect(mapping("junit:\n  - testcase: a\n    service: Pay Api\n    check: c\n").1 == ["map.yml:2:5: error: `Pay Api` is not a service slug"])
        #expect(mapping("junit: *a\n").1.first?.contains("aliases") == true)
        #expect(mapping("sarif:\n  - rule: a\n    levels: []\n    service: pay\n    check: c\n").1
            == ["map.yml:3:5: error: `levels` is empty: no result could ever fail the check"])
    }

    /// A scan that did not finish gives no record, with a warning; what it found still fails.
    @Test func anIncompleteScanNeverPasses() throws {
        let (m, problems) = mapping("sarif:\n  - {rule: \"CVE-*\", service: pay, check: scan}\n")
        let map = try #require(m, "\(problems)")
        let at = try #require(Timestamp("2026-11-24T03:00:00Z"))
        func records(_ json: String) -> ([String], [String]) {
            var d = DiagnosticList()
            let r = EvidenceImport.records(
                mapping: map, reports: [.init(path: "./s.sarif", bytes: Array(json.utf8))], at: at, source: "s", diagnostics: &d)
            return (r.map { "\($0.result.rawValue): \($0.note ?? "")" }, d.lines)
        }
        let failed = records(#"{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "T"}}, "invocations": [{"executionSuccessful": false}], "results": []}]}"#)
        #expect(failed.0.isEmpty)
        #expect(failed.1 == ["map.yml:2:5: warning: the SARIF run of `T` did not complete (an invocation has `executionSuccessful: false`); no record for pay / scan"])
        let silent = records(#"{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "T"}}}]}"#)
        #expect(silent.0.isEmpty && silent.1.first?.contains("has no `results`") == true, "\(silent)")
        let found = records(#"{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "T"}}, "invocations": [{"executionSuccessful": false}], "results": [{"ruleId": "CVE-1", "level": "error"}]}]}"#)
        #expect(found.0 == ["fail: 1 finding: CVE-1 (error)"])
    }

    @Test func oneRecordPerServiceAndCheckFailingWhenAnyEntryFails() throws {
        let (m, problems) = mapping("""
            junit:
              - {testcase: "drill.pay.*", service: pay, check: drill}
              - {testcase: "smoke.*", service: pay, check: drill}
              - {testcase: "drill.ledger.*", service: ledger, check: drill}
              - {testcase: "gone.*", service: ledger, check: suite}
              - {testcase: "skipped.*", service: ledger, check: other}
            sarif:
              - {rule: "CVE-*", tool: Trivy, path: "services/pay/*", service: pay, check: scan}
              - {rule: "CVE-*", tool: Trivy, path: "services/web/*", levels: [error], service: web, check: scan}
              - {rule: "*", tool: Grype, service: web, check: other}
            """)
        let map = try #require(m, "\(problems)")
        let report = EvidenceImport.Report(path: "./junit.xml", bytes: Array("""
            <testsuites>
              <testcase classname="drill.pay" name="restore"/>
              <testcase classname="smoke" name="login"><failure message="500 from /login"/></testcase>
              <testcase classname="drill.ledger" name="restore"/>
              <testcase classname="skipped" name="x"><skipped/></testcase>
            </testsuites>
            """.utf8))
        let sarif = EvidenceImport.Report(path: "./trivy.sarif", bytes: Array(#"""
            {"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "Trivy"}}, "results": [
              {"ruleId": "CVE-9", "level": "warning", "locations": [{"physicalLocation": {"artifactLocation": {"uri": "services/web/package-lock.json"}}}]}
            ]}]}
            """#.utf8))
        var d = DiagnosticList()
        let at = try #require(Timestamp("2026-11-24T03:00:00Z"))
        let records = EvidenceImport.records(mapping: map, reports: [report, sarif], at: at, source: "run 7", diagnostics: &d)
        #expect(records.map { "\($0.service)/\($0.check) \($0.result.rawValue): \($0.note ?? "")" } == [
            "pay/drill fail: 1 of 1 tests failed: smoke.login (500 from /login)",
            "ledger/drill pass: 1 test passed",
            "pay/scan pass: no findings of CVE-* (Trivy)",
            // A warning-level finding does not fail an entry that asks for errors only.
            "web/scan pass: no findings of CVE-* (Trivy)",
        ])
        #expect(records.allSatisfy { $0.at == at && $0.source == "run 7" })
        #expect(d.lines == [
            "map.yml:5:5: warning: `testcase: gone.*` matched no test case in the reports; no record for ledger / suite",
            "map.yml:6:5: warning: every test case `skipped.*` matched was skipped; no record for ledger / other",
            "map.yml:10:5: warning: no SARIF run of tool `Grype` in the reports; no record for web / other",
        ])
        // A report that is neither is an error naming it, and nothing is recorded.
        var bad = DiagnosticList()
        let none = EvidenceImport.records(
            mapping: map, reports: [.init(path: "./x.txt", bytes: Array("hello".utf8))], at: at, source: "s", diagnostics: &bad)
        #expect(none.isEmpty)
        #expect(bad.lines == ["./x.txt:1:1: error: cannot import ./x.txt: neither a JUnit XML nor a SARIF report"])
    }

    @Test func appendingOnlyAddsWholeNewLines() throws {
        let site = try TempSite([:])
        let path = site.root + "/evidence/sub/ci.jsonl"
        let at = try #require(Timestamp("2026-11-24T03:00:00Z"))
        let one = EvidenceRecord(service: "pay", check: "drill", result: .pass, at: at, source: "s", note: nil, location: .init(path: ""))
        let two = EvidenceRecord(service: "pay", check: "suite", result: .fail, at: at, source: "s", note: "n", location: .init(path: ""))
        var d = DiagnosticList()
        #expect(EvidenceLog.append([one], to: path, diagnostics: &d) == .init(written: 1, already: 0))
        // The same record again (a retried job) is not written twice; the new one is.
        #expect(EvidenceLog.append([one, two, two], to: path, diagnostics: &d) == .init(written: 1, already: 2))
        #expect(try site.read("evidence/sub/ci.jsonl") == one.line + "\n" + two.line + "\n")
        // A last line without its break gets one before the new lines.
        try site.write("evidence/open.jsonl", one.line)
        #expect(EvidenceLog.append([two], to: site.root + "/evidence/open.jsonl", diagnostics: &d)?.written == 1)
        #expect(try site.read("evidence/open.jsonl") == one.line + "\n" + two.line + "\n")
        #expect(!d.hasErrors)
        // A file that is not evidence is refused, and left as it was.
        try site.write("notes.jsonl", "# my notes\n")
        var refused = DiagnosticList()
        #expect(EvidenceLog.append([one], to: site.root + "/notes.jsonl", diagnostics: &refused) == nil)
        #expect(try site.read("notes.jsonl") == "# my notes\n")
        #expect(refused.lines.contains { $0.contains("holds lines that are not evidence records; nothing was written") })
        // A link is not followed, and a file not ending in .jsonl is not written.
        try FileManager.default.createSymbolicLink(atPath: site.root + "/link.jsonl", withDestinationPath: path)
        var linked = DiagnosticList()
        #expect(EvidenceLog.append([two], to: site.root + "/link.jsonl", diagnostics: &linked) == nil)
        #expect(linked.lines.first?.contains("symbolic link") == true)
        #expect(EvidenceLog.append([two], to: site.root + "/x.json", diagnostics: &linked) == nil)
    }

    @Test func recordsAreCheckedAgainstTheSite() throws {
        let site = try evidenceSite()
        let at = try #require(Timestamp("2026-11-24T03:00:00Z"))
        let records = [("pya", "drill"), ("pay", "dril"), ("pay", "owners"), ("pay", "drill")].map {
            EvidenceRecord(service: $0.0, check: $0.1, result: .pass, at: at, source: "s", note: nil, location: .init(path: ""))
        }
        let problems = try #require(EvidenceImport.problems(of: records, siteDirectory: site.root) { _ in SourceLocation(path: "") })
        #expect(problems.sorted.map(\.message) == [
            "check `owners` of checklist `ops` is not `auto`, so evidence for `pay` cannot answer it",
            "evidence for `pay` names `dril`, which is not a check of checklist `ops`",
            "evidence for `pya`, which is not a service of this site",
        ])
        #expect(problems.items.allSatisfy { $0.severity == .error })
        let nowhere = try TempSite([:])
        #expect(EvidenceImport.problems(of: records, siteDirectory: nowhere.root) { _ in SourceLocation(path: "") } == nil)
    }
}
