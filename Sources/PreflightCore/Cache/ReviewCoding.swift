/// A parsed review as the build cache keeps it (docs/format.md, "Build
/// cache"): every field but the body, whose HTML is stored apart and read
/// when a page needs it.
extension Review {
    func encode(to w: inout CacheWriter) {
        w.string(service)
        w.string(name)
        w.string(path)
        w.day(date)
        w.string(title)
        w.string(checklist)
        w.string(decision.rawValue)
        w.array(reviewers) { $0.string($1) }
        w.array(signoffs) { w, s in
            w.string(s.role)
            w.optional(s.name) { $0.string($1) }
            w.string(s.status.rawValue)
            w.optional(s.date) { $0.day($1) }
        }
        w.bool(draft)
        w.optional(extra) { $1.encode(to: &$0) }
        w.array(answers.recorded) { w, entry in
            w.string(entry.id)
            w.string(entry.answer.box.rawValue)
            w.int(entry.answer.line)
            w.optional(entry.answer.reason) { $0.string($1) }
            w.optional(entry.answer.until) { $0.day($1) }
            w.optional(entry.answer.by) { $0.string($1) }
        }
        w.array(actionItems) { w, a in
            w.string(a.text)
            w.string(a.html)
            w.optional(a.owner) { $0.string($1) }
            w.optional(a.due) { $0.day($1) }
            w.bool(a.done)
            w.int(a.line)
            w.string(a.displayHTML)
        }
        w.array(markdownLinks) { w, link in
            w.string(link.url)
            w.bool(link.isImage)
            w.int(link.line)
            w.int(link.column)
            w.string(link.target)
        }
        w.int(dateLine)
        w.optional(decisionLine) { $0.int($1) }
    }

    /// The review stored by `encode`, its answers laid out for `checklist`
    /// (the one it was parsed against, which the cache checked is unchanged),
    /// its body `body`.
    init(from r: inout CacheReader, checklist: Checklist, body: SpilledText) throws(CacheReader.Malformed) {
        typealias Malformed = CacheReader.Malformed
        func text(_ r: inout CacheReader) throws(Malformed) -> String { try r.string() }
        func day(_ r: inout CacheReader) throws(Malformed) -> Day { try r.day() }
        let service = try r.string()
        let name = try r.string()
        let path = try r.string()
        let date = try r.day()
        let title = try r.string()
        let checklistID = try r.string()
        guard checklistID == checklist.id else { throw Malformed() }
        let decision = try r.raw(Decision.self)
        let reviewers = try r.array(text)
        let signoffs = try r.array { (r: inout CacheReader) throws(Malformed) in
            Signoff(role: try r.string(), name: try r.optional(text), status: try r.raw(Signoff.Status.self), date: try r.optional(day))
        }
        let draft = try r.bool()
        let extra = try r.optional { (r: inout CacheReader) throws(Malformed) in try JSONValue(from: &r) }
        var answers = Answers(to: checklist)
        for _ in 0..<(try r.count()) {
            let id = try r.string()
            let answer = Answer(
                box: try r.raw(TaskItem.Box.self), reason: nil, line: try r.int(), until: nil, by: nil)
            var full = answer
            full.reason = try r.optional(text)
            full.until = try r.optional(day)
            full.by = try r.optional(text)
            guard answers.record(full, for: id) else { throw Malformed() }
        }
        let actionItems = try r.array { (r: inout CacheReader) throws(Malformed) in
            // Its display HTML as stored: made again, it was 4 % of a one-review rebuild.
            ActionItem(
                text: try r.string(), html: try r.string(), owner: try r.optional(text), due: try r.optional(day),
                done: try r.bool(), line: try r.int(), displayHTML: try r.string())
        }
        let links = try r.array { (r: inout CacheReader) throws(Malformed) in
            MarkdownLink(url: try r.string(), isImage: try r.bool(), line: try r.int(), column: try r.int(), target: try r.string())
        }
        let dateLine = try r.int()
        let decisionLine = try r.optional { (r: inout CacheReader) throws(Malformed) in try r.int() }
        self.init(
            service: service, name: name, path: path, date: date, title: title, checklist: checklistID,
            decision: decision, reviewers: reviewers, signoffs: signoffs, draft: draft, extra: extra,
            body: body, answers: answers, actionItems: actionItems, markdownLinks: links,
            dateLine: dateLine, decisionLine: decisionLine)
    }
}
