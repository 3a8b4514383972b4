/// What CI already writes, read for `preflight evidence import`: JUnit XML
/// test reports and SARIF scanner reports (docs/format.md, "The mapping file").
public enum TestReports {
    /// Reports larger than this are refused: no real report is, and each is read whole.
    static let maxBytes = 100 << 20
    /// Names and messages from reports reach notes cut to this many characters.
    public static let maxText = 200

    struct Problem: Error, Equatable {
        var line: Int = 1
        var column: Int = 1
        var message: String
    }

    /// One `<testcase>` of a JUnit report.
    struct TestCase: Equatable {
        enum Outcome: Equatable {
            case passed
            case failed(String)
            case skipped
        }

        var classname: String?
        var name: String
        var outcome: Outcome

        /// `classname.name`, or `name` without a classname.
        var fullName: String {
            classname.map { $0.isEmpty ? name : $0 + "." + name } ?? name
        }
    }

    /// The test cases of a JUnit XML report (`<testsuites>` or `<testsuite>`
    /// at the root, suites nested to any depth): a case with a `<failure>` or
    /// `<error>` failed, one with `<skipped>` was skipped, any other passed.
    static func junit(_ bytes: [UInt8]) throws(Problem) -> [TestCase] {
        var cases: [TestCase] = []
        var current: TestCase?
        /// Inside a `<failure>` or `<error>` without a message: its text, so far.
        var failureText: String?
        var root: String?
        do {
            try XMLReader.read(bytes) { (event) throws(XMLReader.Failure) in
                switch event {
                case .start(let name, let attributes):
                    if root == nil {
                        root = name
                        guard name == "testsuites" || name == "testsuite" else {
                            throw XMLReader.Failure(line: 1, column: 1, message: "not a JUnit report: its root element is <\(name)>, not <testsuites> or <testsuite>")
                        }
                    }
                    func attribute(_ key: String) -> String? { attributes.first { $0.name == key }?.value }
                    switch name {
                    case "testcase":
                        current = TestCase(classname: attribute("classname"), name: attribute("name") ?? "", outcome: .passed)
                    case "failure", "error":
                        guard current != nil else { break }
                        let message = [attribute("message"), attribute("type")].compactMap { $0 }.first { !$0.isEmpty }
                        if case .failed = current!.outcome { break }
                        current!.outcome = .failed(message.map(clean) ?? "")
                        if message == nil { failureText = "" }
                    case "skipped":
                        if current != nil, current!.outcome == .passed { current!.outcome = .skipped }
                    default: break
                    }
                case .text(let text):
                    if var sofar = failureText, sofar.count < maxText {
                        sofar += text
                        failureText = sofar
                    }
                case .end(let name):
                    switch name {
                    case "failure", "error":
                        if let text = failureText, current != nil { current!.outcome = .failed(clean(text)) }
                        failureText = nil
                    case "testcase":
                        if let done = current { cases.append(done) }
                        current = nil
                    default: break
                    }
                }
            }
        } catch {
            throw Problem(line: error.line, column: error.column, message: error.message)
        }
        return cases
    }

    /// One result of a SARIF run that can fail a check.
    struct Finding: Equatable {
        var rule: String
        var level: String
        var message: String
        var uris: [String]
    }

    struct Run: Equatable {
        var tool: String
        var findings: [Finding]
        /// Why the run cannot say its rules found nothing, when it cannot: it
        /// has no `results` (the tool did not report them) or an invocation
        /// that did not succeed. Its findings still fail a check.
        var incomplete: String?
    }

    /// SARIF's result levels.
    static let sarifLevels = ["error", "warning", "note", "none"]

