/// When an action item is overdue: the one rule every page, export and
/// warning uses.
extension Review.ActionItem {
    /// Open, with a due date before `day`.
    public func isOverdue(on day: Day) -> Bool {
        daysOverdue(on: day) != nil
    }

    /// How many days past its due date an open item is on `day`; nil when it
    /// is done, undated or not yet due.
    public func daysOverdue(on day: Day) -> Int? {
        guard !done, let due, due < day else { return nil }
        return due.days(until: day)
    }
}
