/// A parsed JSON value: what evidence lines and SARIF reports are read into.
/// Objects keep their keys in the order written, duplicates included, so the
/// reader of a record can report a key given twice.
public enum JSONNode: Sendable, Equatable {
    case null
    case bool(Bool)
    /// A number as written (`12`, `0.5`, `1e3`): Preflight reads no figures from
    /// JSON, so none is converted.
    case number(String)
    case string(String)
    case array([JSONNode])
    case object([(key: String, value: JSONNode)])

    public static func == (a: JSONNode, b: JSONNode) -> Bool {
        switch (a, b) {
        case (.null, .null): return true
        case let (.bool(x), .bool(y)): return x == y
        case let (.number(x), .number(y)), let (.string(x), .string(y)): return x == y
        case let (.array(x), .array(y)): return x == y
        case let (.object(x), .object(y)):
            return x.count == y.count && zip(x, y).allSatisfy { $0.key == $1.key && $0.value == $1.value }
        default: return false
        }
    }

    /// The first value of `key` in an object; nil for anything else.
    public subscript(key: String) -> JSONNode? {
        guard case .object(let pairs) = self else { return nil }
        return pairs.first { $0.key == key }?.value
    }

    public var string: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    public var array: [JSONNode]? {
        if case .array(let items) = self { return items }
        return nil
    }

    /// What the value is, for messages: "a number", "an object".
    var kind: String {
        switch self {
        case .null: return "null"
        case .bool: return "a boolean"
        case .number: return "a number"
        case .string: return "a string"
        case .array: return "a list"
        case .object: return "an object"
        }
    }
}

/// A strict JSON (RFC 8259) reader over UTF-8 bytes. It nests at most
/// `maxDepth` arrays and objects: its recursion is bounded, so a hostile
/// report cannot overflow the stack.
public struct JSONReader {
    public struct Failure: Error, Sendable, Equatable {
        /// Byte offset of the problem in the input.
        public var offset: Int
        public var message: String
    }

    public static let maxDepth = 128

    private let bytes: UnsafeBufferPointer<UInt8>
    private var i = 0

    private init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    /// Parses one JSON value filling all of `bytes` (white space around it allowed).
    public static func parse(_ bytes: some Collection<UInt8>) throws(Failure) -> JSONNode {
        let array = Array(bytes)
        return try array.withUnsafeBufferPointer { (buffer) throws(Failure) -> JSONNode in
            var reader = JSONReader(buffer)
            reader.skipSpace()
            let value = try reader.value(depth: 0)
            reader.skipSpace()
            guard reader.i == buffer.count else { throw reader.failure("unexpected text after the JSON value") }
            return value
        }
    }

    private func failure(_ message: String) -> Failure {
        Failure(offset: i, message: message)
    }

    private mutating func skipSpace() {
        while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x09 || bytes[i] == 0x0A || bytes[i] == 0x0D { i += 1 }
    }

