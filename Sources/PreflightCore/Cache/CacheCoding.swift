/// The build cache's records as bytes (docs/format.md, "Build cache"):
/// integers as 8 bytes little-endian, strings as a length and UTF-8, an
/// optional as a flag byte and the value. Reading checks every length
/// against what is left, so a truncated or corrupted record is an error,
/// never a crash or a wrong value taken for a right one.
struct CacheWriter {
    private(set) var bytes: [UInt8] = []

    mutating func int(_ value: Int) {
        withUnsafeBytes(of: Int64(value).littleEndian) { bytes.append(contentsOf: $0) }
    }

    mutating func bool(_ value: Bool) {
        bytes.append(value ? 1 : 0)
    }

    mutating func string(_ value: String) {
        int(value.utf8.count)
        bytes.append(contentsOf: value.utf8)
    }

    mutating func optional<T>(_ value: T?, _ write: (inout CacheWriter, T) -> Void) {
        bool(value != nil)
        if let value { write(&self, value) }
    }

    mutating func array<T>(_ values: [T], _ write: (inout CacheWriter, T) -> Void) {
        int(values.count)
        for value in values { write(&self, value) }
    }

    /// Bytes already counted by the caller (`int(count)` before them).
    mutating func bytesAppend(_ more: [UInt8]) {
        bytes.append(contentsOf: more)
    }

    mutating func digest(_ digest: Digest) {
        int(Int(bitPattern: UInt(digest.high)))
        int(Int(bitPattern: UInt(digest.low)))
    }

    mutating func day(_ day: Day) {
        int(day.year * 10_000 + day.month * 100 + day.day)
    }
}

struct CacheReader {
    struct Malformed: Error {}

    private let bytes: [UInt8]
    private var at: Int
    private let end: Int

    init(_ bytes: [UInt8], from start: Int = 0, to end: Int? = nil) {
        self.bytes = bytes
        self.at = start
        self.end = min(end ?? bytes.count, bytes.count)
    }

    var isAtEnd: Bool { at == end }

    mutating func int() throws(Malformed) -> Int {
        guard end - at >= 8 else { throw Malformed() }
        let value = bytes.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: at, as: UInt64.self) }
        at += 8
        return Int(Int64(bitPattern: UInt64(littleEndian: value)))
    }

    /// A count of things still to read: at least one byte each, so a
    /// corrupted count cannot make a reader allocate or loop without end.
    mutating func count() throws(Malformed) -> Int {
        let n = try int()
        guard n >= 0, n <= end - at else { throw Malformed() }
        return n
    }

    mutating func bool() throws(Malformed) -> Bool {
        guard at < end, bytes[at] <= 1 else { throw Malformed() }
        defer { at += 1 }
        return bytes[at] == 1
    }

    mutating func string() throws(Malformed) -> String {
        let n = try count()
        // On the array's own buffer: a slice takes the generic path, several times slower.
        let text = bytes.withUnsafeBufferPointer { all in
            String(validating: UnsafeBufferPointer(rebasing: all[at..<at + n]), as: UTF8.self)
        }
        guard let text else { throw Malformed() }
        at += n
        return text
    }

    mutating func optional<T>(_ read: (inout CacheReader) throws(Malformed) -> T) throws(Malformed) -> T? {
        try bool() ? try read(&self) : nil
    }

    mutating func array<T>(_ read: (inout CacheReader) throws(Malformed) -> T) throws(Malformed) -> [T] {
        let n = try count()
        var values: [T] = []
        values.reserveCapacity(n)
        for _ in 0..<n { values.append(try read(&self)) }
        return values
    }

    mutating func block() throws(Malformed) -> [UInt8] {
        let n = try count()
        defer { at += n }
        return Array(bytes[at..<at + n])
    }

    mutating func digest() throws(Malformed) -> Digest {
        Digest(high: UInt64(UInt(bitPattern: try int())), low: UInt64(UInt(bitPattern: try int())))
    }

    mutating func day() throws(Malformed) -> Day {
        let n = try int()
        guard let day = Day(year: n / 10_000, month: n / 100 % 100, day: n % 100) else { throw Malformed() }
        return day
    }

    mutating func raw<T: RawRepresentable>(_ type: T.Type) throws(Malformed) -> T where T.RawValue == String {
        guard let value = T(rawValue: try string()) else { throw Malformed() }
        return value
    }
}

extension Diagnostic {
    func encode(to w: inout CacheWriter) {
        w.string(path)
        w.int(line)
        w.int(column)
        w.bool(severity == .error)
        w.string(message)
        w.optional(hint) { $0.string($1) }
    }

    init(from r: inout CacheReader) throws(CacheReader.Malformed) {
        let path = try r.string()
        let line = try r.int()
        let column = try r.int()
        let severity: Severity = try r.bool() ? .error : .warning
        let message = try r.string()
        let hint = try r.optional { (r: inout CacheReader) throws(CacheReader.Malformed) in try r.string() }
        self.init(path: path, line: line, column: column, severity: severity, message: message, hint: hint)
    }
}

extension JSONValue {
    func encode(to w: inout CacheWriter) {
        switch self {
        case .null: w.int(0)
        case .bool(let b):
            w.int(1)
            w.bool(b)
        case .int(let n):
            w.int(2)
            w.int(n)
        case .string(let s):
            w.int(3)
            w.string(s)
        case .array(let values):
            w.int(4)
            w.array(values) { $1.encode(to: &$0) }
        case .object(let members):
            w.int(5)
            w.array(members) { w, member in
                w.string(member.0)
                member.1.encode(to: &w)
            }
        }
    }

    /// `depth` bounds the nesting a corrupted record could claim.
    init(from r: inout CacheReader, depth: Int = 0) throws(CacheReader.Malformed) {
        guard depth < 256 else { throw CacheReader.Malformed() }
        switch try r.int() {
        case 0: self = .null
        case 1: self = .bool(try r.bool())
        case 2: self = .int(try r.int())
        case 3: self = .string(try r.string())
        case 4:
            self = .array(try r.array { (r: inout CacheReader) throws(CacheReader.Malformed) in try JSONValue(from: &r, depth: depth + 1) })
        case 5:
            self = .object(
                try r.array { (r: inout CacheReader) throws(CacheReader.Malformed) in
                    (try r.string(), try JSONValue(from: &r, depth: depth + 1))
                })
        default: throw CacheReader.Malformed()
        }
    }
}
