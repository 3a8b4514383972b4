import PreflightCore

/// Any text as a checklist body and as Markdown: task items, attributes, tables,
/// heading anchors, cmark rendering, and check extraction.
func fuzzOne(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let body = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    let markdown = Markdown.render(body, firstLine: 4)
    for item in markdown.taskItems {
        precondition(item.line >= 4)
        precondition(!item.text.contains("\n"))
    }
    var diagnostics = DiagnosticList()
    let text = "---\ntitle: T\nlevels: [A, B]\n---\n" + body
    if case .success(let file) = SourceFile.parse(path: "c.md", bytes: Array(text.utf8)),
        let checklist = Checklist.parse(id: "c", file: file, unsafeHTML: false, diagnostics: &diagnostics)
    {
        var ids = Set<String>()
        for check in checklist.checks { precondition(ids.insert(check.id).inserted, "duplicate check id kept") }
    }
    return 0
}
