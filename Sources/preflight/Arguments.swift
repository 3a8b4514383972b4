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

/// A `--fail-on` value: a comma-separated set of conditions (`check
/// --fail-on stale,not-ready`, `diff --fail-on level-drop,stale`). Any value
/// is taken here and checked in the command's `validate` (`check()`), so
/// that the error names the word that is not a condition rather than the
/// whole value.
struct FailOnValue<C: FailOnCondition>: ExpressibleByArgument {
    var argument: String

    init?(argument: String) {
        self.argument = argument
    }

    /// The conditions: each word one of them or of their `groups`, at least
    /// one; else a usage error naming the word that is not one, with the nearest.
    func check() throws(ValidationError) -> Set<C> {
        let names = C.allCases.map(\.rawValue) + C.groups.keys.sorted()
        var found: Set<C> = []
        for word in argument.split(separator: ",", omittingEmptySubsequences: false) {
            let word = String(word.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
            if let condition = C(rawValue: word) {
                found.insert(condition)
            } else if let group = C.groups[word] {
                found.formUnion(group)
            } else {
                let near = nearestName(to: word, in: names)
                throw ValidationError(
                    word.isEmpty
                        ? "--fail-on needs a condition between commas: one or more of \(names.joined(separator: ", "))"
                        : "--fail-on: `\(word)` is not a condition\(near.map { " (did you mean `\($0)`?)" } ?? ""); "
                            + "conditions are \(names.joined(separator: ", "))")
            }
        }
        return found
    }

    var conditions: Set<C> { (try? check()) ?? [] }

    static var allowed: String { C.allCases.map(\.rawValue).joined(separator: ", ") }
}

/// A condition `--fail-on` names; `groups` are words standing for several.
protocol FailOnCondition: RawRepresentable, CaseIterable, Hashable where RawValue == String {
    static var groups: [String: [Self]] { get }
}

extension SiteChecks.Condition: FailOnCondition {
    static var groups: [String: [Self]] { [:] }
}

/// `diff --fail-on regression` (all of them) or some of its conditions.
extension ReadinessDiff.Condition: FailOnCondition {
    static var groups: [String: [Self]] { ["regression": Array(allCases)] }
}

typealias FailOn = FailOnValue<SiteChecks.Condition>
typealias Regressions = FailOnValue<ReadinessDiff.Condition>

extension DiffReport.Format: ExpressibleByArgument {}

