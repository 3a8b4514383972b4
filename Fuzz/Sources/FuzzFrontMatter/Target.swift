import PreflightCore

/// Any bytes as a review record: UTF-8 check, front matter split, YAML, typed
/// fields, Markdown, answer matching. Also as preflight.yml.
let checklists: [String: Checklist] = {
    var diagnostics = DiagnosticList()
    let text = "---\ntitle: T\nlevels: [A, B]\n---\n## Cat {#cat}\n- [ ] One {#one required level=A}\n- [ ] Two {#two weight=3}\n"
    guard case .success(let file) = SourceFile.parse(path: "c.md", bytes: Array(text.utf8)),
        let checklist = Checklist.parse(id: "c", file: file, unsafeHTML: false, diagnostics: &diagnostics)
    else { fatalError("seed checklist does not parse") }
    return ["c": checklist]
}()

func fuzzOne(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    var diagnostics = DiagnosticList()
    guard case .success(let file) = SourceFile.parse(path: "r.md", bytes: bytes) else { return 0 }
    let context = Review.Context(
        serviceName: "S", serviceChecklist: nil, defaultChecklist: "c", checklists: checklists, unsafeHTML: false)
    if let review = Review.parse(service: "s", name: "r", file: file, context: context, diagnostics: &diagnostics) {
        _ = Readiness.evaluate(review, checklist: checklists["c"]!)
    }
    if let text = String(validating: bytes, as: UTF8.self) {
        _ = SiteConfig.parse(text, diagnostics: &diagnostics)
    }
    return 0
}
