import Foundation
@testable import PreflightCore

/// A site written to a fresh temporary folder from an inline file tree,
/// as Hugo's whole-site tests do. Removed when the test is done.
final class TempSite {
    let root: String

    init(_ files: [String: String]) throws {
        root = FileManager.default.temporaryDirectory
            .appendingPathComponent("preflight-test-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        for (path, text) in files { try write(path, text) }
    }

    func write(_ path: String, _ text: String) throws {
        try write(path, Data(text.utf8))
    }

    func write(_ path: String, _ data: Data) throws {
        let url = URL(fileURLWithPath: root).appendingPathComponent(path)
        try FileManager.default.createDirectory(
            at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try data.write(to: url)
    }

    func read(_ path: String) throws -> String {
        try String(contentsOfFile: root + "/" + path, encoding: .utf8)
    }

    func exists(_ path: String) -> Bool {
        FileManager.default.fileExists(atPath: root + "/" + path)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: root)
    }
}

/// A small checklist most tests share.
let basicChecklist = """
    ---
    title: Basic
    levels: [Bronze, Silver, Gold]
    ---

    Intro text.

    ## Security {#security}

    - [ ] Secrets live in the secret store {#sec-secrets required level=Bronze}
    - [ ] Dependencies are scanned {#sec-deps level=Silver weight=2}

    ## Operations

    - [ ] Alerts page the on-call {#ops-alerts level=Gold}
    - [ ] Runbooks exist {#ops-runbooks}
    """

func loadSite(_ files: [String: String]) throws -> (SiteContent?, DiagnosticList, TempSite) {
    let site = try TempSite(files)
    let (content, diagnostics, _) = ContentLoader.load(siteDirectory: site.root)
    return (content, diagnostics, site)
}

extension DiagnosticList {
    /// `path:line:col: severity: message` lines, for compact assertions.
    var lines: [String] {
        sorted.map { "\($0.path):\($0.line):\($0.column): \($0.severity.rawValue): \($0.message)" }
    }
}

/// `Tests/PreflightCoreTests/Fixtures`: fixture sites and golden outputs.
let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Fixtures")

/// Every file under `root`, relative, sorted.
func allFiles(under root: String) -> [String] {
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
