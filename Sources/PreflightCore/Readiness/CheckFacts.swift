/// What answers a service's `auto` and `rule=` checks besides its reviews:
/// its evidence records and its own front matter (docs/format.md,
/// "Evidence"). One per service, shared by every evaluation of its reviews.
public final class CheckFacts: Sendable {
    public let service: Service
    public let evidence: ServiceEvidence?

    public init(service: Service, evidence: ServiceEvidence?) {
        self.service = service
        self.evidence = evidence
    }

    /// No evidence, and a service with nothing set.
    static let none = CheckFacts(service: Service(slug: ""), evidence: nil)

    /// How `check` stands by its evidence or rule on `day`; nil for a check
    /// that neither answers.
    public func verdict(_ check: Checklist.Check, on day: Day) -> CheckVerdict? {
        if let rule = check.rule {
            let (holds, reason) = rule.evaluate(service)
            return CheckVerdict(kind: .rule, record: nil, state: holds ? .done : .open, holdsUntil: nil, reason: reason)
        }
        guard check.auto else { return nil }
        return CheckVerdict.auto(check, record: evidence?.newest(check.id, on: day), on: day)
    }

    /// The days after `from`, up to `to`, on which `check`'s verdict is not
    /// what it was the day before: a record that flips it, a pass that goes
    /// stale. A rule never changes (it has no history).
    func changeDays(_ check: Checklist.Check, after from: Day, through to: Day) -> [Day] {
        guard check.auto, let records = evidence?.records[check.id], !records.isEmpty, from < to else { return [] }
        var candidates: [Day] = []
        for record in records where record.day <= to {
            if record.day > from { candidates.append(record.day) }
            if record.result == .pass, let every = check.every {
                let stale = record.day.adding(days: every + 1)
                if stale > from && stale <= to { candidates.append(stale) }
            }
        }
        var days: [Day] = []
        var previous = verdict(check, on: from)?.state
        for day in Set(candidates).sorted() {
            let state = verdict(check, on: day)?.state
            if state != previous { days.append(day) }
            previous = state
        }
        return days
    }
}

/// How evidence or a rule answers a check on one day.
public struct CheckVerdict: Sendable, Equatable {
    public enum Kind: String, Sendable {
        case auto, rule
    }

    public var kind: Kind
    /// The newest record that counts on the day (auto checks only).
    public var record: EvidenceRecord?
    /// `done`, `open` (failed, or a rule that does not hold), `expired`
    /// (a pass too old for `every=`) or `unanswered` (no evidence).
    public var state: CheckState.State
    /// The last day a pass holds; nil when it never runs out or did not pass.
    public var holdsUntil: Day?
    /// Why the check does not count as done; nil when it does.
    public var reason: String?

    static func auto(_ check: Checklist.Check, record: EvidenceRecord?, on day: Day) -> CheckVerdict {
        guard let record else {
            return CheckVerdict(kind: .auto, record: nil, state: .unanswered, holdsUntil: nil, reason: "no evidence yet")
        }
        switch record.result {
        case .fail:
            let detail = record.note ?? record.source
            return CheckVerdict(
                kind: .auto, record: record, state: .open, holdsUntil: nil,
                reason: "failed \(record.day)" + (detail.isEmpty ? "" : ": \(detail)"))
        case .pass:
            guard let every = check.every else {
                return CheckVerdict(kind: .auto, record: record, state: .done, holdsUntil: nil, reason: nil)
            }
            let until = record.day.adding(days: every)
            if day <= until {
                return CheckVerdict(kind: .auto, record: record, state: .done, holdsUntil: until, reason: nil)
            }
            let age = record.age(on: day)
            return CheckVerdict(
                kind: .auto, record: record, state: .expired, holdsUntil: until,
                reason: "evidence \(age) days old, needs \(every)")
        }
    }

    public static func == (a: CheckVerdict, b: CheckVerdict) -> Bool {
        a.kind == b.kind && a.record === b.record && a.state == b.state && a.holdsUntil == b.holdsUntil
            && a.reason == b.reason
    }
}
