/// A JSON value whose objects keep their keys in the order given, so exports
/// are byte-for-byte stable and read in a sensible order.
public enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case int(Int)
    case string(String)
    case array([JSONValue])
    case object([(String, JSONValue)])

    public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): return true
        case let (.bool(a), .bool(b)): return a == b
        case let (.int(a), .int(b)): return a == b
        case let (.string(a), .string(b)): return a == b
        case let (.array(a), .array(b)): return a == b
        case let (.object(a), .object(b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        default: return false
        }
    }

    /// Pretty-printed with two-space indents and a trailing newline.
    public func serialized() -> String {
        var out = ""
        write(into: &out, indent: 0)
        out += "\n"
        return out
    }

    /// A member of an object written by `writeObject`: a value, or an array
    /// of objects made one at a time as they are written.
    enum Member {
        case value(JSONValue)
        case lazyArray(count: Int, item: (Int) -> JSONValue)
    }

    /// Writes an array of objects as `serialized` writes it at `indent`
    /// (0: the top level), each item made and dropped as it is written.
    static func writeArray(count: Int, indent: Int = 0, into out: inout String, _ item: (Int) -> JSONValue) {
        guard count > 0 else {
            out += "[]"
            return
        }
        // Items are objects, never scalars: one per line, as `write` lays out such arrays.
        out += "[\n"
        for i in 0..<count {
            let value = item(i)
            precondition(!value.isScalar, "writeArray holds objects or arrays")
            out += String(repeating: "  ", count: indent + 1)
            value.write(into: &out, indent: indent + 1)
            out += i == count - 1 ? "\n" : ",\n"
        }
        out += String(repeating: "  ", count: indent) + "]"
    }

    /// Writes an object as `serialized` writes it (at the top level), with
    /// arrays whose items are made and dropped one by one.
    static func writeObject(_ pairs: [(String, Member)], into out: inout String) {
        guard !pairs.isEmpty else {
            out += "{}"
            return
        }
        out += "{\n"
        for (i, (key, member)) in pairs.enumerated() {
            out += "  "
            writeString(key, into: &out)
            out += ": "
            switch member {
            case .value(let value): value.write(into: &out, indent: 1)
            case .lazyArray(let count, let item): writeArray(count: count, indent: 1, into: &out, item)
            }
            out += i == pairs.count - 1 ? "\n" : ",\n"
        }
        out += "}"
    }

    func write(into out: inout String, indent: Int) {
        switch self {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .int(let i): out += String(i)
        case .string(let s): JSONValue.writeString(s, into: &out)
        case .array(let items):
            if items.isEmpty { out += "[]"; return }
            // Arrays of scalars stay on one line: trends and id lists read better so.
            if items.allSatisfy(\.isScalar) {
                out += "["
                for (i, item) in items.enumerated() {
                    if i > 0 { out += ", " }
                    item.write(into: &out, indent: indent)
                }
                out += "]"
                return
            }
            out += "[\n"
            for (i, item) in items.enumerated() {
                out += String(repeating: "  ", count: indent + 1)
                item.write(into: &out, indent: indent + 1)
                out += i == items.count - 1 ? "\n" : ",\n"
            }
            out += String(repeating: "  ", count: indent) + "]"
        case .object(let pairs):
            if pairs.isEmpty { out += "{}"; return }
            out += "{\n"
            for (i, (key, value)) in pairs.enumerated() {
                out += String(repeating: "  ", count: indent + 1)
                JSONValue.writeString(key, into: &out)
                out += ": "
                value.write(into: &out, indent: indent + 1)
                out += i == pairs.count - 1 ? "\n" : ",\n"
            }
            out += String(repeating: "  ", count: indent) + "}"
        }
    }

    private var isScalar: Bool {
        switch self {
        case .array, .object: return false
        default: return true
        }
    }

    static func writeString(_ s: String, into out: inout String) {
        // Most strings need no escaping: append them whole.
        if s.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x80 && $0 != 0x22 && $0 != 0x5C && $0 != 0x3C && $0 != 0x3E && $0 != 0x26 }) {
            out += "\""
            out += s
            out += "\""
            return
        }
        out += "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            // `<` and `>` escaped so the JSON can be inlined in a page's <script> safely.
            case "<": out += "\\u003c"
            case ">": out += "\\u003e"
            case "&": out += "\\u0026"
            case "\u{2028}": out += "\\u2028"
            case "\u{2029}": out += "\\u2029"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out += "\""
    }
}