    private mutating func value(depth: Int) throws(Failure) -> JSONNode {
        guard i < bytes.count else { throw failure("the JSON ends before a value") }
        switch bytes[i] {
        case UInt8(ascii: "{"):
            guard depth < Self.maxDepth else { throw failure("JSON nested more than \(Self.maxDepth) levels deep") }
            return try object(depth: depth + 1)
        case UInt8(ascii: "["):
            guard depth < Self.maxDepth else { throw failure("JSON nested more than \(Self.maxDepth) levels deep") }
            return try array(depth: depth + 1)
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): return try literal("true", .bool(true))
        case UInt8(ascii: "f"): return try literal("false", .bool(false))
        case UInt8(ascii: "n"): return try literal("null", .null)
        case UInt8(ascii: "-"), 0x30...0x39: return try number()
        default:
            throw failure(bytes[i] == UInt8(ascii: "'") ? "JSON strings are quoted with \", not '" : "expected a JSON value")
        }
    }

    private mutating func literal(_ word: StaticString, _ value: JSONNode) throws(Failure) -> JSONNode {
        let n = word.utf8CodeUnitCount
        guard i + n <= bytes.count else { throw failure("expected a JSON value") }
        for k in 0..<n where bytes[i + k] != word.utf8Start[k] { throw failure("expected a JSON value") }
        i += n
        return value
    }

    private mutating func object(depth: Int) throws(Failure) -> JSONNode {
        i += 1
        var pairs: [(key: String, value: JSONNode)] = []
        skipSpace()
        if i < bytes.count, bytes[i] == UInt8(ascii: "}") {
            i += 1
            return .object(pairs)
        }
        while true {
            skipSpace()
            guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else {
                throw failure(i < bytes.count && bytes[i] == UInt8(ascii: "}") ? "a comma before `}`" : "expected a quoted key")
            }
            let key = try string()
            skipSpace()
            guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else { throw failure("expected `:` after the key") }
            i += 1
            skipSpace()
            pairs.append((key, try value(depth: depth)))
            skipSpace()
            guard i < bytes.count else { throw failure("the object is not closed with `}`") }
            if bytes[i] == UInt8(ascii: ",") {
                i += 1
                continue
            }
            guard bytes[i] == UInt8(ascii: "}") else { throw failure("expected `,` or `}`") }
            i += 1
            return .object(pairs)
        }
    }

    private mutating func array(depth: Int) throws(Failure) -> JSONNode {
        i += 1
        var items: [JSONNode] = []
        skipSpace()
        if i < bytes.count, bytes[i] == UInt8(ascii: "]") {
            i += 1
            return .array(items)
        }
        while true {
            skipSpace()
            if i < bytes.count, bytes[i] == UInt8(ascii: "]") { throw failure("a comma before `]`") }
            items.append(try value(depth: depth))
            skipSpace()
            guard i < bytes.count else { throw failure("the list is not closed with `]`") }
            if bytes[i] == UInt8(ascii: ",") {
                i += 1
                continue
            }
            guard bytes[i] == UInt8(ascii: "]") else { throw failure("expected `,` or `]`") }
            i += 1
            return .array(items)
        }
    }

    private mutating func number() throws(Failure) -> JSONNode {
        let start = i
        func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
        if bytes[i] == UInt8(ascii: "-") { i += 1 }
        guard i < bytes.count, isDigit(bytes[i]) else { throw failure("a number needs digits") }
        if bytes[i] == 0x30 {
            i += 1
        } else {
            while i < bytes.count, isDigit(bytes[i]) { i += 1 }
        }
        if i < bytes.count, bytes[i] == UInt8(ascii: ".") {
            i += 1
            guard i < bytes.count, isDigit(bytes[i]) else { throw failure("a number needs digits after `.`") }
            while i < bytes.count, isDigit(bytes[i]) { i += 1 }
        }
        if i < bytes.count, bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") {
            i += 1
            if i < bytes.count, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") { i += 1 }
            guard i < bytes.count, isDigit(bytes[i]) else { throw failure("a number needs digits in its exponent") }
            while i < bytes.count, isDigit(bytes[i]) { i += 1 }
        }
        return .number(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<i]), as: UTF8.self))
    }

    /// A quoted string, escapes decoded. The bytes between escapes are taken
    /// whole; the input is known to be UTF-8 (callers check), and a control
    /// character must be escaped.
    private mutating func string() throws(Failure) -> String {
        i += 1
        var out: [UInt8] = []
        var runStart = i
        while true {
            guard i < bytes.count else { throw failure("the string is not closed with \"") }
            let b = bytes[i]
            if b == UInt8(ascii: "\"") {
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<i]))
                i += 1
                break
            }
            if b < 0x20 { throw failure("a control character in a string must be escaped (\\n, \\t, \\u00XX)") }
            guard b == UInt8(ascii: "\\") else {
                i += 1
                continue
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<i]))
            i += 1
            guard i < bytes.count else { throw failure("the string is not closed with \"") }
            let e = bytes[i]
            i += 1
            switch e {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(e)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = try hex4()
                if (0xD800...0xDBFF).contains(scalar) {
                    guard i + 1 < bytes.count, bytes[i] == UInt8(ascii: "\\"), bytes[i + 1] == UInt8(ascii: "u") else {
                        throw failure("a \\u escape is half of a surrogate pair")
                    }
                    i += 2
                    let low = try hex4()
                    guard (0xDC00...0xDFFF).contains(low) else { throw failure("a \\u escape is half of a surrogate pair") }
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                } else if (0xDC00...0xDFFF).contains(scalar) {
                    throw failure("a \\u escape is half of a surrogate pair")
                }
                out.append(contentsOf: String(Character(Unicode.Scalar(scalar)!)).utf8)
            default:
                throw failure("unknown escape `\\\(Character(Unicode.Scalar(e)))` in a string")
            }
            runStart = i
        }
        return String(decoding: out, as: UTF8.self)
    }

    private mutating func hex4() throws(Failure) -> UInt32 {
        guard i + 4 <= bytes.count else { throw failure("a \\u escape needs four hex digits") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let b = bytes[i]
            let digit: UInt32
            switch b {
            case 0x30...0x39: digit = UInt32(b - 0x30)
            case 0x41...0x46: digit = UInt32(b - 0x41 + 10)
            case 0x61...0x66: digit = UInt32(b - 0x61 + 10)
            default: throw failure("a \\u escape needs four hex digits")
            }
            value = value << 4 | digit
            i += 1
        }
        return value
    }
}
