import ArgumentParser
import PreflightCore

// Command-line input becomes typed values here, at the edge; nothing after
// parsing sees the raw strings. A value ArgumentParser cannot convert is a
// usage error (exit 2) that names the option and says what it takes.

extension Day: ExpressibleByArgument {
    public init?(argument: String) {
        self.init(argument)
    }

    public static var defaultCompletionKind: CompletionKind { .default }
}

extension BaseURL: ExpressibleByArgument {
    public init?(argument: String) {
        self.init(argument)
    }
}

/// `--fail-on stale,not-ready`: a comma-separated set of conditions.
/// `check --fail-on stale,not-ready`. Any value is taken here and checked in
/// the command's `validate` (`check()`), so that the error names the word
/// that is not a condition rather than the whole value.
struct FailOn: ExpressibleByArgument {
    var argument: String

    init?(argument: String) {
        self.argument = argument
    }

    /// The conditions; a usage error naming a word that is not one.
    func check() throws(ValidationError) -> Set<SiteChecks.Condition> {
        Set(try conditionList(argument, SiteChecks.Condition.self, option: "--fail-on"))
    }

    var conditions: Set<SiteChecks.Condition> { (try? check()) ?? [] }

    static var allowed: String { SiteChecks.Condition.allCases.map(\.rawValue).joined(separator: ", ") }
}

/// The conditions of a comma-separated `--fail-on` value: each word must
/// be one of them (`extra` words too, standing for several), and there must
/// be at least one. The error names the word that is not one, with the
/// nearest.
func conditionList<C: RawRepresentable & CaseIterable>(
    _ argument: String, _: C.Type, option: String, extra: [String: [C]] = [:]
) throws(ValidationError) -> [C] where C.RawValue == String {
    let names = C.allCases.map(\.rawValue) + extra.keys.sorted()
    var found: [C] = []
    for word in argument.split(separator: ",", omittingEmptySubsequences: false) {
        let word = String(word.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
        if let condition = C(rawValue: word) {
            found.append(condition)
        } else if let more = extra[word] {
            found += more
        } else {
            let near = nearestName(to: word, in: names)
            throw ValidationError(
                word.isEmpty
                    ? "\(option) needs a condition between commas: one or more of \(names.joined(separator: ", "))"
                    : "\(option): `\(word)` is not a condition\(near.map { " (did you mean `\($0)`?)" } ?? ""); "
                        + "conditions are \(names.joined(separator: ", "))")
        }
    }
    return found
}

extension DiffReport.Format: ExpressibleByArgument {}

/// `diff --fail-on regression` or some of its conditions: `level-drop,stale`.
struct Regressions: ExpressibleByArgument {
    var argument: String

    init?(argument: String) {
        self.argument = argument
    }

    /// The conditions; a usage error naming a word that is not one (checked in `validate`).
    func check() throws(ValidationError) -> Set<ReadinessDiff.Condition> {
        Set(try conditionList(
            argument, ReadinessDiff.Condition.self, option: "--fail-on",
            extra: ["regression": Array(ReadinessDiff.Condition.allCases)]))
    }

    var conditions: Set<ReadinessDiff.Condition> { (try? check()) ?? [] }

    static var allowed: String { ReadinessDiff.Condition.allCases.map(\.rawValue).joined(separator: ", ") }
}
