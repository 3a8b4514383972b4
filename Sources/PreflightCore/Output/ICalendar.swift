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
                "DTEND;VALUE=DATE:" + compact(event.day.adding(days: 1)),
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
        var host = "preflight"
        if let range = baseURL.range(of: "://") {
            let rest = baseURL[range.upperBound...]
            let name = rest.prefix { $0 != "/" && $0 != ":" && $0 != "@" }
            if !name.isEmpty { host = String(name).lowercased() }
        }
        return parts.joined(separator: ".") + "@" + host
    }

    /// A stable, short digest of text (FNV-1a, 64 bits, hex): names an event
    /// that has no id of its own, such as an action item.
    public static func digest(_ text: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
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
    /// a UTF-8 sequence.
    static func fold(_ line: String) -> String {
        guard line.utf8.count > 75 else { return line }
        var out = ""
        var width = 0
        var limit = 75
        for character in line.unicodeScalars {
            let size = String(character).utf8.count
            if width + size > limit {
                out += "\r\n "
                width = 0
                limit = 74
            }
            out.unicodeScalars.append(character)
            width += size
        }
        return out
    }
}
