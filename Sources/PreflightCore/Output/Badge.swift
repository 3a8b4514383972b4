/// A two-part SVG badge in the familiar shields style ("readiness | Silver 90%"),
/// for a service's README.
public enum Badge {
    public static func svg(label: String, value: String, color: String) -> String {
        let left = width(label) + 10
        let right = width(value) + 10
        let total = left + right
        let l = escapeXML(label)
        let v = escapeXML(value)
        return """
            <svg xmlns="http://www.w3.org/2000/svg" width="\(total)" height="20" role="img" aria-label="\(l): \(v)">
            <title>\(l): \(v)</title>
            <linearGradient id="s" x2="0" y2="100%"><stop offset="0" stop-color="#bbb" stop-opacity=".1"/><stop offset="1" stop-opacity=".1"/></linearGradient>
            <clipPath id="r"><rect width="\(total)" height="20" rx="3" fill="#fff"/></clipPath>
            <g clip-path="url(#r)"><rect width="\(left)" height="20" fill="#555"/><rect x="\(left)" width="\(right)" height="20" fill="\(color)"/><rect width="\(total)" height="20" fill="url(#s)"/></g>
            <g fill="#fff" text-anchor="middle" font-family="Verdana,Geneva,DejaVu Sans,sans-serif" font-size="11">
            <text x="\(left / 2)" y="15" fill="#010101" fill-opacity=".3">\(l)</text><text x="\(left / 2)" y="14">\(l)</text>
            <text x="\(left + right / 2)" y="15" fill="#010101" fill-opacity=".3">\(v)</text><text x="\(left + right / 2)" y="14">\(v)</text>
            </g>
            </svg>

            """
    }

    /// Colours by status, readable with white text.
    public static func color(for status: Status) -> String {
        switch status {
        case .ready: return "#2e7d32"
        case .conditional: return "#9a6700"
        case .inReview: return "#0a58ca"
        case .notReady: return "#c62828"
        case .unreviewed: return "#6e7781"
        }
    }

    /// Approximate text width in pixels for Verdana 11px (per-character classes).
    static func width(_ text: String) -> Int {
        var total = 0.0
        for c in text {
            switch c {
            case "i", "l", "I", "j", "!", ".", ",", ":", ";", "|", "'": total += 3.5
            case "f", "r", "t", " ", "(", ")", "[", "]": total += 5
            case "m", "w", "M", "W", "%": total += 10.5
            case _ where c.isUppercase: total += 8
            default: total += 7
            }
        }
        return Int(total.rounded(.up))
    }
}
