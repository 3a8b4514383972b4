/// The mapping file of `preflight evidence import`: which JUnit test cases
/// and SARIF rules answer which service's check (docs/format.md, "The
/// mapping file"). YAML; unknown keys are errors, as in campaigns: a
/// misspelt key would silently map nothing.
public struct EvidenceMapping: Sendable {
    struct JUnitEntry: Sendable {
        var testcase: Glob
        var service: String
        var check: String
        var location: SourceLocation
    }

    struct SARIFEntry: Sendable {
        var rule: Glob
        var tool: Glob?
        var path: Glob?
        var levels: Set<String>
        var service: String
        var check: String
        var location: SourceLocation
    }

    var junit: [JUnitEntry] = []
    var sarif: [SARIFEntry] = []

    static let levels = ["error", "warning", "note", "none"]

    /// Parses the mapping text; nil with errors when it cannot be used.
    public static func parse(_ text: String, path: String, diagnostics: inout DiagnosticList) -> EvidenceMapping? {
        let file = SourceFile(path: path, frontMatter: text, frontMatterFirstLine: 1, body: "", bodyFirstLine: 1)
        let errorsBefore = diagnostics.errorCount
        guard var fields = FrontMatterFields.parse(file, subject: "mapping file", diagnostics: &diagnostics) else { return nil }
        var mapping = EvidenceMapping()
        func target(_ item: inout FrontMatterFields) -> (String, String)? {
            let service = item.requiredString("service", &diagnostics, hint: "the service's slug, e.g. `service: payments-api`")
            let check = item.requiredString("check", &diagnostics, hint: "the id of an `auto` check, e.g. `check: dr-drill`")
            guard let service, let check else { return nil }
            return (service, check)
        }
        for var item in fields.mappingList("junit", &diagnostics) ?? [] {
            let pattern = item.requiredString(
                "testcase", &diagnostics, hint: "a glob of test case names, `classname.name`: `testcase: \"payments.DrillTest.*\"`")
            let answer = target(&item)
            item.reportUnknownKeys(&diagnostics, severity: .error, allowed: ["testcase", "service", "check"])
            guard let pattern, let (service, check) = answer else { continue }
            mapping.junit.append(JUnitEntry(testcase: Glob(pattern), service: service, check: check, location: item.location))
        }
        for var item in fields.mappingList("sarif", &diagnostics) ?? [] {
            let pattern = item.requiredString("rule", &diagnostics, hint: "a glob of SARIF rule ids: `rule: \"CVE-*\"`")
            let tool = item.string("tool", &diagnostics)
            let uri = item.string("path", &diagnostics)
            var levels: Set<String> = ["error", "warning"]
            if let (_, at) = item.value("levels"), let list = item.stringList("levels", &diagnostics) {
                levels = Set(list)
                if list.isEmpty {
                    diagnostics.error(
                        "`levels` is empty: no result could ever fail the check", at: at,
                        hint: "list the levels that fail it (`levels: [error, warning]`), or leave `levels` out for that default")
                }
                for level in list where !Self.levels.contains(level) {
                    diagnostics.error(
                        "`\(level)` is not a SARIF level", at: at,
                        hint: FrontMatterFields.closest(to: level, in: Self.levels).map { "did you mean `\($0)`?" }
                            ?? "levels are \(Self.levels.joined(separator: ", "))")
                }
            }
            let answer = target(&item)
            item.reportUnknownKeys(&diagnostics, severity: .error, allowed: ["rule", "tool", "path", "levels", "service", "check"])
            guard let pattern, let (service, check) = answer else { continue }
            mapping.sarif.append(SARIFEntry(
                rule: Glob(pattern), tool: tool.map(Glob.init), path: uri.map(Glob.init), levels: levels,
                service: service, check: check, location: item.location))
        }
        fields.reportUnknownKeys(&diagnostics, severity: .error, allowed: ["junit", "sarif"])
        if diagnostics.errorCount > errorsBefore { return nil }
        if mapping.junit.isEmpty && mapping.sarif.isEmpty {
            diagnostics.error(
                "the mapping maps nothing", at: SourceLocation(path: path),
                hint: "list `junit:` entries (testcase, service, check) and `sarif:` entries (rule, service, check)")
            return nil
        }
        for entry in mapping.junit { checkTarget(entry.service, entry.check, at: entry.location, &diagnostics) }
        for entry in mapping.sarif { checkTarget(entry.service, entry.check, at: entry.location, &diagnostics) }
        return diagnostics.errorCount > errorsBefore ? nil : mapping
    }

    private static func checkTarget(_ service: String, _ check: String, at: SourceLocation, _ diagnostics: inout DiagnosticList) {
        if !Slug.isValid(service) { diagnostics.error("`\(service)` is not a service slug", at: at) }
        if !Slug.isValid(check) { diagnostics.error("`\(check)` is not a check id", at: at) }
    }

    /// Every service and check the mapping names, each once, in order.
    public var targets: [(service: String, check: String, location: SourceLocation)] {
        var seen: Set<String> = []
        var out: [(String, String, SourceLocation)] = []
        for (service, check, at) in junit.map({ ($0.service, $0.check, $0.location) }) + sarif.map({ ($0.service, $0.check, $0.location) })
        where seen.insert(service + "\u{0}" + check).inserted {
            out.append((service, check, at))
        }
        return out
    }
}
