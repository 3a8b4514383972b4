import Foundation
import PreflightCore

/// Any bytes as two versions of a checklist and of a service's review (the
/// parts split at 0xFF bytes: base checklist body, base review, head
/// checklist body, head review), compared as `preflight diff` compares two
/// sites, and reported in every format. Whatever the input: a service is a
/// regression exactly when something got worse, both services are accounted
/// for, the Markdown stays under GitHub's comment limit and the JSON parses.
let header = "---\ntitle: T\nlevels: [A, B]\nsignoffs:\n  - {role: SRE, level: B}\n---\n"
let seedBody = "## Cat {#cat}\n- [ ] One {#one required level=A}\n- [ ] Two {#two level=B every=10}\n"
let today = Day("2026-03-01")!

func checklist(_ body: String) -> Checklist {
    var d = DiagnosticList()
    for text in [header + body, header + seedBody] {
        if case .success(let file) = SourceFile.parse(path: "content/checklists/c.md", bytes: Array(text.utf8)),
            let list = Checklist.parse(id: "c", file: file, unsafeHTML: false, diagnostics: &d)
        {
            return list
        }
    }
    fatalError("seed checklist does not parse")
}

func side(_ body: String, _ reviewBytes: [UInt8]) -> ReadinessDiff.Side {
    let list = checklist(body)
    let checklists = ["c": list]
    var entries: [ReadinessDiff.Side.Entry] = []
    for (slug, bytes) in [("svc", reviewBytes), ("fixed", Array("---\ndate: 2026-01-01\ndecision: approved\n---\n- [x] a {#one}\n".utf8))] {
        var service = Service(slug: slug)
        service.tier = "1"
        var d = DiagnosticList()
        var reviews: [Review] = []
        if case .success(let file) = SourceFile.parse(path: "content/services/\(slug)/reviews/r.md", bytes: bytes),
            let review = Review.parse(
                service: slug, name: "r", file: file,
                context: Review.Context(
                    serviceName: slug, serviceChecklist: nil, defaultChecklist: "c", checklists: checklists, unsafeHTML: false),
                diagnostics: &d)
        {
            reviews = review.draft ? [] : [review]
        }
        let readiness = Readiness.service(
            service, reviews: reviews, checklists: checklists, defaultChecklist: "c", staleAfterDays: 30, buildDate: today,
            target: list.levels.last)
        entries.append(ReadinessDiff.Side.Entry(service: service, readiness: readiness, latest: reviews.last))
    }
    return ReadinessDiff.Side(services: entries, checklists: checklists)
}

func fuzzOne(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    var parts = bytes.split(separator: 0xFF, maxSplits: 3, omittingEmptySubsequences: false).map(Array.init)
    while parts.count < 4 { parts.append([]) }
    let text = { (b: [UInt8]) in String(decoding: b, as: UTF8.self) }
    let diff = ReadinessDiff(base: side(text(parts[0]), parts[1]), head: side(text(parts[2]), parts[3]))
    precondition(diff.services.count + diff.unchanged == 2, "a service went missing")
    for change in diff.services {
        precondition((change.kind == .regression) == !change.regressions.isEmpty)
        precondition(change.kind != .added && change.kind != .removed)
    }
    let report = DiffReport(
        comparison: Site.Comparison(diff: diff), base: "base", head: "head", asOf: today,
        formatters: (DiagnosticFormatter(siteDirectory: "."), DiagnosticFormatter(siteDirectory: ".")))
    _ = report.render(.text)
    precondition(report.render(.markdown).utf8.count <= DiffReport.markdownBudget)
    let json = report.render(.json)
    precondition((try? JSONSerialization.jsonObject(with: Data(json.utf8))) != nil, "diff JSON does not parse")
    return 0
}
