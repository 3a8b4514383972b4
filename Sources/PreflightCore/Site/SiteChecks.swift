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
        case belowTarget = "below-target"
        case expiredWaiver = "expired-waiver"
        /// A campaign past its deadline that not every service in scope meets.
        case overdueCampaign = "overdue-campaign"
        /// An `auto` check of the latest review is open because its evidence failed.
        case failedEvidence = "failed-evidence"
        /// … because its evidence is older than `every=` allows.
        case staleEvidence = "stale-evidence"
        /// … because it has no evidence at all.
        case missingEvidence = "missing-evidence"
    }

    /// `errors` are the site's errors, when it has some. What they already
    /// explain is left out, so each mistake is reported once, where it is:
    /// a service with an error in its folder (or in preflight.yml) gets no
    /// warnings about its latest review and no gates, one whose checklist has
    /// errors no warnings that depend on its figures, and a page that
    /// failed counts as present for links.
    static func run(
        _ model: SiteModel, files: [OutputFile], failOn: Set<Condition>, errors: [Diagnostic] = []
    ) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        let errorPaths = Set(errors.map(\.path))
        let configBroken = errorPaths.contains(SiteConfig.fileName)
        let brokenChecklists = Set(model.content.checklists.filter { errorPaths.contains($0.path) }.map(\.id))
        for service in model.content.services {
            let reviews = model.reviews[service.slug] ?? []
            let readiness = model.readiness[service.slug]!
            let folder = "content/services/\(service.slug)/"
            let serviceBroken = configBroken || errorPaths.contains { $0.hasPrefix(folder) }
            let figuresBroken = serviceBroken || reviews.contains { brokenChecklists.contains($0.checklist) }
            if service.path == nil && service.catalogLocation == nil {
                diagnostics.append(
                    .warning(
                        "service folder has no index.md; the service is named after its folder",
                        at: SourceLocation(path: "content/services/\(service.slug)"),
                        hint: "add content/services/\(service.slug)/index.md with `name:` and `owner:`"))
            }
            for review in reviews where !errorPaths.contains(review.path) {
                reviewWarnings(review, model: model, figures: !figuresBroken, into: &diagnostics)
            }
            if serviceBroken { continue }
            if let latest = reviews.last {
                latestReviewWarnings(latest, readiness: readiness, model: model, into: &diagnostics)
                expiryWarnings(latest, model: model, into: &diagnostics)
            }
            if figuresBroken { continue }
            for gate in failing(readiness, failOn) {
                let at = SourceLocation(path: service.path ?? "content/services/\(service.slug)")
                diagnostics.append(.error("service `\(service.slug)` \(gate) (--fail-on)", at: at))
            }
        }
        if failOn.contains(.overdueCampaign) && !configBroken {
            for (campaign, progress) in model.campaigns where progress.status == .overdue {
                let days = campaign.deadline.days(until: model.buildDate)
                diagnostics.append(
                    .error(
                        "campaign `\(campaign.id)` is overdue: deadline \(campaign.deadline), \(days) day\(days == 1 ? "" : "s") ago, "
                            + "and \(progress.missing.count) of \(progress.inScope.count) service\(progress.inScope.count == 1 ? "" : "s") in scope "
                            + "\(progress.missing.count == 1 ? "does" : "do") not meet it (--fail-on)",
                        at: SourceLocation(path: campaign.path),
                        hint: "missing: " + progress.missing.prefix(10).map(\.slug).joined(separator: ", ")
                            + (progress.missing.count > 10 ? ", …" : "")))
            }
        }
        diagnostics += LinkCheck(model: model, files: files, failedSources: errorPaths).run()
        return diagnostics
    }

    private static func reviewWarnings(
        _ review: Review, model: SiteModel, figures: Bool, into diagnostics: inout [Diagnostic]
    ) {
        if review.date > model.buildDate {
            diagnostics.append(
                .warning(
                    "review is dated \(review.date), after the build date \(model.buildDate); it counts as written, "
                        + "as the service's latest review if it is the last",
                    at: SourceLocation(path: review.path, line: review.dateLine),
                    hint: "check the year; to plan a review, keep it as a draft (`draft: true`)"))
        }
        guard let checklist = model.checklists[review.checklist] else { return }
        if figures, review.decision == .approved || review.decision == .approvedWithConditions,
            let evaluation = model.reviewReadiness[review],
            case let open = evaluation.openRequired.filter({ !evaluation.expired.contains($0) }), !open.isEmpty
        {
            // Answers that expired since are reported on their own lines.
            let ids = open.joined(separator: ", ")
            diagnostics.append(
                .warning(
                    "review is \(review.decision.rawValue) but required check\(open.count == 1 ? "" : "s") \(ids) \(open.count == 1 ? "is" : "are") open",
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

    /// Why a service fails the `--fail-on` gate: one phrase per condition it meets.
    private static func failing(_ readiness: ServiceReadiness, _ failOn: Set<Condition>) -> [String] {
        var gates: [String] = []
        if failOn.contains(.stale) && readiness.stale { gates.append("is stale") }
        if let condition = Condition(rawValue: readiness.status.rawValue), failOn.contains(condition) {
            gates.append("is \(readiness.status.rawValue): \(readiness.reason)")
        }
        if failOn.contains(.belowTarget), readiness.belowTarget, let target = readiness.target {
            gates.append("is below its target \(target) (\(readiness.level.map { "at \($0)" } ?? "no level"))")
        }
        let expired = readiness.waivers.filter(\.expired).map(\.check)
        if failOn.contains(.expiredWaiver), !expired.isEmpty {
            gates.append("has expired waiver\(expired.count == 1 ? "" : "s") of \(expired.joined(separator: ", "))")
        }
        let auto = readiness.latest.map { $0.checks.filter { $0.verdict?.kind == .auto && $0.counts == .open } } ?? []
        let evidenceGates: [(Condition, CheckState.State, String)] = [
            (.failedEvidence, .open, "failed"), (.staleEvidence, .expired, "stale"),
            (.missingEvidence, .unanswered, "no"),
        ]
        for (condition, state, word) in evidenceGates where failOn.contains(condition) {
            let hit = auto.filter { $0.state == state }
            guard !hit.isEmpty else { continue }
            let list = hit.map { "\($0.id) (\($0.verdict?.reason ?? word))" }.joined(separator: ", ")
            gates.append("has \(word) evidence for \(hit.count == 1 ? "check" : "checks") \(list)")
        }
        return gates
    }

    /// The latest review's waivers and time-limited answers: warnings for
    /// waivers with no end, and for waivers and answers that have run out or
    /// will within `waiver_warning_days`.
    private static func expiryWarnings(
        _ review: Review, model: SiteModel, into diagnostics: inout [Diagnostic]
    ) {
        guard let evaluation = model.reviewReadiness[review],
            let checklist = model.checklists[review.checklist]
        else { return }
        let today = evaluation.asOf
        let window = model.config.waiverWarningDays
        for state in evaluation.checks {
            if let verdict = state.verdict, state.answer?.box != .waived {
                evidenceWarnings(state, verdict, review: review, today: today, window: window, checklist: checklist, into: &diagnostics)
                continue
            }
            guard let answer = state.answer, state.state != .upcoming else { continue }
            let at = SourceLocation(path: review.path, line: answer.line)
            let waiver = answer.box == .waived
            let what = waiver ? "waiver of `\(state.id)`" : "answer to `\(state.id)`"
            guard let lastDay = state.holdsUntil else {
                if waiver {
                    diagnostics.append(
                        .warning(
                            "waiver of `\(state.id)` has no end date", at: at,
                            hint: "add `until=YYYY-MM-DD` (and `by=NAME`) in its `{…}`, e.g. `{#\(state.id) until=\(today.adding(days: 90))}`"))
                }
                continue
            }
            let every = checklist.check(id: state.id)?.every ?? 0
            let holds = state.state == .expired ? "held" : "holds"
            let rule = waiver
                ? "it \(holds) until \(lastDay)"
                : "done on \(review.date), it \(holds) \(every) days, until \(lastDay)"
            let renew = waiver
                ? "renew it with a later `until=`, or do the check"
                : "confirm it again in a new review"
            if state.state == .expired {
                diagnostics.append(
                    .warning(
                        "\(what) \(state.expiry(on: today) ?? "expired") (\(rule)); the check counts as open",
                        at: at, hint: renew))
            } else if today.days(until: lastDay) + 1 <= window {
                diagnostics.append(
                    .warning("\(what) \(state.expiry(on: today) ?? "expires") (\(rule))", at: at, hint: renew))
            }
        }
    }

    /// An `auto` or `rule=` check of the latest review: a tick its evidence
    /// or rule contradicts, and passing evidence that went stale or goes stale
    /// within `waiver_warning_days` (at the record).
    private static func evidenceWarnings(
        _ state: CheckState, _ verdict: CheckVerdict, review: Review, today: Day, window: Int, checklist: Checklist,
        into diagnostics: inout [Diagnostic]
    ) {
        if state.isContradicted, let answer = state.answer {
            let what: String
            switch (verdict.kind, verdict.state) {
            case (.rule, _): what = "its rule `\(checklist.check(id: state.id)?.rule?.description ?? "")` does not hold (\(verdict.reason ?? "not met"))"
            case (_, .unanswered): what = "it has no evidence yet"
            case (_, .expired): what = "its evidence is stale (\(verdict.reason ?? "too old"))"
            default:
                let at = verdict.record.map { " (\($0.location.path):\($0.location.line))" } ?? ""
                what = "its evidence \(verdict.reason ?? "failed")\(at)"
            }
            diagnostics.append(
                .warning(
                    "check `\(state.id)` is ticked done, but \(what); \(verdict.kind == .rule ? "the rule" : "evidence") decides, so it counts as open",
                    at: SourceLocation(path: review.path, line: answer.line),
                    hint: verdict.kind == .rule
                        ? "set what the rule reads in the service's front matter, or leave the box open"
                        : "fix what the evidence reports and let CI record a pass, or leave the box open"))
        }
        guard verdict.kind == .auto, let record = verdict.record, record.result == .pass, let lastDay = verdict.holdsUntil,
            state.state != .upcoming
        else { return }
        let every = checklist.check(id: state.id)?.every ?? 0
        let rule = "passed on \(record.day), it holds \(every) days, until \(lastDay)"
        if state.state == .expired {
            diagnostics.append(
                .warning(
                    "evidence for `\(review.service)` / `\(state.id)` \(state.expiry(on: today) ?? "expired") (\(rule)); the check counts as open",
                    at: record.location, hint: "run the check again in CI and record its result"))
        } else if today.days(until: lastDay) + 1 <= window {
            diagnostics.append(
                .warning(
                    "evidence for `\(review.service)` / `\(state.id)` \(state.expiry(on: today) ?? "expires") (\(rule))",
                    at: record.location, hint: "run the check again in CI before then"))
        }
    }
}
