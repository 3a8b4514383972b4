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
struct FailOn: ExpressibleByArgument {
    var conditions: Set<SiteChecks.Condition> = []

    init?(argument: String) {
        for word in argument.split(separator: ",") {
            guard let condition = SiteChecks.Condition(rawValue: word.filter { $0 != " " }) else { return nil }
            conditions.insert(condition)
        }
    }

    static var allowed: String { SiteChecks.Condition.allCases.map(\.rawValue).joined(separator: ", ") }
}

extension DiffReport.Format: ExpressibleByArgument {}

/// `diff --fail-on regression` or some of its conditions: `level-drop,stale`.
struct Regressions: ExpressibleByArgument {
    var conditions: Set<ReadinessDiff.Condition> = []

    init?(argument: String) {
        for word in argument.split(separator: ",") {
            let word = String(word.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
            if word == "regression" {
                conditions.formUnion(ReadinessDiff.Condition.allCases)
            } else if let condition = ReadinessDiff.Condition(rawValue: word) {
                conditions.insert(condition)
            } else {
                return nil
            }
        }
        if conditions.isEmpty { return nil }
    }

    static var allowed: String { ReadinessDiff.Condition.allCases.map(\.rawValue).joined(separator: ", ") }
}
