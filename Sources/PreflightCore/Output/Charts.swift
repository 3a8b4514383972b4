/// Charts drawn at build time as inline SVG: no script, colours from the
/// page's stylesheet (classes, so dark mode and print restyle them), and a
/// `<title>` on every mark. Pages put a table or list of the same figures
/// beside each chart for screen readers and for reading exact values.
public enum Charts {
    /// One series of a stacked chart: its name and the CSS class that colours it.
    public struct Series: Sendable {
        public var name: String
        public var cssClass: String

        public init(name: String, cssClass: String) {
            self.name = name
            self.cssClass = cssClass
        }
    }

    /// Drawn at about its own size on a desktop (the stylesheet caps it at
    /// 30rem) and scaled down to about three quarters on a phone: its
    /// 14-unit labels stay at least 10 px high.
    static let width = 480.0
    static let height = 200.0
    /// Plot area inside the drawing: room for the axis labels.
    static let left = 44.0
    static let right = 8.0
    static let top = 10.0
    static let bottom = 30.0
    /// The width of one label character, in drawing units (14-unit text).
    static let characterWidth = 8.0

    /// Stacked columns, one per label, each split by series (bottom first).
    /// `values[i][s]` is column i's count for series s.
    public static func stackedColumns(labels: [String], values: [[Int]], series: [Series], title: String) -> String {
        let total = max(values.map { $0.reduce(0, +) }.max() ?? 0, 1)
        let plotWidth = width - left - right
        let slot = plotWidth / Double(max(labels.count, 1))
        let bar = max(min(slot * 0.8, 40), 1)
        var svg = open(title: title)
        svg += yAxis(maximum: total)
        for (i, label) in labels.enumerated() {
            let x = left + slot * Double(i) + (slot - bar) / 2
            var base = 0
            for (s, count) in values[i].enumerated() where count > 0 {
                let y0 = y(Double(base), of: Double(total))
                let y1 = y(Double(base + count), of: Double(total))
                svg += "<rect class=\"\(series[s].cssClass)\" x=\"\(n(x))\" y=\"\(n(y1))\" width=\"\(n(bar))\" height=\"\(n(y0 - y1))\">"
                svg += "<title>\(escapeHTML(label)): \(escapeHTML(series[s].name)) \(count)</title></rect>"
                base += count
            }
        }
        svg += xLabels(labels.enumerated().map { (left + slot * (Double($0.offset) + 0.5), $0.element) })
        return svg + "</svg>"
    }

    /// Services meeting a campaign's goal over time, as a step line, against
    /// the number in scope (the goal line) and the deadline (a vertical line).
    public static func burnUp(
        points: [(date: Day, met: Int)], inScope: Int, deadline: Day, today: Day, title: String
    ) -> String {
        let start = min(points.first?.date ?? today, deadline, today)
        let end = max(deadline, today, points.last?.date ?? today)
        let span = Double(max(start.days(until: end), 1))
        let plotWidth = width - left - right
        func x(_ day: Day) -> Double { left + plotWidth * Double(start.days(until: day)) / span }
        let total = Double(max(inScope, 1))
        var svg = open(title: title)
        svg += yAxis(maximum: max(inScope, 1))
        let goalY = y(Double(inScope), of: total)
        svg += "<line class=\"goal-line\" x1=\"\(n(left))\" y1=\"\(n(goalY))\" x2=\"\(n(width - right))\" y2=\"\(n(goalY))\">"
        svg += "<title>In scope: \(inScope)</title></line>"
        var path = ""
        var previousY: Double?
        for point in points {
            let (px, py) = (x(point.date), y(Double(point.met), of: total))
            if let previousY { path += " L\(n(px)),\(n(previousY)) L\(n(px)),\(n(py))" } else { path = "M\(n(px)),\(n(py))" }
            previousY = py
        }
        if !path.isEmpty { svg += "<path class=\"burn-up\" d=\"\(path)\"/>" }
        // Dots only while they can be told apart; the line carries the rest.
        for point in points where points.count <= 60 {
            svg += "<circle class=\"burn-up-point\" cx=\"\(n(x(point.date)))\" cy=\"\(n(y(Double(point.met), of: total)))\" r=\"3\">"
            svg += "<title>\(point.date): \(point.met) of \(inScope)</title></circle>"
        }
        let deadlineX = x(deadline)
        svg += "<line class=\"deadline-line\" x1=\"\(n(deadlineX))\" y1=\"\(n(top))\" x2=\"\(n(deadlineX))\" y2=\"\(n(height - bottom))\">"
        svg += "<title>Deadline \(deadline)</title></line>"
        if today != deadline {
            let todayX = x(today)
            svg += "<line class=\"today-line\" x1=\"\(n(todayX))\" y1=\"\(n(top))\" x2=\"\(n(todayX))\" y2=\"\(n(height - bottom))\">"
            svg += "<title>Today \(today)</title></line>"
        }
        var marks = [(x(start), start.description), (deadlineX, "deadline \(deadline)")]
        // "today" only where it leaves room for the deadline's label, which matters more.
        let deadlineLabelWidth = Double("deadline \(deadline)".count) * characterWidth
        if abs(x(today) - deadlineX) > deadlineLabelWidth / 2 + Double("today".count) * characterWidth / 2 + 8 {
            marks.append((x(today), "today"))
        }
        marks.sort { $0.0 < $1.0 }
        svg += xLabels(marks)
        return svg + "</svg>"
    }