    /// The runs of a SARIF 2.1.0 report, with their results: suppressed ones,
    /// those with `baselineState: absent` and those whose `kind` is not
    /// `fail` (SARIF's default) left out. A result's rule is
    /// its `ruleId`, else `rule.id`, else the id of the rule `rule.index`
    /// points at; its level is its `level`, else the default of its rule
    /// (the one `rule.index` or `ruleIndex` points at, else the one with its
    /// id), else `warning` (SARIF's default). A report of another version,
    /// a run, result or `results` of the wrong type and a level SARIF does
    /// not have are problems: a report that cannot be read must not pass.
    static func sarif(_ bytes: [UInt8]) throws(Problem) -> [Run] {
        let root: JSONNode
        do {
            root = try JSONReader.parse(bytes)
        } catch {
            let (line, column) = position(of: error.offset, in: bytes)
            throw Problem(line: line, column: column, message: "not JSON: \(error.message)")
        }
        guard case .object = root, case .array(let runs)? = root["runs"] else {
            throw Problem(message: "not a SARIF report: it has no `runs` list")
        }
        guard let version = root["version"]?.string, version == "2.1.0" else {
            let found = root["version"].map { $0.string.map { "`\(clean($0))`" } ?? "not text" } ?? "missing"
            throw Problem(message: "not a SARIF 2.1.0 report: its `version` is \(found)")
        }
        var result: [Run] = []
        for (r, run) in runs.enumerated() {
            let which = "run \(r + 1)"
            guard case .object = run else { throw Problem(message: "\(which) is not an object") }
            let driver = run["tool"]?["driver"]
            let tool = driver?["name"]?.string.map(clean) ?? ""
            let rules = driver?["rules"]?.array ?? []
            func checkedLevel(_ node: JSONNode?, _ what: String) throws(Problem) -> String? {
                guard let node else { return nil }
                guard let level = node.string, sarifLevels.contains(level) else {
                    let shown = node.string.map { "`\(clean($0))`" } ?? "not text"
                    throw Problem(message: "\(what): its level is \(shown), not one of SARIF's (\(sarifLevels.joined(separator: ", ")))")
                }
                return level
            }
            var incomplete: String?
            let results: [JSONNode]
            switch run["results"] {
            case .array(let list)?: results = list
            case nil, .null?:
                results = []
                incomplete = "has no `results`: the tool did not report what it found"
            default: throw Problem(message: "\(which): `results` is not a list")
            }
            for invocation in run["invocations"]?.array ?? [] where invocation["executionSuccessful"] == .bool(false) {
                incomplete = "did not complete (an invocation has `executionSuccessful: false`)"
            }
            var findings: [Finding] = []
            for (i, result) in results.enumerated() {
                let what = "result \(i + 1) of \(which)"
                guard case .object = result else { throw Problem(message: "\(what) is not an object") }
                if let suppressions = result["suppressions"]?.array, !suppressions.isEmpty { continue }
                // Only a failure is a finding: `pass`, `notApplicable`, `informational`… are not.
                if let kind = result["kind"]?.string, kind != "fail" { continue }
                if result["baselineState"]?.string == "absent" { continue }
                let id = result["ruleId"]?.string ?? result["rule"]?["id"]?.string
                var ruleNode: JSONNode?
                if case .number(let index)? = result["rule"]?["index"] ?? result["ruleIndex"], let i = Int(index),
                    rules.indices.contains(i)
                {
                    ruleNode = rules[i]
                } else if let id {
                    ruleNode = rules.first { $0["id"]?.string == id }
                }
                let rule = id ?? ruleNode?["id"]?.string ?? ""
                var level = try checkedLevel(result["level"], what)
                if level == nil { level = try checkedLevel(ruleNode?["defaultConfiguration"]?["level"], "the rule of \(what)") }
                let message = result["message"]?["text"]?.string ?? ""
                let uris = (result["locations"]?.array ?? []).compactMap {
                    $0["physicalLocation"]?["artifactLocation"]?["uri"]?.string
                }
                findings.append(Finding(rule: clean(rule), level: level ?? "warning", message: clean(message), uris: uris.map(clean)))
            }
            result.append(Run(tool: tool, findings: findings, incomplete: incomplete))
        }
        return result
    }

    /// Text from a report as a note may carry it: control characters and
    /// bidirectional overrides removed, white space folded, at most `maxText`
    /// characters.
    public static func clean(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        var space = false
        for scalar in text.unicodeScalars {
            if scalar.properties.isWhitespace {
                space = !out.isEmpty
                continue
            }
            if isHiddenControl(scalar) || scalar.value < 0x20 { continue }
            if space {
                out.append(" ")
                space = false
            }
            out.append(scalar)
            if out.count >= maxText * 2 { break }
        }
        let cleaned = String(out)
        return cleaned.count > maxText ? String(cleaned.prefix(maxText - 1)) + "…" : cleaned
    }

    /// The 1-based line and column of byte `offset`.
    static func position(of offset: Int, in bytes: [UInt8]) -> (Int, Int) {
        var line = 1
        var lineStart = 0
        for i in 0..<min(offset, bytes.count) where bytes[i] == 0x0A {
            line += 1
            lineStart = i + 1
        }
        return (line, offset - lineStart + 1)
    }
}
