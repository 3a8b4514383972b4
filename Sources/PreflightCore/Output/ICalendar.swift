/// An iCalendar file (RFC 5545) of all-day events: the deadline calendar.
/// Every event carries a UID that stays the same while the thing it is about
/// exists, so a calendar app subscribed to the file moves an event whose
/// date changed instead of adding a second one.
public enum ICalendar {
    public struct Event: Sendable, Equatable {
        /// Unique in the calendar and stable across builds (see `uid(_:)`).
        public var uid: String
        public var day: Day
        public var summary: String
        public var description: String
        /// Relative to the base URL.
        public var url: String?
        /// Words for the kind of deadline, e.g. "campaign", shown as its category.
        public var category: String

        public init(uid: String, day: Day, summary: String, description: String, url: String?, category: String) {
            self.uid = uid
            self.day = day
            self.summary = summary
            self.description = description
            self.url = url
            self.category = category
        }
    }

    /// The calendar text, events sorted by day and UID. `stamp` (the build
    /// date) is every event's DTSTAMP, so a rebuild of the same input is
    /// byte-identical. An event's URL is written only when `baseURL` is
    /// absolute (`https://…`): the property must hold a full URI.
    public static func ics(name: String, baseURL: String, events: [Event], stamp: Day) -> String {
        var lines = [
            "BEGIN:VCALENDAR",
            "VERSION:2.0",
            "PRODID:-//Preflight//Deadlines//EN",
            "CALSCALE:GREGORIAN",
            "METHOD:PUBLISH",
            "X-WR-CALNAME:" + text(name),
        ]
        let stampText = compact(stamp) + "T000000Z"
        for event in events.sorted(by: { ($0.day, $0.uid) < ($1.day, $1.uid) }) {
            lines += [
                "BEGIN:VEVENT",
                "UID:" + text(event.uid),
                "DTSTAMP:" + stampText,
                "DTSTART;VALUE=DATE:" + compact(event.day),
            ]
            // An all-day event ends the next day; on the last day the format can
            // write, DTEND is left out (RFC 5545: then it lasts one day).
            if event.day < Day.last { lines.append("DTEND;VALUE=DATE:" + compact(event.day.adding(days: 1))) }
            lines += [
                "SUMMARY:" + text(event.summary),
                "DESCRIPTION:" + text(event.description),
                "CATEGORIES:" + text(event.category),
                "TRANSP:TRANSPARENT",
            ]
            if let url = event.url, baseURL.contains("://") { lines.append("URL:" + uriValue(baseURL + url)) }
            lines.append("END:VEVENT")
        }
        lines.append("END:VCALENDAR")
        return lines.map(fold).joined(separator: "\r\n") + "\r\n"
    }

    /// A UID made of `parts` (ids, slugs, check ids) and the site's host, so
    /// two sites' calendars in one app never collide: `waiver.payments-api.sec-pentest@example.com`.
    public static func uid(_ parts: [String], baseURL: String) -> String {
        uid(parts, host: host(of: baseURL))
    }

    /// The same with the host already read from the base URL (a calendar reads it once).
    static func uid(_ parts: [String], host: String) -> String {
        parts.joined(separator: ".") + "@" + host
    }

    /// The host of an absolute base URL, lower-cased, without user, password,
    /// port or IPv6 brackets; "preflight" when there is none.
    static func host(of baseURL: String) -> String {
        guard let range = baseURL.range(of: "://") else { return "preflight" }
        var authority = baseURL[range.upperBound...].prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        if let at = authority.lastIndex(of: "@") { authority = authority[authority.index(after: at)...] }
        var host: Substring
        if authority.hasPrefix("["), let close = authority.firstIndex(of: "]") {
            host = authority[authority.index(after: authority.startIndex)..<close]
        } else {
            host = authority.prefix { $0 != ":" }
        }
        host = host.filter { $0.isLetter || $0.isNumber || $0 == "." || $0 == "-" || $0 == ":" }[...]
        return host.isEmpty ? "preflight" : host.lowercased()
    }

    /// A stable, short digest of text: names an event that has no id of
    /// its own, such as an action item.
    public static func digest(_ text: String) -> String {
        stableDigest(text)
    }

    static func compact(_ day: Day) -> String {
        day.description.replacingOccurrences(of: "-", with: "")
    }

    /// TEXT values escape backslash, semicolon, comma and line breaks; other
    /// control characters are dropped (they are not allowed in a content line).
    static func text(_ value: String) -> String {
        var out = ""
        out.reserveCapacity(value.utf8.count)
        var previousCR = false
        for scalar in value.unicodeScalars {
            defer { previousCR = scalar == "\r" }
            switch scalar {
            case "\\": out += "\\\\"
            case ";": out += "\\;"
            case ",": out += "\\,"
            case "\n": if !previousCR { out += "\\n" }
            case "\r": out += "\\n"
            default:
                if isHiddenControl(scalar) { continue }
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// A URI value: no escaping rules, but no control characters or spaces either.
    static func uriValue(_ value: String) -> String {
        var out = ""
        for scalar in value.unicodeScalars {
            if scalar.value <= 0x20 || scalar.value == 0x7F {
                out += scalar == " " ? "%20" : ""
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// Lines longer than 75 octets are folded: CRLF and a space, never inside
    /// a UTF-8 sequence (a continuation byte never starts a piece).
    static func fold(_ line: String) -> String {
        let bytes = Array(line.utf8)
        guard bytes.count > 75 else { return line }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + bytes.count / 70 * 3)
        var start = 0
        var limit = 75
        while bytes.count - start > limit {
            var end = start + limit
            while end > start + 1, bytes[end] & 0xC0 == 0x80 { end -= 1 }
            out += bytes[start..<end]
            out += [0x0D, 0x0A, 0x20]
            start = end
            limit = 74
        }
        out += bytes[start...]
        return String(decoding: out, as: UTF8.self)
    }
}
