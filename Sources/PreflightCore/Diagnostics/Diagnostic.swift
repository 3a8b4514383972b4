/// One problem found in a site's sources, located at a file, line and column.
///
/// `path` is relative to the site folder; `DiagnosticFormatter` prefixes it with
/// the site folder as the user named it, so that diagnostics read as paths
/// relative to the current directory.
public struct Diagnostic: Error, Sendable, Hashable, Comparable {
    public enum Severity: String, Sendable, Hashable, Comparable {
        case error
        case warning

        public static func < (lhs: Severity, rhs: Severity) -> Bool {
            lhs == .error && rhs == .warning
        }
    }

    public var path: String
    public var line: Int
    public var column: Int
    public var severity: Severity
    public var message: String
    /// How to fix it, in one sentence; printed after the message.
    public var hint: String?

    public init(
        path: String, line: Int = 1, column: Int = 1, severity: Severity = .error,
        message: String, hint: String? = nil
    ) {
        self.path = path
        self.line = max(line, 1)
        self.column = max(column, 1)
        self.severity = severity
        self.message = message
        self.hint = hint
    }

    public static func error(_ message: String, at location: SourceLocation, hint: String? = nil) -> Diagnostic {
        Diagnostic(
            path: location.path, line: location.line, column: location.column,
            severity: .error, message: message, hint: hint)
    }

    public static func warning(_ message: String, at location: SourceLocation, hint: String? = nil) -> Diagnostic {
        Diagnostic(
            path: location.path, line: location.line, column: location.column,
            severity: .warning, message: message, hint: hint)
    }

    /// Diagnostics sort by file, then position, so output is stable whatever
    /// order the files were read in.
    public static func < (lhs: Diagnostic, rhs: Diagnostic) -> Bool {
        (lhs.path, lhs.line, lhs.column, lhs.severity, lhs.message)
            < (rhs.path, rhs.line, rhs.column, rhs.severity, rhs.message)
    }
}

/// A place in a source file: path relative to the site folder, 1-based line and column.
public struct SourceLocation: Sendable, Hashable {
    public var path: String
    public var line: Int
    public var column: Int

    public init(path: String, line: Int = 1, column: Int = 1) {
        self.path = path
        self.line = line
        self.column = column
    }
}

/// Diagnostics collected while reading one or more files.
public struct DiagnosticList: Sendable {
    public private(set) var items: [Diagnostic] = []

    public init(_ items: [Diagnostic] = []) {
        self.items = items
    }

    public mutating func append(_ diagnostic: Diagnostic) {
        items.append(diagnostic)
    }

    public mutating func append(contentsOf other: [Diagnostic]) {
        items.append(contentsOf: other)
    }

    public mutating func error(_ message: String, at location: SourceLocation, hint: String? = nil) {
        items.append(.error(message, at: location, hint: hint))
    }

    public mutating func warning(_ message: String, at location: SourceLocation, hint: String? = nil) {
        items.append(.warning(message, at: location, hint: hint))
    }

    public var hasErrors: Bool { items.contains { $0.severity == .error } }
    public var errorCount: Int { items.filter { $0.severity == .error }.count }
    public var warningCount: Int { items.filter { $0.severity == .warning }.count }
    public var sorted: [Diagnostic] { items.sorted() }
}
