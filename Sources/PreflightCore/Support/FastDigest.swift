/// A 128-bit digest of bytes, 32 hex digits, eight bytes at a time: names
/// the contents of source files and of the build cache's stored bytes
/// (docs/format.md, "Build cache"), which a build digests by the megabyte.
/// It catches changed, truncated and corrupted bytes; it is not a defence
/// against someone forging a collision (nothing in a cache is secret or
/// trusted beyond what its own site's files say).
/// A digest's value: 16 bytes, held without a heap allocation (a build
/// keeps several per review).
struct Digest: Hashable, Sendable {
    var high: UInt64
    var low: UInt64

    var hex: String { FastDigest.hex16(high) + FastDigest.hex16(low) }
}

struct FastDigest {
    private var a: UInt64 = 0x243F_6A88_85A3_08D3
    private var b: UInt64 = 0x1319_8A2E_0370_7344
    private var count: UInt64 = 0

    init() {}

    mutating func add(_ buffer: UnsafeRawBufferPointer) {
        var i = 0
        let n = buffer.count
        while i + 8 <= n {
            mix(UInt64(littleEndian: buffer.loadUnaligned(fromByteOffset: i, as: UInt64.self)))
            i += 8
        }
        if i < n {
            var tail: UInt64 = 0
            for j in i..<n { tail |= UInt64(buffer[j]) << (UInt64(j - i) * 8) }
            // At most seven bytes: the top byte says how many.
            mix(tail | UInt64(n - i) << 56)
        }
        count &+= UInt64(n)
    }

    mutating func add(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { add($0) }
    }

    /// Adds `text` and a separator, so that ("ab", "c") and ("a", "bc") differ.
    mutating func add(_ text: String) {
        var text = text
        text.withUTF8 { add(UnsafeRawBufferPointer($0)) }
        mix(0xFFFF_FFFF_0000_0000 | UInt64(text.utf8.count & 0xFFFF_FFFF))
    }

    private mutating func mix(_ word: UInt64) {
        a = ((a ^ word) &* 0x9E37_79B9_7F4A_7C15)
        a = (a << 31) | (a >> 33)
        b = (b &+ word) &* 0xC2B2_AE3D_27D4_EB4F
        b ^= b >> 29
    }

    private static func finish(_ x: UInt64) -> UInt64 {
        var z = x
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// The digest so far.
    var value: Digest {
        Digest(high: Self.finish(a ^ count &* 0xD6E8_FEB8_6659_FD93), low: Self.finish(b ^ (a >> 7) ^ count))
    }

    /// The digest so far, as 32 lowercase hex digits.
    var hex: String { value.hex }

    /// Adds another digest.
    mutating func add(_ digest: Digest) {
        mix(digest.high)
        mix(digest.low)
        count &+= 16
    }

    static func hex16(_ value: UInt64) -> String {
        let hex = String(value, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }

    static func of(_ bytes: [UInt8]) -> Digest {
        var d = FastDigest()
        d.add(bytes)
        return d.value
    }

    static func of(_ buffer: UnsafeRawBufferPointer) -> Digest {
        var d = FastDigest()
        d.add(buffer)
        return d.value
    }

    static func of(text: String) -> Digest {
        var d = FastDigest()
        d.add(text)
        return d.value
    }
}
