import Foundation
import Testing
@testable import PreflightCore

/// The corpus of hostile and broken inputs (issue: nothing crashes, nothing
/// leaks, nothing is lost). Each case is a small site written inline, with the
/// diagnostics it must produce.
@Suite struct HostileInputTests {
    static let review = "content/services/svc/reviews/r.md"
    static let base: [String: String] = [
        "content/checklists/basic.md": basicChecklist,
        "content/services/svc/index.md": "---\nname: Svc\n---\n",
    ]

    func check(_ files: [String: String], _ build: (TempSite) throws -> Void = { _ in }) throws -> [String] {
        let site = try TempSite(Self.base.merging(files) { $1 })
        try build(site)
        let result = Site.check(BuildOptions(siteDirectory: site.root, buildDate: Day("2026-02-01")!))
        return result.diagnostics.lines.filter { $0.contains(": error: ") }
    }

    @Test func invalidUTF8() throws {
        let errors = try check([:]) { site in
            try site.write(Self.review, Data("---\ndate: 2026-01-01\n---\nok\n\u{00E9}t\u{00E9} ".utf8) + Data([0xC3, 0x28]))
        }
        #expect(errors == ["\(Self.review):5:5: error: file is not valid UTF-8"])  // "été " is 4 characters
    }

    @Test func unterminatedFrontMatter() throws {
        #expect(try check([Self.review: "---\ndate: 2026-01-01\n\n# Review\n"]) == [
            "\(Self.review):1:1: error: front matter is not closed"
        ])
    }

    @Test func frontMatterThatIsNotAMap() throws {
        #expect(try check([Self.review: "---\njust a sentence\n---\n"]) == [
            "\(Self.review):2:1: error: front matter must be a mapping of `key: value` lines, not `just a sentence`"
        ])
    }

    @Test func wrongTypes() throws {
        let errors = try check([
            Self.review: "---\ndate: [2026-01-01]\n---\n",
            "content/services/svc/index.md": "---\ntier: {level: 1}\n---\n",
        ])
        #expect(errors == [
            "content/services/svc/index.md:2:1: error: `tier` must be text, not a mapping",
            "\(Self.review):2:1: error: `date` must be a day written YYYY-MM-DD, not a list",
        ])
    }

    /// A billion-laughs document, with the bomb used as a value and as a mapping key
    /// (the key form made Yams hash an exponentially large node).
    @Test(.timeLimit(.minutes(5)), arguments: ["value", "key"])
    func aliasBombs(form: String) throws {
        var yaml = "date: 2026-01-01\nextra:\n  a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
        for i in 1...9 { yaml += "  a\(i): &a\(i) [" + Array(repeating: "*a\(i - 1)", count: 9).joined(separator: ", ") + "]\n" }
        yaml += form == "key" ? "? *a9\n: boom\n" : "bomb: *a9\n"
        let errors = try check([Self.review: "---\n" + yaml + "---\n"])
        #expect(errors == ["\(Self.review):5:12: error: YAML aliases (`*name`) are not supported in front matter"])
    }

    @Test func aliasScannerIgnoresTextStars() {
        #expect(YAMLAliases.first(in: "title: 'a *b*'\nnote: \"*x\"\n# *comment\ntext: a*b\n") == nil)
        #expect(YAMLAliases.first(in: "body: |\n  * bullet\n  * another\nnext: 1\n") == nil)
        #expect(YAMLAliases.first(in: "list: [a, *b]\n")! == (1, 11))
        #expect(YAMLAliases.first(in: "body: >-\n  * text\nx: *y\n")! == (3, 4))
    }

    @Test func checklistProblems() throws {
        let errors = try check([
            "content/checklists/basic.md": """
                ---
                title: T
                levels: [Bronze]
                ---
                ## Cat
                - [ ] a {#dup}
                - [ ] b {#dup}
                - [ ] c {#c weight=0}
                - [ ] d {#d weight=-3}
                - [ ] e {#e weight=1e9}
                - [ ] f {#f level=Diamond}
                """,
            Self.review: "---\ndate: 2026-01-01\nchecklist: nope\n---\n",
        ])
        #expect(errors == [
            "content/checklists/basic.md:7:1: error: check id `dup` is used twice (first on line 6)",
            "content/checklists/basic.md:8:1: error: weight must be a whole number from 1 to 1000000, not `0`",
            "content/checklists/basic.md:9:1: error: weight must be a whole number from 1 to 1000000, not `-3`",
            "content/checklists/basic.md:10:1: error: weight must be a whole number from 1 to 1000000, not `1e9`",
            "content/checklists/basic.md:11:1: error: level `Diamond` is not one of the checklist's levels",
            "\(Self.review):3:1: error: unknown checklist `nope`",
        ])
    }

    @Test func checklistWithNoChecksAndEmptyFiles() throws {
        let errors = try check([
            "content/checklists/basic.md": "",
            "content/services/svc/index.md": "",
            Self.review: "",
        ])
        #expect(errors == [
            "content/checklists/basic.md:1:1: error: `title` is required",
            "content/checklists/basic.md:1:1: error: checklist has no checks",
            "\(Self.review):1:1: error: `date` is required",
        ])
        #expect(try check(["preflight.yml": ""]) == [])
    }

    @Test func reviewThatAnswersNothingBuilds() throws {
        let site = try TempSite(Self.base.merging([Self.review: "---\ndate: 2026-01-01\n---\nNothing here.\n"]) { $1 })
        let options = BuildOptions(siteDirectory: site.root, buildDate: Day("2026-02-01")!)
        #expect(Site.build(options).files != nil)
        let r = try #require(Site.prepare(options).prepared?.model.readiness["svc"])
        #expect(r.score == 0 && r.status == .notReady)
    }

    @Test func badFileNames() throws {
        let errors = try check([
            "content/services/My Service/index.md": "x",
            "content/services/Capital/index.md": "x",
            "content/services/café/index.md": "x",
            "content/services/svc/reviews/Review 1.md": "x",
        ])
        #expect(errors.count == 4)
        #expect(errors.allSatisfy { $0.contains("unexpected") })
        #expect(errors.contains { $0.hasPrefix("content/services/café:1:1: error: unexpected folder content/services/café") })
    }

    @Test func symlinksAreRefusedAndNeverRead() throws {
        let outside = try TempSite(["secret.md": "---\ndate: 2026-01-01\n---\nTOP SECRET\n"])
        let errors = try check([:]) { site in
            let fm = FileManager.default
            try fm.createDirectory(atPath: site.root + "/content/services/svc/reviews", withIntermediateDirectories: true)
            try fm.createSymbolicLink(atPath: site.root + "/content/services/svc/reviews/leak.md", withDestinationPath: outside.root + "/secret.md")
            try fm.createDirectory(atPath: site.root + "/templates", withIntermediateDirectories: true)
            try fm.createSymbolicLink(atPath: site.root + "/templates/page.mustache", withDestinationPath: outside.root + "/secret.md")
            try fm.createSymbolicLink(atPath: site.root + "/content/pages", withDestinationPath: outside.root)
        }
        #expect(errors == [
            "content/pages:1:1: error: content/pages is a symbolic link; Preflight does not follow links",
            "content/services/svc/reviews/leak.md:1:1: error: content/services/svc/reviews/leak.md is a symbolic link; Preflight does not follow links",
            "templates/page.mustache:1:1: error: templates/page.mustache is a symbolic link; Preflight does not follow links",
        ])
    }

    @Test func hugeFiles() throws {
        // 20 MB of Markdown builds; a file over the 64 MiB limit is refused, not loaded.
        let paragraph = String(repeating: "Lorem ipsum dolor sit amet, **consectetur** adipiscing elit. ", count: 16) + "\n\n"
        let big = "---\ndate: 2026-01-01\n---\n" + String(repeating: paragraph, count: 20_000_000 / paragraph.utf8.count)
        #expect(try check([Self.review: big]) == [])
        let errors = try check([:]) { site in
            try FileManager.default.createDirectory(
                atPath: site.root + "/content/services/svc/reviews", withIntermediateDirectories: true)
            let path = site.root + "/content/services/svc/reviews/huge.md"
            #expect(FileManager.default.createFile(atPath: path, contents: nil))
            let file = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
            try file.truncate(atOffset: 65 << 20)
            try file.close()
        }
        #expect(errors == ["content/services/svc/reviews/huge.md:1:1: error: cannot read file: file is 65 MiB, over the 64 MiB limit"])
    }

    @Test(arguments: [
        String(repeating: "> ", count: 5_000) + "deep quote\n",
        String(repeating: "*", count: 10_000) + "x" + String(repeating: "*", count: 10_000) + "\n",
        String(repeating: "[", count: 10_000) + "x" + String(repeating: "](y)", count: 10_000) + "\n",
        (0..<3_000).map { String(repeating: "  ", count: $0) + "- [ ] item \($0)\n" }.joined(),
        String(repeating: "|", count: 50_000) + "\n" + String(repeating: "|-", count: 25_000) + "|\n",
        "a\u{0}b\u{0}\n- [x] nul \u{0} {#sec-secrets}\n",
    ])
    func deeplyNestedAndOddMarkdown(body: String) throws {
        let site = try TempSite(Self.base.merging([Self.review: "---\ndate: 2026-01-01\n---\n" + body]) { $1 })
        let result = Site.build(BuildOptions(siteDirectory: site.root, buildDate: Day("2026-02-01")!))
        #expect(result.files != nil, Comment(rawValue: result.diagnostics.lines.joined(separator: "\n")))
    }
}

