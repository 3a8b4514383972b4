import Foundation
import Testing
@testable import PreflightCore

private let goldenSiteFolder = fixtures.appendingPathComponent("golden/site").path
private let goldenExpected = fixtures.appendingPathComponent("golden/expected").path

/// Text of every generated file (theme assets aside: they are the theme's own source).
private func outputs(_ files: [OutputFile]) throws -> [String: String] {
    var result: [String: String] = [:]
    for file in files where !file.path.hasPrefix("assets/") {
        switch file.contents {
        case .bytes(let bytes): result[file.path] = String(decoding: bytes, as: UTF8.self)
        case .text(let text): result[file.path] = text
        case .staticFile(let source): result[file.path] = String(decoding: try FileSystem.read(source.source, in: source.root), as: UTF8.self)
        case .unchanged(_, _, let otherwise): result[file.path] = String(decoding: otherwise(), as: UTF8.self)
        }
    }
    return result
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

    /// FORMAT.md v2: a v1 site gives the same figures as before, category
    /// levels aside. `v1/readiness.json` is what the v1 code wrote for
    /// `v1/site`; every key it has must come out the same.
    @Test func aV1SiteKeepsItsFigures() throws {
        let result = Site.build(
            BuildOptions(siteDirectory: fixtures.appendingPathComponent("v1/site").path, buildDate: Day("2026-03-05")!))
        let file = try #require(result.files?.first { $0.path == "readiness.json" })
        guard case .bytes(let bytes) = file.contents else { Issue.record("readiness.json is not generated"); return }
        let now = try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
        let v1 = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: fixtures.appendingPathComponent("v1/readiness.json")))
                as? [String: Any])
        #expect(now["format"] as? Int == 3)
        let before = try #require(v1["services"] as? [[String: Any]])
        let after = try #require(now["services"] as? [[String: Any]])
        #expect(before.count == after.count)
        for (old, new) in zip(before, after) {
            for (key, value) in old {
                var expected = value
                var actual: Any = new[key] ?? NSNull()
                if key == "categories" {  // v2 adds `level`, whose meaning changed
                    actual = (actual as? [[String: Any]])?.map { $0.filter { $0.key != "level" } } ?? []
                    expected = (expected as? [[String: Any]]) ?? []
                }
                func canonical(_ value: Any) throws -> String {
                    String(decoding: try JSONSerialization.data(withJSONObject: [key: value], options: .sortedKeys), as: UTF8.self)
                }
                #expect(try canonical(expected) == canonical(actual), Comment(rawValue: "\(old["slug"] ?? "?").\(key)"))
            }
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
            BuildOptions(siteDirectory: goldenSiteFolder, baseURL: BaseURL("/other"), buildDate: Day("2026-03-05")!))
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
