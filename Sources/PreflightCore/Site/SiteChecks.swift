/// Warnings about a site that builds but is probably not what its writers meant,
/// and the `--fail-on` gate. Run by `preflight check` after an in-memory build.
public enum SiteChecks {
    /// Service states that `--fail-on` can turn into errors.
    public enum Condition: String, Sendable, CaseIterable {
        case stale
        case unreviewed
        case notReady = "not-ready"
        case inReview = "in-review"
        case conditional
    }

    static func run(_ model: SiteModel, files: [OutputFile], failOn: Set<Condition>) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        for service in model.content.services {
            let reviews = model.reviews[service.slug] ?? []
            let readiness = model.readiness[service.slug]!
            if service.path == nil {
                diagnostics.append(
                    .warning(
                        "service folder has no index.md; the service is named after its folder",
                        at: SourceLocation(path: "content/services/\(service.slug)"),
                        hint: "add content/services/\(service.slug)/index.md with `name:` and `owner:`"))
            }
            for review in reviews {
                reviewWarnings(review, model: model, into: &diagnostics)
            }
            if let latest = reviews.last {
                latestReviewWarnings(latest, readiness: readiness, model: model, into: &diagnostics)
            }
            if let gate = failing(readiness, failOn) {
                let at = SourceLocation(path: service.path ?? "content/services/\(service.slug)")
                diagnostics.append(.error("service `\(service.slug)` is \(gate) (--fail-on)", at: at))
            }
        }
        diagnostics += LinkCheck(model: model, files: files).run()
        return diagnostics
    }

    private static func reviewWarnings(_ review: Review, model: SiteModel, into diagnostics: inout [Diagnostic]) {
        guard let checklist = model.checklists[review.checklist] else { return }
        if review.decision == .approved || review.decision == .approvedWithConditions,
            let evaluation = model.reviewReadiness[review.key],
            !evaluation.openRequired.isEmpty
        {
            let ids = evaluation.openRequired.joined(separator: ", ")
            diagnostics.append(
                .warning(
                    "review is \(review.decision.rawValue) but required check\(evaluation.openRequired.count == 1 ? "" : "s") \(ids) \(evaluation.openRequired.count == 1 ? "is" : "are") open",
                    at: SourceLocation(path: review.path, line: review.decisionLine ?? 1),
                    hint: "mark the check done or waived, or change `decision`"))
        }
        for check in checklist.checks {
            guard let answer = review.answers[check.id], answer.box == .waived, answer.reason == nil else { continue }
            diagnostics.append(
                .warning(
                    "check `\(check.id)` is waived without a reason",
                    at: SourceLocation(path: review.path, line: answer.line),
                    hint: "say why on the same line, e.g. `- [~] \(check.text): not applicable, no stored data {#\(check.id)}`"))
        }
    }

    private static func latestReviewWarnings(
        _ review: Review, readiness: ServiceReadiness, model: SiteModel, into diagnostics: inout [Diagnostic]
    ) {
        for item in review.actionItems {
            guard let due = item.due, let days = item.daysOverdue(on: model.buildDate) else { continue }
            diagnostics.append(
                .warning(
                    "action item is overdue: due \(due), \(days) day\(days == 1 ? "" : "s") ago",
                    at: SourceLocation(path: review.path, line: item.line),
                    hint: "close it with `[x]`, or agree a new `due:` date"))
        }
        if readiness.stale {
            let days = review.date.days(until: model.buildDate)
            diagnostics.append(
                .warning(
                    "service `\(review.service)` is stale: last reviewed \(review.date), \(days) days ago "
                        + "(stale after \(model.config.staleAfterDays))",
                    at: SourceLocation(path: review.path, line: review.dateLine),
                    hint: "schedule a new review"))
        }
    }

    private static func failing(_ readiness: ServiceReadiness, _ failOn: Set<Condition>) -> String? {
        if failOn.contains(.stale) && readiness.stale { return "stale" }
        if let condition = Condition(rawValue: readiness.status.rawValue), failOn.contains(condition) {
            return "\(readiness.status.rawValue): \(readiness.reason)"
        }
        return nil
    }
}
