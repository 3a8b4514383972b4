import Foundation
import Testing
@testable import PreflightCore

private let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
private let goldenSiteFolder = fixtures.appendingPathComponent("golden/site").path
private let goldenExpected = fixtures.appendingPathComponent("golden/expected").path

/// Text of every generated file (theme assets aside: they are the theme's own source).
private func outputs(_ files: [OutputFile]) throws -> [String: String] {
    var result: [String: String] = [:]
    for file in files where !file.path.hasPrefix("assets/") {
        switch file.contents {
        case .bytes(let bytes): result[file.path] = String(decoding: bytes, as: UTF8.self)
        case .copy(let source): result[file.path] = try String(contentsOfFile: source, encoding: .utf8)
        }
    }
    return result
}

private func allFiles(under root: String) -> [String] {
    guard let walker = FileManager.default.enumerator(atPath: root) else { return [] }
    var result: [String] = []
    while let path = walker.nextObject() as? String {
        var isDir: ObjCBool = false
        if FileManager.default.fileExists(atPath: root + "/" + path, isDirectory: &isDir), !isDir.boolValue {
            result.append(path)
        }
    }
    return result.sorted()
}

@Suite struct GoldenSiteTests {
    /// The fixture site in, the expected pages and exports out.
    /// Re-record with `RECORD_GOLDEN=1 swift test --filter GoldenSiteTests` and review the diff.
    @Test func goldenSite() throws {
        let result = Site.build(BuildOptions(siteDirectory: goldenSiteFolder, buildDate: Day("2026-03-05")!))
        #expect(result.diagnostics.lines.filter { $0.contains("error") } == [])
        let actual = try outputs(try #require(result.files))

        if ProcessInfo.processInfo.environment["RECORD_GOLDEN"] == "1" {
            try? FileManager.default.removeItem(atPath: goldenExpected)
            for (path, text) in actual {
                let url = URL(fileURLWithPath: goldenExpected).appendingPathComponent(path)
                try FileManager.default.createDirectory(
                    at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data(text.utf8).write(to: url)
            }
            return
        }
        #expect(allFiles(under: goldenExpected) == actual.keys.sorted())
        for (path, text) in actual.sorted(by: { $0.key < $1.key }) {
            let expected = try? String(contentsOfFile: goldenExpected + "/" + path, encoding: .utf8)
            #expect(expected == text, Comment(rawValue: path + " differs from the golden file; re-record with RECORD_GOLDEN=1 if intended"))
        }
    }

    @Test func draftsAreLeftOutUnlessAsked() throws {
        let without = Site.build(BuildOptions(siteDirectory: goldenSiteFolder, buildDate: Day("2026-03-05")!))
        let with = Site.build(
            BuildOptions(siteDirectory: goldenSiteFolder, buildDate: Day("2026-03-05")!, includeDrafts: true))
        let draftPage = "services/alpha/reviews/2026-03-01/index.html"
        #expect(without.files?.contains { $0.path == draftPage } == false)
        #expect(with.files?.contains { $0.path == draftPage } == true)
        #expect(without.reviewCount == 4 && with.reviewCount == 5)
    }

    @Test func baseURLOverride() throws {
        let result = Site.build(
            BuildOptions(siteDirectory: goldenSiteFolder, baseURL: "/other", buildDate: Day("2026-03-05")!))
        let json = try outputs(try #require(result.files))["readiness.json"] ?? ""
        #expect(json.contains("\"base_url\": \"/other/\""))
    }
}

@Suite struct DeterminismTests {
    /// Same input and build date: byte-identical output, wherever the site lives and
    /// in whatever order files were created on disk.
    @Test func rebuildsAreIdentical() throws {
        let files = try allFiles(under: goldenSiteFolder).reduce(into: [String: String]()) {
            $0[$1] = try String(contentsOfFile: goldenSiteFolder + "/" + $1, encoding: .utf8)
        }
        let forward = try TempSite([:])
        for path in files.keys.sorted() { try forward.write(path, files[path]!) }
        let backward = try TempSite([:])
        for path in files.keys.sorted().reversed() { try backward.write(path, files[path]!) }

        let day = Day("2026-03-05")!
        let a = try outputs(try #require(Site.build(BuildOptions(siteDirectory: forward.root, buildDate: day)).files))
        let b = try outputs(try #require(Site.build(BuildOptions(siteDirectory: backward.root, buildDate: day)).files))
        let c = try outputs(try #require(Site.build(BuildOptions(siteDirectory: goldenSiteFolder, buildDate: day)).files))
        #expect(a == b)
        #expect(a == c)
    }
}

@Suite struct PublishingTests {
    let good = [
        "content/checklists/basic.md": basicChecklist,
        "content/services/svc/reviews/r.md": "---\ndate: 2026-01-01\n---\n- [x] x {#sec-secrets}\n",
    ]

    @Test func failedBuildLeavesThePublishedSiteUntouched() throws {
        let site = try TempSite(good)
        let output = site.root + "/public"
        let first = Site.build(BuildOptions(siteDirectory: site.root, buildDate: Day("2026-02-01")!), output: output)
        #expect(first.files != nil)
        let before = try site.read("public/readiness.json")

        try site.write("content/services/svc/reviews/r.md", "---\ndate: tomorrow\n---\n")
        let second = Site.build(BuildOptions(siteDirectory: site.root, buildDate: Day("2026-02-01")!), output: output)
        #expect(second.files == nil)
        #expect(second.diagnostics.lines == [
            "content/services/svc/reviews/r.md:2:1: error: `date` must be a date written YYYY-MM-DD, not `tomorrow`"
        ])
        #expect(try site.read("public/readiness.json") == before)
    }

    @Test func republishReplacesOldFilesAndCleansLeftovers() throws {
        let site = try TempSite(good)
        let output = site.root + "/public"
        // Leftovers of a build killed mid-write, and a file a previous build made.
        try site.write(".public.preflight-new-99999/index.html", "half")
        try site.write("public/readiness.json", "{}")
        try site.write("public/stale-page.html", "old")
        let result = Site.build(BuildOptions(siteDirectory: site.root, buildDate: Day("2026-02-01")!), output: output)
        #expect(result.diagnostics.lines == [])
        #expect(result.files != nil)
        #expect(!site.exists("public/stale-page.html"))
        #expect(!site.exists(".public.preflight-new-99999"))
        #expect(site.exists("public/services/svc/index.html"))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: site.root).filter { $0.contains("preflight-") }
        #expect(leftovers.isEmpty)
    }

    @Test func refusesToReplaceAForeignFolder() throws {
        let site = try TempSite(good)
        try site.write("mine/notes.txt", "precious")
        let result = Site.build(
            BuildOptions(siteDirectory: site.root, buildDate: Day("2026-02-01")!), output: site.root + "/mine")
        #expect(result.files == nil)
        #expect(try site.read("mine/notes.txt") == "precious")
    }

    @Test func staticSymlinksAreRefused() throws {
        let site = try TempSite(good)
        try site.write("secret.txt", "do not publish")
        try FileManager.default.createDirectory(atPath: site.root + "/static", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(
            atPath: site.root + "/static/leak.txt", withDestinationPath: site.root + "/secret.txt")
        let result = Site.build(BuildOptions(siteDirectory: site.root, buildDate: Day("2026-02-01")!))
        #expect(result.files == nil)
        #expect(result.diagnostics.lines.first?.hasPrefix("static/leak.txt:1:1: error: static/leak.txt is a symbolic link") == true)
    }
}

@Suite struct ExportTests {
    @Test func csvCellsAreQuotedAndDefused() {
        #expect(ReadinessExport.cell("plain") == "plain")
        #expect(ReadinessExport.cell("a,b") == "\"a,b\"")
        #expect(ReadinessExport.cell("say \"hi\"") == "\"say \"\"hi\"\"\"")
        #expect(ReadinessExport.cell("=HYPERLINK(\"x\")") == "\"'=HYPERLINK(\"\"x\"\")\"")
        #expect(ReadinessExport.cell("@team") == "'@team")
        #expect(ReadinessExport.cell("-1") == "'-1")
    }

    @Test func jsonEscaping() {
        let json = JSONValue.object([("k", .string("a\"b\\c\n</script>\u{1}"))]).serialized()
        #expect(json == "{\n  \"k\": \"a\\\"b\\\\c\\n\\u003c/script\\u003e\\u0001\"\n}\n")
    }
}

@Suite struct ThemeTests {
    /// The theme built into the binary must match templates/ (run `make theme` after editing it).
    @Test func builtinThemeMatchesTemplatesFolder() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("templates").path
        let onDisk = allFiles(under: folder)
        #expect(onDisk == BuiltinTheme.files.keys.sorted())
        for path in onDisk {
            let text = try String(contentsOfFile: folder + "/" + path, encoding: .utf8)
            #expect(BuiltinTheme.files[path] == text, Comment(rawValue: path + " changed: run `make theme`"))
        }
    }

    @Test func templateSyntaxErrorsAreLocated() throws {
        let site = try TempSite(["templates/page.mustache": "line one\n{{#section}}\nnever closed\n"])
        var d = DiagnosticList()
        #expect(Theme.load(siteDirectory: site.root, diagnostics: &d) == nil)
        #expect(d.items.first?.path == "templates/page.mustache")
        #expect(d.items.first?.message.hasPrefix("template syntax error") == true)
    }
}
