import PreflightCore

/// Any text as the end of a heading or task item: the trailing `{…}`
/// attribute parser, then the same text as the attributes of a check (v2
/// keys: `level`, `weight`, `every`, `from`, quoted values) and of a waiver
/// (`until`, `by`), read as a checklist and a review do.
let seed: Checklist = {
    var d = DiagnosticList()
    let text = "---\ntitle: T\nlevels: [A, \"Should have\"]\n---\n## Cat {#cat}\n- [ ] One {#one level=A}\n"
    guard case .success(let file) = SourceFile.parse(path: "c.md", bytes: Array(text.utf8)),
        let checklist = Checklist.parse(id: "c", file: file, unsafeHTML: false, diagnostics: &d)
    else { fatalError("seed checklist does not parse") }
    return checklist
}()

func fuzzOne(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    let (rest, attributes) = Attributes.split(text)
    if let attributes {
        // The block is removed whole, and what is left is a prefix of the input.
        precondition(text.hasPrefix(rest))
        precondition(attributes.raw.hasPrefix("{") && attributes.raw.hasSuffix("}"))
        for pair in attributes.values { precondition(!pair.key.isEmpty && !pair.key.contains(" ")) }
    }
    guard !text.contains("\n"), !text.contains("\r") else { return 0 }
    // As a check's attributes: any check that parses has sane values.
    var d = DiagnosticList()
    let checklistText = "---\ntitle: T\nlevels: [A, \"Should have\"]\n---\n## Cat {#cat}\n- [ ] Check " + text + "\n"
    if case .success(let file) = SourceFile.parse(path: "c.md", bytes: Array(checklistText.utf8)),
        let checklist = Checklist.parse(id: "c", file: file, unsafeHTML: false, diagnostics: &d)
    {
        for check in checklist.checks {
            precondition(check.weight > 0)
            precondition(check.every.map { $0 > 0 } ?? true)
            precondition(check.level.map { checklist.levels.contains($0) } ?? true)
        }
    }
    // As a waiver's attributes on the seed checklist's check.
    let reviewText = "---\ndate: 2026-01-01\ndecision: approved\n---\n- [~] One: not here {#one " + text + "\n"
    if case .success(let file) = SourceFile.parse(path: "r.md", bytes: Array(reviewText.utf8)),
        let review = Review.parse(
            service: "s", name: "r", file: file,
            context: Review.Context(
                serviceName: "S", serviceChecklist: nil, defaultChecklist: "c", checklists: ["c": seed], unsafeHTML: false),
            diagnostics: &d)
    {
        let evaluation = Readiness.evaluate(review, checklist: seed, asOf: Day("2026-06-01")!)
        for waiver in evaluation.waivers {
            precondition(waiver.expired == (waiver.until.map { Day("2026-06-01")! > $0 } ?? false))
        }
    }
    return 0
}