/// Every front matter value lands escaped for where it goes.
@Suite struct OutputSafetyTests {
    static let payload = #"<script>alert(1)</script>"><img src=x onerror=alert(2)>']]>&"#

    @Test func hostileValuesAreEscapedEverywhere() throws {
        let p = Self.payload
        let site = try TempSite([
            "preflight.yml": "title: 'T \(p.replacingOccurrences(of: "'", with: "''"))'\nbase_url: https://example.org/r/\n",
            "content/checklists/basic.md": """
                ---
                title: "C \(p.replacingOccurrences(of: "\"", with: "\\\""))"
                ---
                ## Cat \(p)
                - [ ] Check \(p) {#c1 required}
                """,
            "content/services/svc/index.md": """
                ---
                name: "=HYPERLINK(\\"http://evil\\") \(p.replacingOccurrences(of: "\"", with: "\\\""))"
                owner: "@owner \(p.replacingOccurrences(of: "\"", with: "\\\""))"
                tier: "+1"
                tags: ["\(p.replacingOccurrences(of: "\"", with: "\\\""))"]
                links:
                  "\(p.replacingOccurrences(of: "\"", with: "\\\""))": https://example.org/?a=1&b="2"
                extra:
                  note: "\(p.replacingOccurrences(of: "\"", with: "\\\""))"
                ---
                Body \(p) [link](javascript:alert(3)) <iframe src=x></iframe>
                """,
            "content/services/svc/reviews/r.md": """
                ---
                date: 2026-01-01
                title: "R \(p.replacingOccurrences(of: "\"", with: "\\\""))\\x01"
                reviewers: ["\(p.replacingOccurrences(of: "\"", with: "\\\""))"]
                signoffs:
                  - {role: "\(p.replacingOccurrences(of: "\"", with: "\\\""))", status: pending}
                ---
                - [~] Check \(p) {#c1}

                ## Action items

                - [ ] Fix \(p) @x due:2026-01-10
                """,
            "content/pages/about.md": "---\ntitle: \"P \(p.replacingOccurrences(of: "\"", with: "\\\""))\"\n---\n\(p)\n",
            // A title with line breaks that would start properties of their own in the calendar.
            "content/campaigns/camp.md": """
                ---
                title: "Camp \(p.replacingOccurrences(of: "\"", with: "\\\""))\\nDTSTART:19700101\\r\\nX: y"
                deadline: 2026-03-01
                owner: "\(p.replacingOccurrences(of: "\"", with: "\\\""))"
                goal: {checks: [c1]}
                ---
                Brief \(p) [x](javascript:alert(4))
                """,
        ])
        let result = Site.build(BuildOptions(siteDirectory: site.root, buildDate: Day("2026-02-01")!))
        let files = try #require(result.files, Comment(rawValue: result.diagnostics.lines.joined(separator: "\n")))
        #expect(files.contains { $0.path == "campaigns/camp/index.html" })
        for file in files {
            guard case .bytes(let bytes) = file.contents else { continue }
            let text = String(decoding: bytes, as: UTF8.self)
            let where_ = Comment(rawValue: file.path)
            if file.path == "readiness.csv" {
                // CSV is not markup: quoting is its escaping; formulas must not run.
                let row = text.split(separator: "\r\n")[1]
                #expect(row.hasPrefix("svc,\"'=HYPERLINK("), Comment(rawValue: String(row)))
                #expect(row.contains(",\"'@owner"))
                #expect(row.contains(",'+1,"))
                continue
            }
            if file.path.hasSuffix(".ics") {
                // iCalendar is not markup either: text values are escaped so that
                // no written value can start a line (a property of its own).
                let lines = text.replacingOccurrences(of: "\r\n ", with: "").components(separatedBy: "\r\n").dropLast()
                let names: Set<Substring> = [
                    "BEGIN", "END", "VERSION", "PRODID", "CALSCALE", "METHOD", "X-WR-CALNAME", "UID", "DTSTAMP",
                    "DTSTART;VALUE=DATE", "DTEND;VALUE=DATE", "SUMMARY", "DESCRIPTION", "CATEGORIES", "TRANSP", "URL",
                ]
                #expect(!text.replacingOccurrences(of: "\r\n", with: "").contains("\n"), where_)
                for line in lines { #expect(names.contains(line.prefix { $0 != ":" }), Comment(rawValue: file.path + ": " + line)) }
                continue
            }
            #expect(!text.contains("<script>alert"), where_)
            #expect(!text.contains("<img src=x"), where_)
            #expect(!text.contains("<iframe"), where_)
            #expect(!text.contains("javascript:"), where_)
            if file.path.hasSuffix(".json") {
                #expect((try? JSONSerialization.jsonObject(with: Data(bytes))) != nil, where_)
            }
            if file.path.hasSuffix(".xml") || file.path.hasSuffix(".svg") {
                #expect(!text.contains("\u{1}"), where_)
                #expect(XMLCheck.isWellFormed(Data(bytes)), where_)
            }
        }
    }
}
