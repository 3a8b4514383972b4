import Testing
@testable import PreflightCore

@Suite struct FrontMatterTests {
    @Test func splitCountsLines() throws {
        let file = try SourceFile.split(path: "a.md", text: "---\ntitle: x\n---\nBody\n").get()
        #expect(file.frontMatter == "title: x\n")
        #expect(file.bodyFirstLine == 4)
        #expect(file.body == "Body\n")
    }

    @Test func noFrontMatter() throws {
        let file = try SourceFile.split(path: "a.md", text: "Just text\n").get()
        #expect(file.frontMatter == nil)
        #expect(file.bodyFirstLine == 1)
    }

    @Test func byteOrderMarkAndCRLF() throws {
        let file = try SourceFile.split(path: "a.md", text: "\u{FEFF}---\r\ntitle: x\r\n---\r\nBody").get()
        #expect(file.frontMatter != nil)
        #expect(file.bodyFirstLine == 4)
    }

    @Test func unclosed() {
        guard case .failure(let d) = SourceFile.split(path: "a.md", text: "---\ntitle: x\nBody\n") else {
            Issue.record("expected an error")
            return
        }
        #expect(d.message == "front matter is not closed")
        #expect(d.line == 1)
    }

    @Test func invalidUTF8IsLocated() {
        let bytes: [UInt8] = Array("ok\nab".utf8) + [0xFF] + Array("\n".utf8)
        guard case .failure(let d) = SourceFile.parse(path: "a.md", bytes: bytes) else {
            Issue.record("expected an error")
            return
        }
        #expect((d.line, d.column) == (2, 3))
    }
}
