import PreflightCore

/// Any bytes as what CI hands Preflight: a JUnit or SARIF report imported
/// through a mapping that matches everything, an evidence line, an RFC 3339
/// time, a mapping file and a `rule=`. None may crash; what comes out must
/// be sane: notes short and free of control characters, records that read
/// back as written, times that parse again to the same instant.
let mapping: EvidenceMapping = {
    var d = DiagnosticList()
    let text = """
        junit:
          - {testcase: "*", service: svc, check: tests}
        sarif:
          - {rule: "*", service: svc, check: scan}
          - {rule: "*", path: "a/*", levels: [error, warning, note, none], service: other, check: scan}
        """
    guard let mapping = EvidenceMapping.parse(text, path: "map.yml", diagnostics: &d) else { fatalError("seed mapping") }
    return mapping
}()

let at = Timestamp("2026-11-24T03:00:00Z")!

let service: Service = {
    var d = DiagnosticList()
    let text = "---\ntier: 1\ntags: [a, b]\nlinks:\n  Runbook: https://x.example\nextra:\n  a: {b: [1, c]}\n---\n"
    guard case .success(let file) = SourceFile.parse(path: "s.md", bytes: Array(text.utf8)),
        let service = Service.parse(slug: "s", file: file, unsafeHTML: false, diagnostics: &d)
    else { fatalError("seed service") }
    return service
}()

func fuzzOne(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    // As a report.
    var d = DiagnosticList()
    let records = EvidenceImport.records(
        mapping: mapping, reports: [.init(path: "r", bytes: bytes)], at: at, source: "fuzz", diagnostics: &d)
    for record in records {
        precondition(["svc", "other"].contains(record.service))
        let note = record.note ?? ""
        precondition(note.count <= TestReports.maxText)
        precondition(!note.unicodeScalars.contains { $0.value < 0x20 || (0x202A...0x202E).contains($0.value) })
    }
    precondition(!d.hasErrors || records.isEmpty)
    // As an evidence line: a record writes itself back as a line that reads the same.
    var lineDiagnostics = DiagnosticList()
    if let record = EvidenceRecord.parse(line: ArraySlice(bytes), at: SourceLocation(path: "e"), diagnostics: &lineDiagnostics) {
        var again = DiagnosticList()
        let copy = EvidenceRecord.parse(line: ArraySlice(record.line.utf8), at: SourceLocation(path: "e"), diagnostics: &again)
        precondition(copy?.line == record.line && copy?.at == record.at && copy?.result == record.result)
    }
    let text = String(decoding: bytes, as: UTF8.self)
    // As a time: it reads back to the same instant, on a day that exists.
    if let time = Timestamp(text) {
        precondition(Timestamp(time.text) == time)
        precondition(Timestamp(unixSeconds: time.seconds)?.day == time.day)
    }
    // As a mapping, and as a rule read against a service.
    var m = DiagnosticList()
    _ = EvidenceMapping.parse(text, path: "m.yml", diagnostics: &m)
    if case .success(let rule) = CheckRule.parse(text) {
        let (holds, reason) = rule.evaluate(service)
        precondition(holds == (reason == nil))
    }
    return 0
}
