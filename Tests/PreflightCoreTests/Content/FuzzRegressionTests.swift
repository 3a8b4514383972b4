import Foundation
import Testing
@testable import PreflightCore

/// Inputs the fuzzers (`make fuzz`) once crashed on, replayed through the same
/// entry points on every test run (every target's, whichever found it). Add
/// each new crash file to the folder.
@Suite struct FuzzRegressionTests {
    static let folder = fixtures.appendingPathComponent("fuzz-regressions").path

    static var inputs: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).sorted()
    }

    @Test(arguments: inputs)
    func replay(name: String) throws {
        let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: Self.folder + "/" + name)))
        let text = String(decoding: bytes, as: UTF8.self)
        _ = Attributes.split(text)
        let markdown = Markdown.render(text, firstLine: 4)
        #expect(markdown.taskItems.allSatisfy { $0.line >= 4 })
        #expect(HTMLSafety.problems(in: markdown.html) == [])
        var diagnostics = DiagnosticList()
        if case .success(let file) = SourceFile.parse(path: "c.md", bytes: Array("---\ntitle: T\n---\n".utf8) + bytes) {
            _ = Checklist.parse(id: "c", file: file, unsafeHTML: false, diagnostics: &diagnostics)
        }
        if case .success(let file) = SourceFile.parse(path: "r.md", bytes: bytes) {
            let context = Review.Context(
                serviceName: "S", serviceChecklist: nil, defaultChecklist: nil, checklists: [:], unsafeHTML: false)
            _ = Review.parse(service: "s", name: "r", file: file, context: context, diagnostics: &diagnostics)
        }
        if case .success(let file) = SourceFile.parse(path: "content/campaigns/c.md", bytes: bytes) {
            _ = Campaign.parse(id: "c", file: file, unsafeHTML: false, diagnostics: &diagnostics)
        }
    }

    /// The first crash, minimised: a task item whose only text is its attribute block.
    @Test func taskItemWithOnlyAnAttributeBlock() {
        let md = Markdown.render("- [x] {#sec}\n- [ ] text\n  {#two}\n")
        #expect(md.taskItems.map(\.attributes?.id) == ["sec", "two"])
        #expect(md.taskItems.map(\.text) == ["", "text"])
        #expect(!md.html.contains("{#"))
    }
}
