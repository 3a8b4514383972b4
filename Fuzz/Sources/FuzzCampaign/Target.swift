import PreflightCore

/// Any bytes as a campaign file (content/campaigns/<id>.md) and as
/// preflight.yml. A campaign that parses has a title and a goal that asks
/// for something; its progress over a few services is consistent whatever
/// its scope and goal: met and missing split the services in scope, done
/// means nothing is missing, and the burn-up never counts more services
/// than are in scope.
let checklist: Checklist = {
    var diagnostics = DiagnosticList()
    let text = "---\ntitle: T\nlevels: [A, B]\n---\n## Cat {#cat}\n- [ ] One {#one required level=A}\n- [ ] Two {#two level=B every=10}\n"
    guard case .success(let file) = SourceFile.parse(path: "c.md", bytes: Array(text.utf8)),
        let checklist = Checklist.parse(id: "c", file: file, unsafeHTML: false, diagnostics: &diagnostics)
    else { fatalError("seed checklist does not parse") }
    return checklist
}()

let services: [(Service, CampaignProgress.Answer?)] = {
    var result: [(Service, CampaignProgress.Answer?)] = []
    let bodies = ["- [x] a {#one}\n- [x] b {#two}\n", "- [x] a {#one}\n", nil]
    for (i, body) in bodies.enumerated() {
        var service = Service(slug: "s\(i)")
        service.tier = "\(i + 1)"
        service.owner = i == 0 ? "team-a" : "team-b"
        service.tags = i == 1 ? ["pci"] : []
        service.lifecycle = "production"
        var answer: CampaignProgress.Answer?
        if let body {
            var d = DiagnosticList()
            let text = "---\ndate: 2026-01-0\(i + 1)\ndecision: approved\n---\n" + body
            guard case .success(let file) = SourceFile.parse(path: "r.md", bytes: Array(text.utf8)),
                let review = Review.parse(
                    service: service.slug, name: "r", file: file,
                    context: Review.Context(
                        serviceName: "S", serviceChecklist: nil, defaultChecklist: "c", checklists: ["c": checklist],
                        unsafeHTML: false),
                    diagnostics: &d)
            else { fatalError("seed review does not parse") }
            answer = CampaignProgress.Answer(
                review: review, evaluation: Readiness.evaluate(review, checklist: checklist, asOf: Day("2026-02-01")!),
                checklist: checklist)
        }
        result.append((service, answer))
    }
    return result
}()

func fuzzOne(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    if let text = String(validating: bytes, as: UTF8.self) {
        var configDiagnostics = DiagnosticList()
        _ = SiteConfig.parse(text, diagnostics: &configDiagnostics)
    }
    var diagnostics = DiagnosticList()
    guard case .success(let file) = SourceFile.parse(path: "content/campaigns/c.md", bytes: bytes),
        let campaign = Campaign.parse(id: "c", file: file, unsafeHTML: false, diagnostics: &diagnostics)
    else { return 0 }
    precondition(!diagnostics.hasErrors, "a campaign with errors was returned")
    precondition(campaign.goal.level != nil || !campaign.goal.checks.isEmpty, "a goal that asks for nothing")
    let entries = services.filter { campaign.scope.contains($0.0) }.map { service, answer in
        CampaignProgress.Entry(
            slug: service.slug, latest: answer,
            history: answer.map { [(from: $0.review.date, meets: CampaignProgress.shortfall(of: service.slug, goal: campaign.goal, $0) == nil)] } ?? [])
    }
    let today = Day("2026-02-01")!
    let progress = CampaignProgress(goal: campaign.goal, deadline: campaign.deadline, entries: entries, buildDate: today)
    precondition(progress.met.count + progress.missing.count == progress.inScope.count)
    precondition(Set(progress.met).isDisjoint(with: progress.missing.map(\.slug)))
    precondition((progress.status == .done) == progress.missing.isEmpty)
    precondition(progress.status != .overdue || today > campaign.deadline)
    precondition(progress.burnUp.allSatisfy { $0.met >= 0 && $0.met <= progress.inScope.count })
    precondition(progress.burnUp.last?.date == today && progress.burnUp.last?.met == progress.met.count)
    _ = campaign.scope.description
    _ = campaign.goal.description
    return 0
}