    /// Scores over time: a line through each review's score at its date,
    /// with an axis of 0–100 and the first and last dates.
    public static func trend(points: [(date: Day, score: Int)], title: String) -> String? {
        guard let first = points.first?.date, let last = points.last?.date else { return nil }
        let span = Double(max(first.days(until: last), 1))
        let plotWidth = width - left - right
        func x(_ day: Day) -> Double {
            points.count == 1 ? left + plotWidth / 2 : left + plotWidth * Double(first.days(until: day)) / span
        }
        var svg = open(title: title)
        svg += yAxis(maximum: 100, unit: "%")
        let coordinates = points.map { "\(n(x($0.date))),\(n(y(Double($0.score), of: 100)))" }
        if points.count > 1 { svg += "<polyline class=\"trend-line\" points=\"\(coordinates.joined(separator: " "))\"/>" }
        for point in points {
            svg += "<circle class=\"trend-point\" cx=\"\(n(x(point.date)))\" cy=\"\(n(y(Double(point.score), of: 100)))\" r=\"3.5\">"
            svg += "<title>\(point.date): \(point.score)%</title></circle>"
        }
        let labels = first == last ? [(x(first), first.description)] : [(x(first), first.description), (x(last), last.description)]
        svg += xLabels(labels)
        return svg + "</svg>"
    }

    private static func open(title: String) -> String {
        "<svg class=\"chart\" viewBox=\"0 0 \(n(width)) \(n(height))\" role=\"img\" aria-label=\"\(escapeHTML(title))\">"
    }

    private static func y(_ value: Double, of maximum: Double) -> Double {
        height - bottom - (height - top - bottom) * value / maximum
    }

    /// Gridlines and labels at 0, the middle and the top (whole numbers only).
    private static func yAxis(maximum: Int, unit: String = "") -> String {
        var ticks = [0, maximum]
        if maximum >= 2, maximum % 2 == 0 { ticks.insert(maximum / 2, at: 1) }
        var svg = "<g class=\"axis\">"
        for tick in ticks {
            let ty = y(Double(tick), of: Double(maximum))
            svg += "<line x1=\"\(n(left))\" y1=\"\(n(ty))\" x2=\"\(n(width - right))\" y2=\"\(n(ty))\"/>"
            svg += "<text x=\"\(n(left - 4))\" y=\"\(n(ty + 5))\" text-anchor=\"end\">\(tick)\(unit)</text>"
        }
        return svg + "</g>"
    }

    /// Labels under the plot, thinned so that none overlaps another (the
    /// first and last always shown), anchored so that none runs off the drawing.
    private static func xLabels(_ labels: [(x: Double, text: String)]) -> String {
        // Each label's anchor, x and the span it covers.
        let placed: [(x: Double, anchor: String, from: Double, to: Double, text: String)] = labels.map { label in
            let w = Double(label.text.count) * characterWidth
            if label.x - w / 2 < 0 { return (0, "start", 0, w, label.text) }
            if label.x + w / 2 > width { return (width, "end", width - w, width, label.text) }
            return (label.x, "middle", label.x - w / 2, label.x + w / 2, label.text)
        }
        var shown: [Int] = placed.isEmpty ? [] : [0]
        let lastIndex = placed.count - 1
        for i in placed.indices.dropFirst() {
            let gapBefore = placed[i].from - placed[shown.last!].to
            let gapAfter = i == lastIndex ? Double.infinity : placed[lastIndex].from - placed[i].to
            if gapBefore >= 8 && gapAfter >= 8 { shown.append(i) }
        }
        var svg = "<g class=\"axis\">"
        for i in shown {
            let label = placed[i]
            svg += "<text x=\"\(n(label.x))\" y=\"\(n(height - 10))\" text-anchor=\"\(label.anchor)\">\(escapeHTML(label.text))</text>"
        }
        return svg + "</g>"
    }

    /// A coordinate with at most one decimal.
    static func n(_ value: Double) -> String {
        let tenths = (value * 10).rounded()
        let whole = Int(tenths) / 10
        let fraction = abs(Int(tenths) % 10)
        if fraction == 0 { return String(whole) }
        return (tenths < 0 && whole == 0 ? "-" : "") + "\(whole).\(fraction)"
    }
}
