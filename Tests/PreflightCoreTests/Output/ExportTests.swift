import Foundation
import Testing
@testable import PreflightCore

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
