/// The evidence of a site: for each service and check, the newest record of
/// each day, oldest day first (docs/format.md, "Newest wins").
public struct EvidenceIndex: Sendable {
    /// By service slug.
    public private(set) var services: [String: ServiceEvidence] = [:]
    /// How many records are kept, across services.
    public private(set) var count = 0

    public init() {}

    init(_ kept: [String: [String: [EvidenceRecord]]]) {
        for (slug, checks) in kept {
            services[slug] = ServiceEvidence(checks.mapValues { $0.sorted { $0.at < $1.at } })
            count += checks.values.reduce(0) { $0 + $1.count }
        }
    }

    public subscript(service: String) -> ServiceEvidence? {
        services[service]
    }

    public var isEmpty: Bool { services.isEmpty }
}

/// One service's evidence, by check id: one record per day, oldest first.
/// Shared by every evaluation of the service's reviews.
public final class ServiceEvidence: Sendable {
    public let records: [String: [EvidenceRecord]]

    init(_ records: [String: [EvidenceRecord]]) {
        self.records = records
    }

    /// The newest record of `check` whose day is not after `day`.
    public func newest(_ check: String, on day: Day) -> EvidenceRecord? {
        guard let list = records[check], !list.isEmpty else { return nil }
        // The last record with `day <= day`: binary search over days, oldest first.
        var low = 0
        var high = list.count
        while low < high {
            let mid = (low + high) / 2
            if list[mid].day <= day { low = mid + 1 } else { high = mid }
        }
        return low == 0 ? nil : list[low - 1]
    }
}

/// Collects records as files are read: the newest of each day per service
/// and check, with the diagnostics the rules call for.
struct EvidenceCollector {
    /// Records whose day is after this one have not happened yet (nil: all count).
    let buildDate: Day?
    private(set) var kept: [String: [String: [Day: EvidenceRecord]]] = [:]
    /// Per service and check: where the first record was read, and how many were.
    private(set) var seen: [String: [String: (first: SourceLocation, count: Int)]] = [:]
    private(set) var keptCount = 0
    /// More records than this are an error: they would only cost memory.
    static let maxRecords = 1_000_000

    init(buildDate: Day?) {
        self.buildDate = buildDate
    }

    var isFull: Bool { keptCount >= Self.maxRecords }

    /// Adds a record read from a file. Returns false when it is dated after
    /// the build date (not counted; the caller reports those per file).
    mutating func add(_ record: EvidenceRecord, diagnostics: inout DiagnosticList) -> Bool {
        if let buildDate, record.day > buildDate { return false }
        if var entry = seen[record.service]?[record.check] {
            entry.count += 1
            seen[record.service]![record.check] = entry
        } else {
            seen[record.service, default: [:]][record.check] = (record.location, 1)
        }
        let day = record.day
        if let kept = kept[record.service]?[record.check]?[day] {
            if kept.at == record.at {
                if kept.result == record.result {
                    diagnostics.warning(
                        "duplicate evidence: the same record as \(kept.location.path):\(kept.location.line)",
                        at: record.location, hint: "each run needs one record; `preflight evidence` never writes one twice")
                } else {
                    diagnostics.error(
                        "evidence for `\(record.service)` / `\(record.check)` at \(record.at) says \(record.result.rawValue), "
                            + "but \(kept.location.path):\(kept.location.line) says \(kept.result.rawValue) at the same instant",
                        at: record.location, hint: "keep the record that is right, or give each its own `at`")
                }
                return true
            }
            guard record.at > kept.at else { return true }
        } else {
            keptCount += 1
        }
        self.kept[record.service, default: [:]][record.check, default: [:]][day] = record
        return true
    }

    /// The index of what was kept, by service and check, days in order.
    func index(services: Set<String>?) -> EvidenceIndex {
        var result: [String: [String: [EvidenceRecord]]] = [:]
        for (service, checks) in kept where services?.contains(service) ?? true {
            result[service] = checks.mapValues { Array($0.values) }
        }
        return EvidenceIndex(result)
    }
}

extension EvidenceCollector {
    /// The index of the records of known services, with a warning for each
    /// service the site lacks and each check its checklist lacks or does not
    /// mark `auto` (once per service and check, at its first record).
    /// `checklist` gives the checklist a service is judged against.
    func resolve(
        services: [Service], checklist: (Service) -> Checklist?, diagnostics: inout DiagnosticList
    ) -> EvidenceIndex {
        let targets = EvidenceTargets(services: services, checklist: checklist)
        func records(_ n: Int) -> String { n == 1 ? "1 record" : "\(n) records, the first here" }
        for (slug, checks) in seen {
            if targets.services[slug] == nil {
                let first = checks.values.map(\.first).min { ($0.path, $0.line) < ($1.path, $1.line) }!
                let n = checks.values.reduce(0) { $0 + $1.count }
                if let (message, hint) = targets.problem(service: slug, check: checks.keys.min()!) {
                    diagnostics.warning("\(message) (\(records(n))); it answers nothing", at: first, hint: hint)
                }
                continue
            }
            for (id, entry) in checks {
                guard let (message, hint) = targets.problem(service: slug, check: id) else { continue }
                diagnostics.warning("\(message) (\(records(entry.count))); it answers nothing", at: entry.first, hint: hint)
            }
        }
        return index(services: Set(targets.services.keys))
    }
}

/// The services and `auto` checks evidence may name, and what is wrong with
/// a record that names others: warnings when a build reads records, errors
/// when `preflight evidence` would write one.
struct EvidenceTargets {
    let services: [String: Service]
    /// The checklist each service is judged against, by slug.
    private let checklists: [String: Checklist]
    private let slugs: [String]

    init(services: [Service], checklist: (Service) -> Checklist?) {
        self.services = Dictionary(services.map { ($0.slug, $0) }) { a, _ in a }
        var checklists: [String: Checklist] = [:]
        for service in services { checklists[service.slug] = checklist(service) }
        self.checklists = checklists
        self.slugs = services.map(\.slug).sorted()
    }

    /// Nil when `check` is an `auto` check of `service`'s checklist (or the
    /// service has no checklist to tell); else what is wrong, with a hint.
    func problem(service slug: String, check id: String) -> (message: String, hint: String)? {
        guard services[slug] != nil else {
            let near = FrontMatterFields.closest(to: slug, in: slugs)
            return (
                "evidence for `\(slug)`, which is not a service of this site",
                near.map { "did you mean `\($0)`?" } ?? "services are the folders of content/services/"
            )
        }
        guard let list = checklists[slug] else { return nil }
        if let check = list.check(id: id) {
            if check.auto { return nil }
            return (
                "check `\(id)` of checklist `\(list.id)` is not `auto`, so evidence for `\(slug)` cannot answer it",
                check.rule != nil
                    ? "a `rule=` check is answered by the service's front matter"
                    : "add `auto` to the check's `{…}` in \(list.path), or stop sending records for it"
            )
        }
        let autoIDs = list.checks.filter(\.auto).map(\.id)
        let near = FrontMatterFields.closest(to: id, in: autoIDs) ?? list.nearestCheck(id: id)?.id
        return (
            "evidence for `\(slug)` names `\(id)`, which is not a check of checklist `\(list.id)`",
            near.map { "did you mean `\($0)`?" }
                ?? (autoIDs.isEmpty ? "checklist `\(list.id)` has no `auto` check" : "its auto checks: " + autoIDs.joined(separator: ", "))
        )
    }
}
