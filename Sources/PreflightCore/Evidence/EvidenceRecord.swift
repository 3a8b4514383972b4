/// One evidence record: a machine's answer to an `auto` check of a service,
/// one line of a `.jsonl` file (docs/format.md, "Evidence records").
/// A class: check states point at the record that decided them, and a
/// state is made many times per build.
public final class EvidenceRecord: Sendable {
    public enum Result: String, Sendable, CaseIterable {
        case pass, fail
    }

    public let service: String
    public let check: String
    public let result: Result
    public let at: Timestamp
    public let source: String
    public let note: String?
    /// The file and line it was read from.
    public let location: SourceLocation

    public init(
        service: String, check: String, result: Result, at: Timestamp, source: String, note: String?,
        location: SourceLocation
    ) {
        self.service = service
        self.check = check
        self.result = result
        self.at = at
        self.source = source
        self.note = note
        self.location = location
    }

    /// The UTC day of `at`: figures are judged by the day.
    public var day: Day { at.day }

    /// Its age in days on `day` (negative for a record after it).
    public func age(on day: Day) -> Int { self.day.days(until: day) }

    /// Whether `source` is a link pages may show as one.
    public var sourceIsLink: Bool {
        let lower = source.lowercased()
        return (lower.hasPrefix("https://") || lower.hasPrefix("http://")) && !source.contains(where: \.isWhitespace)
    }

    /// The same service, check, instant and result: a record written twice.
    func says(sameAs other: EvidenceRecord) -> Bool {
        service == other.service && check == other.check && at == other.at && result == other.result
    }

    static let keys = ["service", "check", "result", "at", "source", "note"]
    static let required = ["service", "check", "result", "at", "source"]

    /// The record one line holds; nil with an error (or errors) when the line
    /// cannot be read. Unknown keys are warnings.
    public static func parse(
        line: ArraySlice<UInt8>, at location: SourceLocation, diagnostics: inout DiagnosticList
    ) -> EvidenceRecord? {
        let node: JSONNode
        do {
            node = try JSONReader.parse(line)
        } catch {
            var at = location
            at.column = error.offset + 1
            diagnostics.error(
                "evidence line is not JSON: \(error.message)", at: at,
                hint: "one record per line: {\"service\": \"…\", \"check\": \"…\", \"result\": \"pass\", \"at\": \"2026-11-20T03:12:00Z\", \"source\": \"…\"}")
            return nil
        }
        guard case .object(let pairs) = node else {
            diagnostics.error(
                "evidence line is \(node.kind), not an object", at: location,
                hint: "one record per line, as a JSON object with `service`, `check`, `result`, `at` and `source`")
            return nil
        }
        var values: [String: String] = [:]
        var ok = true
        for (key, value) in pairs {
            guard keys.contains(key) else {
                diagnostics.warning(
                    "unknown key `\(key)` in an evidence record", at: location,
                    hint: FrontMatterFields.closest(to: key, in: keys).map { "did you mean `\($0)`?" }
                        ?? "a record has \(keys.map { "`\($0)`" }.joined(separator: ", "))")
                continue
            }
            guard values[key] == nil else {
                diagnostics.error("key `\(key)` is given twice in an evidence record", at: location)
                ok = false
                continue
            }
            guard case .string(let text) = value else {
                diagnostics.error(
                    "`\(key)` must be a string, not \(value.kind)", at: location,
                    hint: key == "result" ? "write \"pass\" or \"fail\"" : "quote it: \"\(key)\": \"…\"")
                ok = false
                values[key] = ""
                continue
            }
            values[key] = text
        }
        for key in required where values[key] == nil {
            diagnostics.error(
                "evidence record has no `\(key)`", at: location,
                hint: "a record needs `service`, `check`, `result`, `at` and `source`")
            ok = false
        }
        guard ok else { return nil }
        // A control character or a bidirectional override in what pages show
        // would hide text or reorder what follows it: left out, with a warning
        // (and a `source` of nothing else is empty, below).
        for key in ["source", "note"] {
            guard let value = values[key], let (kept, first) = droppingUnsafeCharacters(value) else { continue }
            diagnostics.warning(
                "`\(key)` holds a control or bidirectional-override character (\(first)); it is left out",
                at: location, hint: "write the text without it")
            values[key] = kept
        }
        for key in keys where values[key]?.trimmingSpaces().isEmpty == true && (key != "note") {
            diagnostics.error("`\(key)` is empty in an evidence record", at: location)
            ok = false
        }
        let result = EvidenceRecord.Result(rawValue: values["result"]!)
        if result == nil {
            let written = values["result"]!
            let lower = written.lowercased()
            let guess = ["passed", "success", "ok", "true", "pass"].contains(lower) ? "pass"
                : ["failed", "failure", "error", "false", "fail"].contains(lower) ? "fail" : nil
            diagnostics.error(
                "`result` must be `pass` or `fail`, not `\(written)`", at: location,
                hint: guess.map { "did you mean `\($0)`?" } ?? "a skipped or unknown result is not evidence: write no record")
            ok = false
        }
        let at = Timestamp(values["at"]!)
        if at == nil, values["at"]?.isEmpty == false {
            diagnostics.error(Timestamp.problem(values["at"]!), at: location, hint: Timestamp.hint)
            ok = false
        }
        guard ok, let result, let at else { return nil }
        let note = values["note"].flatMap { $0.trimmingSpaces().isEmpty ? nil : $0 }
        return EvidenceRecord(
            service: values["service"]!, check: values["check"]!, result: result, at: at,
            source: values["source"]!, note: note, location: location)
    }

    /// The record as one line of JSON Lines, keys in the documented order.
    public var line: String {
        var out = "{"
        func pair(_ key: String, _ value: String) {
            if out.count > 1 { out += ", " }
            JSONValue.writeString(key, into: &out)
            out += ": "
            JSONValue.writeString(value, into: &out)
        }
        pair("service", service)
        pair("check", check)
        pair("result", result.rawValue)
        pair("at", at.text)
        pair("source", source)
        if let note { pair("note", note) }
        return out + "}"
    }
}
