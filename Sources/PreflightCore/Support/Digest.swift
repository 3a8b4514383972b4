/// A short digest of text that is the same on every machine and every run
/// (FNV-1a, 64 bits, as 16 hex digits): names things that have no id of their
/// own, such as an action item's calendar event or a team whose owner has no
/// letter a slug keeps. Not for security.
func stableDigest(_ text: String) -> String {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in text.utf8 {
        hash ^= UInt64(byte)
        hash = hash &* 0x0000_0100_0000_01b3
    }
    let hex = String(hash, radix: 16)
    return String(repeating: "0", count: 16 - hex.count) + hex
}
