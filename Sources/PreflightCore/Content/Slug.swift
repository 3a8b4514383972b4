/// Names and ids in the format: lower-case ASCII letters, digits and `-`,
/// starting with a letter or digit.
public enum Slug {
    /// Whether `name` is a valid `<id>`, `<slug>` or `<name>`.
    public static func isValid(_ name: String) -> Bool {
        guard let first = name.utf8.first, isLowerAlnum(first) else { return false }
        return name.utf8.allSatisfy { isLowerAlnum($0) || $0 == UInt8(ascii: "-") }
    }

    /// The slug of free text, as GitHub makes heading anchors: lower-cased,
    /// letters and digits kept, spaces and dashes become `-`, everything else dropped.
    /// Non-ASCII letters are dropped too, so ids stay plain ASCII.
    public static func make(_ text: String) -> String {
        var out = ""
        var pendingDash = false
        for scalar in text.unicodeScalars {
            let v = scalar.value
            if v < 128, let b = UInt8(exactly: v) {
                if isLowerAlnum(b) || (b >= 65 && b <= 90) {
                    if pendingDash && !out.isEmpty { out += "-" }
                    pendingDash = false
                    out.unicodeScalars.append(Unicode.Scalar(b >= 65 && b <= 90 ? b + 32 : b))
                } else if b == UInt8(ascii: " ") || b == UInt8(ascii: "-") || b == UInt8(ascii: "_") {
                    pendingDash = true
                }
            }
        }
        return out
    }

    private static func isLowerAlnum(_ b: UInt8) -> Bool {
        (b >= 97 && b <= 122) || (b >= 48 && b <= 57)
    }
}
