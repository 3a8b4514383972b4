/// The deadline calendar: every date someone must act by, as all-day events.
extension Export {
    /// `deadlines.ics` for the whole site, or for one team: its services'
    /// deadlines and the campaigns any of its services is in.
    static func deadlines(_ model: SiteModel, team: SiteModel.Team?) -> String {
        let base = model.config.baseURL
        let services = team.map { Set($0.services) }
        let reach = team.map(model.reach)
        var events: [ICalendar.Event] = []
        for service in model.content.services where reach?.contains(service.slug) ?? true {
            if services?.contains(service.slug) ?? true {
                events += deadlines(of: service, model: model)
            } else if let team {
                // Another service's action items assigned to this team.
                events += deadlines(of: service, model: model, assignedTo: team.slug)
            }
        }
        for (campaign, progress) in model.campaigns {
            let touched = services.map { team in progress.inScope.filter { team.contains($0) } } ?? progress.inScope
            if services != nil && touched.isEmpty { continue }
            let met = Set(progress.met)
            let teamMet = touched.filter { met.contains($0) }.count
            var description = "Goal: \(campaign.goal.description), for \(campaign.scope.description). "
            description += "\(progress.met.count) of \(progress.inScope.count) services meet it (\(progress.status.rawValue))."
            if team != nil { description += " This team: \(teamMet) of \(touched.count)." }
            events.append(
                ICalendar.Event(
                    uid: ICalendar.uid(["campaign", campaign.id], host: ICalendar.host(of: base)), day: campaign.deadline,
                    summary: "Campaign deadline: \(campaign.title)", description: description,
                    url: SiteModel.campaignURL(campaign.id), category: "campaign"))
        }
        let name = model.config.title + (team.map { " · \($0.name)" } ?? "") + " · deadlines"
        return ICalendar.ics(name: name, baseURL: base, events: events, stamp: model.buildDate)
    }

    /// One service's dates: open action items with a due date, the ends of
    /// waivers and of time-limited answers in its latest review, and its
    /// re-review date (the last day before it turns stale). With `assignedTo`,
    /// only its action items assigned to that team (by slug).
    static func deadlines(of service: Service, model: SiteModel, assignedTo assignee: String? = nil) -> [ICalendar.Event] {
        guard let latest = model.reviews[service.slug]?.last, let evaluation = model.reviewReadiness[latest]
        else { return [] }
        let host = ICalendar.host(of: model.config.baseURL)
        let slug = service.slug
        let reviewURL = SiteModel.reviewURL(latest)
        var events: [ICalendar.Event] = []
        var used: [String: Int] = [:]
        for item in latest.actionItems where !item.done {
            guard let due = item.due else { continue }
            if let assignee, !SiteModel.isAssigned(item, to: assignee) { continue }
            // Named by its words without the due date and owner, so that
            // moving the date or handing it over moves the event; the same
            // words twice get a counter.
            let words = item.text.split(separator: " ").filter { !$0.hasPrefix("due:") && !$0.hasPrefix("@") }
                .joined(separator: " ")
            var key = ICalendar.digest(words)
            used[key, default: 0] += 1
            if used[key]! > 1 { key += "-\(used[key]!)" }
            events.append(
                ICalendar.Event(
                    uid: ICalendar.uid(["action", slug, key], host: host), day: due,
                    summary: "Action item due: \(service.name): \(words)",
                    description: "Open action item of the review of \(latest.date)"
                        + (item.owner.map { ", owned by \($0)" } ?? "") + ".",
                    url: reviewURL, category: "action item"))
        }
        if assignee != nil { return events }
        let checklist = model.checklists[latest.checklist]
        for state in evaluation.checks where state.state != .upcoming {
            let title = checklist?.check(id: state.id)?.text ?? state.id
            if let verdict = state.verdict, state.answer?.box != .waived {
                // Answered by evidence: the last day its pass holds.
                guard let record = verdict.record, record.result == .pass, let lastDay = verdict.holdsUntil else { continue }
                events.append(
                    ICalendar.Event(
                        uid: ICalendar.uid(["evidence", slug, state.id], host: host), day: lastDay,
                        summary: "Evidence runs out: \(service.name): \(title)",
                        description: "The evidence for \(state.id) passed on \(record.day) and holds until \(lastDay)"
                            + (lastDay < Day.last ? "; from \(lastDay.adding(days: 1)) the check counts as open unless CI records a newer pass." : "."),
                        url: SiteModel.serviceURL(slug), category: "evidence"))
                continue
            }
            guard let answer = state.answer, let lastDay = state.holdsUntil else { continue }
            let waiver = answer.box == .waived
            events.append(
                ICalendar.Event(
                    uid: ICalendar.uid([waiver ? "waiver" : "answer", slug, state.id], host: host), day: lastDay,
                    summary: waiver
                        ? "Waiver ends: \(service.name): \(title)"
                        : "Re-confirm: \(service.name): \(title)",
                    description: (waiver
                        ? "The waiver of \(state.id)" + (answer.by.map { " granted by \($0)" } ?? "")
                        : "The answer to \(state.id) (done on \(latest.date))")
                        + " holds until \(lastDay)"
                        + (lastDay < Day.last ? "; from \(lastDay.adding(days: 1)) the check counts as open." : "."),
                    url: reviewURL, category: waiver ? "waiver" : "re-confirm"))
        }
        let stale = model.config.staleAfterDays
        events.append(
            ICalendar.Event(
                uid: ICalendar.uid(["review", slug], host: host), day: latest.date.adding(days: stale),
                summary: "Re-review due: \(service.name)",
                description: "Last reviewed \(latest.date); a service is stale \(stale) days after its latest review.",
                url: SiteModel.serviceURL(slug), category: "re-review"))
        return events
    }
}
